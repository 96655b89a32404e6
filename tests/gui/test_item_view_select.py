"""The pair's text stays selectable and copyable with the mouse, though labels are laid out
plain (the cheap way) until a press makes them selectable."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from annotator.gui.app import make_window

pytestmark = pytest.mark.gui


def test_a_press_makes_the_answer_selectable_and_the_next_item_plain_again(qtbot, project: Path) -> None:
    w = make_window(project, "alice")
    qtbot.addWidget(w)
    w.show()
    qtbot.waitActive(w)
    qtbot.waitUntil(lambda: w.session.list_loaded)
    answer = w.pages.view.pair.answer
    selectable = Qt.TextInteractionFlag.TextSelectableByMouse
    assert not answer.textInteractionFlags() & selectable
    qtbot.mouseDClick(answer, Qt.MouseButton.LeftButton, pos=QPoint(12, answer.fontMetrics().height() // 2))
    assert answer.textInteractionFlags() & selectable
    assert answer.hasSelectedText() and answer.selectedText() in answer.text()
    w.focus_item()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_J)
    assert not answer.textInteractionFlags() & selectable and not answer.hasSelectedText()
    w.close()
