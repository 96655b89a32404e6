"""The item list as a Qt model that holds ids and fetches rows as they are shown.

Like Anki's browser table: the model keeps the filtered ids (in import order a ``range`` or an
``array('q')``, at most 8 bytes an item; in another order the store's ``SortedIds``, which reads
them from an index a page at a time) and asks the store for a page of rows when the view paints
one; a small cache of pages is kept and dropped when a label changes.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from annotator.core.codebook import Codebook
from annotator.core.errors import AnnotatorError
from annotator.core.records import ListRow
from annotator.core.session import row_of
from annotator.core.store import Store
from annotator.gui.codebook_panel import key_caption

HEADERS = ("Date", "Outlet", "Spokesperson", "Status", "Question", "Labels")
DATE, OUTLET, SPOKESPERSON, STATUS, QUESTION, LABELS = range(len(HEADERS))
ORDER_OF_COLUMN = {DATE: "date", OUTLET: "outlet", SPOKESPERSON: "spokesperson", STATUS: "status"}  # sortable
_BLANK = ("",) * (len(HEADERS) + 1)  # the columns, then the labels by name (the tooltip)
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren  # once, not per cell
FLAG_MARK = " ⚑"  # "labelled, unsure" is "labelled ⚑" ("unsure" alone as it is)
# What the list's narrow Status column shows for each status (the word is the cell's tooltip and
# the sort's); a flag adds ⚑: "labelled ⚑" shows "•⚑".
STATUS_MARKS = {"": "", "unsure": "⚑", "look again": "↻", "incomplete": "!", "labelled": "•", "done": "✓"}
SHORT_HEADERS = {STATUS: "✓"}  # the column's header as shown; its tooltip is the full name
LABEL_SEPARATOR = "·"  # between schemes in the short form: 'TH·F·⇧P'


def _keys_together(captions: list[str]) -> str:
    """One scheme's keys side by side, a modifier they all share said once: ['⇧T', '⇧L'] -> '⇧TL'."""
    mods = {c[: len(c) - len(c.lstrip("⇧⌃⌥"))] for c in captions}
    if len(captions) > 1 and len(mods) == 1 and (shared := mods.pop()):
        return shared + "".join(c[len(shared):] for c in captions)
    return "".join(captions)


def status_mark(status: str) -> str:
    """'labelled ⚑' -> '•⚑', 'done' -> '✓', 'unsure' -> '⚑'."""
    flagged = status.endswith(FLAG_MARK)
    base = status.removesuffix(FLAG_MARK)
    return STATUS_MARKS.get(base, base) + ("⚑" if flagged else "")
PAGE = 200
MAX_PAGES = 40

Index = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()  # the default parent of the count methods: the (invalid) root


class ItemListModel(QAbstractTableModel):
    def __init__(self, store: Store, coder: str, codebook: Codebook | None = None) -> None:
        super().__init__()
        self.store = store
        self.coder = coder
        self.codebook = codebook if codebook is not None else store.codebook()
        self._ids: Sequence[int] = range(0)
        self._pages: OrderedDict[int, list[tuple[str, ...]]] = OrderedDict()

    # -- what the window uses ---------------------------------------------------------

    def set_ids(self, ids: Sequence[int]) -> None:
        """The list's ids: ascending (import order), or a ``SortedIds`` that reads them as shown."""
        self.beginResetModel()
        self._ids = ids
        self._pages.clear()
        self.endResetModel()

    def short_labels(self, labels: tuple[tuple[str, object], ...]) -> str:
        """This coder's labels as the keys that give them, scheme by scheme in codebook order:
        'TH·F·⇧PL' (a modifier the scheme's keys share said once; an option without a key by the
        start of its name)."""
        by_scheme = dict(labels)
        parts = []
        for scheme in self.codebook.schemes:
            chosen = scheme.as_set(by_scheme.get(scheme.name))
            if chosen:
                parts.append(_keys_together([key_caption(o.key, short=True) or o.label[:4]
                                             for o in scheme.options if o.value in chosen]))
        return LABEL_SEPARATOR.join(parts)

    def long_labels(self, labels: tuple[tuple[str, object], ...]) -> str:
        """The same labels by name, a scheme a line: the Labels cell's tooltip."""
        by_scheme = dict(labels)
        lines = []
        for scheme in self.codebook.schemes:
            chosen = scheme.as_set(by_scheme.get(scheme.name))
            if chosen:
                lines.append(f"{scheme.title}: " + ", ".join(o.label for o in scheme.options if o.value in chosen))
        return "\n".join(lines)

    @property
    def ids(self) -> Sequence[int]:
        return self._ids

    def id_at(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, item_id: int) -> int | None:
        return row_of(self._ids, item_id)

    def item_changed(self, item_id: int) -> None:
        """Refresh one row after a write: that row alone is read again (the key's repaint does
        not wait for a page of 200), and only if its page is held; else it is read when shown."""
        row = self.row_of(item_id)
        if row is None:
            return
        page = self._pages.get(row // PAGE)
        if page is not None:
            try:
                fresh = self.store.browse.list_rows([item_id], self.coder).get(item_id)
            except AnnotatorError:  # a database gone away: read again when it is back
                self._pages.pop(row // PAGE, None)
                fresh = None
            if fresh is not None:
                page[row - (row // PAGE) * PAGE] = self._shown(fresh)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))

    def rows_changed(self) -> None:
        """Every row may have changed (another program merged into the project): the pages held
        are dropped and read again as they are shown."""
        self._pages.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(HEADERS) - 1))

    def set_store(self, store: Store) -> None:
        self.store = store

    # -- Qt model -----------------------------------------------------------------------

    def rowCount(self, parent: Index = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if role == Qt.ItemDataRole.ToolTipRole and horizontal and 0 <= section < len(HEADERS):
            return HEADERS[section]
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if horizontal:
            return SHORT_HEADERS.get(section, HEADERS[section]) if 0 <= section < len(HEADERS) else None
        return str(section + 1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row, col = index.row(), index.column()
        if not (0 <= row < len(self._ids) and 0 <= col < len(HEADERS)):
            return None
        values = self._row(row)
        if values is None:
            return None
        if role == Qt.ItemDataRole.ToolTipRole and col == LABELS:
            return values[len(HEADERS)] or None  # the labels by name
        return values[col]

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _ROW_FLAGS

    def _shown(self, r: ListRow) -> tuple[str, ...]:
        status = r.status.replace(", unsure", FLAG_MARK)
        return (r.date, r.outlet, r.spokesperson, status, r.question, self.short_labels(r.labels),
                self.long_labels(r.labels))

    def _row(self, row: int) -> tuple[str, ...] | None:
        page_no = row // PAGE
        page = self._pages.get(page_no)
        if page is None:
            start = page_no * PAGE
            ids = list(self._ids[start:start + PAGE])
            try:
                rows = self.store.browse.list_rows(ids, self.coder)
            except AnnotatorError:  # a database gone away must not break painting; the banner says why
                return _BLANK
            page = [self._shown(rows[i]) if i in rows else _BLANK for i in ids]
            self._pages[page_no] = page
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        return page[row - page_no * PAGE]
