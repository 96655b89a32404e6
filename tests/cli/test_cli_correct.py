"""annotator correct / corrections: a correction from the command line, listed, undone."""

from __future__ import annotations

import json

from click.testing import CliRunner

from annotator.cli import cli
from annotator.core.store import Store
from tests.helpers import new_project, wrongly_split_source


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_correct_lists_and_undoes(corpus, tmp_path) -> None:
    db = new_project(tmp_path / "p.db", [wrongly_split_source(corpus)])
    with Store(db) as store:
        first, second = (store.items.get(i)["uid"] for i, in store.connection.execute(
            "SELECT id FROM items WHERE seq IN (1, 2) ORDER BY seq"))
        n = store.items.count()
    result = run("correct", db, first, "--merge-next", "--coder", "lead")
    assert result.exit_code == 0 and "merged into" in result.output, result.output
    assert run("correct", db, 1, "--flag", "the date is wrong", "--coder", "bob").exit_code == 0
    listed = json.loads(run("corrections", db, "--json").output)["corrections"]
    assert [r["op"] for r in listed] == ["merge", "flag"]
    flags = run("corrections", db, "--flags")
    assert "the date is wrong" in flags.output and "merge" not in flags.output
    # the retired uid still names the item that holds its text
    assert run("correct", db, second, "--outlet", "Reuters", "--coder", "lead").exit_code == 0
    with Store(db) as store:
        assert store.items.count() == n - 1
        assert store.items.get(store.items.id_for_uid(first))["outlet"] == "Reuters"
    assert run("correct", db, "--undo", "--coder", "lead").exit_code == 0
    assert run("correct", db, "--undo", "--coder", "lead").exit_code == 0
    with Store(db) as store:
        assert store.items.count() == n
    last = run("correct", db, "--undo", "--coder", "lead")
    assert last.exit_code == 1 and "no correction to undo" in last.output


def test_bad_corrections_are_one_line_and_change_nothing(corpus, tmp_path) -> None:
    db = new_project(tmp_path / "p.db", [wrongly_split_source(corpus)])
    before = db.read_bytes()
    for args, problem in [
        ((1, "--split", 99), "cannot split at paragraph 99"),
        ((1, "--split", 2, "--merge-next"), "give one of"),
        ((12345, "--merge-next"), "no item '12345'"),
        ((1, "--date", "yesterday"), "is not a date"),
        ((), "name the item"),
    ]:
        result = run("correct", db, *args, "--coder", "lead")
        lines = result.output.strip().splitlines()
        assert result.exit_code == 1 and len(lines) == 1 and problem in lines[0], (args, result.output)
    with Store(db, readonly=True) as store:
        assert store.corrections.listing() == []
    assert db.read_bytes()[:100] == before[:100]
