"""A project's English and Chinese pairs aligned at import, shown, and corrected by hand
(``core/aligning.py``, ``store.alignments``); alignment never changes an item or a label."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.core import aligning
from annotator.core.errors import AnnotatorError
from annotator.core.store import Store
from tests.helpers import bilingual_project


def _items(store: Store, language: str) -> dict[int, int]:
    """{seq: item id} of the question-answer pairs of the project's page in ``language``."""
    return dict(store.connection.execute(
        "SELECT i.seq, i.id FROM items i JOIN sources s ON s.id = i.source_id"
        " WHERE s.language = ? AND i.kind = 'qa' ORDER BY i.seq", [language]).fetchall())


def _dump(db: Path) -> list:
    """Every item and label row, to show they did not change."""
    with sqlite3.connect(db) as conn:
        return [conn.execute("SELECT * FROM items ORDER BY id").fetchall(),
                conn.execute("SELECT * FROM labels ORDER BY item_id, coder, scheme").fetchall(),
                conn.execute("SELECT * FROM label_events ORDER BY id").fetchall()]


@pytest.fixture(scope="session")
def _bilingual(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Path:
    return bilingual_project(tmp_path_factory.mktemp("aligning") / "bilingual.db", corpus)


@pytest.fixture
def bilingual(_bilingual: Path, tmp_path: Path) -> Path:
    from tests.helpers import copy_project

    return copy_project(_bilingual, tmp_path / "bilingual.db")


def test_the_import_aligns_a_conference_of_both_languages(bilingual: Path):
    with Store(bilingual) as store:
        en, zh = _items(store, "en"), _items(store, "zh")
        assert store.alignments.counts() == {"auto": 12}
        # The English asks the leaked-report exchange in three turns, the Chinese in one.
        for seq in (2, 3, 4):
            found = aligning.counterparts(store, en[seq])
            assert found["language"] == "en"
            assert [r["item"]["id"] for r in found["rows"]] == [zh[2]]
        merged = aligning.counterparts(store, zh[2])["rows"]
        assert [r["item"]["id"] for r in merged] == [en[2], en[3], en[4]]
        assert all(0 < r["confidence"] <= 1 and r["method"] == "auto" for r in merged)
        assert aligning.counterparts(store, en[11])["rows"][0]["item"]["id"] == zh[9]


def test_importing_again_aligns_a_conference_an_interrupted_import_left_unaligned(bilingual: Path, corpus: Path):
    from annotator.core.import_run import import_paths
    from tests.helpers import BILINGUAL_PAGES

    pages = [corpus / "real" / name for name in BILINGUAL_PAGES["2019-03-26"]]
    with Store(bilingual) as store:
        aligned = _rows(store, "auto")
        again = import_paths(store, pages)  # every page is already here, and aligned
        assert len(again.duplicate_files) == 2 and again.aligned == 0
        assert _rows(store, "auto") == aligned
    with sqlite3.connect(bilingual) as conn:  # as an import killed before its aligning leaves it
        conn.execute("DELETE FROM alignments")
    with Store(bilingual) as store:
        again = import_paths(store, pages)
        assert len(again.duplicate_files) == 2 and again.aligned == 12
        assert _rows(store, "auto") == aligned


def test_a_hand_correction_replaces_the_items_links_and_is_kept_on_realigning(bilingual: Path):
    before = _dump(bilingual)
    with Store(bilingual) as store:
        en, zh = _items(store, "en"), _items(store, "zh")
        result = aligning.align_by_hand(store, str(en[4]), str(zh[3]), "lead")
        assert result["before"] == [store.items.get(zh[2])["uid"]]
        assert result["after"] == [store.items.get(zh[3])["uid"]]
        rows = aligning.counterparts(store, en[4])["rows"]
        assert [(r["item"]["id"], r["method"], r["decided_by"]) for r in rows] == [(zh[3], "hand", "lead")]
        # The aligner's link of the Chinese item went with it: English 5 has none now.
        assert aligning.counterparts(store, en[5])["rows"] == []
        aligning.align_by_hand(store, store.items.get(en[3])["uid"], None, "bob")  # by uid, and "none"
        assert [r["item"] for r in aligning.counterparts(store, en[3])["rows"]] == [None]
        # The aligner runs again (another import, align --all): the coder's rows stay as they are.
        aligning.align_conferences(store, [aligning.counterparts(store, en[0])["conference"]])
        assert [r["method"] for r in aligning.counterparts(store, en[4])["rows"]] == ["hand"]
        assert [r["item"] for r in aligning.counterparts(store, en[3])["rows"]] == [None]
        assert [e["coder"] for e in store.alignments.events()] == ["lead", "bob"]
        assert aligning.counterparts(store, en[5])["rows"] == []
        assert store.alignments.counts() == {"auto": 9, "hand": 2}
    assert _dump(bilingual) == before  # no item, label or label event touched


def test_bad_corrections_are_one_line_and_change_nothing(bilingual: Path, corpus: Path, tmp_path: Path):
    mono = bilingual_project(tmp_path / "mono.db", corpus, dates=(),
                             extra=[corpus / "real" / "mfa-en" / "2018-05-14_presser_t1559310.html"])
    with Store(mono) as store:
        lone = next(iter(_items(store, "en").values()))
        with pytest.raises(AnnotatorError, match="has no Chinese version; nothing to align it with"):
            aligning.align_by_hand(store, str(lone), None, "lead")
    with Store(bilingual) as store:
        en, zh = _items(store, "en"), _items(store, "zh")
        statement = store.connection.execute("SELECT id FROM items WHERE kind = 'statement' LIMIT 1").fetchone()
        cases = [
            ((str(en[0]), str(en[1])), "are both English; align a pair with one of the other language"),
            (("99999", str(zh[0])), "no item '99999'"),
            ((str(en[0]), "nonsense"), "no item 'nonsense'"),
        ]
        if statement is not None:
            cases.append(((str(statement[0]), str(zh[0])), "only question-answer pairs are aligned"))
        before = store.connection.execute("SELECT * FROM alignments ORDER BY id").fetchall()
        for (item, other), problem in cases:
            with pytest.raises(AnnotatorError, match=problem) as caught:
                aligning.align_by_hand(store, item, other, "lead")
            assert "\n" not in str(caught.value)
        with pytest.raises(AnnotatorError):
            aligning.align_by_hand(store, str(en[0]), str(zh[0]), "")  # no coder named
        assert store.connection.execute("SELECT * FROM alignments ORDER BY id").fetchall() == before
        assert store.alignments.events() == []


def test_an_item_merged_away_leaves_with_its_links(bilingual: Path):
    with Store(bilingual) as store:
        en = _items(store, "en")
        store.corrections.merge_next(en[3], "lead")  # 4 ("I don't know.") joins 3
        assert aligning.counterparts(store, en[4]) == {"language": None, "conference": None, "rows": []}
        assert store.connection.execute("SELECT count(*) FROM alignments WHERE english_id = ?",
                                        [en[4]]).fetchone()[0] == 0


def _rows(store: Store, method: str) -> set[tuple]:
    return set(store.connection.execute(
        "SELECT english_id, chinese_id, confidence, decided_by FROM alignments WHERE method = ?", [method]))


def test_link_and_unlink_align_the_conferences_they_touch_again_and_keep_hand_links(bilingual: Path):
    from annotator.core import relinking

    before = _dump(bilingual)
    with Store(bilingual) as store:
        en, zh = _items(store, "en"), _items(store, "zh")
        conference = aligning.counterparts(store, en[0])["conference"]
        aligning.align_by_hand(store, str(en[4]), str(zh[3]), "lead")
        hand, auto = _rows(store, "hand"), _rows(store, "auto")
        assert len(hand) == 1 and len(auto) == 10
        chinese = next(s for s in store.conferences.sources(conference) if s.language == "zh")

        out = relinking.unlink(store, chinese.name, "lead")
        # Both conferences are one language now: none of the aligner's links is left, the coder's is.
        assert out["aligned"] == 0 and _rows(store, "auto") == set() and _rows(store, "hand") == hand
        assert out["hand_across"] == 1
        assert out["line"].endswith("; 0 English-Chinese pairs aligned again; 1 hand alignment kept across"
                                    " two conferences (annotator align ITEM shows them)")
        assert aligning.counterparts(store, en[0])["rows"] == []

        back = relinking.link(store, chinese.name, conference, "lead")
        # Back in one conference: the aligner's links as they were, the coder's untouched.
        assert back["aligned"] == 10 and back["hand_across"] == 0
        assert {r[:2] for r in _rows(store, "auto")} == {r[:2] for r in auto} and _rows(store, "hand") == hand
        assert [e.action for e in store.conferences.events()] == ["unlink", "link"]
    assert _dump(bilingual) == before  # no item, label or label event touched


def test_a_refused_link_leaves_the_alignment_as_it_was(bilingual: Path):
    from annotator.core import relinking

    with Store(bilingual) as store:
        en = _items(store, "en")
        conference = aligning.counterparts(store, en[0])["conference"]
        english = next(s for s in store.conferences.sources(conference) if s.language == "en")
        rows = store.connection.execute("SELECT * FROM alignments ORDER BY id").fetchall()
        for call in (lambda: relinking.link(store, english.name, "1999-01-01-foreign-ministry-press-conference", "lead"),
                     lambda: relinking.link(store, english.name, conference, "lead"),
                     lambda: relinking.unlink(store, english.name, "")):
            with pytest.raises(AnnotatorError):
                call()
        assert store.connection.execute("SELECT * FROM alignments ORDER BY id").fetchall() == rows
        assert store.conferences.events() == []


def _auto_across(store: Store) -> int:
    """The aligner's links between items of two different conferences."""
    return store.connection.execute(
        """SELECT count(*) FROM alignments a
           JOIN items e ON e.id = a.english_id JOIN sources se ON se.id = e.source_id
           JOIN items z ON z.id = a.chinese_id JOIN sources sz ON sz.id = z.source_id
           WHERE a.method = 'auto' AND se.conference_id != sz.conference_id""").fetchone()[0]


def test_a_merge_replaying_a_coders_link_aligns_the_conferences_it_touches_again(corpus: Path, tmp_path: Path):
    from annotator.core import relinking
    from annotator.core.merge import merge_files
    from tests.helpers import copy_project

    lead = bilingual_project(tmp_path / "lead.db", corpus, dates=("2019-03-26", "2020-06-02"))
    with Store(lead) as store:
        first, second = (c.id for c in store.conferences.listing())
        chinese = next(s for s in store.conferences.sources(first) if s.language == "zh")
        english = next(s for s in store.conferences.sources(first) if s.language == "en")
        en_first = [i for i, in store.connection.execute(
            "SELECT id FROM items WHERE source_id = ? AND kind = 'qa' ORDER BY seq", [english.id])]
        zh_first = [i for i, in store.connection.execute(
            "SELECT id FROM items WHERE source_id = ? AND kind = 'qa' ORDER BY seq", [chinese.id])]
        aligning.align_by_hand(store, str(en_first[4]), str(zh_first[3]), "lead")
        hand = _rows(store, "hand")
    coder = copy_project(lead, tmp_path / "coder.db")
    local = copy_project(lead, tmp_path / "local.db")
    with Store(coder) as store:
        relinking.link(store, chinese.name, second, "carol")  # the coder puts the Chinese page in the other briefing
    with Store(local) as store:
        relinking.link(store, chinese.name, second, "lead")  # the same correction made here, for comparison
        expected = {r[:2] for r in _rows(store, "auto")}

    with Store(lead) as store:
        before_auto = _rows(store, "auto")
        [summary] = merge_files(store, [coder], backup=False)[1]
        assert store.conferences.of_source(chinese.id) == second
        assert _auto_across(store) == 0  # no link of the aligner's left between two conferences
        # The moved page is aligned within its new conference, as a local --link aligns it.
        moved = {r[:2] for r in _rows(store, "auto") if r[1] in zh_first}
        assert moved and all(store.conferences.of_item(e) == second for e, _z in moved)
        assert {r[:2] for r in _rows(store, "auto")} == expected != {r[:2] for r in before_auto}
        assert _rows(store, "hand") == hand  # the coder's hand alignment untouched, now across two
        assert summary.hand_across == 1 and summary.pairs_realigned == len(expected)
        assert "English-Chinese pairs aligned again" in summary.line()
        assert "1 hand alignment kept across two conferences" in summary.line()
        again = merge_files(store, [coder], backup=False)[1][0]  # twice changes nothing
        assert again.pairs_realigned == 0 and {r[:2] for r in _rows(store, "auto")} == expected
