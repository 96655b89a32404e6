"""Opening a project made by an older version in the window: the upgrade runs on a thread of
its own under a dialog that says so and that Esc does not close; a current project opens as ever."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QInputDialog

from annotator.core.errors import AnnotatorError
from annotator.core.store import Store, steps_to_upgrade
from annotator.core.store.backups import backups
from annotator.gui import upgrading
from annotator.gui.app import ask_coder, make_window, open_store
from tests.helpers import older_project, sample_source

pytestmark = pytest.mark.gui

LABELS = [(i, coder, "tone", "firm") for i in (1, 2, 3) for coder in ("alice", "bob")]


@pytest.fixture
def older(tmp_path: Path) -> Path:
    return older_project(tmp_path / "old.db", [sample_source()], LABELS, [(1, "alice")])


def slow(path: Path, opened_on: list[threading.Thread], seconds: float = 1.0):
    """The writable open, as slow as a large project's steps (the steps of a small one take
    milliseconds), noting the thread it ran on."""

    def open_() -> Store:
        opened_on.append(threading.current_thread())
        time.sleep(seconds)
        return Store(path)

    return open_


def test_an_older_project_opens_in_the_window_upgraded_with_its_labels(qtbot, older: Path) -> None:
    assert steps_to_upgrade(older)[-1] == "m019_label_times_in_the_coder_index"
    window = make_window(older, "alice")
    qtbot.addWidget(window)
    assert not window.session.store.readonly
    window.close()
    assert steps_to_upgrade(older) == []
    [kept] = backups(older)  # the file as it was, beside it
    assert steps_to_upgrade(kept)[-1] == "m019_label_times_in_the_coder_index"
    with Store(older, readonly=True) as store:
        assert store.labels.coders() == ["alice", "bob"]
        assert store.labels.annotation(1, "bob").labels["tone"] == "firm"


def test_while_the_steps_run_a_dialog_says_so_and_esc_does_not_close_it(qtbot, older: Path, when_dialog) -> None:
    seen: dict[str, object] = {}

    def look(dialog, keys) -> None:
        seen["title"] = dialog.windowTitle()
        seen["text"] = dialog.labelText()
        qtbot.keyClick(keys, Qt.Key.Key_Escape)
        seen["after_esc"] = dialog.isVisible()

    opened_on: list[threading.Thread] = []
    when_dialog(look)
    store = upgrading.opened(older, slow(older, opened_on))
    try:
        assert seen["title"] == "Upgrading the project"
        assert str(seen["text"]).startswith("Upgrading old.db to this version of annotator (")
        assert seen["after_esc"] is True  # the upgrade goes on, and its dialog with it
        assert opened_on[0] is not threading.main_thread()  # the window's thread kept drawing
        assert QApplication.activeModalWidget() is None  # gone once the project is open
        assert steps_to_upgrade(older) == []
    finally:
        store.close()


def test_a_current_project_opens_on_the_calling_thread_with_no_dialog(qtbot, older: Path) -> None:
    Store(older).close()  # upgraded
    opened_on: list[threading.Thread] = []
    upgrading.opened(older, slow(older, opened_on, 0.5)).close()
    # on this thread, so no event was handled meanwhile: no dialog could have shown
    assert opened_on == [threading.main_thread()]


def test_a_failure_while_upgrading_is_raised_to_the_window_opening_it(qtbot, older: Path) -> None:
    def refused() -> Store:
        time.sleep(0.4)
        raise AnnotatorError(f"{older}: the disk is full")

    with pytest.raises(AnnotatorError, match="the disk is full"):
        upgrading.opened(older, refused)
    assert QApplication.activeModalWidget() is None


def test_the_coder_is_asked_after_the_upgrade_and_offered_the_coders_it_holds(
    qtbot, older: Path, isolated_settings, when_dialog
) -> None:
    """Before, the question came first and read the older file read-only, which it refuses:
    only the remembered name was offered."""
    from annotator.gui import settings as gs

    gs.settings().setValue("last/coder", "dora")
    offered: list[str] = []

    def answer(dialog, keys) -> None:
        assert isinstance(dialog, QInputDialog)
        offered.extend(dialog.comboBoxItems())
        qtbot.keyClick(keys, Qt.Key.Key_Escape)

    store = open_store(older)
    try:
        when_dialog(answer)
        assert ask_coder(older, store) is None  # cancelled
    finally:
        store.close()
    assert offered == ["dora", "alice", "bob"]


def test_opening_an_older_project_asks_who_is_coding_once_it_is_upgraded(qtbot, older: Path, isolated_settings,
                                                                         when_dialog, windows_run) -> None:
    """``annotator gui old.db`` as a coder runs it: upgraded, asked (offered its coders), the window."""

    from annotator.gui import settings as gs
    from annotator.gui.app import run

    gs.settings().setValue("last/coder", "dora")
    offered: list[str] = []

    def answer(dialog, keys) -> None:
        assert isinstance(dialog, QInputDialog)
        offered.extend(dialog.comboBoxItems())
        qtbot.keyClicks(keys, "bob")
        qtbot.keyClick(keys, Qt.Key.Key_Return)

    when_dialog(answer)
    opened = windows_run(lambda: run(older, None))
    assert offered == ["dora", "alice", "bob"]
    assert [w.session.coder for w in opened] == ["bob"]
    assert steps_to_upgrade(older) == []
