"""The item list as a Qt model that holds ids and fetches rows as they are shown.

Like Anki's browser table: the model keeps the filtered ids (a ``range`` or an
``array('q')``, at most 8 bytes an item) and asks the store for a page of rows when the view paints
one; a small cache of pages is kept and dropped when a label changes.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from annotator.core.errors import AnnotatorError
from annotator.core.session import row_of
from annotator.core.store import Store

HEADERS = ("Date", "Outlet", "Spokesperson", "Status")
PAGE = 200
MAX_PAGES = 40

Index = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()  # the default parent of the count methods: the (invalid) root


class ItemListModel(QAbstractTableModel):
    def __init__(self, store: Store, coder: str) -> None:
        super().__init__()
        self.store = store
        self.coder = coder
        self._ids: Sequence[int] = range(0)
        self._pages: OrderedDict[int, list[tuple[str, str, str, str]]] = OrderedDict()

    # -- what the window uses ---------------------------------------------------------

    def set_ids(self, ids: Sequence[int]) -> None:
        self.beginResetModel()
        self._ids = ids
        self._pages.clear()
        self.endResetModel()

    @property
    def ids(self) -> Sequence[int]:
        return self._ids

    def id_at(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, item_id: int) -> int | None:
        return row_of(self._ids, item_id)

    def item_changed(self, item_id: int) -> None:
        """Refresh one row's status after a write (only this row's page is fetched again)."""
        row = self.row_of(item_id)
        if row is None:
            return
        self._pages.pop(row // PAGE, None)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))

    def set_store(self, store: Store) -> None:
        self.store = store

    # -- Qt model -----------------------------------------------------------------------

    def rowCount(self, parent: Index = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return str(section + 1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row, col = index.row(), index.column()
        if not (0 <= row < len(self._ids) and 0 <= col < len(HEADERS)):
            return None
        values = self._row(row)
        return values[col] if values is not None else None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def _row(self, row: int) -> tuple[str, str, str, str] | None:
        page_no = row // PAGE
        page = self._pages.get(page_no)
        if page is None:
            start = page_no * PAGE
            ids = list(self._ids[start:start + PAGE])
            try:
                rows = self.store.browse.list_rows(ids, self.coder)
            except AnnotatorError:  # a database gone away must not break painting; the banner says why
                return ("", "", "", "")
            page = [rows.get(i, ("", "", "", "")) for i in ids]
            self._pages[page_no] = page
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        return page[row - page_no * PAGE]
