"""The left of the coding window: the filters, the list of the items in them, and the
coder's progress (a label the window puts in its status bar).

The list follows the item on screen and reports a row the coder picks; it never
decides what is shown, the window does (through the session).
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.codebook import Codebook
from annotator.core.filters import Filter
from annotator.core.session import ASSIGNMENT, Listing, Progress
from annotator.core.store import Store
from annotator.core.wording import plural
from annotator.gui.filter_bar import FilterBar
from annotator.gui.item_list_model import (
    DATE,
    FLAG_MARK,
    LABELS,
    ORDER_OF_COLUMN,
    OUTLET,
    QUESTION,
    SHORT_HEADERS,
    SPOKESPERSON,
    STATUS,
    STATUS_MARKS,
    ItemListModel,
    status_mark,
)

# Left to right as the list shows them: what a coder scans first (the date, how far they got,
# what they chose) before the question, whose start takes the room that is left; outlet and
# spokesperson (the item's where line says both) only where the list is wide enough.
VISUAL_ORDER = (DATE, STATUS, LABELS, QUESTION, OUTLET, SPOKESPERSON)
OPTIONAL = (OUTLET, SPOKESPERSON)  # shown, in this order, while the question keeps QUESTION_MIN
QUESTION_MIN = 150
LABELS_SHARE = 0.45  # of what the date and status leave: the labels' short form, the question the rest
PAD = 10  # a cell's margins either side of its text


def duration(hours: float) -> str:
    """1.25 -> '1 h 15 min', 0.4 -> '24 min'."""
    minutes = max(round(hours * 60), 1)
    return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"


class StatusMarks(QStyledItemDelegate):
    """The Status column as a mark ('✓', '•⚑'): the word (the model's value) is the cell's tooltip,
    and a column of words took a third of the list at 1366 wide."""

    def displayText(self, value: object, locale: object) -> str:
        return status_mark(str(value or ""))

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        super().initStyleOption(option, index)
        option.displayAlignment = Qt.AlignmentFlag.AlignCenter


class ItemTable(QTableView):
    """The list's table: Home and End go to the first and last item, as in a list, never to the
    first and last column (which scrolled the list sideways, the date out of sight, with no
    scroll bar to bring it back); the list never scrolls sideways at all."""

    def moveCursor(self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier) -> QModelIndex:
        model = self.model()
        if action in (QAbstractItemView.CursorAction.MoveHome, QAbstractItemView.CursorAction.MoveEnd) and model.rowCount():
            row = 0 if action == QAbstractItemView.CursorAction.MoveHome else model.rowCount() - 1
            return model.index(row, max(self.currentIndex().column(), 0))
        return super().moveCursor(action, modifiers)

    def scrollTo(self, index: QModelIndex, hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible) -> None:
        super().scrollTo(index, hint)
        self.horizontalScrollBar().setValue(0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    def fit_columns(self) -> None:
        """Every column shown in the list's width, nothing off to the right: the date and the
        status mark as wide as their widest text; of the rest, the labels' short form a share
        (never under a few keys) and the question the remainder, each cut with an ellipsis where
        longer (the whole text is the cell's tooltip); outlet and spokesperson join while the
        question keeps its room."""
        fm = self.fontMetrics()
        header = self.horizontalHeader()
        header_fm = header.fontMetrics()
        marks = [status_mark(s + flag) for s in STATUS_MARKS for flag in ("", FLAG_MARK)]
        status = max(*(fm.horizontalAdvance(m) for m in marks), header_fm.horizontalAdvance(SHORT_HEADERS[STATUS]))
        fixed = {
            DATE: fm.horizontalAdvance("0000-00-00") + PAD,
            STATUS: status + PAD,
            OUTLET: fm.horizontalAdvance("Xinhua News Ag") + PAD,
            SPOKESPERSON: fm.horizontalAdvance("Hua Chunying") + PAD,
        }
        rest = self.viewport().width() - fixed[DATE] - fixed[STATUS]
        fixed[LABELS] = max(round(rest * LABELS_SHARE), fm.horizontalAdvance("TH·F·⇧P") + PAD)
        room = rest - fixed[LABELS]
        shown = {DATE, STATUS, LABELS, QUESTION}
        for col in OPTIONAL:
            if room - fixed[col] >= QUESTION_MIN:
                shown.add(col)
                room -= fixed[col]
        for col in range(self.model().columnCount()):
            header.setSectionHidden(col, col not in shown)
            if col in fixed:
                header.resizeSection(col, fixed[col])
        header.resizeSection(QUESTION, max(room, 40))  # the last shown section: it stretches to the edge


class ItemListPane(QWidget):
    itemPicked = Signal(int)  # the coder moved the list's cursor to this item
    orderWanted = Signal(str)  # a column's header was clicked: sort the list this way (filters.ORDERS)

    def __init__(self, store: Store, coder: str, codebook: Codebook) -> None:
        super().__init__()
        self.setObjectName("leftPane")
        self.coder = coder
        self.filter_bar = FilterBar(codebook)
        self.model = ItemListModel(store, coder, codebook)
        self.table = ItemTable()
        self.table.setObjectName("itemList")
        self.table.setModel(self.model)
        self.status_marks = StatusMarks(self.table)
        self.table.setItemDelegateForColumn(STATUS, self.status_marks)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.refit()
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for visual, col in enumerate(VISUAL_ORDER):
            header.moveSection(header.visualIndex(col), visual)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(False)
        header.sectionClicked.connect(self._header_clicked)
        self.order = "import"
        self.table.fit_columns()
        self.table.selectionModel().currentRowChanged.connect(self._row_picked)
        self._following = False  # the list is moving to the shown item, not the coder picking a row
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.table, 1)

        self.progress_label = QLabel()
        self.progress_label.setObjectName("progress")
        self.coder_label = QLabel(f"Coding as {coder}")  # always in sight, not only in the title bar
        self.coder_label.setObjectName("coderName")

    def refit(self) -> None:
        """Rows and columns as the text in force needs (the coder's text size)."""
        self.table.ensurePolished()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        if self.table.model() is not None:
            self.table.fit_columns()

    def show_listing(self, listing: Listing, flt: Filter) -> None:
        self.model.set_ids(listing.ids)
        self.order = listing.order
        header = self.table.horizontalHeader()
        column = next((c for c, o in ORDER_OF_COLUMN.items() if o == listing.order), None)
        header.setSortIndicatorShown(column is not None)
        if column is not None:
            header.setSortIndicator(column, Qt.SortOrder.AscendingOrder)
        by = "" if listing.order == "import" else f" · by {listing.order}"
        self.filter_bar.summary.setText(f"{plural(len(listing), 'item')} · {flt.describe()}{by}")

    def _header_clicked(self, column: int) -> None:
        """A sortable column's header sorts by it; clicked again, back to import order."""
        order = ORDER_OF_COLUMN.get(column)
        if order is not None:
            self.orderWanted.emit("import" if order == self.order else order)

    def show_progress(self, p: Progress) -> None:
        """'12 of 27 labelled (your assignment) · 9 today · 6 in the last hour, about 2 h 30 min left'."""
        mine = " (your assignment)" if p.of == ASSIGNMENT else ""
        parts = [f"{p.labelled:,} of {p.total:,} labelled{mine}", f"{p.today:,} today"]
        if p.last_hour:
            left = p.hours_left
            pace = f"{p.last_hour:,} in the last hour"
            parts.append(f"{pace}, about {duration(left)} left" if left else pace)
        if p.left is not None:
            parts.append(f"{p.left:,} left in the filter")
        self.progress_label.setText("   ·   ".join(parts))

    def follow(self, item_id: int, listed: bool) -> None:
        """Select the shown item's row (none when it is outside the list or ``listed`` is False,
        the list not loaded yet); only the two rows that change are repainted."""
        row = self.model.row_of(item_id) if listed else None
        sel = self.table.selectionModel()
        self._following = True
        try:
            if row is None:
                sel.clear()
            else:
                index = self.model.index(row, 0)
                sel.setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
                )
                # scroll only when the row is out of sight, and then to the middle, so stepping
                # through the list repaints the whole list once every screenful rather than every step
                if not self.table.viewport().rect().contains(self.table.visualRect(index)):
                    self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        finally:
            self._following = False

    def _row_picked(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._following:
            return
        item_id = self.model.id_at(current.row()) if current.isValid() else None
        if item_id is not None:
            self.itemPicked.emit(item_id)

    def item_changed(self, item_id: int) -> None:
        self.model.item_changed(item_id)

    def rows_changed(self) -> None:
        self.model.rows_changed()

    def set_store(self, store: Store) -> None:
        self.model.set_store(store)

    def focus_list(self) -> None:
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_search(self) -> None:
        self.filter_bar.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_bar.search.selectAll()
