"""A label file merged in bulk (``merge.bulk``, ``store.staging``) writes exactly what the
line-by-line reader and ``merge.plan`` write: every table, every count, the same refusals."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from unittest import mock

import pytest

from annotator.core.errors import AnnotatorError
from annotator.core.export import ExportOptions, export
from annotator.core.merge import bulk, merge_files
from annotator.core.store import Store
from tests.helpers import copy_project, mark_done, read_jsonl

TABLES = {
    "labels": "SELECT i.uid, l.coder, l.scheme, l.value, l.created_at, l.updated_at FROM labels l"
              " JOIN items i ON i.id = l.item_id ORDER BY 1, 2, 3",
    "annotations": "SELECT i.uid, a.coder, a.note, a.flag, a.done, a.seconds, a.updated_at FROM annotations a"
                   " JOIN items i ON i.id = a.item_id ORDER BY 1, 2",
    "events": "SELECT e.uid, i.uid, e.coder, e.field, e.before, e.after, e.action, r.uid, e.at, e.seconds,"
              " e.operation, e.suggested FROM label_events e JOIN items i ON i.id = e.item_id"
              " LEFT JOIN label_events r ON r.id = e.ref ORDER BY e.id",
}


def rows(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {name: conn.execute(sql).fetchall() for name, sql in TABLES.items()}
    finally:
        conn.close()


SHOWN = json.dumps({"tone": {"model": "tone-1", "value": "firm", "p": {"firm": 0.7, "conciliatory": 0.3}}})


def at(minute: int) -> str:
    return f"2026-02-01T09:{minute:02d}:00.000000Z"


def coding(store: Store, ids: list[int], coder: str, moves: list[tuple]) -> None:
    """Each move (minute, what, item index, value) written through the store, at that minute."""
    for minute, what, n, value, *shown in moves:
        with mock.patch("annotator.core.store.labels.now", return_value=at(minute)):
            item = ids[n]
            if what == "note":
                store.labels.set_note(item, coder, value, seconds=1.0)
            elif what == "flag":
                store.labels.set_flag(item, coder, value)
            elif what == "done":
                mark_done(store, item, coder)
            elif what == "undo":
                store.labels.undo(coder)
            else:
                store.labels.set(item, coder, what, value, seconds=2.5, suggested=shown[0] if shown else None)


@pytest.fixture
def scene(project_path: Path, tmp_path: Path) -> tuple[Path, Path]:
    """The project with erin's work on one machine, and erin's label file from another: values
    the same, later, earlier and cleared on either side, notes, flags, done marks, an undo (a
    ref), suggestions on screen, a label set and cleared in the same microsecond, and a record of
    an item the project lacks."""
    other = copy_project(project_path, tmp_path / "laptop.db")
    with Store(project_path) as store:
        ids = [r[0] for r in store.db.execute("SELECT id FROM items ORDER BY id").fetchall()]
        coding(store, ids, "erin", [
            (1, "tone", 0, "firm"), (1, "topics", 1, ["taiwan", "covid"]), (30, "tone", 2, "firm"),
            (2, "note", 0, "ours"), (2, "flag", 1, True), (40, "tone", 3, "firm"), (3, "tone", 4, "firm"),
        ])
        coding(store, ids, "dana", [(5, "tone", 0, "conciliatory")])
    with Store(other) as store:
        coding(store, ids, "erin", [
            (1, "tone", 0, "firm"), (1, "topics", 1, ["covid", "taiwan"]), (10, "tone", 2, "conciliatory"),
            (11, "topics", 3, ["taiwan"]), (12, "tone", 3, "conciliatory"), (13, "tone", 4, "conciliatory"),
            (14, "note", 0, "theirs"), (15, "flag", 1, False), (16, "done", 4, None), (17, "tone", 4, None),
            (18, "tone", 1, "firm", SHOWN), (19, "undo", 0, None), (20, "note", 2, "seen"),
            (21, "tone", 0, "conciliatory", SHOWN), (22, "topics", 2, ["taiwan"]), (22, "topics", 2, None),
        ])
    path = tmp_path / "erin.labels.jsonl"
    with Store(other) as store:
        export(store, ExportOptions(selection="coder", coder="erin", labels_file=True), path)
    records = read_jsonl(path)
    records.insert(2, {"uid": "not-in-project", "coder": "erin", "labels": {"tone": "firm"}, "note": "", "flag": False,
                       "done": False, "seconds": 3.0, "updated_at": at(50)})
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return project_path, path


def merged(project: Path, path: Path, dest: Path, *, bulk_path: bool) -> tuple[dict, dict]:
    target = copy_project(project, dest)
    took = []
    real = bulk.merge_staged

    def spy(*args, **kwargs):
        took.append(real(*args, **kwargs))
        return took[-1]

    with mock.patch.object(bulk, "merge_staged", spy):
        if not bulk_path:
            with mock.patch.object(bulk, "stage", return_value=None), Store(target) as store:
                _bak, [summary] = merge_files(store, [path], backup=False)
        else:
            with Store(target) as store:
                _bak, [summary] = merge_files(store, [path], backup=False)
    assert took == ([True] if bulk_path else [])
    return summary.to_dict(), rows(target)


def test_bulk_and_line_by_line_merges_write_the_same(scene, tmp_path):
    project, path = scene
    summary, tables = merged(project, path, tmp_path / "bulk.db", bulk_path=True)
    expected_summary, expected = merged(project, path, tmp_path / "lines.db", bulk_path=False)
    assert tables == expected
    assert summary == expected_summary
    # The scene is what it says: conflicts both ways, an undo's ref, suggestions carried, one unmatched.
    assert summary["conflicts_resolved"] >= 3 and summary["labels_updated"] >= 1 and summary["unmatched"] == 1
    assert any(e[7] is not None for e in tables["events"]) and any(e[11] for e in tables["events"])
    before = rows(project)
    assert tables["labels"] != before["labels"] and tables["annotations"] != before["annotations"]


def test_merging_the_file_again_changes_nothing_either_way(scene, tmp_path):
    project, path = scene
    once = copy_project(project, tmp_path / "once.db")
    with Store(once) as store:
        merge_files(store, [path], backup=False)
    first = rows(once)
    _summary, again = merged(once, path, tmp_path / "again.db", bulk_path=True)
    assert again == first
    summary, _ = merged(once, path, tmp_path / "again2.db", bulk_path=True)
    assert (summary["labels_added"], summary["labels_updated"], summary["events_added"]) == (0, 0, 0)


def test_a_file_the_bulk_merge_does_not_take_goes_line_by_line(scene, tmp_path):
    """A value the codebook lacks (kept with --force) and a coder's name with blanks around it:
    the line-by-line reader's own counts and events."""
    project, path = scene
    records = read_jsonl(path)
    state = next(r for r in records if r.get("coder") == "erin" and r.get("labels", {}).get("tone"))
    state["labels"]["tone"] = "furious"
    forced = tmp_path / "forced.jsonl"
    forced.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    target = copy_project(project, tmp_path / "forced.db")
    with Store(target) as store:
        with pytest.raises(AnnotatorError, match="codebook lacks: tone=furious"):
            merge_files(store, [forced], backup=False)
        _bak, [summary] = merge_files(store, [forced], force=True, backup=False)
    assert summary.forced == {"tone=furious": 1}


def test_a_bad_second_file_stops_before_the_first_is_merged(scene, tmp_path):
    project, path = scene
    bad = tmp_path / "bad.jsonl"
    bad.write_text(path.read_text(encoding="utf-8") + "{not json\n", encoding="utf-8")
    target = copy_project(project, tmp_path / "target.db")
    before = rows(target)
    with Store(target) as store, pytest.raises(AnnotatorError, match="is not JSON"):
        merge_files(store, [path, bad], backup=False)
    assert rows(target) == before


def test_blank_lines_are_skipped_alike_and_the_bulk_merge_still_takes_the_file(scene, tmp_path):
    """Blank is what the line-by-line reader calls blank (any whitespace, an ideographic space too)."""
    project, path = scene
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    spaced = tmp_path / "spaced.jsonl"
    spaced.write_text("".join(line + ("\n", " \t\n", "\u3000\n")[n % 3] for n, line in enumerate(lines)),
                      encoding="utf-8")
    summary, tables = merged(project, spaced, tmp_path / "bulk.db", bulk_path=True)
    expected_summary, expected = merged(project, spaced, tmp_path / "lines.db", bulk_path=False)
    assert tables == expected
    assert summary == {**expected_summary, "path": str(spaced)}


def test_a_staged_time_gets_the_key_ts_key_gives_it_in_every_form():
    """The stored form's shortcut (its text is its key) agrees with ``ts_key`` on every time."""
    import random
    rng = random.Random(7)
    times = ["0001-01-01T00:00:00.000000Z", "0001-01-01T00:00:00.000001Z", "9999-12-31T23:59:59.999999Z",
             "2026-01-01T10:00:00.5+01:00", "2026-01-01T09:00:00Z", "2026-01-01T09:00:00", "2026-01-01"]
    for _ in range(500):
        times.append(f"{rng.randint(1, 9999):04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T"
                     f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}."
                     f"{rng.randint(0, 999999):06d}Z")
    for t in times:
        for j in (json.dumps(t), json.dumps(t).replace("T", "\\u0054")):
            assert bulk._time(j, 1) == (t, bulk.ts_key(t)), j
    with pytest.raises(AnnotatorError):
        bulk._time('"2026-02-30T09:00:00.000000Z"', 1)


def temp_page_size(store: Store) -> int:
    return store.connection.execute("PRAGMA temp.page_size").fetchone()[0]


def test_a_large_merge_is_staged_in_large_temp_pages_and_a_small_one_in_sqlites(scene, tmp_path, monkeypatch):
    """SQLite takes TEMP's page size only before the connection's TEMP database exists: the
    staging asks for it before its first table when the merge reads more than TEMP's cache
    holds, so every file of it is staged in 64 KiB pages; a small merge keeps SQLite's own
    (each TEMP table takes a page at least: large ones would only take room on the disk)."""
    from annotator.core.store import staging

    project, path = scene
    with Store(copy_project(project, tmp_path / "small.db")) as store:
        default = temp_page_size(store)
        merge_files(store, [path], backup=False)
        assert temp_page_size(store) == default != staging.TEMP_PAGE_SIZE
    monkeypatch.setattr(staging, "LARGE_STAGING_BYTES", path.stat().st_size - 1)
    with Store(copy_project(project, tmp_path / "large.db")) as store:
        for _ in range(2):
            merge_files(store, [path], backup=False)
            assert temp_page_size(store) == staging.TEMP_PAGE_SIZE
