"""The counts ``annotator stats`` reads are kept by triggers (m017): after every kind of write --
labels, undo and redo, notes, flags, done marks, a merge, the corrections that move labels
between items and their undo -- they equal a recount of the rows."""

from __future__ import annotations

import pytest

from annotator.core.export import ExportOptions, export
from annotator.core.merge import merge_files
from annotator.core.store import Store
from annotator.core.store.tallies import worth_recounting
from tests.helpers import (
    coder_label_file,
    copy_project,
    label_two_coders,
    mark_done,
    new_project,
    sample_source,
    wrongly_split_source,
)


def same_as_recount(store: Store) -> dict:
    stats = store.browse.stats()
    assert stats == store.browse.recount_stats()
    return stats


@pytest.fixture
def project(tmp_path):
    return new_project(tmp_path / "p.db", [sample_source(n=12)])


def test_labels_undo_redo_notes_flags_and_done_marks_keep_the_tallies(project) -> None:
    with Store(project) as store:
        assert same_as_recount(store)["coders"] == {}
        label_two_coders(store)
        stats = same_as_recount(store)
        assert set(stats["coders"]) == {"alice", "bob"} and stats["coders"]["alice"]["schemes"]["tone"] > 0
        ids = [r[0] for r in store.connection.execute("SELECT id FROM items ORDER BY id")]
        store.labels.set_note(ids[0], "carol", "an item touched by a note alone")
        assert same_as_recount(store)["coders"]["carol"] == {"items": 1, "done": 0, "flagged": 0, "schemes": {}}
        store.labels.set_flag(ids[1], "carol", True)
        mark_done(store, ids[2], "carol")
        same_as_recount(store)
        store.labels.set_note(ids[0], "carol", "")  # the note gone: carol no longer touched that item
        store.labels.set_flag(ids[1], "carol", False)
        assert same_as_recount(store)["coders"]["carol"]["items"] == 1
        while store.labels.undo("carol") is not None:  # every step back, to nothing of carol's
            same_as_recount(store)
        assert "carol" not in store.browse.stats()["coders"]
        for _ in range(3):
            store.labels.redo("carol")
            same_as_recount(store)
        store.labels.set(ids[3], "alice", "topics", [])  # an explicit empty set is a label too
        store.labels.set(ids[3], "alice", "tone", None)
        same_as_recount(store)


def test_a_merged_label_file_keeps_the_tallies(project, tmp_path) -> None:
    label_file = coder_label_file(project, tmp_path / "erin.jsonl")
    with Store(project) as store:
        label_two_coders(store)
        merge_files(store, [label_file], backup=False)
        stats = same_as_recount(store)
        assert stats["coders"]["erin"]["items"] == 2 and stats["coders"]["erin"]["done"] == 1


def triggers(store: Store) -> list[tuple[str, str]]:
    return store.connection.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").fetchall()


def test_a_label_file_merged_in_bulk_keeps_the_tallies_by_either_way(project, tmp_path) -> None:
    # A file as large as what its coder holds is written without the tally triggers and its coder
    # recounted (store.tallies); a small one next to what the coder holds, with the triggers.
    # Either way the tallies equal a recount after, and the triggers are back as they were.
    with Store(project) as store:
        before = triggers(store)
        assert any(name == "labels_tally_insert" for name, _ in before)
    fresh = coder_label_file(project, tmp_path / "erin.jsonl")  # erin holds nothing yet: recounted
    with Store(project) as store:
        label_two_coders(store)
        assert worth_recounting(store.connection, ["erin"], 5)
        merge_files(store, [fresh], backup=False)
        # rhetoric: the explicit empty set Enter gave the scheme erin left untouched
        assert same_as_recount(store)["coders"]["erin"] == {"items": 2, "done": 1, "flagged": 0,
                                                             "schemes": {"rhetoric": 1, "tone": 2, "topics": 2}}
        assert triggers(store) == before
        held = store.browse.stats()["coders"]["alice"]["schemes"]
    work = copy_project(project, tmp_path / "alice-work.db")
    with Store(work) as store:  # alice changes one label on another machine: one row next to many
        item = store.connection.execute("SELECT min(item_id) FROM labels WHERE coder = 'alice' AND scheme = 'tone'"
                                        ).fetchone()[0]
        tones = store.codebook().scheme("tone").values
        store.labels.set(item, "alice", "tone", next(v for v in tones if v != store.labels.value_of(item, "alice", "tone")))
        export(store, ExportOptions(selection="coder", coder="alice", labels_file=True), tmp_path / "alice.jsonl")
    with Store(project) as store:
        assert not worth_recounting(store.connection, ["alice"], 1)
        (summary,) = merge_files(store, [tmp_path / "alice.jsonl"], backup=False)[1]
        assert summary.labels_updated == 1
        assert same_as_recount(store)["coders"]["alice"]["schemes"] == held
        assert triggers(store) == before


def test_corrections_that_move_labels_between_items_and_their_undo_keep_the_tallies(corpus, tmp_path) -> None:
    wrong = new_project(tmp_path / "wrong.db", [wrongly_split_source(corpus)])
    with Store(copy_project(wrong, tmp_path / "w.db")) as store:
        ids = [r[0] for r in store.connection.execute("SELECT id FROM items ORDER BY seq")]
        for coder in ("alice", "bob"):
            for item_id in ids[:5]:
                mark_done(store, item_id, coder)
        store.labels.set_note(ids[2], "bob", "cut in two?")
        same_as_recount(store)
        store.corrections.merge_next(ids[1], "lead")  # the next item's labels and marks join this one
        same_as_recount(store)
        joined = [r[0] for r in store.connection.execute("SELECT id FROM items ORDER BY seq")][1]
        store.corrections.split(joined, "lead", 2)
        same_as_recount(store)
        while store.corrections.undo("lead") is not None:
            same_as_recount(store)


def test_an_older_project_gets_its_tallies_from_a_recount(corpus, tmp_path) -> None:
    from tests.helpers import older_project

    path = older_project(tmp_path / "old.db", [sample_source(n=4)], labels=[(1, "alice", "tone", "firm")],
                         done=[(2, "bob")])
    with Store(path) as store:
        stats = same_as_recount(store)
        assert stats["coders"]["alice"]["schemes"] == {"tone": 1} and stats["coders"]["bob"]["done"] == 1


def test_labels_moved_by_another_program_keep_the_tallies(project) -> None:
    # The triggers count every write, not only the store's: a label given to another coder,
    # another scheme, another item (an UPDATE of its key) leaves one place and arrives at another.
    with Store(project) as store:
        label_two_coders(store)
        conn = store.connection
        free = conn.execute("SELECT min(id) FROM items WHERE id NOT IN (SELECT item_id FROM labels WHERE coder = 'alice')"
                            ).fetchone()[0]
        with conn:
            conn.execute("UPDATE labels SET coder = 'dora' WHERE rowid IN "
                         "(SELECT rowid FROM labels WHERE coder = 'bob' ORDER BY rowid LIMIT 3)")
            conn.execute("UPDATE labels SET scheme = 'stance' WHERE rowid = (SELECT min(rowid) FROM labels WHERE coder = 'alice')")
            conn.execute("UPDATE labels SET item_id = ? WHERE rowid = (SELECT max(rowid) FROM labels WHERE coder = 'alice')",
                         [free])
        stats = same_as_recount(store)
        assert stats["coders"]["dora"]["items"] >= 2 and stats["coders"]["alice"]["schemes"]["stance"] == 1
