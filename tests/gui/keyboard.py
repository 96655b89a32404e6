"""Driving the coding window as a coder does: open it, then press keys where the focus is."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.gui.app import make_window
from annotator.gui.main_window import MainWindow

NO_MODIFIER = Qt.KeyboardModifier.NoModifier


def open_window(qtbot, path: Path, coder: str = "alice") -> MainWindow:
    window = make_window(path, coder)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    qtbot.waitUntil(lambda: window.session.list_loaded)
    return window


def press(qtbot, key: Qt.Key, mods: Qt.KeyboardModifier = NO_MODIFIER) -> None:
    """A key press where a coder's would land: on the widget with the focus."""
    qtbot.keyClick(QApplication.focusWidget() or QApplication.activeWindow(), key, mods)


def press_sequence(qtbot, sequence: str) -> None:
    """Press a key as the codebook or the window spells it ('Alt+Shift+T', 'Ctrl+=') where the focus is."""
    from PySide6.QtGui import QKeySequence

    from annotator.core.window_keys import normalise_key
    from annotator.gui.keys import qt_sequence

    combo = QKeySequence(qt_sequence(normalise_key(sequence)))[0]
    press(qtbot, combo.key(), combo.keyboardModifiers())
