"""A pipe or a device where a command wants a file: one line, at once -- a pipe would wait for a
writer forever and /dev/zero never end (merge read it into memory without bound)."""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from tests.helpers import new_project, sample_source

NOT_A_FILE = "is not a regular file (a device or a pipe)"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def pipe(tmp_path: Path) -> Iterator[Path]:
    """A named pipe. Should a command open it after all, a writer comes after 5 s and leaves at
    once: the command then reads an empty file and the test fails instead of hanging."""
    path = tmp_path / "pipe"
    os.mkfifo(path)
    done = threading.Event()

    def unblock() -> None:
        if not done.wait(5):
            with open(path, "wb"):
                pass

    thread = threading.Thread(target=unblock, daemon=True)
    thread.start()
    yield path
    done.set()
    thread.join()


@pytest.mark.parametrize("args, what", [
    (["merge", "{db}", "{pipe}"], "not a project database or label file"),
    (["stats", "{pipe}"], "not a project database"),
    (["codebook", "{db}", "--set", "{pipe}"], "not a codebook file"),
    (["init", "{new}", "--codebook", "{pipe}"], "not a codebook file"),
])
def test_a_pipe_is_refused_without_being_opened(tmp_path: Path, pipe: Path, args: list[str], what: str) -> None:
    db = new_project(tmp_path / "p.db", [sample_source()])
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    result = run(*[a.format(db=db, pipe=pipe, new=tmp_path / "n.db") for a in args])
    assert result.exit_code == 1, result.output
    assert result.stderr == f"Error: {pipe}: {NOT_A_FILE}, {what}\n"
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before and not (tmp_path / "n.db").exists()


def test_a_pipe_named_to_import_is_skipped_as_no_file(tmp_path: Path, pipe: Path) -> None:
    result = run("import", tmp_path / "p.db", pipe)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {pipe}: not a regular file (a device or a pipe); nothing imported\n"
    assert "no such file" not in result.stderr and "Traceback" not in result.output


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="no /dev/null here")
def test_a_device_is_refused_as_a_pipe_is(tmp_path: Path) -> None:
    # /dev/null, not /dev/zero: the same rule refuses both, and should it break, this one ends
    db = new_project(tmp_path / "p.db", [sample_source()])
    for args in (["merge", db, "/dev/null"], ["codebook", db, "--set", "/dev/null"], ["stats", "/dev/null"]):
        result = run(*args)
        assert result.exit_code == 1 and f"/dev/null: {NOT_A_FILE}" in result.stderr, result.output
