"""The item list as a coder uses it, from the keyboard: the start of the question and their own
labels in it, every shown column whole at 1366×768, sorted by date (Ctrl+Shift+O or a header),
and Ctrl+G to an item by its number in the list, in its conference, or its uid."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from annotator.core.filters import STATUS_ORDER
from annotator.core.store import Store
from annotator.gui.item_list_model import DATE, FLAG_MARK, LABELS, QUESTION, STATUS, status_mark
from annotator.gui.main_window import MainWindow
from tests.gui.keyboard import open_window, press

pytestmark = pytest.mark.gui

Key = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier

# imported in this order, dated out of it
OUT_OF_ORDER = [
    ("2022-03-01", "Zhao Lijian", [("Reuters", "Will the March talks go ahead?", "Yes."),
                                   ("AFP", "What about tariffs in March?", "No comment.")]),
    ("2021-01-05", "Wang Wenbin", [("CCTV", "How do you view the January visit?", "Positively.")]),
    ("2021-07-09", "Hua Chunying", [("AP", "Any comment on the July summit?", "We welcome it.")]),
]


def shown_list(qtbot, w: MainWindow, width: int = 1366, height: int = 768) -> None:
    w.resize(width, height)
    w.fit_panes()
    qtbot.waitUntil(lambda: w.size().toTuple() == (width, height))
    if not w.item_list.isVisible():
        press(qtbot, Key.Key_L, CTRL | SHIFT)
    QApplication.processEvents()
    assert w.item_list.isVisible()


def whole(w: MainWindow, column: int) -> bool:
    table = w.item_list.table
    left = table.columnViewportPosition(column)
    return (not table.isColumnHidden(column) and left >= 0
            and left + table.columnWidth(column) <= table.viewport().width())


def cell(w: MainWindow, row: int, column: int) -> str:
    return w.item_list.model.index(row, column).data()


def test_the_list_shows_the_question_and_my_labels_and_every_column_whole(qtbot, project: Path) -> None:
    w = open_window(qtbot, project)
    shown_list(qtbot, w)
    for column in (DATE, STATUS, LABELS, QUESTION):
        assert whole(w, column), column
    table = w.item_list.table
    for column in range(w.item_list.model.columnCount()):  # nothing off to the right
        if not table.isColumnHidden(column):
            assert table.columnViewportPosition(column) + table.columnWidth(column) <= table.viewport().width()
    fm = table.fontMetrics()
    marks = [status_mark(s + flag) for s in STATUS_ORDER for flag in ("", FLAG_MARK)]
    assert table.columnWidth(STATUS) >= max(fm.horizontalAdvance(m) for m in marks)  # every status mark whole
    assert table.columnWidth(QUESTION) >= 110  # the start of a question reads at 1366
    row = w.item_list.model.row_of(w.session.item["id"])
    assert cell(w, row, QUESTION) == w.session.item["question"][:90]
    assert cell(w, row, LABELS) == ""
    press(qtbot, Key.Key_T)  # topics: Taiwan
    press(qtbot, Key.Key_H)  # topics: Hong Kong
    press(qtbot, Key.Key_F)  # unsure
    qtbot.waitUntil(lambda: cell(w, row, LABELS) == "TH" and cell(w, row, STATUS) == "labelled ⚑")
    assert whole(w, STATUS)
    shown = table.itemDelegateForColumn(STATUS).displayText(cell(w, row, STATUS), None)
    assert shown == "•⚑"  # the status as its mark; the word is the tooltip
    assert w.item_list.model.index(row, STATUS).data(Qt.ItemDataRole.ToolTipRole) == "labelled ⚑"
    assert w.item_list.model.index(row, LABELS).data(Qt.ItemDataRole.ToolTipRole) == "Topics: Taiwan, Hong Kong / Macao"
    # a coded item of the bundled codebook, a key or three in each scheme, fits the labels column whole
    for key, mods in ((Key.Key_U, None), (Key.Key_1, None), (Key.Key_8, None), (Key.Key_T, SHIFT),
                      (Key.Key_L, SHIFT), (Key.Key_U, SHIFT)):
        press(qtbot, key, mods) if mods else press(qtbot, key)
    qtbot.waitUntil(lambda: cell(w, row, LABELS) == "THU·1·8·⇧TUL")
    assert fm.horizontalAdvance(cell(w, row, LABELS)) <= table.columnWidth(LABELS) - 8


def test_sorting_by_date_keeps_the_item_and_its_row_in_sight(qtbot, make_project, tmp_path: Path) -> None:
    path = make_project(tmp_path / "dated.db", OUT_OF_ORDER)
    w = open_window(qtbot, path)
    shown_list(qtbot, w)
    model = w.item_list.model
    dates = lambda: [cell(w, r, DATE) for r in range(model.rowCount())]  # noqa: E731
    assert dates() == ["2022-03-01", "2022-03-01", "2021-01-05", "2021-07-09"]
    shown = w.session.item["id"]
    press(qtbot, Key.Key_O, CTRL | SHIFT)  # the next order after import order: by date
    assert w.session.order == "date"
    assert dates() == ["2021-01-05", "2021-07-09", "2022-03-01", "2022-03-01"]
    assert w.session.item["id"] == shown  # the item stays on screen, its row selected
    assert w.item_list.table.currentIndex().row() == model.row_of(shown) == 2
    assert "by date" in w.item_list.filter_bar.summary.text()
    press(qtbot, Key.Key_Right)  # next is next in the list's order
    assert w.session.item["id"] == model.ids[3]
    press(qtbot, Key.Key_Right)
    assert w.session.item["id"] == model.ids[3]  # the last row: it stays
    press(qtbot, Key.Key_K)
    press(qtbot, Key.Key_K)
    press(qtbot, Key.Key_K)
    assert w.session.item["id"] == model.ids[0] and cell(w, 0, DATE) == "2021-01-05"
    for _ in range(4):  # outlet, spokesperson, status, then import order again
        press(qtbot, Key.Key_O, CTRL | SHIFT)
    assert w.session.order == "import" and dates()[0] == "2022-03-01"
    w.item_list.table.horizontalHeader().sectionClicked.emit(DATE)  # the header sorts too
    assert w.session.order == "date"


def goto(qtbot, w: MainWindow, text: str) -> None:
    press(qtbot, Key.Key_G, CTRL)
    box = w.goto_box
    assert box is not None
    field = box.findChild(QLineEdit)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field)  # the box takes the keys
    qtbot.keyClicks(field, text)
    press(qtbot, Key.Key_Return)
    qtbot.waitUntil(lambda: w.goto_box is None and QApplication.focusWidget() is w.pages.view)


def test_ctrl_g_goes_to_an_item_by_its_row_its_number_in_the_conference_or_its_uid(qtbot, project: Path) -> None:
    w = open_window(qtbot, project)
    shown_list(qtbot, w)
    ids = w.item_list.model.ids
    goto(qtbot, w, "5")
    assert w.session.item["id"] == ids[4]
    assert w.item_list.table.currentIndex().row() == 4
    goto(qtbot, w, "c1")  # the first pair of the conference on screen
    with Store(project, readonly=True) as store:
        first_of_conference = store.items.at_position(store.items.get(ids[4])["source_id"], 1)
        uid = store.items.get(ids[7])["uid"]
    assert w.session.item["id"] == first_of_conference
    goto(qtbot, w, uid)
    assert w.session.item["id"] == ids[7]
    goto(qtbot, w, "99")
    assert w.session.item["id"] == ids[7]  # nothing there: the item stays, the status line says why
    assert "No item '99'" in w.statusBar().currentMessage()
    press(qtbot, Key.Key_T)  # the keys label again at once: the focus is back on the item
    assert ("topics", "taiwan") in w.coding.panel.checked()
    goto(qtbot, w, "98")
    goto(qtbot, w, "5")
    assert "No item" not in w.statusBar().currentMessage()  # found: the miss before is not said still


def test_the_list_keeps_the_order_the_coder_chose_per_project(qtbot, make_project, tmp_path: Path) -> None:
    path = make_project(tmp_path / "dated.db", OUT_OF_ORDER)
    other = make_project(tmp_path / "other.db", OUT_OF_ORDER)
    w = open_window(qtbot, path)
    shown_list(qtbot, w)
    press(qtbot, Key.Key_O, CTRL | SHIFT)  # by date
    assert w.session.order == "date"
    w.close()

    w = open_window(qtbot, path)  # the same project: by date again, the header says so
    shown_list(qtbot, w)
    assert w.session.order == "date"
    assert [cell(w, r, DATE) for r in range(w.item_list.model.rowCount())] == [
        "2021-01-05", "2021-07-09", "2022-03-01", "2022-03-01"]
    header = w.item_list.table.horizontalHeader()
    assert header.isSortIndicatorShown() and header.sortIndicatorSection() == DATE
    assert "by date" in w.item_list.filter_bar.summary.text()
    press(qtbot, Key.Key_O, CTRL | SHIFT)  # by outlet, and that is what the next window keeps
    w.close()
    w = open_window(qtbot, path)
    assert w.session.order == "outlet"
    w.close()

    w = open_window(qtbot, other)  # another project keeps its own: import order
    assert w.session.order == "import"
    w.close()
