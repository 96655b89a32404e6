"""Where a command writes: never over the project, a file it is reading, or something that is
not a file -- export -o, report -o and import --report alike, refused in one line before any work."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.core.sample import SAMPLES
from annotator.core.store import Store
from tests.helpers import label_two_coders, new_project, sample_source


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def digest(*paths: Path) -> list[str | None]:
    return [hashlib.sha256(p.read_bytes()).hexdigest() if p.exists() else None for p in paths]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    db = new_project(tmp_path / "p.db", [sample_source()])
    with Store(db) as store:
        label_two_coders(store)
    return db


def refused(result, says: str) -> None:
    assert result.exit_code == 1, result.output
    assert says in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("suffix", ["", "-wal"])
def test_the_report_is_never_written_over_the_project(project: Path, suffix: str) -> None:
    target = Path(f"{project}{suffix}")
    before = digest(project, target)
    refused(run("report", project, "-o", target, "--format", "md"), "is the project database (or its journal)")
    assert digest(project, target) == before
    with Store(project, readonly=True) as store:
        assert store.items.count() == 5


@pytest.mark.parametrize("dry_run", [[], ["--dry-run"]])
def test_the_import_report_is_never_written_over_the_project_or_a_file_imported(tmp_path: Path, project: Path,
                                                                                dry_run: list[str]) -> None:
    folder = tmp_path / "in"
    shutil.copytree(SAMPLES, folder)
    page = sorted(folder.iterdir())[0]
    before = digest(project, page)
    refused(run("import", project, folder, "--report", project, *dry_run), "is the project database")
    refused(run("import", project, page, "--report", page, *dry_run), f"is one of the files being read ({page})")
    refused(run("import", project, folder, "--report", page, *dry_run), f"is one of the files being read ({folder})")
    assert digest(project, page) == before
    with Store(project, readonly=True) as store:
        assert store.items.count() == 5  # refused before anything was imported
    fresh = folder / "report.csv"  # a new name in the folder read is no file of its
    assert run("import", project, folder, "--report", fresh, *dry_run).exit_code == 0
    assert fresh.read_text().startswith("file,status")


@pytest.mark.parametrize("command", [["export", "{db}", "-o", "{out}"],
                                     ["report", "{db}", "-o", "{out}", "--format", "md"],
                                     ["import", "{db}", str(SAMPLES), "--dry-run", "--report", "{out}"]])
def test_a_pipe_is_not_replaced_by_a_file(tmp_path: Path, project: Path, command: list[str]) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    result = run(*[a.format(db=project, out=pipe) for a in command])
    refused(result, f"{pipe}: is not a regular file (a device or a pipe)")
    assert pipe.is_fifo()


def test_an_export_through_a_link_writes_the_file_it_points_to(tmp_path: Path, project: Path) -> None:
    target = tmp_path / "real.jsonl"
    target.write_text("old\n")
    link = tmp_path / "link.jsonl"
    link.symlink_to(target)
    result = run("export", project, "-o", link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and link.resolve() == target.resolve()
    assert run("export", project, "-o", tmp_path / "plain.jsonl").exit_code == 0
    assert target.read_text() == (tmp_path / "plain.jsonl").read_text() != "old\n"
