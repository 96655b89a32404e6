"""Merging coders' work: real project files copied the way a lead hands them out."""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from annotator.core.errors import AnnotatorError
from annotator.core.items import Item, Source
from annotator.core.merge import detect, merge_file, merge_files
from annotator.core.records import ItemRow, LabelUpsert, MergePlan, SourceRow
from annotator.core.store import Store
from tests.helpers import mark_done, sample_source


def copy_for(project_path: Path, name: str) -> Path:
    """The lead hands a coder a copy of the project."""
    path = project_path.with_name(f"{name}.db")
    shutil.copy(project_path, path)
    return path


def ids(store: Store) -> list[int]:
    return [store.items.id_for_uid(uid) for uid in sorted(store.sync.snapshot(full=False).uids)]


def table(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def labels_of(path: Path) -> list[tuple]:
    return table(path, "SELECT i.uid, coder, scheme, value FROM labels l JOIN items i ON i.id = l.item_id ORDER BY 1, 2, 3")


@pytest.fixture
def two_coders(project_path: Path) -> tuple[Path, Path]:
    alice, bob = copy_for(project_path, "alice"), copy_for(project_path, "bob")
    with Store(alice) as s:
        a, b, c = sorted(ids(s))[:3]
        s.labels.set(a, "alice", "tone", "firm")
        s.labels.set(b, "alice", "topics", ["taiwan", "us_relations"])
        s.labels.set_note(b, "alice", "hard one")
        mark_done(s, b, "alice")
    with Store(bob) as s:
        s.labels.set(a, "bob", "tone", "conciliatory")
        s.labels.set(c, "bob", "topics", ["covid"])
        s.labels.set_flag(c, "bob", True)
    return alice, bob


def test_merge_keys_labels_by_coder_and_reports_counts(project_path, two_coders):
    alice, bob = two_coders
    with Store(project_path) as store:
        bak, (sa, sb) = merge_files(store, [alice, bob])
        a = min(ids(store))
        assert store.labels.annotation(a, "alice").labels == {"tone": "firm"}
        assert store.labels.annotation(a, "bob").labels == {"tone": "conciliatory"}
        b = sorted(ids(store))[1]
        assert store.labels.annotation(b, "alice").note == "hard one"
        assert store.labels.annotation(b, "alice").done is True
        assert store.labels.coders() == ["alice", "bob"]
    # alice: tone on a; on b topics, then done: the tone and stance it needed, rhetoric "none of these"
    assert (sa.labels_added, sa.labels_updated, sa.labels_unchanged, sa.conflicts_resolved) == (5, 0, 0, 0)
    assert (sb.labels_added, sb.items_added) == (2, 0)
    assert sa.annotations_changed == 2 and sb.annotations_changed == 1
    assert sa.events_added == 7 and sb.events_added == 3
    # the backup is the project as it was before the merge, and a project in its own right
    with Store(bak, readonly=True) as before:
        assert before.labels.coders() == []
        assert before.items.count() == 5


def test_merging_twice_changes_nothing(project_path, two_coders):
    alice, bob = two_coders
    with Store(project_path) as store:
        merge_files(store, [alice, bob])
    first = (labels_of(project_path), table(project_path, "SELECT * FROM label_events ORDER BY id"),
             table(project_path, "SELECT * FROM annotations ORDER BY 1, 2"))
    with Store(project_path) as store:
        _bak, summaries = merge_files(store, [alice, bob, alice])
    for s in summaries:
        assert (s.labels_added, s.labels_updated, s.conflicts_resolved, s.events_added, s.items_added) == (0, 0, 0, 0, 0)
        assert s.annotations_changed == 0
    assert summaries[0].labels_unchanged == 5
    assert (labels_of(project_path), table(project_path, "SELECT * FROM label_events ORDER BY id"),
            table(project_path, "SELECT * FROM annotations ORDER BY 1, 2")) == first


def test_same_coder_on_two_machines_later_change_wins_and_both_histories_stay(project_path):
    laptop, desktop = copy_for(project_path, "laptop"), copy_for(project_path, "desktop")
    with Store(laptop) as s:
        a = min(ids(s))
        s.labels.set(a, "alice", "tone", "firm")
    time.sleep(0.01)
    with Store(desktop) as s:
        s.labels.set(a, "alice", "tone", "conciliatory")  # later
    with Store(project_path) as store:
        _, (s1, s2) = merge_files(store, [laptop, desktop])
        assert store.labels.annotation(a, "alice").labels["tone"] == "conciliatory"
        history = [(e["before"], e["after"]) for e in store.labels.history(item_id=a, coder="alice")]
    assert s1.labels_added == 1
    assert (s2.labels_updated, s2.conflicts_resolved) == (1, 1)
    assert sorted(history, key=str) == sorted([(None, "firm"), (None, "conciliatory")], key=str)
    # the other order: the older file loses, the project keeps the later value
    with Store(project_path) as store:
        _, (s3,) = merge_files(store, [laptop])
        assert store.labels.annotation(a, "alice").labels["tone"] == "conciliatory"
    assert (s3.labels_updated, s3.conflicts_resolved, s3.events_added) == (0, 1, 0)


def test_a_later_clearing_wins_too(project_path):
    first = copy_for(project_path, "first")
    with Store(first) as s:
        a = min(ids(s))
        s.labels.set(a, "alice", "tone", "firm")
    with Store(project_path) as store:
        merge_files(store, [first])
    with Store(first) as s:
        time.sleep(0.01)
        s.labels.set(a, "alice", "tone", None)
    with Store(project_path) as store:
        _, (summary,) = merge_files(store, [first])
        assert "tone" not in store.labels.annotation(a, "alice").labels
    assert summary.labels_updated == 1


@pytest.mark.parametrize("as_label_files", [False, True])
@pytest.mark.parametrize("newer_first", [True, False])
def test_a_later_note_flag_or_done_set_back_to_nothing_wins_in_either_order(project_path, tmp_path, newer_first,
                                                                          as_label_files):
    older = copy_for(project_path, "older")
    with Store(older) as s:
        a, b, c = sorted(ids(s))[:3]
        s.labels.set_flag(a, "alice", True)
        s.labels.set_note(b, "alice", "check the date")
        mark_done(s, c, "alice")
    newer = copy_for(older, "newer")
    time.sleep(0.01)
    with Store(newer) as s:  # the same coder, later, takes all three back
        s.labels.set_flag(a, "alice", False)
        s.labels.set_note(b, "alice", "")
        s.labels.set_done(c, "alice", False)
    files = [newer, older] if newer_first else [older, newer]
    if as_label_files:
        from annotator.core.export import ExportOptions, export

        for i, db in enumerate(files):
            files[i] = tmp_path / f"{db.stem}.labels.jsonl"
            with Store(db) as s:
                export(s, ExportOptions(selection="coder", coder="alice", labels_file=True), files[i])
    with Store(project_path) as store:
        merge_files(store, files)
        assert not store.labels.annotation(a, "alice").flag
        assert store.labels.annotation(b, "alice").note == ""
        assert not store.labels.annotation(c, "alice").done


def test_a_copy_bringing_a_correction_is_backed_up_before_the_correction_is_applied(project_path):
    coder = copy_for(project_path, "coder")
    with Store(coder) as s:
        first = min(ids(s))
        s.corrections.merge_next(first, "alice")  # nothing else: no label changed
    items_before = table(project_path, "SELECT count(*) FROM items")
    with Store(project_path) as store:
        bak, [summary] = merge_files(store, [coder])
    assert summary.corrections_applied == 1
    assert table(project_path, "SELECT count(*) FROM items") == [(items_before[0][0] - 1,)]
    assert bak is not None  # the project changed: the copy of it as it was
    assert table(bak, "SELECT count(*) FROM items") == items_before
    assert table(bak, "SELECT count(*) FROM corrections") == [(0,)]


def test_items_only_in_other_come_with_their_source(project_path):
    other = copy_for(project_path, "other")
    with Store(other) as s:
        s.items.add_source(sample_source(sha="e" * 64, n=3, name="second.txt"))
        new = s.items.id_for_uid(min(set(s.sync.snapshot(full=False).uids) - _uids(project_path)))
        s.labels.set(new, "carol", "tone", "firm")
    with Store(project_path) as store:
        _, (summary,) = merge_files(store, [other])
        assert store.items.count() == 8
        assert store.browse.stats()["sources"] == 2
        uid = table(other, f"SELECT uid FROM items WHERE id = {new}")[0][0]
        assert store.labels.annotation(store.items.id_for_uid(uid), "carol").labels == {"tone": "firm"}
    assert (summary.items_added, summary.sources_added, summary.labels_added) == (3, 1, 1)
    assert table(project_path, "SELECT count(*) FROM items_fts WHERE items_fts MATCH 'Taiwan'")[0][0] == 4 + 2


def _uids(path: Path) -> set[str]:
    return {r[0] for r in table(path, "SELECT uid FROM items")}


def test_a_different_corpus_is_refused_unless_forced(project_path, tmp_path):
    other = tmp_path / "elsewhere.db"
    with Store(other, create=True) as s:
        s.items.add_source(Source("x.txt", "d" * 64, "transcript", items=[Item("qa", 0, "Q?", "A.")]))
    before = labels_of(project_path), _uids(project_path)
    with Store(project_path) as store, pytest.raises(AnnotatorError, match="shares no item with .* a different corpus"):
        merge_file(store, other)
    assert (labels_of(project_path), _uids(project_path)) == before
    with Store(project_path) as store:
        summary = merge_file(store, other, force=True)
    assert summary.items_added == 1


def test_a_value_the_codebook_lacks_is_refused_with_counts_or_kept_and_marked(project_path, tmp_path):
    native = tmp_path / "native.jsonl"
    uids = sorted(_uids(project_path))
    native.write_text(
        "\n".join(
            json.dumps({"uid": u, "annotations": [
                {"coder": "dora", "labels": {"tone": "sarcastic", "topics": ["taiwan", "mars"]}, "note": "", "flag": False,
                 "updated_at": "2026-01-01T09:30:00Z"}]})
            for u in uids[:2]
        ) + "\n",
        encoding="utf-8",
    )
    with Store(project_path) as store, pytest.raises(AnnotatorError) as err:
        merge_file(store, native)
    assert "tone=sarcastic (2)" in str(err.value) and "topics=mars (2)" in str(err.value) and "--force" in str(err.value)
    assert labels_of(project_path) == []
    with Store(project_path) as store:
        summary = merge_file(store, native, force=True)
        a = store.items.id_for_uid(uids[0])
        assert store.labels.annotation(a, "dora").labels == {"tone": "sarcastic", "topics": ["taiwan", "mars"]}
        marks = [e for e in store.labels.history(item_id=a) if e["action"] == "merge-forced"]
    assert summary.forced == {"tone=sarcastic": 2, "topics=mars": 2}
    assert sorted(m["field"] for m in marks) == ["tone", "topics"]
    with Store(project_path) as store:
        again = merge_file(store, native, force=True)
    assert (again.labels_added, again.events_added, again.labels_unchanged) == (0, 0, 4)


def test_a_file_made_before_a_scheme_changed_kind_is_refused_saying_so(project_path, tmp_path):
    # The lead made 'tone' multi-choice after handing out copies: a coder's "firm" was refused as a
    # value the codebook "lacks" (tone=firm), though 'firm' is right there in it.
    from dataclasses import replace

    with Store(project_path) as store:
        cb = store.codebook()
        store.set_codebook(replace(cb, schemes=tuple(replace(s, kind="multi", ordered=False) if s.name == "tone" else s
                                                     for s in cb.schemes)))
    native = tmp_path / "native.jsonl"
    native.write_text(json.dumps({"uid": sorted(_uids(project_path))[0], "annotations": [
        {"coder": "dora", "labels": {"tone": "firm"}, "note": "", "flag": False,
         "updated_at": "2026-01-01T09:30:00Z"}]}) + "\n", encoding="utf-8")
    with Store(project_path) as store, pytest.raises(AnnotatorError) as err:
        merge_file(store, native)
    assert "codebook lacks: tone=firm (one value: 'tone' is multi-choice) (1); use --force" in str(err.value)
    assert labels_of(project_path) == []


def test_labels_merged_onto_items_their_scheme_no_longer_applies_to_are_said(project_path, tmp_path):
    # The lead narrowed 'tone' to question-answer pairs after handing out copies: the coder's tone
    # of the statement (item 1) was merged without a word and then read as not applicable everywhere.
    from dataclasses import replace

    from annotator.core.export import ExportOptions, export

    coder = copy_for(project_path, "dora")
    with Store(coder) as store:
        store.labels.set(1, "dora", "tone", "firm")
        store.labels.set(2, "dora", "tone", "warm")
        export(store, ExportOptions(selection="coder", coder="dora", labels_file=True), tmp_path / "dora.jsonl")
    with Store(project_path) as store:
        cb = store.codebook()
        store.set_codebook(replace(cb, schemes=tuple(replace(s, applies_to=("qa",)) if s.name == "tone" else s
                                                     for s in cb.schemes)))
        summary = merge_file(store, tmp_path / "dora.jsonl")
        assert summary.not_applicable == {"tone on statement items": 1}
        assert summary.line().endswith(
            "kept on items their scheme does not apply to, so read as not applicable everywhere: tone on statement "
            "items (1)")
        assert store.labels.annotation(1, "dora").labels == {"tone": "firm"}  # kept as the coder gave it
        assert merge_file(store, coder).not_applicable == {}  # the same labels again: nothing new to say


def test_coders_differing_only_in_case_are_refused(project_path):
    other = copy_for(project_path, "other")
    with Store(project_path) as s:
        s.labels.set(min(ids(s)), "Alice", "tone", "firm")
    with Store(other) as s:
        s.labels.set(sorted(ids(s))[1], "alice", "tone", "firm")
    before = labels_of(project_path)
    with Store(project_path) as store, pytest.raises(AnnotatorError, match="coders 'Alice' and 'alice' differ only in case"):
        merge_file(store, other)
    assert labels_of(project_path) == before


@pytest.mark.parametrize(
    "content, message",
    [
        (b"hello, not a database\n", "not a project database or label file"),
        (b"\x00\x01\x02binary", "neither SQLite nor JSON lines"),
        (b"\xff\xfe\x00 latin junk \xe9", "not a project database or label file"),
        (b'{"uid": "x"}\n', "not a project database or label file"),
        (b'{"uid": "x", "annotations": []}\nnot json\n', "line 2 is not JSON"),
        (b"", "empty file"),
    ],
)
def test_bad_files_are_refused_in_one_line(project_path, tmp_path, content, message):
    bad = tmp_path / "bad.file"
    bad.write_bytes(content)
    with Store(project_path) as store, pytest.raises(AnnotatorError, match=message):
        merge_file(store, bad)


def test_an_sqlite_file_that_is_no_project_and_a_newer_project_are_refused(project_path, tmp_path):
    plain = tmp_path / "plain.db"
    conn = sqlite3.connect(plain)
    conn.execute("CREATE TABLE t(x)")
    conn.commit()
    conn.close()
    with Store(project_path) as store, pytest.raises(AnnotatorError, match="not an annotator project"):
        merge_file(store, plain)
    newer = copy_for(project_path, "newer")
    conn = sqlite3.connect(newer)
    conn.execute("INSERT INTO _sqlite_migrations(migration_set, name, applied_at) VALUES ('annotator', 'm999_future', 'x')")
    conn.commit()
    conn.close()
    with Store(project_path) as store, pytest.raises(AnnotatorError, match="newer version"):
        merge_file(store, newer)


def test_one_transaction_per_file_a_failure_leaves_the_project_untouched(project_path):
    before = _uids(project_path), labels_of(project_path)
    uid = min(before[0])
    with Store(project_path) as store, pytest.raises(AnnotatorError, match="integrity"):
        store.sync.apply(MergePlan(
            sources=[SourceRow("n.txt", "c" * 64, "transcript", None, None, "2026-01-01T00:00:00Z")],
            items=[ItemRow("newuid", "qa", "c" * 64, 0, None, None, None, None, None, "Q", "A", None, None)],
            label_upserts=[LabelUpsert(uid, None, "tone", '"firm"', "t", "t")],  # a NULL coder fails after the items went in
        ))
    assert (_uids(project_path), labels_of(project_path)) == before


def test_label_file_from_the_export(project_path, tmp_path):
    uids = sorted(_uids(project_path))
    lines = [
        {"annotator_labels": 1, "codebook": {}},
        {"uid": uids[0], "event": {"uid": "ev1", "coder": "erin", "field": "tone", "before": None, "after": "firm",
                                   "action": "set", "at": "2026-01-01T09:00:00Z", "seconds": 2}},
        {"uid": uids[0], "event": {"uid": "ev2", "coder": "erin", "field": "tone", "before": "firm",
                                   "after": "conciliatory", "action": "set", "at": "2026-01-01T09:30:00Z", "seconds": 1}},
        # what is stored always has its history: the note and the done mark have their events too
        {"uid": uids[0], "event": {"uid": "ev3", "coder": "erin", "field": "@note", "before": "", "after": "n",
                                   "action": "set", "at": "2026-01-01T09:30:00Z", "seconds": 0}},
        {"uid": uids[0], "event": {"uid": "ev4", "coder": "erin", "field": "@done", "before": False, "after": True,
                                   "action": "set", "at": "2026-01-01T09:30:00Z", "seconds": 0}},
        {"uid": uids[0], "coder": "erin", "labels": {"tone": "conciliatory"}, "note": "n", "flag": False, "done": True,
         "updated_at": "2026-01-01T09:30:00Z"},
        {"uid": "not-in-project", "coder": "erin", "labels": {"tone": "firm"}, "updated_at": "2026-01-01T09:30:00Z"},
    ]
    path = tmp_path / "erin.labels.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    assert detect(path) == "labels"
    with Store(project_path) as store:
        summary = merge_file(store, path)
        a = store.items.id_for_uid(uids[0])
        ann = store.labels.annotation(a, "erin")
        events = store.labels.history(item_id=a, coder="erin")
    assert ann.labels == {"tone": "conciliatory"} and ann.note == "n" and ann.done
    assert [e["uid"] for e in events] == ["ev1", "ev2", "ev3", "ev4"]
    assert (summary.labels_added, summary.unmatched, summary.events_added) == (1, 1, 4)
    with Store(project_path) as store:
        again = merge_file(store, path)
    assert (again.labels_added, again.events_added, again.labels_unchanged) == (0, 0, 1)


def test_prodigy_records_matched_by_uid_or_exact_text(project_path, tmp_path):
    with Store(project_path) as s:
        rows = s.items.texts()
    (u0, _q0, _a0), (u1, q1, a1) = rows[0], rows[1]
    recs = [
        {"text": "whatever", "meta": {"uid": u0, "scheme": "tone"}, "accept": ["firm"], "answer": "accept",
         "_annotator_id": "my-project-fay", "_session_id": "my-project-fay", "_timestamp": 1767225600},
        {"text": f"{q1}\n\n{a1}", "accept": ["taiwan", "covid"], "answer": "accept", "_annotator_id": "fay"},
        {"text": f"{q1}\n\n{a1}", "accept": ["firm"], "answer": "reject", "_annotator_id": "fay"},
        {"text": "no such pair", "accept": ["firm"], "answer": "accept", "_annotator_id": "fay"},
    ]
    path = tmp_path / "prodigy.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    with Store(project_path) as store:
        summary = merge_file(store, path)
        assert store.labels.annotation(store.items.id_for_uid(u0), "fay").labels == {"tone": "firm"}
        assert store.labels.annotation(store.items.id_for_uid(u1), "fay").labels == {"topics": ["taiwan", "covid"]}
        assert store.labels.coders() == ["fay"]
        merged = [e["action"] for e in store.labels.history(coder="fay")]
    assert (summary.labels_added, summary.unmatched, summary.skipped) == (2, 1, 1)
    assert merged == ["merge", "merge"]
    with Store(project_path) as store:
        again = merge_file(store, path)
    assert (again.labels_added, again.events_added, again.labels_unchanged) == (0, 0, 2)


def test_a_jsonl_file_matching_nothing_is_a_different_corpus(project_path, tmp_path):
    path = tmp_path / "n.jsonl"
    path.write_text(json.dumps({"uid": "zzz", "annotations": [{"coder": "a", "labels": {"tone": "firm"}}]}) + "\n")
    with Store(project_path) as store, pytest.raises(AnnotatorError, match="no record matches .* different corpus"):
        merge_file(store, path)


def test_merging_the_project_into_itself_is_refused(project_path, tmp_path):
    # under another name too: a hard link was read as a coder's database, and reading it closed a
    # descriptor of the project's file, which drops the locks of the connection open on it
    import os

    os.link(project_path, tmp_path / "hard.db")
    (tmp_path / "soft.db").symlink_to(project_path)
    with Store(project_path) as store:
        for other in (project_path, tmp_path / "hard.db", tmp_path / "soft.db"):
            with pytest.raises(AnnotatorError, match="is the project itself"):
                merge_files(store, [other])


# -- equal times: the history's own order (event id) decides, never chance ----------------


def _clock(monkeypatch, at: str) -> None:
    # Every write in the same microsecond: what a coarse clock, a fast script or a Prodigy
    # file (whole seconds) produces. The order of events is then only their id order.
    monkeypatch.setattr("annotator.core.store.labels.now", lambda: at)


def test_a_label_set_and_cleared_at_the_same_time_stays_cleared_in_the_merge(project_path, monkeypatch):
    coder = copy_for(project_path, "coder")
    with Store(project_path) as lead:
        item = ids(lead)[0]
        _clock(monkeypatch, "2026-01-01T09:00:00.000000Z")
        lead.labels.set(item, "alice", "tone", "firm")  # an older label the lead already holds
    with Store(coder) as s:
        _clock(monkeypatch, "2026-01-01T10:00:00.000000Z")
        s.labels.set(item, "alice", "tone", "neutral")
        s.labels.set(item, "alice", "tone", None)  # same microsecond, later event: no label
    with Store(project_path) as lead:
        merge_file(lead, coder)
        assert lead.labels.annotation(item, "alice").labels == {}, "the coder's later clearing was lost"


def test_the_project_side_of_a_tie_is_read_in_event_order_too(project_path, monkeypatch):
    coder = copy_for(project_path, "coder")
    with Store(coder) as s:
        item = ids(s)[0]
        _clock(monkeypatch, "2026-01-01T09:00:00.000000Z")
        s.labels.set(item, "alice", "tone", "firm")  # an older label on the other machine
    with Store(project_path) as lead:
        _clock(monkeypatch, "2026-01-01T10:00:00.000000Z")
        lead.labels.set(item, "alice", "tone", "neutral")
        lead.labels.set(item, "alice", "tone", None)
        merge_file(lead, coder)
        assert lead.labels.annotation(item, "alice").labels == {}, "an older label came back over a later clearing"


def test_a_coders_file_from_an_older_version_merges_and_stays_untouched(project_path, tmp_path) -> None:
    import sqlite3

    from annotator.core.merge import merge_files

    coder_file = tmp_path / "alice.db"
    shutil.copy(project_path, coder_file)
    with Store(coder_file) as coder:
        coder.labels.set(2, "alice", "tone", "firm")
        coder.checkpoint()
    # Make it what an older annotator wrote: the last schema step not yet applied.
    conn = sqlite3.connect(coder_file)
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm004_index_items_per_write'")
    conn.execute(
        "CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN "
        "INSERT INTO items_fts(rowid, question, answer) VALUES (new.id, new.question, new.answer); END"
    )
    conn.commit()
    conn.close()
    before = coder_file.read_bytes()
    with Store(project_path) as lead:
        merge_files(lead, [coder_file], backup=False)
        assert lead.labels.annotation(2, "alice").labels == {"tone": "firm"}
    assert coder_file.read_bytes() == before


def test_a_coder_s_file_is_read_in_one_snapshot_while_they_code_in_it(project_path: Path, monkeypatch) -> None:
    """The lead merges alice's file while her window writes to it: a note she types between two
    of the merge's reads of her file must not come in as her old note stamped with the new one's
    time, which then won against the new note in every later merge."""
    from contextlib import contextmanager

    from annotator.core.merge import readers

    alice = copy_for(project_path, "alice.db")
    window = Store(alice)                       # her window, open on the file
    item = ids(window)[0]
    window.labels.set_note(item, "alice", "first thoughts")
    real = readers.reading

    @contextmanager
    def reading_while_she_types(path, **kwargs):
        with real(path, **kwargs) as other:
            def typed(sql: str) -> None:
                if "row_number() OVER" in sql:  # after the annotations were read, before the latest events
                    other.connection.set_trace_callback(None)
                    window.labels.set_note(item, "alice", "ask the lead")
            other.connection.set_trace_callback(typed)
            yield other

    monkeypatch.setattr(readers, "reading", reading_while_she_types)
    try:
        with Store(project_path) as lead:
            merge_files(lead, [alice], backup=False)
        monkeypatch.setattr(readers, "reading", real)
        with Store(project_path) as lead:
            merge_files(lead, [alice], backup=False)  # again, nobody typing: her newest note comes in
            assert lead.labels.annotation(item, "alice").note == "ask the lead"
    finally:
        window.close()


def test_a_label_file_is_written_from_one_snapshot_while_its_coder_codes(project_path: Path, tmp_path: Path) -> None:
    """``export --labels`` reads the coders' states, then their history: a note typed in the window
    between the two must not go out as the old note with the new one's time."""
    from annotator.core.export import ExportOptions, export

    alice = copy_for(project_path, "alice.db")
    window = Store(alice)
    item = ids(window)[0]
    window.labels.set_note(item, "alice", "first thoughts")
    out = tmp_path / "alice.jsonl"
    with Store(alice, readonly=True) as exporting:
        def typed(sql: str) -> None:
            if "ORDER BY e.id" in sql:          # the history, after the states were read
                exporting.connection.set_trace_callback(None)
                window.labels.set_note(item, "alice", "ask the lead")
        exporting.connection.set_trace_callback(typed)
        export(exporting, ExportOptions(selection="coder", coder="alice", labels_file=True), out)
    window.close()
    with Store(project_path) as lead:
        merge_files(lead, [out], backup=False)
        merge_files(lead, [alice], backup=False)  # her file itself, later: her newest note comes in
        assert lead.labels.annotation(item, "alice").note == "ask the lead"


@pytest.mark.parametrize("via", ["project", "label file"])
def test_a_change_the_window_makes_while_a_merge_plans_is_not_overwritten(project_path: Path, tmp_path: Path,
                                                                          monkeypatch, via) -> None:
    """alice merges her laptop into the file her window is open on: a note she writes in the
    window while the merge plans must survive it, not be overwritten by the laptop's older note."""
    from annotator.core import merge as merging
    from annotator.core.export import ExportOptions, export
    from annotator.core.store.staging import Staging

    laptop = copy_for(project_path, "laptop")
    with Store(laptop) as store:
        item = ids(store)[0]
        store.labels.set_note(item, "alice", "from the laptop")  # older than the window's
    if via == "label file":
        with Store(laptop, readonly=True) as store:
            export(store, ExportOptions(selection="coder", coder="alice", labels_file=True), tmp_path / "laptop.jsonl")
        laptop = tmp_path / "laptop.jsonl"
    window = Store(project_path)
    outcome: list[str] = []

    def then_the_window(planned):
        def plan(*args, **kwargs):
            made = planned(*args, **kwargs)
            try:  # the window waits at most a moment for the lock, then keeps the change to retry
                window.connection.execute("PRAGMA busy_timeout = 50")
                window.labels.set_note(item, "alice", "written in the window")
                outcome.append("written")
            except AnnotatorError:
                outcome.append("waits")
            return made
        return plan

    monkeypatch.setattr(merging, "plan_merge", then_the_window(merging.plan_merge))
    monkeypatch.setattr(Staging, "plan", then_the_window(Staging.plan))
    try:
        with Store(project_path) as lead:
            merge_files(lead, [laptop], backup=False)
        assert outcome == ["waits"]             # the merge holds the lock from its plan to its write
        window.labels.set_note(item, "alice", "written in the window")  # the window's retry
        with Store(project_path) as lead:
            assert lead.labels.annotation(item, "alice").note == "written in the window"
    finally:
        window.close()
