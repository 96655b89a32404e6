"""The project database: labels with history, undo/redo, sources, concurrent readers."""

from __future__ import annotations

import os
import sqlite3

import pytest

from annotator.core.errors import AnnotatorError, Incomplete
from annotator.core.importers.prepared import prepare
from annotator.core.items import ITEM_ROW_COLUMNS
from annotator.core.store import Store
from tests.helpers import sample_source


def test_every_change_writes_label_and_history_together(store: Store) -> None:
    change = store.labels.toggle(2, "alice", "topics", "taiwan", seconds=1.5)
    assert change is not None and change.before is None and change.after == ["taiwan"]
    store.labels.toggle(2, "alice", "topics", "trade_sanctions")
    store.labels.set(2, "alice", "tone", "firm")
    ann = store.labels.annotation(2, "alice")
    # multi-choice values keep the codebook's option order, whatever the click order
    assert ann.labels == {"topics": ["taiwan", "trade_sanctions"], "tone": "firm"}
    assert ann.seconds == pytest.approx(1.5)
    events = store.labels.history(item_id=2)
    assert [(e["field"], e["before"], e["after"], e["action"]) for e in events] == [
        ("topics", None, ["taiwan"], "set"),
        ("topics", ["taiwan"], ["taiwan", "trade_sanctions"], "set"),
        ("tone", None, "firm", "set"),
    ]


def test_unchanged_value_writes_no_event(store: Store) -> None:
    store.labels.set(2, "alice", "tone", "firm")
    assert store.labels.set(2, "alice", "tone", "firm") is None
    assert len(store.labels.history(item_id=2)) == 1


def test_single_choice_toggle_clears_when_chosen_again(store: Store) -> None:
    store.labels.toggle(2, "alice", "tone", "firm")
    store.labels.toggle(2, "alice", "tone", "firm")
    assert "tone" not in store.labels.annotation(2, "alice").labels


def test_unticking_the_last_option_is_no_label_again(store: Store) -> None:
    store.labels.toggle(2, "alice", "topics", "taiwan")
    change = store.labels.toggle(2, "alice", "topics", "taiwan")
    assert change is not None and change.after is None
    assert "topics" not in store.labels.annotation(2, "alice").labels  # the row is gone, not an empty list
    assert store.db.execute("SELECT count(*) FROM labels").fetchone()[0] == 0
    with pytest.raises(AnnotatorError, match="scheme 'topics' has no option 'nonsense'"):
        store.labels.toggle(2, "alice", "topics", "nonsense")


def test_undo_and_redo_walk_the_history_and_are_recorded(store: Store) -> None:
    store.labels.set(2, "alice", "tone", "firm")
    store.labels.set(2, "alice", "tone", "warm")
    store.labels.set_note(3, "alice", "check the date")
    assert store.labels.undo("alice").field == "@note"
    assert store.labels.annotation(3, "alice").note == ""
    store.labels.undo("alice")
    assert store.labels.annotation(2, "alice").labels["tone"] == "firm"
    store.labels.undo("alice")
    assert "tone" not in store.labels.annotation(2, "alice").labels
    assert store.labels.undo("alice") is None  # nothing left to undo
    store.labels.redo("alice")
    assert store.labels.annotation(2, "alice").labels["tone"] == "firm"
    store.labels.redo("alice")
    assert store.labels.annotation(2, "alice").labels["tone"] == "warm"
    actions = [e["action"] for e in store.labels.history(coder="alice")]
    assert actions == ["set", "set", "set", "undo", "undo", "undo", "redo", "redo"]


def test_undo_passes_over_a_change_a_correction_kept_aside_and_takes_back_the_latest_still_held(store) -> None:
    store.labels.set(2, "alice", "topics", ["taiwan"])
    store.labels.set(2, "alice", "topics", ["taiwan", "xinjiang"])
    store.labels.set(3, "alice", "topics", ["hong_kong"])
    store.corrections.merge_next(2, "alice")  # item 2 keeps its own topics; Hong Kong is kept aside
    assert store.labels.annotation(2, "alice").labels["topics"] == ["taiwan", "xinjiang"]
    store.labels.undo("alice")  # one key press back: Xinjiang, not everything Hong Kong's "before" was
    assert store.labels.annotation(2, "alice").labels["topics"] == ["taiwan"]
    store.labels.undo("alice")
    assert "topics" not in store.labels.annotation(2, "alice").labels
    assert store.labels.undo("alice") is None


def test_a_new_change_clears_the_redo_stack(store: Store) -> None:
    store.labels.set(2, "alice", "tone", "firm")
    store.labels.undo("alice")
    store.labels.set(2, "alice", "tone", "neutral")
    assert store.labels.redo("alice") is None
    assert store.labels.annotation(2, "alice").labels["tone"] == "neutral"


def test_undo_is_per_coder(store: Store) -> None:
    store.labels.set(2, "alice", "tone", "firm")
    store.labels.set(2, "bob", "tone", "warm")
    store.labels.undo("alice")
    assert "tone" not in store.labels.annotation(2, "alice").labels
    assert store.labels.annotation(2, "bob").labels["tone"] == "warm"


def test_note_flag_done_have_history(store: Store) -> None:
    for scheme, value in [("topics", ["taiwan"]), ("tone", "firm"), ("question_stance", "neutral")]:
        store.labels.set(2, "alice", scheme, value)
    store.labels.set_flag(2, "alice", True)
    store.labels.set_done(2, "alice")
    store.labels.set_note(2, "alice", "unsure about tone")
    ann = store.labels.annotation(2, "alice")
    assert (ann.flag, ann.done, ann.note) == (True, True, "unsure about tone")
    fields = [e["field"] for e in store.labels.history(item_id=2)]
    assert fields[3:] == ["@flag", "@done", "rhetoric", "@note"]  # done says "none of these" for rhetoric


def test_done_is_refused_while_a_required_scheme_has_no_value(store: Store) -> None:
    store.labels.set(2, "alice", "topics", ["taiwan"])
    with pytest.raises(Incomplete) as refused:
        store.labels.set_done(2, "alice")
    assert str(refused.value).endswith(
        "item 2 cannot be marked done: Tone of the answer ('tone'), Stance of the question ('question_stance') need a value")
    assert refused.value.scheme == "tone"
    assert not store.labels.annotation(2, "alice").done and len(store.labels.history(item_id=2)) == 1
    store.labels.set(2, "alice", "topics", [])  # an empty set is no answer to a required multi-choice scheme
    store.labels.set(2, "alice", "tone", "firm")
    store.labels.set(2, "alice", "question_stance", "neutral")
    with pytest.raises(Incomplete, match="Topics"):
        store.labels.set_done(2, "alice")
    store.labels.set(1, "alice", "topics", ["other"])  # a statement: no question, so no stance asked
    store.labels.set(1, "alice", "tone", "neutral")
    assert store.labels.set_done(1, "alice") is not None


def test_enter_is_one_operation_and_one_undo_step(store: Store) -> None:
    for scheme, value in [("topics", ["taiwan"]), ("tone", "firm"), ("question_stance", "neutral")]:
        store.labels.set(2, "alice", scheme, value)
    done = store.labels.set_done(2, "alice", seconds=4.0)
    assert done is not None and done.field == "@done"
    assert store.labels.annotation(2, "alice").labels["rhetoric"] == []
    events = store.labels.history(item_id=2)[-2:]
    assert [(e["field"], e["after"]) for e in events] == [("@done", True), ("rhetoric", [])]
    assert events[0]["operation"] == events[1]["operation"] is not None
    assert [e["seconds"] for e in events] == [4.0, 0.0]
    undone = store.labels.undo("alice")  # one key press, one step: the mark and the empty set
    assert undone is not None and undone.field == "@done"
    ann = store.labels.annotation(2, "alice")
    assert not ann.done and "rhetoric" not in ann.labels and ann.labels["tone"] == "firm"
    redone = store.labels.redo("alice")
    assert redone is not None and redone.field == "@done"
    ann = store.labels.annotation(2, "alice")
    assert ann.done and ann.labels["rhetoric"] == []
    store.labels.undo("alice")
    assert store.labels.undo("alice").field == "question_stance"  # then the change before, alone
    assert store.labels.set_done(1, "bob", False) is None  # not done, and nothing to say about it


def test_bad_values_are_refused_and_nothing_is_written(store: Store) -> None:
    with pytest.raises(AnnotatorError, match="has no option 'angry'"):
        store.labels.set(2, "alice", "tone", "angry")
    with pytest.raises(AnnotatorError, match="no scheme 'mood'"):
        store.labels.set(2, "alice", "mood", "x")
    with pytest.raises(AnnotatorError, match="multi-choice"):
        store.labels.set(2, "alice", "topics", "taiwan")
    with pytest.raises(AnnotatorError, match="no item with id 999"):
        store.labels.set(999, "alice", "tone", "firm")
    with pytest.raises(AnnotatorError, match="coder name is empty"):
        store.labels.set(2, "  ", "tone", "firm")
    assert store.labels.history() == []


def test_importing_the_same_source_twice_adds_nothing(store: Store) -> None:
    result = store.items.add_source(sample_source())
    assert result.duplicate and result.added == 0
    again = store.items.add_source(sample_source(sha="e" * 64))
    assert not again.duplicate and again.added == 5
    assert store.items.count() == 10


def test_a_prepared_source_is_stored_column_for_column(store: Store) -> None:
    source = sample_source(sha="e" * 64)
    source.items[2].meta = {"speaker": "王文斌", "page": 3}
    source.items[2].outlet = "The Global Times"
    prepared = prepare(source)
    assert prepared.source.items == [] and prepared.kinds == ["statement", "qa", "qa", "qa", "qa"]
    store.items.add_source(prepared)
    for offset, row in enumerate(prepared.rows):
        stored = store.items.get(6 + offset)
        assert tuple(stored[c] for c in ITEM_ROW_COLUMNS) == row
    assert store.items.get(8)["outlet_norm"] == "Global Times"
    assert store.items.get(8)["meta"] == '{"speaker": "王文斌", "page": 3}'


def test_adding_a_source_to_a_locked_project_is_one_clear_error(store: Store, project_path) -> None:
    blocker = sqlite3.connect(project_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        store.set_busy_timeout(0.05)
        with pytest.raises(AnnotatorError, match="locked by another program"):
            store.items.add_source(sample_source(sha="e" * 64, name="second.txt"))
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert store.items.count() == 5


def test_follow_up_links_by_uid_and_uids_are_stable(store: Store, tmp_path) -> None:
    last = store.items.get(5)
    assert last["follow_up_of"] == store.items.get(4)["uid"]
    with Store(tmp_path / "other.db", create=True) as other:
        other.items.add_source(sample_source(sha="e" * 64))
        other.items.add_source(sample_source())  # the same file imported second on another machine
        uids = {other.items.get(i)["uid"] for i in range(1, 11)}
    assert {store.items.get(i)["uid"] for i in range(1, 6)} <= uids


def test_wal_mode_foreign_keys_and_readers_while_open(store: Store, project_path) -> None:
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    store.labels.set(2, "alice", "tone", "firm")
    # another program (sqlite3, Datasette) reads the file while the project is open
    reader = sqlite3.connect(f"file:{project_path}?mode=ro", uri=True)
    assert reader.execute("SELECT coder, scheme, value FROM labels").fetchall() == [("alice", "tone", '"firm"')]
    reader.close()


def test_two_writers_on_one_file_lose_nothing(project_path) -> None:
    with Store(project_path) as a, Store(project_path) as b:
        for i in range(2, 6):
            a.labels.set(i, "alice", "tone", "firm")
            b.labels.set(i, "bob", "tone", "warm")
        assert a.labels.annotation(3, "bob").labels == {"tone": "warm"}
    with Store(project_path) as s:
        assert s.browse.stats()["coders"]["alice"]["schemes"] == {"tone": 4}
        assert s.browse.stats()["coders"]["bob"]["schemes"] == {"tone": 4}


def test_full_text_search_index_follows_items(store: Store) -> None:
    hits = store.db.execute("SELECT rowid FROM items_fts WHERE items_fts MATCH 'Kenya'").fetchall()
    assert hits == [(1,)]


def test_stats_counts_items_sources_and_labels(store: Store) -> None:
    store.labels.set(2, "alice", "tone", "firm")
    store.labels.toggle(3, "alice", "topics", "taiwan")
    store.labels.set(3, "alice", "question_stance", "hostile")
    store.labels.set(3, "alice", "tone", "warm")
    store.labels.set_done(3, "alice")
    store.labels.set_flag(4, "bob", True)
    stats = store.browse.stats()
    assert stats["items"] == 5 and stats["sources"] == 1
    assert stats["items_by_kind"] == {"qa": 4, "statement": 1}
    assert stats["coders"]["alice"] == {"items": 2, "done": 1, "flagged": 0,
                                        "schemes": {"question_stance": 1, "rhetoric": 1, "tone": 2, "topics": 1}}
    assert stats["coders"]["bob"]["flagged"] == 1


def test_stats_count_an_item_touched_once_however_it_was_touched(store: Store) -> None:
    store.labels.set(1, "alice", "tone", "firm")
    store.labels.set(1, "alice", "topics", ["taiwan"])
    store.labels.set_note(1, "alice", "two labels and a note: one item")
    store.labels.set_note(2, "alice", "a note alone")
    store.labels.set_flag(2, "alice", True)
    store.labels.add_seconds(3, "alice", 4.0)  # looked at, nothing written: not touched
    store.labels.set_flag(4, "carol", True)
    store.labels.set_flag(4, "carol", False)  # flagged and unflagged: not touched
    store.labels.set_note(5, "bob", "bob writes only notes")
    coders = store.browse.stats()["coders"]
    assert coders["alice"] == {"items": 2, "done": 0, "flagged": 1, "schemes": {"tone": 1, "topics": 1}}
    assert coders["bob"] == {"items": 1, "done": 0, "flagged": 0, "schemes": {}}
    assert "carol" not in coders


def test_every_path_that_adds_items_indexes_them_for_search(store: Store, tmp_path) -> None:
    from annotator.core.merge import merge_files

    store.items.add_source(sample_source(sha="e" * 64, name="second.txt"))
    found = store.db.execute("SELECT count(*) FROM items_fts WHERE items_fts MATCH 'Kenya'").fetchone()[0]
    assert found == 2
    with Store(tmp_path / "other.db", create=True) as other:
        other.set_codebook(store.codebook())
        source = sample_source(sha="d" * 64, name="third.txt")
        source.items[0].answer = "A new statement about pandas."
        other.items.add_source(source)
    merge_files(store, [tmp_path / "other.db"], force=True, backup=False)
    assert store.db.execute("SELECT count(*) FROM items_fts WHERE items_fts MATCH 'pandas'").fetchone()[0] == 1
    assert store.integrity_check() == "ok"
    assert store.db.execute("INSERT INTO items_fts(items_fts) VALUES ('integrity-check')") is not None


def test_a_failing_file_in_a_batch_of_writes_leaves_no_trace(store: Store) -> None:
    broken = prepare(sample_source(sha="2" * 64, name="two.txt"))
    # the database refuses the fourth item, half-way through writing the file's items
    broken.rows[3] = (broken.rows[3][0], "bogus", *broken.rows[3][2:])
    with store.bulk_writes(commit_every_s=3600) as commit_if_due:
        store.items.add_source(sample_source(sha="1" * 64, name="one.txt"))
        with pytest.raises(AnnotatorError, match="two.txt: not written"):
            store.items.add_source(broken)
        commit_if_due()
        store.items.add_source(sample_source(sha="3" * 64, name="three.txt"))
    names = [r[0] for r in store.db.execute("SELECT name FROM sources ORDER BY id")]
    assert names == ["conference.txt", "one.txt", "three.txt"]
    assert store.items.count() == 15  # the failed file's items went with its savepoint
    # the batch's items were indexed at commit: searchable, and the index is sound
    assert store.db.execute("SELECT count(*) FROM items_fts WHERE items_fts MATCH 'Kenya'").fetchone()[0] == 3
    store.db.execute("INSERT INTO items_fts(items_fts) VALUES ('integrity-check')")
    assert store.db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL again afterwards


def test_a_finished_batch_of_writes_is_flushed_even_when_a_reader_holds_the_wal(store: Store, monkeypatch) -> None:
    # The batches were committed without a flush; the checkpoint at the end flushes the WAL before
    # it folds it into the file, but folds nothing past the snapshot of a reader that began
    # before the writes (the window, Datasette), and then SQLite flushes nothing.
    reader = sqlite3.connect(store.path)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM items").fetchone()
    store.set_busy_timeout(0.05)  # the checkpoint gives up waiting for the reader at once
    flushed: list[int] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        flushed.append(os.fstat(fd).st_ino)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    try:
        with store.bulk_writes():
            store.items.add_source(sample_source(sha="1" * 64, name="one.txt"))
        wal = os.stat(store.path.with_name(store.path.name + "-wal")).st_ino
    finally:
        reader.close()
    assert flushed == [wal]
    with Store(store.path) as again:
        assert again.db.execute("SELECT count(*) FROM sources WHERE name = 'one.txt'").fetchone()[0] == 1


def test_enter_again_on_a_done_item_counts_its_seconds_once(store: Store) -> None:
    for scheme, value in [("topics", ["taiwan"]), ("tone", "firm"), ("question_stance", "neutral")]:
        store.labels.set(2, "alice", scheme, value)
    store.labels.set_done(2, "alice", seconds=2.0)
    store.labels.set(2, "alice", "rhetoric", None)  # as if rhetoric were new: no row again
    assert store.labels.set_done(2, "alice", seconds=3.0).field == "rhetoric"
    assert store.labels.annotation(2, "alice").seconds == 5.0


def _merge_alice_later(store: Store, tmp_path, item_id: int, labels: dict, done: bool) -> None:
    """The same coder's later work on another machine, merged in as a native JSONL file (which
    carries no history of its own: the merge writes ``merge`` events)."""
    import json

    from annotator.core.merge import merge_file

    uid = store.db.execute("SELECT uid FROM items WHERE id = ?", [item_id]).fetchone()[0]
    native = tmp_path / "laptop.jsonl"
    native.write_text(json.dumps({"uid": uid, "annotations": [
        {"coder": "alice", "labels": labels, "note": "", "flag": False, "done": done,
         "updated_at": "2099-01-01T09:30:00Z"}]}) + "\n", encoding="utf-8")
    merge_file(store, native)


def test_undo_and_redo_of_a_key_press_leave_a_field_another_change_holds_now(store: Store, tmp_path) -> None:
    coded = {"topics": ["taiwan"], "tone": "firm", "question_stance": "neutral"}
    for scheme, value in coded.items():
        store.labels.set(2, "alice", scheme, value)
    store.labels.set_done(2, "alice")  # one operation: the mark and rhetoric's []
    _merge_alice_later(store, tmp_path, 2, {**coded, "rhetoric": ["threat"]}, done=True)
    assert store.labels.annotation(2, "alice").labels["rhetoric"] == ["threat"]
    undone = store.labels.undo("alice")  # Enter taken back: the mark, but not the merged rhetoric
    assert undone is not None and undone.field == "@done"
    ann = store.labels.annotation(2, "alice")
    assert not ann.done and ann.labels["rhetoric"] == ["threat"]


def test_redo_of_a_key_press_leaves_a_field_another_change_holds_now(store: Store, tmp_path) -> None:
    coded = {"topics": ["taiwan"], "tone": "firm", "question_stance": "neutral"}
    for scheme, value in coded.items():
        store.labels.set(2, "alice", scheme, value)
    store.labels.set_done(2, "alice")
    store.labels.undo("alice")  # neither done nor rhetoric now
    _merge_alice_later(store, tmp_path, 2, {**coded, "rhetoric": ["demand"]}, done=False)
    redone = store.labels.redo("alice")  # the mark again, over the merged rhetoric it never saw
    assert redone is not None and redone.field == "@done"
    ann = store.labels.annotation(2, "alice")
    assert ann.done and ann.labels["rhetoric"] == ["demand"]


def test_others_committed_is_another_connections_commit_and_never_this_ones(store: Store, project_path) -> None:
    assert not store.others_committed()
    store.labels.set(2, "alice", "tone", "firm")  # this connection's own write
    assert not store.others_committed()
    with Store(project_path) as other:
        other.labels.set(2, "bob", "tone", "firm")
    assert store.others_committed()
    assert not store.others_committed()  # asked again: nothing since
    with sqlite3.connect(project_path) as by_hand:
        by_hand.execute("UPDATE labels SET value = '\"neutral\"' WHERE coder = 'bob'")
    assert store.others_committed()
