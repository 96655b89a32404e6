"""Fixtures for the coding-window tests: real project files built by tests/helpers.py,
and settings kept in a temporary folder so no test touches the user's own."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QStandardPaths, QTimer
from PySide6.QtWidgets import QApplication, QWidget

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


@pytest.fixture
def when_dialog() -> Callable[[Callable[[QWidget, QWidget], None]], None]:
    """``when_dialog(act)`` before the key that opens a modal dialog: ``act(dialog, keys)`` runs once
    the dialog is up and active, ``keys`` being where a coder's typing lands in it (its focused child).
    A fixed 50 ms timer raced the dialog on a loaded machine, and a key sent to
    ``QApplication.focusWidget()`` went nowhere while the window was not yet active; either left the
    dialog open and the test hanging. This waits for the dialog itself (10 s at most), and a failure
    inside ``act`` closes the dialog before it is raised, so the test fails instead of hanging."""

    def schedule(act: Callable[[QWidget, QWidget], None]) -> None:
        deadline = time.monotonic() + 10

        def poll() -> None:
            dialog = QApplication.activeModalWidget()
            up = dialog is not None and dialog.isVisible() and QApplication.activeWindow() is dialog
            if not up and time.monotonic() < deadline:
                QTimer.singleShot(20, poll)
                return
            if dialog is None:
                return                      # no dialog came: the test's own assertion says so
            try:
                act(dialog, dialog.focusWidget() or dialog)
            except BaseException:
                dialog.close()
                raise

        QTimer.singleShot(0, poll)

    return schedule



@pytest.fixture
def windows_run() -> Callable[[Callable[[], int]], list[QWidget]]:
    """``windows_run(lambda: run(...))``: call something that runs the coding window's event loop
    (``app.run``) to its end, closing the first coding window as soon as it is up; returns the
    windows that were up then. A window that never comes quits the loop after 20 s, so the test
    fails instead of hanging."""
    from annotator.gui.main_window import MainWindow

    def windows_run(call: Callable[[], int]) -> list[QWidget]:
        opened: list[QWidget] = []

        def close_the_window() -> None:
            windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
            if not windows:
                QTimer.singleShot(20, close_the_window)
                return
            opened.extend(windows)
            windows[0].close()  # the last window closed: the event loop ends

        QTimer.singleShot(20, close_the_window)
        hang = QTimer()
        hang.setSingleShot(True)
        hang.timeout.connect(QApplication.quit)
        hang.start(20_000)
        try:
            assert call() == 0
        finally:
            hang.stop()
        return opened

    return windows_run
