"""The store's queries behind the coding window: filters, navigation, progress; one coder at a time."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.errors import AnnotatorError
from annotator.core.filters import Filter, fts_query, is_date
from annotator.core.items import Item, sha256_bytes
from annotator.core.name_groups import OUTLET, SPOKESPERSON
from annotator.core.store import Store
from tests.helpers import mark_done, new_project, real_files, source


@pytest.fixture
def store(tmp_path: Path):
    sources = []
    for date, outlets in [("2021-12-09", ["Reuters", "AFP", "The Global Times"]), ("2022-01-04", ["Reuters reporter", "CCTV"])]:
        items = [Item("qa", i, f"question {o} sanctions" if o == "AFP" else f"question {o}", f"answer {i}",
                      outlet=o, spokesperson="Wang Wenbin", date=date) for i, o in enumerate(outlets)]
        sources.append(source(f"{date}.txt", items, date=date, title=f"PC {date}", sha256=sha256_bytes(date.encode())))
    with Store(new_project(tmp_path / "p.db", sources)) as s:
        yield s


def test_filters_select_by_this_coders_labels_only(store: Store) -> None:
    ids = list(store.browse.item_ids(Filter(), "alice"))
    assert ids == [1, 2, 3, 4, 5]
    store.labels.set(1, "alice", "topics", ["taiwan", "covid"])
    mark_done(store, 2, "alice")
    store.labels.set_flag(3, "alice", True)
    store.labels.set(4, "bob", "topics", ["taiwan"])
    assert list(store.browse.item_ids(Filter(status="labelled"), "alice")) == [1, 2]
    assert list(store.browse.item_ids(Filter(status="unlabelled"), "alice")) == [3, 4, 5]
    assert list(store.browse.item_ids(Filter(status="flagged"), "alice")) == [3]
    assert list(store.browse.item_ids(Filter(option="topics:taiwan"), "alice")) == [1]
    assert list(store.browse.item_ids(Filter(option="topics:taiwan"), "bob")) == [4]
    assert list(store.browse.item_ids(Filter(outlet="Reuters"), "alice")) == [1, 4]
    assert list(store.browse.item_ids(Filter(outlet="Global Times", spokesperson="Wang Wenbin"), "alice")) == [3]
    assert list(store.browse.item_ids(Filter(date_from="2022-01"), "alice")) == [4, 5]
    assert list(store.browse.item_ids(Filter(date_to="2021-12"), "alice")) == [1, 2, 3]
    assert list(store.browse.item_ids(Filter(search="sanctions"), "alice")) == [2]
    assert list(store.browse.item_ids(Filter(search='AND " NEAR('), "alice")) == []  # typed text is never query syntax
    assert store.browse.count(Filter(status="unlabelled"), "alice") == 3
    assert store.browse.count_labelled(Filter(outlet="Reuters"), "alice") == 1


def test_next_unlabelled_wraps_and_progress_counts_one_coder(store: Store) -> None:
    mark_done(store, 2, "alice")
    store.labels.set(3, "alice", "tone", "firm")
    assert store.browse.next_unlabelled(Filter(), "alice", 1) == 4
    assert store.browse.next_unlabelled(Filter(), "alice", 5) == 1
    assert store.browse.next_unlabelled(Filter(status="labelled"), "alice", 1) is None
    store.labels.add_seconds(3, "alice", 30.0)
    assert store.browse.progress("alice") == {"labelled": 2, "seconds": 30.0}
    assert store.browse.progress("bob") == {"labelled": 0, "seconds": 0.0}
    assert store.items.count() == 5
    assert store.items.position(4) == (1, 2)
    before, after = store.items.context(2, before=2, after=2)
    assert [i["id"] for i in before] == [1] and [i["id"] for i in after] == [3]
    rows = store.browse.list_rows([2, 3], "alice")
    assert rows[2][:4] == ("2021-12-09", "AFP", "Wang Wenbin", "done") and rows[3][3] == "labelled"
    # the list's start of the question, and this coder's own labels only
    assert rows[2].question == store.items.get(2)["question"][:90]
    assert dict(rows[2].labels) == store.labels.annotation(2, "alice").labels and rows[2].labels
    reuters = next(g for g in store.items.names(OUTLET) if g.name == "Reuters")
    assert (reuters.spellings, reuters.count) == (("Reuters",), 2)


def test_a_vanished_file_is_refused_rather_than_written_into_nothing(store: Store) -> None:
    store.ensure_present()
    store.path.rename(store.path.with_name("gone.db"))
    with pytest.raises(AnnotatorError, match="vanished"):
        store.ensure_present()


def test_filter_round_trip_and_fts_quoting() -> None:
    f = Filter(status="unlabelled", outlet="Reuters", search="a b")
    assert Filter.from_dict(f.to_dict()) == f and not f.is_empty and Filter().is_empty
    assert fts_query(' say "no" ') == '"say" """no"""'
    with pytest.raises(ValueError):
        Filter(date_from="yesterday")


@pytest.mark.parametrize("text", ["2020-13-45", "2021-02-30", "2021-00", "2021-1-5"])
def test_a_date_the_calendar_has_not_is_no_filter_date(text: str) -> None:
    # "2020-13-45" had the shape of a date and filtered as a string: from it, every item of 2021 on
    assert not is_date(text)
    with pytest.raises(ValueError):
        Filter(date_from=text)


@pytest.mark.parametrize("text", ["2021", "2021-12", "2021-12-09", "2024-02-29"])
def test_a_year_a_month_or_a_day_is_a_filter_date(text: str) -> None:
    assert is_date(text) and Filter(date_to=text).date_to == text


@pytest.mark.parametrize("words", ["中方", "美国", "台湾", "美国 中方"])
def test_a_chinese_word_is_found_inside_the_clause_that_holds_it(tmp_path, corpus, words) -> None:
    db = new_project(tmp_path / "zh.db", real_files(corpus, "mfa-zh", 3) + real_files(corpus, "mfa-en", 1))
    with Store(db) as store:
        texts = {i: q + "\n" + a for i, q, a in store.db.execute("SELECT id, question, answer FROM items")}
        found = set(store.browse.item_ids(Filter(search=words), "alice"))
    want = {i for i, t in texts.items() if all(w in t for w in words.split())}
    assert found == want and found  # each word, anywhere in a clause


def test_a_label_filter_is_described_by_its_own_scheme() -> None:
    assert Filter(option="tone:firm").describe() == "tone: firm"
    assert Filter(option="question_stance:neutral").describe() == "question stance: neutral"
    assert Filter(status="unlabelled", option="topics:taiwan").describe() == "unlabelled · topics: taiwan"


def test_a_filter_saved_by_an_earlier_version_keeps_its_option() -> None:
    # the option filter was once called "topic", though it takes an option of any scheme
    saved = {"topic": "tone:firm", "status": "labelled"}
    assert Filter.from_dict(saved) == Filter(option="tone:firm", status="labelled")
    assert Filter(option="tone:firm").to_dict() == {"option": "tone:firm"}


def test_one_spokesperson_or_outlet_is_one_filter_in_both_languages(tmp_path, corpus) -> None:
    """A project of English and Chinese pages offers "Hua Chunying" once, not beside "华春莹", and
    "AFP" once for "AFP", "Agence France-Presse" and "法新社"; each filter finds every spelling."""
    db = new_project(tmp_path / "both.db", real_files(corpus, "mfa-en", 30, every=2) + real_files(corpus, "mfa-zh", 26, every=2))
    with Store(db) as store:
        def ids_where(column: str, values: tuple[str, ...]) -> set[int]:
            marks = ", ".join("?" * len(values))
            return {r[0] for r in store.db.execute(f"SELECT id FROM items WHERE {column} IN ({marks})", values)}

        people = {g.name: g for g in store.items.names(SPOKESPERSON)}
        assert "华春莹" not in people and set(people["Hua Chunying"].spellings) == {"Hua Chunying", "华春莹"}
        hua = ids_where("spokesperson_norm", ("Hua Chunying", "华春莹"))
        assert people["Hua Chunying"].count == len(hua) and people["Hua Chunying"].label == "Hua Chunying · 华春莹"
        assert set(store.browse.item_ids(Filter(spokesperson="Hua Chunying"), "alice")) == hua
        assert set(store.browse.item_ids(Filter(spokesperson="华春莹"), "alice")) == hua  # a filter saved before
        outlets = {g.name: g for g in store.items.names(OUTLET)}
        assert "法新社" not in outlets and {"AFP", "法新社"} <= set(outlets["AFP"].spellings)
        afp = ids_where("outlet_norm", outlets["AFP"].spellings)
        assert afp == ids_where("outlet_norm", ("AFP", "Agence France-Presse", "法新社")) and len(afp) > 2
        assert set(store.browse.item_ids(Filter(outlet="AFP"), "alice")) == afp
        assert store.browse.count(Filter(outlet="AFP", spokesperson="Hua Chunying"), "alice") == len(afp & hua)
        assert store.browse.next_unlabelled(Filter(outlet="AFP"), "alice", 0) == min(afp)
        # an outlet neither table knows is its own entry, as the importer normalised it
        assert sum(g.count for g in outlets.values()) == store.db.execute(
            "SELECT count(*) FROM items WHERE outlet_norm IS NOT NULL").fetchone()[0]
