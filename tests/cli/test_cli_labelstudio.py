"""The Label Studio flags on the command line: export --ls-users, merge --ls-users, labelstudio-users."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from annotator.cli import cli
from annotator.core.store import Store
from tests.helpers import labelstudio_source, new_project

BY_ID = Path(__file__).parents[1] / "core" / "data" / "labelstudio-1.23.2-export-ids.json"


def run(*args: object, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, [str(a) for a in args], env=env)


def project(path: Path) -> Path:
    return new_project(path, [labelstudio_source()])


def test_export_and_merge_with_ls_users(tmp_path) -> None:
    db = project(tmp_path / "p.db")
    result = run("merge", db, BY_ID, "--ls-users", "alice=2,bob=3")
    assert result.exit_code == 0, result.output
    assert f"{BY_ID} (labelstudio): 6 labels added" in result.output
    result = run("export", db, "--format", "labelstudio", "-o", tmp_path / "t.json",
                 "--ls-users", "alice=alice@lab.org,bob=bob@lab.org")
    assert result.exit_code == 0, result.output
    owners = {a["completed_by"]["email"] for t in json.loads((tmp_path / "t.json").read_text()) for a in t["annotations"]}
    assert owners == {"alice@lab.org", "bob@lab.org"}


def test_ls_users_mistakes_are_one_line(tmp_path) -> None:
    db = project(tmp_path / "p.db")
    for args, message in (
        (("merge", db, BY_ID), f"Error: {BY_ID}: task 205, annotation 183: completed_by=2 names no coder"),
        (("merge", db, BY_ID, "--ls-users", "alice"), "Error: --ls-users 'alice': expected coder=e-mail pairs"),
        (("labelstudio-users", "http://127.0.0.1:9", "--ls-users", "a=a@lab.org"),
         "Error: labelstudio-users: give --token or set LABEL_STUDIO_API_KEY"),
        (("labelstudio-users", "http://127.0.0.1:9", "--ls-users", "a=a@lab.org", "--token", "t"),
         "Error: http://127.0.0.1:9: cannot reach Label Studio"),
    ):
        result = run(*args, env={"LABEL_STUDIO_API_KEY": ""})
        lines = result.stderr.strip().splitlines()
        assert result.exit_code == 1 and len(lines) == 1 and lines[0].startswith(message), result.output
    with Store(db) as store:
        assert store.db.execute("SELECT count(*) FROM labels").fetchone()[0] == 0


def test_labelstudio_users_prints_the_requests() -> None:
    result = run("labelstudio-users", "http://localhost:8080", "--print", "--ls-users", "alice=alice@lab.org,bob=bob@lab.org")
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("curl -sS -X POST http://localhost:8080/api/users/") for line in lines)
