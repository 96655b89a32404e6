"""A project a lead may only read -- the file read-only, or its folder (a shared drive) -- reads,
and leaves nothing beside it that stops a writer once the file is writable again. Run as a
process that permissions stop: root ignores them."""

from __future__ import annotations

import hashlib
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.core.store import Store
from tests.helpers import annotator_meeting_permissions, honours_permissions, new_project, sample_source

pytestmark = pytest.mark.skipif(not honours_permissions(), reason="root here cannot be made to meet permissions")


def project_in(folder: Path) -> Path:
    folder.mkdir()
    db = new_project(folder / "p.db", [sample_source()])
    with Store(db) as store:
        store.labels.set(1, "alice", "tone", "firm")
        store.checkpoint()
    return db


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    db = project_in(tmp_path / "shared")
    db.chmod(0o666)
    db.parent.chmod(0o555)
    yield db
    db.parent.chmod(0o755)  # for pytest to tidy up


def test_a_project_in_a_read_only_folder_is_read(read_only_folder: Path) -> None:
    before = hashlib.sha256(read_only_folder.read_bytes()).hexdigest()
    for args in (["stats", read_only_folder], ["export", read_only_folder, "-o", "-"], ["check", read_only_folder]):
        result = annotator_meeting_permissions(*map(str, args))
        assert result.returncode == 0, result.stderr
    assert "alice: 1 item touched" in annotator_meeting_permissions("stats", str(read_only_folder)).stdout
    assert sorted(p.name for p in read_only_folder.parent.iterdir()) == ["p.db"]
    assert hashlib.sha256(read_only_folder.read_bytes()).hexdigest() == before
    refused = annotator_meeting_permissions("gold", str(read_only_folder), "--accept-unanimous")
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1 and "read-only" in refused.stderr


def test_a_journal_left_read_only_by_a_read_is_named_when_the_file_is_writable_again(tmp_path: Path) -> None:
    db = project_in(tmp_path / "mine")
    db.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    assert annotator_meeting_permissions("stats", str(db)).returncode == 0
    db.chmod(0o644)
    flag = ("correct", str(db), "1", "--flag", "the date is wrong", "--coder", "lead")
    left = [p for p in (db.with_name("p.db-wal"), db.with_name("p.db-shm")) if p.exists()]
    if left:  # SQLite made them with the file's read-only mode: the writer is told which files stop it
        refused = annotator_meeting_permissions(*flag)
        assert refused.returncode == 1 and refused.stderr.count("\n") == 1, refused.stderr
        assert f"{' and '.join(p.name for p in left)} beside it {'is' if len(left) == 1 else 'are'} read-only" in refused.stderr
        for p in left:
            p.chmod(0o644)
    flagged = annotator_meeting_permissions(*flag)
    assert flagged.returncode == 0, flagged.stderr


def test_a_read_only_file_is_refused_to_a_command_that_writes(tmp_path: Path) -> None:
    db = project_in(tmp_path / "mine")
    db.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    refused = annotator_meeting_permissions("gold", str(db), "--accept-unanimous")
    assert refused.returncode == 1 and refused.stderr == f"Error: {db}: the project database is read-only\n"
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_an_export_into_a_read_only_folder_is_refused_before_work(tmp_path: Path) -> None:
    db = project_in(tmp_path / "mine")
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = annotator_meeting_permissions("export", str(db), "-o", str(folder / "x.jsonl"))
        assert result.returncode == 1 and result.stderr.count("\n") == 1
        assert f"folder {folder} is read-only" in result.stderr and not list(folder.iterdir())
    finally:
        folder.chmod(0o755)
