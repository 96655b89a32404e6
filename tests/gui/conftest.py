"""Fixtures for the coding-window tests: real project files built by tests/helpers.py,
and settings kept in a temporary folder so no test touches the user's own."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QStandardPaths

from tests.helpers import CONFERENCES, conference_sources, copy_project, new_project


@pytest.fixture(scope="session")
def _conferences_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return new_project(tmp_path_factory.mktemp("template") / "template.db", conference_sources(CONFERENCES))


@pytest.fixture
def project(_conferences_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of a small migrated project: helpers.CONFERENCES (built once, copied per test)."""
    return copy_project(_conferences_template, tmp_path / "project.db")


@pytest.fixture
def make_project() -> Callable[[Path, list], Path]:
    """Build a project from your own conferences: ``make_project(path, [(date, speaker, [(outlet, q, a)])])``."""
    return lambda path, conferences: new_project(path, conference_sources(conferences))


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "settings"
    QStandardPaths.setTestModeEnabled(True)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    yield folder


@pytest.fixture(autouse=True)
def plain_look() -> Iterator[None]:
    """A window gives the whole application its look (text size, dark or light); the next test
    starts from Qt's own, as it would in a fresh process."""
    yield
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if isinstance(app, QApplication):
        app.setStyleSheet("")
        app.setPalette(app.style().standardPalette())
