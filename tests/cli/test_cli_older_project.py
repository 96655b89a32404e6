"""A project made by an older version answers every read-only command, and stays as it was.

Each new schema step used to leave such a file refused ("open it once writable") by stats,
agreement, export and the rest until the coder opened it in the window."""

from __future__ import annotations

import hashlib
import json

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from tests.helpers import older_project, sample_source


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("args", [
    ["stats", "{db}", "--json"],
    ["agreement", "{db}", "--json", "--bootstrap", "0"],
    ["export", "{db}", "-o", "{out}"],
    ["corrections", "{db}", "--json"],
])
def test_read_only_commands_read_an_older_project_without_changing_it(tmp_path, args) -> None:
    labels = [(i, coder, "tone", "firm") for i in (1, 2, 3) for coder in ("alice", "bob")]
    done = [(i, coder) for i in (1, 2, 3) for coder in ("alice", "bob")]
    db = older_project(tmp_path / "old.db", [sample_source()], labels, done)
    before = digest(db)
    argv = [a.format(db=db, out=tmp_path / "out.jsonl") for a in args]
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 0, result.output
    assert "older version" not in result.output
    assert digest(db) == before
    if args[0] == "stats":
        assert json.loads(result.output)["items"] == 5
