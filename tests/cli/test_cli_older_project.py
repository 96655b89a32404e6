"""A project made by an older version answers every read-only command, and stays as it was.

Each new schema step used to leave such a file refused ("open it once writable") by stats,
agreement, export and the rest until the coder opened it in the window."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.core.store import Store
from tests.helpers import annotator_on_a_full_disk, older_project, sample_source


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
    assert "open it once writable" not in result.output  # not refused
    # said once, on stderr, with the command that ends the copying
    note = (f"note: {db}: made by an older version of annotator; reading an upgraded copy, the file left as it is "
            f"('annotator upgrade {db}' upgrades it once)")
    assert result.stderr.splitlines()[0] == note and result.stderr.count("older version") == 1
    assert digest(db) == before
    if args[0] == "stats":
        assert json.loads(result.stdout)["items"] == 5


@pytest.mark.parametrize("args", [
    ["export", "{db}", "--scheme", "nosuch", "-o", "{out}"],
    ["agreement", "{db}", "--scheme", "nosuch"],
])
def test_an_error_while_reading_an_older_project_names_the_file_not_its_temporary_copy(tmp_path, args) -> None:
    db = older_project(tmp_path / "old.db", [sample_source()], [(1, "alice", "tone", "firm")])
    result = CliRunner().invoke(cli, [a.format(db=db, out=tmp_path / "out.jsonl") for a in args])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith(f"Error: {db}: the codebook has no scheme 'nosuch'")


def test_upgrade_brings_an_older_project_up_once_and_then_reading_needs_no_copy(tmp_path) -> None:
    labels = [(i, coder, "tone", "firm") for i in (1, 2, 3) for coder in ("alice", "bob")]
    db = older_project(tmp_path / "old.db", [sample_source()], labels)
    runner = CliRunner()
    before = json.loads(runner.invoke(cli, ["stats", str(db), "--json"]).stdout)
    result = runner.invoke(cli, ["upgrade", str(db)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{db}: upgraded to this version's schema (")
    assert "m019_label_times_in_the_coder_index" in result.stdout
    [kept] = list(tmp_path.glob("old.db.bak-*"))  # the file as it was, named
    assert result.stdout.endswith(f"; the file as it was is kept as {kept}\n")
    assert json.loads(runner.invoke(cli, ["stats", str(kept), "--json"]).stdout) == before
    with Store(db, readonly=True) as store:  # no step left: a read-only open is refused otherwise
        assert store.labels.coders() == ["alice", "bob"]
    again = runner.invoke(cli, ["upgrade", str(db)])
    assert (again.exit_code, again.stdout) == (0, f"{db}: already at this version's schema, nothing to do\n")
    after = runner.invoke(cli, ["stats", str(db), "--json"])
    assert after.stderr == "" and json.loads(after.stdout) == before


@pytest.mark.parametrize("content, said", [
    (b"", "empty file, not an annotator project"),
    (b"not a database at all, just text" * 100, "not"),
])
def test_upgrade_of_what_is_no_project_is_one_line_and_changes_nothing(tmp_path, content, said) -> None:
    path = tmp_path / "x.db"
    path.write_bytes(content)
    result = CliRunner().invoke(cli, ["upgrade", str(path)])
    assert result.exit_code == 1
    assert result.stdout == "" and len(result.stderr.splitlines()) == 1 and said in result.stderr
    assert "Traceback" not in result.output and path.read_bytes() == content


def test_upgrade_of_a_missing_file_creates_nothing(tmp_path) -> None:
    path = tmp_path / "none.db"
    result = CliRunner().invoke(cli, ["upgrade", str(path)])
    assert result.exit_code == 1 and "no such project database" in result.stderr
    assert not path.exists()


@pytest.mark.parametrize("command, runs", [
    (["gui", "{db}", "--coder", "alice"], "annotator.gui.app.run"),
    (["review", "{db}", "--reviewer", "lead"], "annotator.gui.review_app.run_review"),
])
def test_a_window_command_leaves_an_older_project_for_the_window_to_upgrade(tmp_path, monkeypatch, command,
                                                                            runs) -> None:
    """The command's own check before the window reads: were it to open the file to write, the
    steps would run there, with nothing on screen, before the window's dialog could say so."""
    from annotator.core.store import steps_to_upgrade

    db = older_project(tmp_path / "old.db", [sample_source()])
    steps_when_the_window_opens: list[list[str]] = []

    def window(path, name, **_) -> int:
        steps_when_the_window_opens.append(steps_to_upgrade(path))
        return 0

    monkeypatch.setattr(runs, window)
    result = CliRunner().invoke(cli, [a.format(db=db) for a in command])
    assert result.exit_code == 0, result.output
    assert steps_when_the_window_opens[0][-1] == "m019_label_times_in_the_coder_index"


def test_a_window_command_still_refuses_a_coder_named_like_another_but_for_case(tmp_path) -> None:
    db = older_project(tmp_path / "old.db", [sample_source()], [(1, "alice", "tone", "firm")])
    Store(db).close()  # upgraded: the case check is the command's again
    result = CliRunner().invoke(cli, ["gui", str(db), "--coder", "ALICE"])
    assert result.exit_code == 1 and "coder 'ALICE' differs only in case from 'alice'" in result.output


UPGRADING = "made by an older version of annotator; upgrading it to this version's schema first ("


@pytest.mark.parametrize("args", [
    ["gold", "{db}", "--accept-unanimous"],
    ["correct", "{db}", "1", "--flag", "the date is wrong", "--coder", "lead"],
    ["import", "{db}", "{samples}"],
    ["codebook", "{db}", "--set", "{codebook}"],
])
def test_a_command_that_writes_says_it_upgrades_an_older_project_before_its_steps_run(tmp_path, args) -> None:
    from annotator.core.codebook import default_codebook_path
    from annotator.core.sample import SAMPLES
    from annotator.core.store import steps_to_upgrade

    labels = [(i, coder, "tone", "firm") for i in (1, 2, 3) for coder in ("alice", "bob")]
    db = older_project(tmp_path / "old.db", [sample_source()], labels)
    steps = steps_to_upgrade(db)
    argv = [a.format(db=db, samples=SAMPLES, codebook=default_codebook_path()) for a in args]
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 0, result.output
    [kept] = list(tmp_path.glob("old.db.bak-*"))
    note = f"note: {db}: {UPGRADING}{len(steps)} steps, once; the file as it was is kept as {kept})"
    assert result.stderr.splitlines()[0] == note and result.stderr.count("older version") == 1
    assert steps_to_upgrade(kept) == steps
    assert steps_to_upgrade(db) == []
    again = CliRunner().invoke(cli, argv)
    assert "older version" not in again.stderr  # once


def test_a_new_project_is_made_without_a_word_of_upgrading(tmp_path) -> None:
    from annotator.core.sample import SAMPLES

    for argv in (["init", str(tmp_path / "a.db")], ["import", str(tmp_path / "b.db"), str(SAMPLES)]):
        result = CliRunner().invoke(cli, argv)
        assert result.exit_code == 0, result.output
        assert "older version" not in result.stderr


def test_codebook_prints_an_older_projects_codebook_without_changing_it(tmp_path) -> None:
    db = older_project(tmp_path / "old.db", [sample_source()])
    before = digest(db)
    result = CliRunner().invoke(cli, ["codebook", str(db), "--json"])
    assert result.exit_code == 0, result.output
    assert [s["name"] for s in json.loads(result.stdout)["schemes"]][:2] == ["topics", "tone"]
    assert result.stderr.startswith(f"note: {db}: made by an older version of annotator; reading an upgraded copy")
    assert digest(db) == before




@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
@pytest.mark.parametrize("command", [["upgrade"], ["gold", "--accept-unanimous"]])
def test_no_room_for_the_backup_refuses_the_upgrade_and_leaves_the_older_file_as_it_was(tmp_path, command) -> None:
    from annotator.core.store import steps_to_upgrade

    labels = [(i, coder, "tone", "firm") for i in range(1, 5) for coder in ("alice", "bob")]
    db = older_project(tmp_path / "old.db", [sample_source(n=400)], labels)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode = WAL")  # as every version of annotator leaves its projects
    conn.close()
    steps, before = steps_to_upgrade(db), digest(db)
    limit = db.stat().st_size // 2  # room for the WAL and its index, not for a whole copy
    result = annotator_on_a_full_disk(limit, command[0], str(db), *command[1:])
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith(f"Error: {db}.bak-") and "cannot write the backup" in line, line
    assert digest(db) == before and steps_to_upgrade(db) == steps
    assert not [p for p in tmp_path.iterdir() if ".bak-" in p.name]


@pytest.mark.parametrize("args, says", [
    (["assign", "{db}", "--coders", "a,b", "--overlap", "5"], "--overlap: 5.0 is not a share between 0 and 1"),
    (["codebook", "{db}", "--set", "{tmp}/none.toml"], "none.toml: no such codebook file"),
    (["merge", "{db}", "{tmp}/none.jsonl"], "none.jsonl: no such file"),
    (["merge", "{db}", "{tmp}/junk.txt"], "junk.txt: not a project database or label file"),
    (["model", "{db}", "order", "bogus"], "order: no order 'bogus'"),
    (["import", "{db}", "{tmp}/nothing"], "nothing: no such file or folder"),
], ids=["assign", "codebook", "merge-missing", "merge-junk", "model-order", "import"])
def test_a_bad_flag_or_file_leaves_an_older_project_as_it_was(tmp_path, args, says) -> None:
    """Refused before the project is opened: no upgrade, no backup, the file byte for byte."""
    db = older_project(tmp_path / "old.db", [sample_source()], [(1, "alice", "tone", "firm")])
    (tmp_path / "junk.txt").write_text("not json at all\n")
    before = digest(db)
    result = CliRunner().invoke(cli, [a.format(db=db, tmp=tmp_path) for a in args])
    assert result.exit_code == 1 and says in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert UPGRADING not in result.stderr
    assert digest(db) == before and sorted(p.name for p in tmp_path.iterdir()) == ["junk.txt", "old.db"]
