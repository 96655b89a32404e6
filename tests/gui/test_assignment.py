"""A coder with an assignment: the list, J/K, Enter and the counts follow the assigned items,
by default and from the keyboard; a coder without one sees the whole project."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.core.filters import Filter
from annotator.core.store import Store
from tests.gui.keyboard import open_window, press

pytestmark = pytest.mark.gui

Key = Qt.Key
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def assign(path: Path) -> list[int]:
    with Store(path) as store:
        ids = list(store.browse.item_ids(Filter(), "alice"))
        mine = [ids[1], ids[3], ids[4], ids[6]]
        store.assignments.set([(i, "alice") for i in mine] + [(i, "bob") for i in ids if i not in mine])
    return mine


def test_next_and_enter_follow_the_assignment(qtbot, project: Path) -> None:
    mine = assign(project)
    w = open_window(qtbot, project)
    assert not w.item_list.filter_bar.assigned.isHidden() and w.item_list.filter_bar.assigned.isChecked()
    assert w.session.flt.assigned and list(w.item_list.model.ids) == mine
    assert w.session.item["id"] == mine[0]                     # starts at the first assigned item
    assert "1\u00a0of\u00a04 in your assignment" in w.pages.view.position.text()  # "1 of 4" never wraps
    assert "4 left in the filter" in w.item_list.progress_label.text()

    for key in (Key.Key_T, Key.Key_3, Key.Key_8):      # topic, tone, stance, then Enter: done and the next
        press(qtbot, key)
    press(qtbot, Key.Key_Return)
    assert w.session.item["id"] == mine[1]
    press(qtbot, Key.Key_J)
    assert w.session.item["id"] == mine[2]
    press(qtbot, Key.Key_J)
    assert w.session.item["id"] == mine[3]
    press(qtbot, Key.Key_J)                            # the last assigned item: no step outside it
    assert w.session.item["id"] == mine[3]
    for key in (Key.Key_Z, Key.Key_3, Key.Key_8):
        press(qtbot, key)
    press(qtbot, Key.Key_Return)                       # done; wraps round to the first unlabelled assigned item
    assert w.session.item["id"] == mine[1]
    # the progress line follows a write once the key's change is painted
    qtbot.waitUntil(lambda: "2 left in the filter" in w.item_list.progress_label.text())
    press(qtbot, Key.Key_F, CTRL | SHIFT)              # clearing the filters keeps to the assignment
    assert w.session.flt == Filter(assigned=True) and w.item_list.model.rowCount() == 4

    w.item_list.filter_bar.assigned.setFocus()                   # the switch, from the keyboard: every item
    press(qtbot, Key.Key_Space)
    assert not w.session.flt.assigned and w.item_list.model.rowCount() == 8
    w.close()
    with Store(project, readonly=True) as store:
        assert [i for i in store.browse.item_ids(Filter(), "alice") if store.labels.annotation(i, "alice").done] == [mine[0], mine[3]]

    w2 = open_window(qtbot, project)                   # the coder turned it off: it stays off
    assert not w2.session.flt.assigned and w2.item_list.model.rowCount() == 8 and not w2.item_list.filter_bar.assigned.isChecked()
    w2.item_list.filter_bar.assigned.setChecked(True)
    assert list(w2.item_list.model.ids) == mine
    w2.close()


def test_a_coder_without_assignment_sees_every_item(qtbot, project: Path) -> None:
    assign(project)
    w = open_window(qtbot, project, "carol")
    assert w.item_list.filter_bar.assigned.isHidden() and not w.session.flt.assigned and w.item_list.model.rowCount() == 8
    w.close()


def test_an_assignment_made_after_the_coder_started_is_followed(qtbot, project: Path) -> None:
    w = open_window(qtbot, project)
    assert w.item_list.model.rowCount() == 8 and w.item_list.filter_bar.assigned.isHidden()
    press(qtbot, Key.Key_J)
    w.close()
    mine = assign(project)                             # the lead assigns; the saved filter knew of none
    w2 = open_window(qtbot, project)
    assert w2.session.flt.assigned and list(w2.item_list.model.ids) == mine
    w2.close()


def test_the_status_bar_shows_the_coders_own_assignment_today_and_name(qtbot, project) -> None:

    with Store(project) as store:
        ids = list(store.browse.item_ids(Filter(), "alice"))
        store.assignments.set([(i, "alice") for i in ids[:3]] + [(i, "bob") for i in ids[3:]])
    w = open_window(qtbot, project)
    text = w.item_list.progress_label.text()
    assert "0 of 3 labelled (your assignment)" in text and "0 today" in text
    assert w.item_list.coder_label.text() == "Coding as alice" and w.item_list.coder_label.isVisible()
    for key in (Qt.Key.Key_T, Qt.Key.Key_3, Qt.Key.Key_8, Qt.Key.Key_Return):  # topic, tone, stance, done
        press(qtbot, key)
    qtbot.waitUntil(lambda: "1 of 3 labelled" in w.item_list.progress_label.text())  # once the key's change is painted
    text = w.item_list.progress_label.text()
    assert "1 of 3 labelled (your assignment)" in text and "1 today" in text
    assert "1 in the last hour, about 2 h 0 min left" in text
    w.close()
