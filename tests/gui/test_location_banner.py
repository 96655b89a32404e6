"""A project in a synced folder opens with one line in the window's banner saying what to do,
and the coder can still code (the keys write, the banner stays)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.core.store import Store
from tests.gui.keyboard import open_window, press
from tests.helpers import copy_project

pytestmark = pytest.mark.gui


def test_a_project_in_dropbox_shows_the_warning_and_codes_on(qtbot, project_path: Path, tmp_path: Path) -> None:
    synced = tmp_path / "Dropbox" / "study"
    synced.mkdir(parents=True)
    path = copy_project(project_path, synced / "p.db")
    window = open_window(qtbot, path)
    assert window.banner.isVisible()
    text = window.banner.text()
    assert text.startswith(f"{path}: is in a folder that Dropbox syncs") and "annotator merge" in text
    item = window.session.item["id"]
    press(qtbot, Qt.Key.Key_T)  # topics: taiwan
    qtbot.waitUntil(lambda: not window.session.pending)
    with Store(path, readonly=True) as store:
        assert store.labels.annotation(item, "alice").labels.get("topics") == ["taiwan"]
    assert window.banner.isVisible()


def test_a_project_in_a_plain_folder_shows_no_banner(qtbot, project_path: Path) -> None:
    window = open_window(qtbot, project_path)
    assert not window.banner.isVisible()
