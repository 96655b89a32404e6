"""Corrections of the importer's items: split, merge, move, edit, flag; history, undo, merge."""

from __future__ import annotations

import json

import pytest

from annotator.core.corrections import correct
from annotator.core.errors import AnnotatorError
from annotator.core.merge import merge_files
from annotator.core.names import normalise_name
from annotator.core.store import Store
from tests.helpers import copy_project, mark_done, new_project, wrongly_split_source


@pytest.fixture(scope="module")
def _wrong(tmp_path_factory, corpus):
    return new_project(tmp_path_factory.mktemp("wrong") / "wrong.db", [wrongly_split_source(corpus)])


@pytest.fixture
def wrong(_wrong, tmp_path):
    return copy_project(_wrong, tmp_path / "project.db")


def _items(store):
    return [store.items.get(i) for i, in store.connection.execute("SELECT id FROM items ORDER BY seq")]


def _truth(corpus):
    from annotator.core.importers import parse_file
    from tests.helpers import WRONG_PAGE

    return [(i.question, i.answer) for i in parse_file(corpus / WRONG_PAGE).items]


def test_merging_a_cut_answer_back_and_splitting_a_run_in_pair_give_the_page_s_pairs(wrong, corpus) -> None:
    with Store(wrong) as store:
        items = _items(store)
        assert items[1]["answer"] == "" and items[2]["question"] == ""
        uids = [it["uid"] for it in items]
        store.corrections.merge_next(items[1]["id"], "lead")
        joined = _items(store)[3]
        n_answer = len(joined["answer"].split("\n\n"))
        store.corrections.split(joined["id"], "lead", 1 + n_answer - 1)  # the next pair's question
        got = [(it["question"], it["answer"]) for it in _items(store)]
        assert got == _truth(corpus)
        now = [it["uid"] for it in _items(store)]
        # every item not corrected keeps its uid; the corrected ones keep theirs, the split adds one
        assert now[:2] == uids[:2] and now[2:4] == uids[3:5] and now[5:] == uids[5:]
        assert store.corrections.successors() == {uids[2]: uids[1]}
        assert [r["op"] for r in store.corrections.listing()] == ["merge", "split"]
        seqs = [it["seq"] for it in _items(store)]
        assert seqs == list(range(len(seqs)))
        # the full-text index follows the text
        hit = store.connection.execute("SELECT count(*) FROM items_fts WHERE items_fts MATCH ?",
                                       ['"' + got[4][0].split()[3] + '"']).fetchone()[0]
        assert hit >= 1


def test_labels_on_merged_items_are_carried_kept_aside_and_marked_to_look_again(wrong) -> None:
    with Store(wrong) as store:
        first, second = _items(store)[1:3]
        store.labels.set(first["id"], "alice", "tone", "neutral")
        store.labels.set(second["id"], "alice", "tone", "firm")
        store.labels.set(second["id"], "alice", "rhetoric", ["criticism"])
        store.labels.set_note(second["id"], "alice", "the answer got cut")
        mark_done(store, first["id"], "alice")  # rhetoric: an explicit [] on the first part
        store.labels.set(second["id"], "bob", "tone", "warm")  # bob coded only the second part
        result = store.corrections.merge_next(first["id"], "lead")
        ann = store.labels.annotation(first["id"], "alice")
        assert ann.labels["tone"] == "neutral"  # the first item's own value stays
        assert ann.labels["rhetoric"] == []  # the first item's own value stays
        assert store.labels.annotation(first["id"], "bob").labels == {"tone": "warm"}  # carried: none there
        assert ann.note == "the answer got cut"
        assert not ann.done  # to look at again
        assert store.corrections.to_look_at() == [(first["id"], "alice"), (first["id"], "bob")]
        record = store.corrections.listing()[0]["record"]
        assert ["alice", "tone", "firm"] in record["kept_aside"]  # never silently lost
        assert ["alice", "rhetoric", ["criticism"]] in record["kept_aside"]
        assert store.items.get(second["id"]) is None
        actions = {e["action"] for e in store.labels.history(item_id=first["id"])}
        assert "correct" in actions
        assert result["item_id"] == first["id"]
        # undo brings the absorbed item back with its labels, and the first item as it was
        store.corrections.undo("lead")
        back = store.items.id_for_uid(second["uid"])
        assert back is not None
        assert store.labels.annotation(back, "alice").labels == {"tone": "firm", "rhetoric": ["criticism"]}
        assert store.labels.annotation(first["id"], "alice").labels["rhetoric"] == []
        assert "tone" not in store.labels.annotation(first["id"], "bob").labels
        assert store.labels.annotation(back, "bob").labels == {"tone": "warm"}
        assert store.items.get(first["id"])["answer"] == ""
        assert store.corrections.successors() == {}


def test_undoing_a_merge_or_a_split_gives_the_items_back_their_gold_and_done_marks(wrong) -> None:
    with Store(wrong) as store:
        first, second = _items(store)[1:3]
        for item in (first, second):
            store.labels.set(item["id"], "alice", "tone", "neutral")
            store.labels.set(item["id"], "alice", "topics", ["other"])
            store.labels.set(item["id"], "alice", "question_stance", "neutral")
            mark_done(store, item["id"], "alice")
        store.gold.set(second["id"], "tone", "warm", "lead", method="unanimous")  # the second item's own
        store.corrections.merge_next(first["id"], "lead")
        assert store.gold.of(first["id"])["tone"]["value"] == "warm"  # carried: the first had none
        store.corrections.undo("lead")
        back = store.items.id_for_uid(second["uid"])
        assert store.gold.of(back)["tone"]["value"] == "warm"  # back on its own item
        assert "tone" not in store.gold.of(first["id"])  # and not left on the other
        assert store.labels.annotation(first["id"], "alice").done
        assert store.labels.annotation(back, "alice").done
        long = next(it for it in _items(store) if "\n\n" in it["answer"])
        store.labels.set(long["id"], "bob", "tone", "firm")
        store.labels.set(long["id"], "bob", "topics", ["other"])
        store.labels.set(long["id"], "bob", "question_stance", "neutral")
        mark_done(store, long["id"], "bob")
        store.corrections.split(long["id"], "lead", 3)
        assert not store.labels.annotation(long["id"], "bob").done  # to look at again
        store.corrections.undo("lead")
        assert store.labels.annotation(long["id"], "bob").done


def test_the_item_list_shows_each_coder_what_to_look_at_again_until_they_mark_it_done(wrong) -> None:
    from annotator.core.filters import Filter

    again = Filter(status="look again")
    with Store(wrong) as store:
        first, second, third = _items(store)[1:4]
        store.labels.set(first["id"], "alice", "tone", "neutral")
        mark_done(store, first["id"], "alice")
        store.labels.set(third["id"], "alice", "tone", "firm")  # not touched by the merge
        store.labels.set(second["id"], "bob", "tone", "warm")
        assert list(store.browse.item_ids(again, "alice")) == []
        store.corrections.merge_next(first["id"], "lead")
        rows = store.browse.list_rows([first["id"], third["id"]], "alice")
        assert rows[first["id"]].status == "look again" and rows[third["id"]].status == "labelled"
        assert store.browse.list_rows([first["id"]], "bob")[first["id"]].status == "look again"
        assert store.browse.list_rows([first["id"]], "carol")[first["id"]].status == ""  # never coded it
        assert list(store.browse.item_ids(again, "alice")) == [first["id"]] == list(store.browse.item_ids(again, "bob"))
        assert store.browse.count(again, "carol") == 0
        # alice looks, and marks it done: no longer to look at, for her; bob still has it
        mark_done(store, first["id"], "alice")
        assert store.browse.list_rows([first["id"]], "alice")[first["id"]].status == "done"
        assert list(store.browse.item_ids(again, "alice")) == []
        assert store.corrections.to_look_at() == [(first["id"], "bob")]
        # undoing her done mark is her own change, not the correction's: it does not come back
        store.labels.undo("alice")
        assert store.browse.list_rows([first["id"]], "alice")[first["id"]].status == "labelled"
        assert store.corrections.to_look_at() == [(first["id"], "bob")]
        # flagged too: both words
        store.labels.set_flag(first["id"], "bob", True)
        assert store.browse.list_rows([first["id"]], "bob")[first["id"]].status == "look again, unsure"
        assert Filter(status="look again").describe() == "look again"


def test_move_edit_flag_and_undo(wrong) -> None:
    with Store(wrong) as store:
        item = _items(store)[0]
        before = (item["question"], item["answer"])
        said = store.corrections.move(item["id"], "lead", 2)
        assert said["line"] == f"item {item['id']}: the first 2 paragraphs are the question"  # not "paragraph(s)"
        moved = store.items.get(item["id"])
        assert moved["question"].count("\n\n") == 1 and moved["uid"] == item["uid"]
        store.corrections.edit(item["id"], "lead", outlet="Reuters", date="2018-05-16")
        edited = store.items.get(item["id"])
        assert (edited["outlet"], edited["outlet_norm"], edited["date"]) == ("Reuters", normalise_name("Reuters"), "2018-05-16")
        store.corrections.flag(item["id"], "bob", "the question is cut short")
        assert [r["args"]["note"] for r in store.corrections.listing(op="flag")] == ["the question is cut short"]
        store.corrections.undo("lead")
        store.corrections.undo("lead")
        back = store.items.get(item["id"])
        assert (back["question"], back["answer"], back["outlet"], back["date"]) == (*before, item["outlet"], item["date"])
        assert store.corrections.undo("lead") is None


@pytest.mark.parametrize("call, problem", [
    (lambda s, i: s.corrections.split(i, "lead", 1), "cannot split at paragraph 1"),
    (lambda s, i: s.corrections.split(i, "lead", 99), "cannot split at paragraph 99"),
    (lambda s, i: s.corrections.move(i, "lead", 50), "cannot hold 50 paragraphs"),
    (lambda s, i: s.corrections.edit(i, "lead", date="May 5"), "is not a date"),
    (lambda s, i: s.corrections.edit(i, "lead", kind="qa"), "cannot be edited"),
    (lambda s, i: s.corrections.flag(i, "bob", " "), "say what is wrong"),
    (lambda s, i: s.corrections.split(10_000, "lead", 2), "no item with id 10000"),
])
def test_a_bad_correction_is_one_line_and_changes_nothing(wrong, call, problem) -> None:
    with Store(wrong) as store:
        item = _items(store)[0]["id"]
        before = _items(store)
        with pytest.raises(AnnotatorError, match=problem):
            call(store, item)
        assert _items(store) == before and store.corrections.listing() == []


def test_the_last_item_cannot_merge_and_correct_names_one_thing(wrong) -> None:
    with Store(wrong) as store:
        last = _items(store)[-1]
        with pytest.raises(AnnotatorError, match="last of its conference"):
            store.corrections.merge_next(last["id"], "lead")
        with pytest.raises(AnnotatorError, match="give one of"):
            correct(store, str(last["id"]), "lead", split=2, merge_next=True)
        with pytest.raises(AnnotatorError, match="no item 'nope'"):
            correct(store, "nope", "lead", merge_next=True)


def test_a_coder_s_correction_and_labels_reach_the_lead_and_two_copies_agree(wrong, tmp_path) -> None:
    alice, bob = tmp_path / "alice.db", tmp_path / "bob.db"
    wrong_before = copy_project(wrong, tmp_path / "before.db")
    old_labels = tmp_path / "old.jsonl"
    copy_project(wrong, alice)
    copy_project(wrong, bob)
    with Store(wrong) as lead:
        first, second = _items(lead)[1:3]
    with Store(bob) as store:  # bob labels the cut-off part before anyone corrects
        store.labels.set(second["id"], "bob", "tone", "firm")
    from annotator.core.export import ExportOptions, export
    with Store(bob, readonly=True) as store:
        export(store, ExportOptions(labels_file=True), str(old_labels))
    for path, coder in ((alice, "alice"), (bob, "bob")):
        with Store(path) as store:
            store.labels.set(first["id"], coder, "tone", "neutral" if coder == "alice" else "firm")
            store.corrections.merge_next(first["id"], coder)
            store.labels.set(first["id"], coder, "topics", ["taiwan"])
    with Store(wrong) as lead:
        merge_files(lead, [alice, bob], backup=False)
        assert len(lead.corrections.listing()) == 1  # the same correction, made twice: one
        merged = _items(lead)
        assert merged[1]["uid"] == first["uid"] and merged[1]["answer"]
        assert all(it["uid"] != second["uid"] for it in merged)  # not brought back by a copy made before
        labels = {c: lead.labels.annotation(merged[1]["id"], c).labels for c in ("alice", "bob")}
        assert labels["alice"] == {"tone": "neutral", "topics": ["taiwan"]}
        assert labels["bob"]["topics"] == ["taiwan"] and labels["bob"]["tone"] == "firm"
        # a label file made before the correction merges onto the item that holds its text now
        other = copy_project(wrong_before, tmp_path / "other.db")
        with Store(other) as store:
            store.corrections.merge_next(first["id"], "lead")
            summary = merge_files(store, [old_labels], backup=False)[1][0]
            assert summary.unmatched == 0 and summary.labels_added == 1
            assert store.labels.annotation(first["id"], "bob").labels == {"tone": "firm"}
        # merging again changes nothing
        n = lead.items.count()
        again = merge_files(lead, [alice, bob], backup=False)[1]
        assert lead.items.count() == n and all(s.corrections_applied == 0 for s in again)
        assert json.dumps(lead.corrections.listing()[0]["args"]) == "{}"


def _coded_then_split(wrong, tmp_path):
    """carol codes an item on her copy and marks it done; alice codes it on hers, splits it, and
    marks the corrected item done again; each one's label file too. Returns (item id, the files)."""
    from annotator.core.export import ExportOptions, export

    alice, carol = copy_project(wrong, tmp_path / "alice.db"), copy_project(wrong, tmp_path / "carol.db")
    with Store(wrong) as lead:
        item = _items(lead)[3]
    with Store(carol) as store:
        mark_done(store, item["id"], "carol")
        export(store, ExportOptions(selection="coder", coder="carol", labels_file=True), tmp_path / "carol.jsonl")
    with Store(alice) as store:
        mark_done(store, item["id"], "alice")
        store.corrections.split(item["id"], "alice", 2)
        mark_done(store, item["id"], "alice")  # she looked again after her split
        export(store, ExportOptions(selection="coder", coder="alice", labels_file=True), tmp_path / "alice.jsonl")
    return item["id"], {"alice.db": alice, "carol.db": carol, "alice.jsonl": tmp_path / "alice.jsonl",
                        "carol.jsonl": tmp_path / "carol.jsonl"}


@pytest.mark.parametrize("order", [
    ("carol.db", "alice.db"),
    ("alice.db", "carol.db"),                  # the split came before carol's labels, which predate it
    ("alice.db", "carol.jsonl"),               # the same, from her label file (merged in bulk)
    ("alice.jsonl", "carol.db", "alice.db"),   # alice's own later done mark came before her split
])
def test_who_looks_again_after_a_split_does_not_depend_on_the_order_of_the_merge(wrong, tmp_path, order) -> None:
    item_id, files = _coded_then_split(wrong, tmp_path)
    with Store(wrong) as lead:
        merge_files(lead, [files[name] for name in order], backup=False)
        # carol coded the whole item before it was split: she looks again; alice, who split it and
        # marked it done after, does not
        assert lead.corrections.to_look_at() == [(item_id, "carol")]
        assert lead.labels.value_of(item_id, "alice", "@done") is True
        assert lead.labels.value_of(item_id, "carol", "@done") is False
        merge_files(lead, [files[name] for name in order], backup=False)  # and again: the same
        assert lead.corrections.to_look_at() == [(item_id, "carol")]


def test_a_coder_s_label_file_carries_her_corrections_and_the_labels_of_the_part_a_split_made(wrong, tmp_path) -> None:
    from annotator.core.export import ExportOptions, export
    from tests.helpers import read_jsonl

    alice = copy_project(wrong, tmp_path / "alice.db")
    with Store(wrong) as lead:
        item = _items(lead)[3]
    with Store(alice) as store:
        mark_done(store, item["id"], "alice")
        new_id = store.corrections.split(item["id"], "alice", 2)["new_item_id"]
        store.labels.set(new_id, "alice", "tone", "warm")
        mark_done(store, new_id, "alice")
        part = store.items.get(new_id)
        export(store, ExportOptions(selection="coder", coder="alice", labels_file=True), tmp_path / "alice.jsonl")
    records = read_jsonl(tmp_path / "alice.jsonl")
    assert records[0]["annotator_labels"] == 3  # an older annotator refuses it rather than drop the split
    assert [r["correction"]["op"] for r in records if "correction" in r] == ["split"]
    with Store(wrong) as lead:
        _bak, [summary] = merge_files(lead, [tmp_path / "alice.jsonl"], backup=False)
        assert summary.corrections_applied == 1 and summary.unmatched == 0  # nothing "matched no item"
        merged = lead.items.id_for_uid(part["uid"])
        assert merged is not None and lead.items.get(merged)["question"] == part["question"]
        assert lead.labels.annotation(merged, "alice").labels["tone"] == "warm"
        assert lead.labels.value_of(merged, "alice", "@done") is True
        # merged again (or her copy after it): nothing new, the split made once
        _bak, [again] = merge_files(lead, [tmp_path / "alice.jsonl"], backup=False)
        assert again.corrections_applied == 0 and len(lead.corrections.listing()) == 1
        _bak, [copy] = merge_files(lead, [alice], backup=False)
        assert copy.corrections_applied == 0 and lead.items.count() == len(_items(lead))


@pytest.mark.parametrize(("change", "problem"), [
    ({"op": "explode"}, "the correction's op must be one of split, merge, move, edit, flag, undo, not 'explode'"),
    ({"args": 2}, "the correction's args must be an object, not 2"),
    ({"coder": "a/b"}, "coder name 'a/b' is not allowed"),
    ({"at": "soon"}, "the correction's 'at' must be an ISO time"),
])
def test_a_bad_correction_record_in_a_label_file_is_one_line_and_nothing_merged(wrong, tmp_path, change, problem) -> None:
    from annotator.core.export import ExportOptions, export
    from tests.helpers import read_jsonl

    alice = copy_project(wrong, tmp_path / "alice.db")
    with Store(alice) as store:
        item = _items(store)[3]
        mark_done(store, item["id"], "alice")
        store.corrections.split(item["id"], "alice", 2)
        export(store, ExportOptions(selection="coder", coder="alice", labels_file=True), tmp_path / "alice.jsonl")
    records = read_jsonl(tmp_path / "alice.jsonl")
    records[1]["correction"].update(change)
    (tmp_path / "alice.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    with Store(wrong) as lead:
        before = lead.items.count()
        with pytest.raises(AnnotatorError, match="line 2: ") as e:
            merge_files(lead, [tmp_path / "alice.jsonl"], backup=False)
        assert problem in str(e.value) and "\n" not in str(e.value)
        assert lead.items.count() == before and lead.corrections.listing() == []


def test_the_part_a_split_makes_stays_in_the_assignment_and_the_reliability_sample(wrong) -> None:
    from annotator.core.filters import Filter

    mine = Filter(assigned=True)
    with Store(wrong) as store:
        first, item = _items(store)[1], _items(store)[3]
        store.assignments.set([(first["id"], "alice"), (item["id"], "alice"), (item["id"], "carol")])
        part = store.corrections.split(item["id"], "alice", 2)["new_item_id"]
        # alice works in "Only items assigned to me": the part she split off is hers to code, and
        # carol's too, in the reliability sample (so no suggestion is shown on it)
        assert part in store.browse.item_ids(mine, "alice") and part in store.browse.item_ids(mine, "carol")
        assert store.assignments.in_overlap(part)
        store.corrections.undo("alice")         # the split undone: the part goes, and its rows
        assert sorted(store.assignments.item_ids("carol")) == [item["id"]]
        nxt = _items(store)[2]
        store.assignments.set([(nxt["id"], "bob")], replace=False)
        store.corrections.merge_next(first["id"], "alice")
        assert store.assignments.item_ids("bob") == [first["id"]]  # the merged item is bob's too
        store.corrections.undo("alice")         # the merge undone: the item it brings back is bob's again
        assert store.assignments.item_ids("bob") == [store.items.id_for_uid(nxt["uid"])]
