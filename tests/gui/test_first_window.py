"""Which project a window opens without one named: the sample the first time, then the last one
closed; ``annotator gui --sample`` (``make run``) the sample whatever was opened last."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.core.store import Store
from annotator.gui.app import default_project, run, sample_project

pytestmark = pytest.mark.gui


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user's own home: the sample project is built in its data folder."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    return folder


def opened_by_run(windows_run, db: Path | None, *, sample: bool) -> Path:
    """The project of the window ``run`` opens, closed as soon as it is up."""
    (window,) = windows_run(lambda: run(db, "alice", sample=sample))
    return window.session.store.path


def test_the_sample_first_then_the_last_project_and_sample_always_the_sample(qtbot, windows_run, home: Path,
                                                                              project: Path) -> None:
    sample = default_project()
    assert sample.is_relative_to(home) and sample == sample_project()
    with Store(sample, readonly=True) as store:
        assert store.items.count() >= 15 and store.codebook().scheme("tone") is not None
    assert opened_by_run(windows_run, project, sample=False) == project  # closing it makes it the last project
    assert default_project() == project.resolve()
    assert opened_by_run(windows_run, None, sample=False) == project.resolve()
    assert opened_by_run(windows_run, None, sample=True) == sample


def test_a_project_and_the_sample_together_are_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["gui", str(tmp_path / "p.db"), "--sample"])
    assert result.exit_code == 2 and "give DB or --sample, not both" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "p.db").exists()
