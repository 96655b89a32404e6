"""The coding window: the pair in the middle, the item list on the left, the codebook
on the right. Every action is one call into the store through the ``Writer``;
the window only shows what the store says (plus writes still queued)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView, QApplication, QCheckBox, QFileDialog, QHeaderView, QLabel, QMainWindow, QMessageBox,
    QPlainTextEdit, QProgressDialog, QPushButton, QSplitter, QStackedWidget, QTableView, QVBoxLayout, QWidget,
)

from annotator.core import unwritten
from annotator.core.errors import AnnotatorError
from annotator.core.filters import Filter
from annotator.core.store import Annotation, Change, Store
from annotator.core.unwritten import Op
from annotator.gui import settings as gs
from annotator.gui.codebook_panel import CodebookPanel
from annotator.gui.filter_bar import FilterBar, TextKeys
from annotator.gui.help import HelpDialog, guidelines_html, keyboard_html
from annotator.gui.item_list_model import ItemListModel
from annotator.gui.item_view import ItemView
from annotator.gui.keys import WINDOW_KEYS, codebook_keys, qt_sequence
from annotator.gui.saving import Writer

NOTE_DEBOUNCE_MS = 300
SECONDS_FLUSH_MS = 1500
IDLE_CAP_S = 300.0  # a coder who walks away is not coding: one stretch on an item counts at most 5 minutes
PAGE_EMPTY, PAGE_ITEM, PAGE_NO_MATCH = 0, 1, 2


class MainWindow(QMainWindow):
    itemShown = Signal(int)  # emitted once an item is on screen (tests and benchmarks wait on it)

    def __init__(self, store: Store, coder: str, *, reopen: Callable[[], Store] | None = None,
                 restore: bool = True) -> None:
        super().__init__()
        self.store = store
        self.coder = coder
        self.codebook = store.codebook()
        self.keymap = codebook_keys(self.codebook)  # refuses a clash before any widget exists
        self.setWindowTitle(f"{store.path.name} — {coder} — annotator")
        self.writer = Writer(store, coder, reopen)
        self.writer.written.connect(self._written)
        self.writer.problem.connect(self._db_problem)
        self.writer.storeReopened.connect(self._store_reopened)

        self.item: dict[str, Any] | None = None
        self.ann = Annotation()
        self.flt = Filter()
        self.list_loaded = False
        self._base_count = 0  # items in the filter ignoring status, cached per filter
        self._total = store.item_count()  # items in the project: counted again when the list reloads
        self._conferences: dict[int, dict[str, Any]] = {}
        self._since = time.monotonic()
        self._unsaved_seconds: dict[int, float] = {}
        self._note_item: int | None = None
        self._loading = False
        self._syncing = False
        self.exporter: Any = None  # File > Export…'s dialog while open (and the last one, for tests)
        self.export_result: QMessageBox | None = None

        self._build()
        self._make_actions()
        self.settings_key = gs.project_key(store.path, coder)
        # a coder with an assignment follows it: "assigned to me" is on unless they turned it off
        self.assignable = store.has_assignments(coder)
        self.filter_bar.set_assignable(self.assignable)
        kept_message = self._write_kept_changes()
        if restore:
            self._restore()
        else:
            self.resize(1400, 900)
        if self.assignable and not (restore and gs.settings().value(f"{self.settings_key}/assignments_known") in (True, "true")):
            self.flt = replace(self.flt, assigned=True)
        elif not self.assignable and self.flt.assigned:
            self.flt = replace(self.flt, assigned=False)  # the lead withdrew the assignment
        self._start()
        # keys label from the first moment rather than type into a field; an empty project offers Import
        (self.import_button if self.stack.currentIndex() == PAGE_EMPTY else self.view).setFocus()
        if kept_message:
            self.statusBar().showMessage(kept_message, 15000)

    def _write_kept_changes(self) -> str:
        """Changes an earlier window could not write before it closed: written now, before
        anything is shown, so the coder sees them in place. Returns what to tell the coder."""
        told = []
        for path in unwritten.kept_for(gs.unwritten_folder(), self.store.path, self.coder):
            try:
                n = unwritten.write_kept(self.store, self.coder, path)
            except AnnotatorError as e:
                told.append(str(e))
                continue
            told.append(f"Wrote {n} change{'s' if n != 1 else ''} kept from an earlier session ({path.name})")
        return "; ".join(told)

    # -- building ---------------------------------------------------------------------

    def _build(self) -> None:
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.banner.hide()

        self.filter_bar = FilterBar(self.codebook)
        self.filter_bar.filterChanged.connect(self.apply_filter)
        self.filter_bar.leave.connect(self.focus_item)
        self.model = ItemListModel(self.store, self.coder)
        self.table = QTableView()
        self.table.setObjectName("itemList")
        self.table.setModel(self.model)
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
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((82, 104, 96)):
            header.resizeSection(col, width)
        self.table.selectionModel().currentRowChanged.connect(self._row_picked)
        left = QWidget()
        left.setObjectName("leftPane")
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.setSpacing(0)
        lv.addWidget(self.filter_bar)
        lv.addWidget(self.table, 1)

        self.view = ItemView()
        self.view.contextToggled.connect(lambda on: self._load_context() if on else None)
        self.empty = QWidget()
        ev = QVBoxLayout(self.empty)
        ev.addStretch(1)
        msg = QLabel("This project has no items yet.\nImport press-conference transcripts to start coding.")
        msg.setAlignment(Qt.AlignmentFlag.AlignCenter)
        msg.setObjectName("emptyMessage")
        self.import_button = QPushButton("Import…")
        self.import_button.setObjectName("importButton")
        self.import_button.clicked.connect(self.import_dialog)
        ev.addWidget(msg)
        ev.addWidget(self.import_button, 0, Qt.AlignmentFlag.AlignCenter)
        ev.addStretch(2)
        self.no_match = QLabel("No items match the filter.\nCtrl+Shift+F clears it.")
        self.no_match.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_match.setObjectName("emptyMessage")
        self.stack = QStackedWidget()
        for page in (self.empty, self.view, self.no_match):
            self.stack.addWidget(page)
        self.stack.setCurrentIndex(PAGE_ITEM)

        self.panel = CodebookPanel(self.codebook)
        self.panel.optionClicked.connect(self.toggle)
        self.flag_box = QCheckBox("Unsure  (F)")
        self.flag_box.setObjectName("flagBox")
        self.flag_box.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.flag_box.clicked.connect(lambda _=False: self.toggle_flag())
        self.note = QPlainTextEdit()
        self.note.setObjectName("note")
        self.note.setPlaceholderText("Note  (N; Escape to leave)")
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(84)
        self.note_keys = TextKeys(self)
        self.note.installEventFilter(self.note_keys)
        self.note.textChanged.connect(self._note_edited)
        self.note_timer = QTimer(self)
        self.note_timer.setSingleShot(True)
        self.note_timer.setInterval(NOTE_DEBOUNCE_MS)
        self.note_timer.timeout.connect(self.flush_note)
        self.seconds_timer = QTimer(self)
        self.seconds_timer.setSingleShot(True)
        self.seconds_timer.setInterval(SECONDS_FLUSH_MS)
        self.seconds_timer.timeout.connect(self._flush_seconds)
        right = QWidget()
        right.setObjectName("rightPane")
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 8, 8)
        rv.setSpacing(6)
        rv.addWidget(self.panel, 1)
        rv.addWidget(self.flag_box)
        rv.addWidget(self.note)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.stack)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setSizes([380, 720, 300])
        central = QWidget()
        cv = QVBoxLayout(central)
        cv.setContentsMargins(0, 0, 0, 0)
        cv.setSpacing(0)
        cv.addWidget(self.banner)
        cv.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.progress_label = QLabel()
        self.progress_label.setObjectName("progress")
        self.statusBar().addPermanentWidget(self.progress_label)

    def _make_actions(self) -> None:
        handlers: dict[str, Callable[[], Any]] = {
            "done_next": self.done_and_next, "next": self.next_item, "previous": self.previous_item,
            "undo": self.undo, "redo": self.redo, "search": self.focus_search, "flag": self.toggle_flag,
            "note": self.focus_note, "context": self.toggle_context, "list": self.focus_list,
            "clear_filter": self.clear_filter, "keyboard_help": self.show_keyboard_help,
            "import": self.import_dialog, "export": self.export_dialog, "quit": self.close,
            "back": self.focus_item,
        }
        self.actions_by_name: dict[str, QAction] = {}
        for wk in WINDOW_KEYS:
            action = QAction(wk.help.split(" (")[0], self)
            action.setShortcuts([QKeySequence(k) for k in wk.keys])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(handlers[wk.action])
            self.addAction(action)
            self.actions_by_name[wk.action] = action
        a = self.actions_by_name
        menus = self.menuBar()
        file_menu = menus.addMenu("&File")
        file_menu.addAction(a["import"])
        import_folder = QAction("Import a folder…", self)
        import_folder.triggered.connect(lambda: self.import_dialog(folder=True))
        file_menu.addAction(import_folder)
        file_menu.addAction(a["export"])
        file_menu.addSeparator()
        file_menu.addAction(a["quit"])
        edit = menus.addMenu("&Edit")
        for name in ("undo", "redo", "flag", "note"):
            edit.addAction(a[name])
        go = menus.addMenu("&Go")
        for name in ("done_next", "next", "previous", "list", "search", "clear_filter", "context"):
            go.addAction(a[name])
        labels = menus.addMenu("&Codebook")
        self.option_actions: dict[tuple[str, str], QAction] = {}
        keys_by_option = {sv: canon for canon, sv in self.keymap.items()}
        for scheme in self.codebook.schemes:
            sub = labels.addMenu(scheme.title)
            for option in scheme.options:
                action = QAction(option.label, self)
                canon = keys_by_option.get((scheme.name, option.value))
                if canon:
                    action.setShortcut(QKeySequence(qt_sequence(canon)))
                    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
                action.triggered.connect(lambda _=False, s=scheme.name, v=option.value: self.toggle(s, v))
                self.addAction(action)
                sub.addAction(action)
                self.option_actions[(scheme.name, option.value)] = action
        help_menu = menus.addMenu("&Help")
        help_menu.addAction(a["keyboard_help"])
        guide = QAction("Codebook guidelines", self)
        guide.triggered.connect(self.show_guidelines)
        help_menu.addAction(guide)

    # -- start and restore --------------------------------------------------------------

    def _restore(self) -> None:
        s = gs.settings()
        geometry = s.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 900)
        state = s.value("window/splitter")
        if state is not None:
            self.splitter.restoreState(state)
        saved = gs.get_json(s, f"{self.settings_key}/filter")
        if isinstance(saved, dict):
            try:
                self.flt = Filter.from_dict(saved)
            except ValueError:
                self.flt = Filter()
        self.view.set_context_visible(s.value(f"{self.settings_key}/context") in (True, "true"))

    def _start(self) -> None:
        """Show one item at once, then load the list behind it (the list can be a million rows)."""
        self.filter_bar.set_filter(self.flt)
        if self._total == 0:
            self.stack.setCurrentIndex(PAGE_EMPTY)
            self._set_coding_enabled(False)
            self._update_progress()
            return
        saved = gs.settings().value(f"{self.settings_key}/item")
        item_id = int(saved) if saved is not None and str(saved).isdigit() else None
        if (item_id is None or self.store.item(item_id) is None) and self.flt.assigned:
            item_id = self.store.next_assigned_item_id(self.coder) or self.store.next_assigned_item_id(self.coder, undone_only=False)
        if item_id is None or self.store.item(item_id) is None:
            item_id = self.store.first_item_id()
        assert item_id is not None
        self.show_item(item_id)
        QTimer.singleShot(0, self._load_list)

    def _load_list(self) -> None:
        self.apply_filter(self.flt, force=True, keep_item=True)
        self.filter_bar.set_names(self.store.distinct_names("outlet_norm"), self.store.distinct_names("spokesperson_norm"))

    # -- showing ------------------------------------------------------------------------

    def show_item(self, item_id: int) -> None:
        """Put one item on screen with this coder's labels (and nobody else's)."""
        if self.item is not None and self.item["id"] != item_id:
            self._leave_item()
        else:
            # shown again (a filter change keeps the item): a note still in its debounce is
            # written now, or the database's older note below would overwrite the field
            self.flush_note()
        item = self.store.item(item_id)
        if item is None:
            return
        self.item = item
        self._loading = True
        try:
            self.ann = self.store.annotation(item_id, self.coder)
            self._apply_pending(self.ann, item_id)
            conf = self._conferences.get(item["source_id"])
            if conf is None:
                conf = self._conferences[item["source_id"]] = self.store.conference(item["source_id"])
            self.view.show_item(item, self._where(item, conf), self._position(item))
            if self.view.context_visible:
                self._load_context()
            self.panel.set_labels(self.ann.labels)
            self.flag_box.setChecked(self.ann.flag)
            self._note_item = item_id
            if self.note.toPlainText() != self.ann.note:  # an unchanged field is not repainted
                self.note.setPlainText(self.ann.note)
        finally:
            self._loading = False
        if self.stack.currentIndex() != PAGE_ITEM:
            had_focus = self.stack.currentWidget().hasFocus() or self.import_button.hasFocus()
            self.stack.setCurrentIndex(PAGE_ITEM)
            self._set_coding_enabled(True)
            if had_focus:
                self.focus_item()
        self._select_row(item_id)
        self._since = time.monotonic()
        self.itemShown.emit(item_id)

    def _set_coding_enabled(self, on: bool) -> None:
        """With no item on screen, nothing a coder types or ticks may land on an item they cannot see."""
        if not on:
            self.flush_note()  # a note still in its debounce belongs to the item that was shown
        self.panel.set_enabled(on)
        self.note.setEnabled(on)
        self.flag_box.setEnabled(on)

    def _apply_pending(self, ann: Annotation, item_id: int) -> None:
        """Writes still queued are what the coder did: show them, not the stale database."""
        for op in self.writer.pending:
            if op.item_id != item_id:
                continue
            if op.kind == "label" and op.scheme:
                if op.value in (None, []):
                    ann.labels.pop(op.scheme, None)
                else:
                    ann.labels[op.scheme] = op.value
            elif op.kind in ("note", "flag", "done"):
                setattr(ann, op.kind, op.value)

    @staticmethod
    def _where(item: dict[str, Any], conf: dict[str, Any]) -> str:
        title = conf.get("title") or conf.get("name") or ""
        date = item.get("date") or conf.get("date") or "no date"
        return f"{date}   ·   {title}" if title else date

    def _position(self, item: dict[str, Any]) -> str:
        pos, count = self.store.conference_position(item["id"])
        noun = "Pair" if item["kind"] == "qa" else "Item"
        parts = [f"{noun} {pos} of {count} in this conference"]
        if self.list_loaded:
            row = self.model.row_of(item["id"])
            where = ("in the project" if self.flt.is_empty else
                     "in your assignment" if self.flt == Filter(assigned=True) else "in the filter")
            if row is not None:
                parts.append(f"{row + 1:,} of {self.model.rowCount():,} {where}")
            else:
                parts.append(f"not in the filter ({self.model.rowCount():,} items)")
        return "   ·   ".join(parts)

    def _load_context(self) -> None:
        if self.item is not None:
            before, after = self.store.context(self.item["id"])
            self.view.set_context(before, after)

    def _select_row(self, item_id: int) -> None:
        """Follow the shown item in the list; only the two rows that change are repainted."""
        row = self.model.row_of(item_id) if self.list_loaded else None
        sel = self.table.selectionModel()
        self._syncing = True
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
            self._syncing = False

    def _row_picked(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._syncing:
            return
        item_id = self.model.id_at(current.row()) if current.isValid() else None
        if item_id is not None and (self.item is None or self.item["id"] != item_id):
            self.show_item(item_id)

    # -- filter ---------------------------------------------------------------------------

    def apply_filter(self, flt: Filter, *, force: bool = False, keep_item: bool = True) -> None:
        if flt == self.flt and self.list_loaded and not force:
            return
        try:
            ids = self.store.item_ids(flt, self.coder)
            base = self.store.count_items(flt.without_status(), self.coder) if flt.status else len(ids)
        except AnnotatorError as e:
            self.statusBar().showMessage(str(e), 8000)
            return
        self.flt = flt
        self._base_count = base
        self._total = self.store.item_count()
        self.model.set_ids(ids)
        self.list_loaded = True
        self.filter_bar.summary.setText(f"{len(ids):,} items · {flt.describe()}")
        if self._total == 0:
            self.stack.setCurrentIndex(PAGE_EMPTY)
            self.import_button.setFocus()
        elif not ids:
            self.stack.setCurrentIndex(PAGE_NO_MATCH)
            self._set_coding_enabled(False)
        elif self.item is not None and keep_item and self.model.row_of(self.item["id"]) is not None:
            self.show_item(self.item["id"])  # refresh the position line
        else:
            self.show_item(ids[0])
        self._update_progress()

    def clear_filter(self) -> None:
        # the assignment is the coder's work, not a search: clearing keeps to it (its box turns it off)
        cleared = Filter(assigned=self.flt.assigned)
        self.filter_bar.set_filter(cleared)
        self.apply_filter(cleared)

    # -- navigation -----------------------------------------------------------------------

    def _ensure_list(self) -> None:
        if not self.list_loaded:
            self.apply_filter(self.flt, force=True)

    def next_item(self) -> None:
        self._step(+1)

    def previous_item(self) -> None:
        self._step(-1)

    def _step(self, direction: int) -> None:
        self._ensure_list()
        if self.item is None or self.model.rowCount() == 0:
            return
        row = self.model.row_of(self.item["id"])
        if row is None:  # the item is outside the filter: step to its neighbours in the list
            at = self.model.insertion_row(self.item["id"])
            row = at - 1 if direction > 0 else at
        target = row + direction
        if not 0 <= target < self.model.rowCount():
            self.statusBar().showMessage("Last item in the filter" if direction > 0 else "First item in the filter", 3000)
            return
        item_id = self.model.id_at(target)
        assert item_id is not None
        self.show_item(item_id)

    def done_and_next(self) -> None:
        if self.item is None or self.stack.currentIndex() != PAGE_ITEM:
            return
        item_id = self.item["id"]
        self.flush_note()
        if not self.ann.done:
            self.ann.done = True
            self._submit(Op("done", item_id, True))
        try:
            nxt = self.store.next_unlabelled(self.flt, self.coder, item_id)
        except AnnotatorError as e:
            self.statusBar().showMessage(str(e), 8000)
            return
        if nxt is None:
            where = "your assignment" if self.flt == Filter(assigned=True) else "this filter"
            self.statusBar().showMessage(f"Nothing left to label in {where}", 5000)
            return
        self.show_item(nxt)

    # -- labelling ------------------------------------------------------------------------

    def _take_seconds(self) -> float:
        t = time.monotonic()
        spent, self._since = min(t - self._since, IDLE_CAP_S), t
        return round(spent, 3)

    def _submit(self, op: Op) -> None:
        if op.kind != "seconds":
            op.seconds += self._take_seconds() + self._unsaved_seconds.pop(op.item_id, 0.0)
        self.writer.submit(op)

    def toggle(self, scheme: str, value: str) -> None:
        """An option's key or box: a multi-choice option joins or leaves the set, a single-choice one
        becomes the value or, if it already was, clears it."""
        if self.item is None or self.stack.currentIndex() != PAGE_ITEM:
            return
        sch = self.codebook.scheme(scheme)
        if sch is None:
            return
        current = self.ann.labels.get(scheme)
        if sch.kind == "multi":
            chosen = set(current or []) ^ {value}
            new: Any = [v for v in sch.values if v in chosen] or None
        else:
            new = None if current == value else value
        if new is None:
            self.ann.labels.pop(scheme, None)
        else:
            self.ann.labels[scheme] = new
        self.panel.set_labels(self.ann.labels)
        self._submit(Op("label", self.item["id"], new, scheme=scheme))

    def toggle_flag(self) -> None:
        if self.item is None or self.stack.currentIndex() != PAGE_ITEM:
            return
        self.ann.flag = not self.ann.flag
        self.flag_box.setChecked(self.ann.flag)
        self._submit(Op("flag", self.item["id"], self.ann.flag))

    def _note_edited(self) -> None:
        if not self._loading:
            self.note_timer.start()

    def flush_note(self) -> None:
        """Write the note now if it changed (debounce end, leaving the item, closing)."""
        self.note_timer.stop()
        if self._note_item is None or self._loading:
            return
        text = self.note.toPlainText()
        if self.item is not None and self._note_item == self.item["id"] and text != self.ann.note:
            self.ann.note = text
            self._submit(Op("note", self._note_item, text))

    def _leave_item(self) -> None:
        self.flush_note()
        if self.item is not None:
            spent = self._take_seconds()
            if spent >= 1.0:
                key = self.item["id"]
                self._unsaved_seconds[key] = self._unsaved_seconds.get(key, 0.0) + spent
                self.seconds_timer.start()

    def _flush_seconds(self) -> None:
        # Batched off the key-press path: a commit per item stepped over would slow navigation.
        while self._unsaved_seconds:
            item_id, spent = self._unsaved_seconds.popitem()
            self.writer.submit(Op("seconds", item_id, seconds=spent))

    def undo(self) -> None:
        self._history(self.store.undo, "Undid")

    def redo(self) -> None:
        self._history(self.store.redo, "Redid")

    def _history(self, step: Callable[[str], Change | None], verb: str) -> None:
        self.flush_note()
        if not self.writer.flush():
            self.statusBar().showMessage(f"{verb.lower()[:-1]} must wait until the waiting changes are written", 5000)
            return
        try:
            change = step(self.coder)
        except AnnotatorError as e:
            self._db_problem(str(e))
            return
        if change is None:
            self.statusBar().showMessage("Nothing to undo" if verb == "Undid" else "Nothing to redo", 3000)
            return
        self._after_write(change.item_id)
        self.show_item(change.item_id)
        what = change.field.lstrip("@")
        self.statusBar().showMessage(f"{verb} {what} on this item", 4000)

    # -- after writes -----------------------------------------------------------------------

    def _written(self, op: Op, change: Change | None) -> None:
        if op.kind != "seconds":
            self._after_write(op.item_id)

    def _after_write(self, item_id: int) -> None:
        self.model.item_changed(item_id)
        self._update_progress()

    def _db_problem(self, message: str) -> None:
        self.banner.setText(message)
        self.banner.setVisible(bool(message))
        if not message:
            self.statusBar().showMessage("All changes written", 3000)
            self._update_progress()

    def _store_reopened(self, store: Store) -> None:
        self.store = store
        self.model.set_store(store)

    def _update_progress(self) -> None:
        try:
            p = self.store.progress(self.coder)
            left = self._left_in_filter()
        except AnnotatorError:
            return
        parts = [f"{self.coder}: {p['labelled']:,} of {self._total:,} labelled"]
        if left is not None:
            parts.append(f"{left:,} left in the filter")
        hours = p["seconds"] / 3600
        if p["seconds"] >= 60 and p["labelled"]:
            parts.append(f"{p['labelled'] / hours:,.0f} items/hour")
        self.progress_label.setText("   ·   ".join(parts))

    def _left_in_filter(self) -> int | None:
        """Unlabelled items in the filter, counted from the coder's labels (small) rather than the items (large)."""
        if not self.list_loaded:
            return None
        if self.flt.status == "labelled":
            return 0
        if self.flt.status == "flagged":
            return self.store.count_items(self.flt, self.coder) - self.store.count_labelled(self.flt, self.coder)
        base = self.flt.without_status()
        return max(self._base_count - self.store.count_labelled(base, self.coder), 0)

    # -- focus ------------------------------------------------------------------------------

    def focus_item(self) -> None:
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_note(self) -> None:
        if self.item is not None:
            self.note.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_search(self) -> None:
        self.filter_bar.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_bar.search.selectAll()

    def focus_list(self) -> None:
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def toggle_context(self) -> None:
        self.view.set_context_visible(not self.view.context_visible)

    # -- help -------------------------------------------------------------------------------

    def show_keyboard_help(self) -> None:
        HelpDialog(self, "Keyboard", keyboard_html(self.codebook)).exec()

    def show_guidelines(self) -> None:
        HelpDialog(self, "Codebook guidelines", guidelines_html(self.codebook)).exec()

    # -- import -----------------------------------------------------------------------------

    def import_dialog(self, folder: bool = False) -> None:
        if folder:
            chosen = QFileDialog.getExistingDirectory(self, "Import a folder of transcripts")
            paths = [Path(chosen)] if chosen else []
        else:
            files, _ = QFileDialog.getOpenFileNames(
                self, "Import transcripts", "", "Transcripts (*.txt *.html *.htm *.jsonl *.csv);;All files (*)"
            )
            paths = [Path(f) for f in files]
        if paths:
            self.run_import(paths)

    def run_import(self, paths: list[Path]) -> str:
        """Import with a cancellable progress dialog; returns the summary line it shows."""
        from annotator.core.importing import import_paths

        dialog = QProgressDialog("Importing…", "Cancel", 0, 0, self)
        dialog.setWindowTitle("Import")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)

        def progress(done: int, total: int, path: Path) -> bool:
            dialog.setMaximum(max(total, 1))
            dialog.setValue(done)
            if path.name:
                dialog.setLabelText(f"Importing {path.name}")
            QApplication.processEvents()
            return not dialog.wasCanceled()

        try:
            summary = import_paths(self.store, paths, progress=progress)
        except AnnotatorError as e:
            dialog.close()
            QMessageBox.warning(self, "Import", str(e))
            return str(e)
        dialog.close()
        line = summary.line()
        if summary.failed:
            QMessageBox.warning(self, "Import", line + "\n\n" + "\n".join(summary.failed[:20]))
        self.statusBar().showMessage(line, 10000)
        self._conferences.clear()
        was_empty = self.item is None
        self.list_loaded = False
        self.apply_filter(self.flt, force=True, keep_item=not was_empty)
        self.filter_bar.set_names(self.store.distinct_names("outlet_norm"), self.store.distinct_names("spokesperson_norm"))
        return line

    # -- export -----------------------------------------------------------------------------

    def export_dialog(self) -> None:
        """File > Export…: this coder's labels only (blind coding); the dialog says where the rest is."""
        from annotator.gui.export_dialog import ExportDialog

        self.flush_note()
        if not self.writer.flush():
            self.statusBar().showMessage("Export must wait until the waiting changes are written", 5000)
            return
        self.exporter = ExportDialog(self, self.store, self.coder)
        self.exporter.accepted.connect(self._exported)
        self.exporter.open()  # window-modal without a nested event loop

    def _exported(self) -> None:
        summary = self.exporter.summary if self.exporter is not None else None
        if summary is not None:
            self.statusBar().showMessage(summary.line(), 15000)
            box = QMessageBox(QMessageBox.Icon.Information, "Export", summary.line(), QMessageBox.StandardButton.Ok, self)
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.open()
            self.export_result = box

    # -- closing ----------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        """Nothing is lost on close: the note, the seconds and any queued write are written now,
        and what the database still refuses is kept in a file the coder is told about."""
        if self.item is not None:
            self._leave_item()
        self._flush_seconds()
        if not self.writer.flush():
            n = len(self.writer.pending)
            answer = QMessageBox.question(
                self, "Changes not written",
                f"{n} change(s) could not be written yet:\n{self.writer.last_error}\n\n"
                "Close anyway? They will be kept in a file and written when you next open this project.",
                QMessageBox.StandardButton.Close | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Close:
                event.ignore()
                return
            kept = self.writer.dump_pending(gs.unwritten_folder())
            print(f"annotator: {n} unwritten change(s) kept in {kept}; "
                  "they are written when this project is next opened by this coder", flush=True)
        self.save_state()
        self.writer.timer.stop()
        event.accept()

    def save_state(self) -> None:
        s = gs.settings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("last/project", str(self.store.path.resolve()))
        s.setValue("last/coder", self.coder)
        if self.item is not None:
            s.setValue(f"{self.settings_key}/item", self.item["id"])
        gs.put_json(s, f"{self.settings_key}/filter", self.flt.to_dict())
        s.setValue(f"{self.settings_key}/assignments_known", self.assignable)
        s.setValue(f"{self.settings_key}/context", self.view.context_visible)
        s.sync()
