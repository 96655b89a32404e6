"""Changes a closing window could not write: kept in a file, written at the next open."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from annotator.core.errors import AnnotatorError
from annotator.core.store import Store
from annotator.core.unwritten import Op, keep, kept_for, write_kept

OPS = [
    Op("label", 2, ["taiwan"], scheme="topics", seconds=3.0),
    Op("label", 2, "firm", scheme="tone"),
    Op("label", 2, "neutral", scheme="question_stance"),
    Op("note", 3, "ask the lead"),
    Op("flag", 3, True),
    Op("done", 2, True),
    Op("seconds", 4, seconds=7.5),
]


def test_kept_changes_are_written_in_order_once(project_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "kept"
    path = keep(folder, project_path, "alice", OPS)
    assert kept_for(folder, project_path, "alice") == [path]
    assert kept_for(folder, project_path, "bob") == []
    assert kept_for(folder, tmp_path / "other.db", "alice") == []
    with Store(project_path) as store:
        assert write_kept(store, "alice", path) == len(OPS)
        two, three = store.labels.annotation(2, "alice"), store.labels.annotation(3, "alice")
        assert two.labels == {"topics": ["taiwan"], "tone": "firm", "question_stance": "neutral", "rhetoric": []}
        assert two.done
        assert (three.note, three.flag) == ("ask the lead", True)
        assert store.labels.annotation(4, "alice").seconds == 7.5
        assert [e["field"] for e in store.labels.history(coder="alice")] == [
            "topics", "tone", "question_stance", "@note", "@flag", "@done", "rhetoric"]
    assert not path.exists() and path.with_name(path.stem + ".written.json").exists()
    assert kept_for(folder, project_path, "alice") == []  # written once, never again


def test_a_kept_done_mark_the_codebook_now_refuses_is_left_out_not_retried(project_path: Path, tmp_path: Path) -> None:
    # kept before the codebook required the question's stance, say: the item waits, not done
    path = keep(tmp_path, project_path, "alice", [OPS[0], OPS[1], Op("done", 2, True), Op("flag", 3, True)])
    with Store(project_path) as store:
        assert write_kept(store, "alice", path) == 3
        assert not store.labels.annotation(2, "alice").done and store.labels.annotation(3, "alice").flag
    assert kept_for(tmp_path, project_path, "alice") == []


def test_a_kept_change_for_an_item_merged_away_since_is_left_out_not_retried(project_path: Path,
                                                                           tmp_path: Path) -> None:
    path = keep(tmp_path, project_path, "alice", [Op("seconds", 3, seconds=4.0), OPS[0]])
    with Store(project_path) as store:
        store.corrections.merge_next(2, "lead")  # item 3 is gone into item 2
        assert write_kept(store, "alice", path) == 1
        assert store.labels.annotation(2, "alice").labels == {"topics": ["taiwan"]}
    assert kept_for(tmp_path, project_path, "alice") == []


def test_a_project_still_locked_keeps_the_changes_for_next_time(project_path: Path, tmp_path: Path) -> None:
    path = keep(tmp_path, project_path, "alice", OPS[:2])
    blocker = sqlite3.connect(project_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with Store(project_path) as store, pytest.raises(AnnotatorError, match=r"2 kept changes not written yet: .*locked"):
            store.db.execute("PRAGMA busy_timeout = 50")
            write_kept(store, "alice", path)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert kept_for(tmp_path, project_path, "alice") == [path]
    with Store(project_path) as store:
        assert write_kept(store, "alice", path) == 2
        assert store.labels.annotation(2, "alice").labels == {"topics": ["taiwan"], "tone": "firm"}


def test_changes_written_before_a_refusal_leave_the_file(project_path: Path, tmp_path: Path) -> None:
    # (a value the codebook lacks was the refusal here: the codebook refuses it now, so it is left
    # out like the done mark above; a change that cannot be read is one that stops the writing)
    path = keep(tmp_path, project_path, "alice", [OPS[0], OPS[1], OPS[3]])
    data = json.loads(path.read_text(encoding="utf-8"))
    data["changes"][1] = {**data["changes"][1], "colour": "red"}
    path.write_text(json.dumps(data), encoding="utf-8")
    with Store(project_path) as store, pytest.raises(AnnotatorError, match=r"2 kept changes not written yet"):
        write_kept(store, "alice", path)
    left = json.loads(path.read_text(encoding="utf-8"))["changes"]
    assert [c["kind"] for c in left] == ["label", "note"]  # the written one is not written twice


def test_an_unreadable_file_is_named_and_left_alone(project_path: Path, tmp_path: Path) -> None:
    bad = tmp_path / "unwritten-2026.json"
    bad.write_text("{not json", encoding="utf-8")
    assert kept_for(tmp_path, project_path, "alice") == []
    with Store(project_path) as store, pytest.raises(AnnotatorError, match="unwritten-2026.json: unreadable kept changes"):
        write_kept(store, "alice", bad)
    assert bad.read_text(encoding="utf-8") == "{not json"
