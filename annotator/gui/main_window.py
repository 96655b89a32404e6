"""The coding window: the pair in the middle, the item list on the left, the codebook
on the right. What a key does is decided by the ``CodingSession`` (core, no Qt);
the window only shows what the session says (the store, plus writes still queued)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError, Incomplete
from annotator.core.filters import ORDERS, Filter
from annotator.core.records import Change
from annotator.core.session import ASSIGNMENT, FILTER, RETRY_S, CodingSession, WritesWaiting, scope
from annotator.core.store import Store
from annotator.core.unwritten import Op
from annotator.core.wording import plural
from annotator.gui import settings as gs
from annotator.gui import style
from annotator.gui.actions import install_actions
from annotator.gui.codebook_panel import MAX_COLUMNS, describe
from annotator.gui.coding_pane import CodingPane
from annotator.gui.help import HelpDialog, guidelines_html, keyboard_html
from annotator.gui.item_list_pane import ItemListPane
from annotator.gui.item_pages import ItemPages
from annotator.gui.keys import codebook_keys, key_for
from annotator.gui.other_language import OtherLanguagePane
from annotator.gui.retrainer import Retrainer
from annotator.gui.status_line import StatusLine
from annotator.gui.suggestion_marks import SuggestionMarks

SECONDS_FLUSH_MS = 1500  # time spent on items is written this long after the coder stops stepping
LIST_WIDTH = (240, 380)  # the item list's narrowest and widest share of a first window
PAIR_MIN_WIDTH = 340  # the pair stays readable (about 45 characters a line) down to the minimum window
MIN_HEIGHT = 600
_NO_ITEM = "No item "  # how a Ctrl+G that found nothing begins, in the status line


AFTER_OTHERS = "Another program wrote to the project (a merge?): this item is shown as it holds it now"
CODEBOOK_CHANGED = ("The codebook was changed by another program: close and open the project again to code "
                    "with it. Until then this window offers the old options and keys.")


class MainWindow(QMainWindow):
    itemShown = Signal(int)  # emitted once an item is on screen (tests and benchmarks wait on it)

    def __init__(self, store: Store, coder: str, *, reopen: Callable[[], Store] | None = None,
                 restore: bool = True) -> None:
        super().__init__()
        self.session = CodingSession(store, coder, reopen=reopen)
        self.session.on_written = self._written
        self.session.on_problem = self._problem_changed
        self.session.on_store_changed = self._store_changed
        self.keymap = codebook_keys(self.session.codebook)  # refuses a clash before any widget exists
        self.setWindowTitle(f"{store.path.name} — {coder} — annotator")
        self.retry_timer = QTimer(self)
        self.retry_timer.setInterval(RETRY_S * 1000)
        self.retry_timer.timeout.connect(self.session.flush)

        self.ending = False  # closing because the process was told to end: nothing is asked
        self.goto_box: QInputDialog | None = None  # Ctrl+G's box while it is open
        self.exporter: Any = None  # File > Export…'s dialog while open (and the last one, for tests)
        self.corrector: Any = None  # Edit > Correct the import…'s dialog while open (and the last one, for tests)
        self.export_result: QMessageBox | None = None
        self.look = gs.look()
        self._apply_look()  # before the widgets exist, so they are polished once

        self._build()
        self._install_actions()
        self._show_panes()
        self.other_language.setVisible(self.look.other_language)  # loaded with the first item shown
        if self.look.other_language:
            QTimer.singleShot(0, self._share_reading)  # once the window has its size
        self.item_list.filter_bar.set_assignable(self.session.assignable)
        kept_message = self.session.write_kept(gs.unwritten_folder())
        state = gs.project_state(store.path, coder)
        if restore and gs.restore_window(self, self.splitter):
            self.pages.view.set_context_visible(state.context)
        else:
            if restore:
                self.pages.view.set_context_visible(state.context)
            else:
                state = gs.ProjectState(item=state.item)  # nothing restored but where the coder left off
            self.resize(*self._first_size())
            self.fit_panes()
        self.session.follow_assignment(state.flt, state.assignments_known)
        self.session.keep_order(state.order)
        self._start(state.item)
        # keys label from the first moment rather than type into a field; an empty project offers Import
        (self.pages.import_button if self.pages.currentWidget() is self.pages.empty else self.pages.view).setFocus()
        if kept_message:
            self.statusBar().showMessage(kept_message, 15000)

    # -- building ---------------------------------------------------------------------

    def _build(self) -> None:
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.banner.hide()

        self.item_list = ItemListPane(self.session.store, self.session.coder, self.session.codebook)
        self.item_list.filter_bar.filterChanged.connect(self.apply_filter)
        self.item_list.filter_bar.leave.connect(self.focus_item)
        self.item_list.itemPicked.connect(self._row_picked)
        self.item_list.orderWanted.connect(self.sort_list)
        self.pages = ItemPages()
        self.pages.importClicked.connect(self.import_dialog)
        self.pages.view.contextToggled.connect(lambda on: self._load_context() if on else None)
        # The pair in the other language sits under the one being coded, in the same column.
        self.other_language = OtherLanguagePane()
        self.reading = QSplitter(Qt.Orientation.Vertical)
        self.reading.setChildrenCollapsible(False)
        self.reading.addWidget(self.pages)
        self.reading.addWidget(self.other_language)
        self.reading.setStretchFactor(0, 3)
        self.reading.setStretchFactor(1, 2)
        self.coding = CodingPane(self.session.codebook)
        self.coding.optionClicked.connect(self.toggle)
        self.coding.flagClicked.connect(self.toggle_flag)
        self.coding.noteSettled.connect(self.flush_note)
        self.coding.panel.set_folded(self.look.folded)
        self.coding.panel.foldsChanged.connect(lambda names: self._set_look(folded=tuple(names)))
        self.marks = SuggestionMarks(self.coding.panel)
        self.retrainer = Retrainer(self.session.store.path, self)
        self.retrainer.retrained.connect(self._retrained)
        self.retrainer.failed.connect(lambda line: self.statusBar().showMessage(line, 8000))
        self.seconds_timer = QTimer(self)
        self.seconds_timer.setSingleShot(True)
        self.seconds_timer.setInterval(SECONDS_FLUSH_MS)
        self.seconds_timer.timeout.connect(self.session.flush_seconds)
        self.session.on_seconds_waiting = self.seconds_timer.start
        # what a write changes beyond the widget the key changed (the list's row, the progress line)
        # is brought up to date once the key's own change has been painted: a zero-length timer
        # runs after the posted repaint, and several writes in one turn refresh once
        self.stale_items: set[int] = set()
        self.after_paint = QTimer(self)
        self.after_paint.setSingleShot(True)
        self.after_paint.setInterval(0)
        self.after_paint.timeout.connect(self._refresh_after_writes)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.item_list)
        self.splitter.addWidget(self.reading)
        self.splitter.addWidget(self.coding)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.item_list.setMinimumWidth(LIST_WIDTH[0] - 20)
        self.pages.setMinimumWidth(PAIR_MIN_WIDTH)
        self.setMinimumHeight(MIN_HEIGHT)  # the width is the panes' minimums: nothing clipped down to either
        central = QWidget()
        cv = QVBoxLayout(central)
        cv.setContentsMargins(0, 0, 0, 0)
        cv.setSpacing(0)
        cv.addWidget(self.banner)
        cv.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.setStatusBar(StatusLine())
        self.statusBar().addPermanentWidget(self.item_list.progress_label)
        self.statusBar().addPermanentWidget(self.item_list.coder_label)

    def _install_actions(self) -> None:
        commands: dict[str, Callable[[], object]] = {
            "done_next": self.done_and_next, "next": self.next_item, "previous": self.previous_item,
            "undo": self.undo, "redo": self.redo, "search": self.focus_search, "flag": self.toggle_flag,
            "accept_suggestions": self.accept_suggestions,
            "note": self.focus_note, "context": self.toggle_context, "list": self.focus_list,
            "other_language": self.toggle_other_language,
            "clear_filter": self.clear_filter, "keyboard_help": self.show_keyboard_help,
            "import": self.import_dialog, "import_folder": lambda: self.import_dialog(folder=True),
            "correct": self.correct_import,
            "export": self.export_dialog, "quit": self.close, "back": self.focus_item,
            "guidelines": self.show_guidelines,
            "zoom_in": lambda: self.zoom(+1), "zoom_out": lambda: self.zoom(-1), "zoom_reset": lambda: self.zoom(0),
            "dark": self.toggle_dark, "toggle_list": self.toggle_list, "focus_mode": self.toggle_focus,
            "goto": self.ask_goto, "sort": self.next_order, "fold": self.fold,
        }
        self.commands = install_actions(self, commands, self.session.codebook, self.keymap, self.toggle)
        self.coding.panel.foldsChanged.connect(self._tick_folded)
        self._tick_folded()

    def _tick_folded(self, _names: list[str] | None = None) -> None:
        """View > Fold a scheme ticks the schemes folded now (however they were folded)."""
        for n, scheme in enumerate(self.session.codebook.schemes, 1):
            action = self.commands.by_name.get(f"fold_{n}")
            if action is not None:
                action.setChecked(scheme.name in self.coding.panel.folded)

    # -- the look and the panes ---------------------------------------------------------

    @property
    def dark(self) -> bool:
        return self.look.dark if self.look.dark is not None else style.system_dark()

    def _apply_look(self) -> None:
        style.apply(self, self.look.zoom, self.dark)

    def _set_look(self, **changes: Any) -> None:
        self.look = replace(self.look, **changes)
        gs.save_look(self.look)

    def zoom(self, step: int) -> None:
        """Ctrl+= / Ctrl+- a step larger or smaller, Ctrl+0 back to 100 %; remembered."""
        zoom = 1.0 if step == 0 else style.step_zoom(self.look.zoom, step)
        self._set_look(zoom=zoom)
        self._apply_look()
        self.item_list.refit()
        self.coding.panel.refit()
        # the options are wider and taller now: the list shown or not (unless the coder chose) and
        # the columns chosen again, as for a new size (the panes kept 100 %'s share, and at 125 %
        # the codebook fell to one column with its last scheme below the edge)
        self._show_panes()
        self.fit_panes(keep_list=self.look.list_shown is not None)
        self.statusBar().showMessage(f"Text at {zoom:.0%}", 2500)

    def toggle_dark(self) -> None:
        self._set_look(dark=not self.dark)
        self._apply_look()
        self.statusBar().showMessage("Dark look" if self.dark else "Light look", 2500)

    def fold(self, number: int) -> None:
        """Ctrl+1..9 or View > Fold a scheme: fold or unfold the codebook's scheme of that number (remembered)."""
        schemes = self.session.codebook.schemes
        if 1 <= number <= len(schemes):
            self.coding.panel.toggle_fold(schemes[number - 1].name)
            folded = schemes[number - 1].name in self.coding.panel.folded
            self.statusBar().showMessage(f"{schemes[number - 1].title} {'folded' if folded else 'unfolded'}", 2500)

    def toggle_list(self) -> None:
        shown = self.item_list.isVisibleTo(self) and not self.look.focus
        self._set_look(list_shown=not shown, focus=False)
        self._show_panes()

    def toggle_focus(self) -> None:
        self._set_look(focus=not self.look.focus)
        self._show_panes()

    def list_fits(self, width: int | None = None) -> bool:
        """Whether the item list has room beside a readable pair and every option of the codebook in
        sight: where it has not (1024 wide; 1366 with a codebook twice the bundled one), the list
        starts hidden, a key away."""
        width = self.width() if width is None else width
        return self._codebook_columns(width, self._list_share(width))[1]

    @staticmethod
    def _list_share(width: int) -> int:
        return min(max(width // 4, LIST_WIDTH[0]), LIST_WIDTH[1])

    def _codebook_height(self) -> int:
        """The height the codebook panel shows options in: its viewport's once the window is laid
        out; before, the window's less what the widgets over and under the panel ask for, measured
        in the text size in force (a fixed guess measured at 100 % came out short at larger text)."""
        viewport = self.coding.panel.viewport()
        if self.isVisible() and viewport.height() > 0:
            return viewport.height()
        return self.height() - self.chrome_height()

    def chrome_height(self) -> int:
        """The window's height spent over and under the codebook panel: the menu bar (none in focus
        mode), the banner when it shows, the status line, and the pane's flag, note and margins."""
        menus = 0 if self.look.focus else self.menuBar().sizeHint().height()
        banner = self.banner.sizeHint().height() if self.banner.isVisibleTo(self) else 0
        return menus + banner + self.statusBar().sizeHint().height() + self.coding.chrome_height()

    def _codebook_columns(self, width: int, listed: int) -> tuple[int, bool]:
        """The codebook's columns in a window ``width`` wide with ``listed`` given to the list: the
        fewest that show every option without scrolling, at the rows' usual height if any does, else
        compact, and True; else as many as leave the pair room to read, and False. The pair keeps a
        third of the window or PAIR_MIN_WIDTH and a margin, whichever is more. Every scheme counts,
        those that do not apply to the item on screen too: columns chosen on an opening statement
        (no question stance) left the next pair's last options below the panel's edge, and the
        options stay where they are from item to item."""
        room = width - listed - max(PAIR_MIN_WIDTH + 100, width * 0.33)
        fitting = [c for c in range(1, MAX_COLUMNS + 1) if self.coding.width_for(c) <= room]
        height = self._codebook_height()
        for compact in (False, True):
            whole = [c for c in fitting if self.coding.panel.fits(c, height, compact, every=True)]
            if whole:
                return whole[0], True
        return (fitting[-1] if fitting else 1), False

    def _show_panes(self) -> None:
        """The item list and the menus as the look says (focus mode: the pair and the codebook only);
        the keys work the same with them hidden. A hidden list that had the focus gives it to the item."""
        shown = self.look.list_shown if self.look.list_shown is not None else self.list_fits()
        list_on = shown and not self.look.focus
        if list_on == self.item_list.isVisibleTo(self) and self.menuBar().isVisibleTo(self) != self.look.focus:
            return
        if not list_on and self.item_list.isAncestorOf(QApplication.focusWidget()):
            self.focus_item()
        self.item_list.setVisible(list_on)
        self.menuBar().setVisible(not self.look.focus)
        self.fit_panes()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.look.list_shown is None:
            self._show_panes()
        if self.isVisible():  # made smaller or larger: every option in sight at the new size
            self.fit_panes(keep_list=True)

    def _first_size(self) -> tuple[int, int]:
        """1400×900, or the screen's free area when that is smaller (a 1366×768 laptop)."""
        width, height = gs.FIRST_SIZE
        screen = self.screen()
        if screen is not None:
            free = screen.availableGeometry()
            width, height = min(width, free.width()), min(height, free.height())
        return max(width, self.minimumSizeHint().width()), max(height, MIN_HEIGHT)

    def fit_panes(self, width: int | None = None, *, keep_list: bool = False) -> None:
        """Share ``width`` (the window's) between the panes: the list about a quarter (``keep_list``:
        the width it has, as a resize leaves it), the codebook in the fewest columns that put every
        option in sight (``_codebook_columns``), the pair the rest."""
        width = self.width() if width is None else width
        if not self.item_list.isVisibleTo(self):
            listed = 0
        else:
            listed = self.splitter.sizes()[0] if keep_list else self._list_share(width)
        codebook = self.coding.width_for(self._codebook_columns(width, listed)[0])
        self.splitter.setSizes([listed, max(width - listed - codebook, PAIR_MIN_WIDTH), codebook])

    # -- start and restore --------------------------------------------------------------

    def _start(self, saved_item: int | None) -> None:
        """Show one item at once, then load the list behind it (the list can be a million rows)."""
        self.item_list.filter_bar.set_filter(self.session.flt)
        item_id = self.session.first_item(saved_item)
        if item_id is None:
            self.pages.show_empty()
            self._set_coding_enabled(False)
            self._update_progress()
            return
        self.show_item(item_id)
        QTimer.singleShot(0, self._load_list)

    def _load_list(self) -> None:
        self.apply_filter(self.session.flt, force=True, keep_item=True)
        self.item_list.filter_bar.set_names(*self.session.names())

    # -- showing ------------------------------------------------------------------------

    def show_item(self, item_id: int) -> None:
        """Put one item on screen with this coder's labels (and nobody else's)."""
        # leaving the item, or showing it again (a filter change keeps it): a note still in its
        # debounce is written now, or the database's older note below would overwrite the field
        self.flush_note()
        if not self.session.open(item_id):
            return
        item = self.session.item
        assert item is not None
        self.pages.show_item(item, self.session.conference(), self.session.position())
        if self.pages.view.context_visible:
            self._load_context()
        if self.other_language.isVisibleTo(self):
            self._load_other_language()
        self.coding.panel.show_only(self.session.schemes_shown())
        self.coding.show_annotation(self.session.annotation)
        self.marks.show(self.session.suggestions.shown)
        if not self.pages.showing_item:
            had_focus = self.pages.turn_to_item()
            self._set_coding_enabled(True)
            if had_focus:
                self.focus_item()
        self.item_list.follow(item_id, self.session.list_loaded)
        self.itemShown.emit(item_id)

    def _set_coding_enabled(self, on: bool) -> None:
        """With no item on screen, nothing a coder types or ticks may land on an item they cannot see."""
        if not on:
            self.flush_note()  # a note still in its debounce belongs to the item that was shown
            self.session.hide()
            self.marks.show({})
        self.coding.set_enabled(on)

    def _load_context(self) -> None:
        if self.session.item is not None:
            self.pages.view.set_context(*self.session.context())

    def _row_picked(self, item_id: int) -> None:
        shown = self.session.item
        if shown is None or shown["id"] != item_id:
            self.show_item(item_id)

    # -- filter ---------------------------------------------------------------------------

    def apply_filter(self, flt: Filter, *, force: bool = False, keep_item: bool = True) -> None:
        if flt == self.session.flt and self.session.list_loaded and not force:
            return
        try:
            listing = self.session.load_list(flt)
        except AnnotatorError as e:
            self.statusBar().showMessage(str(e), 8000)
            return
        self.item_list.show_listing(listing, flt)
        item = self.session.item
        if self.session.total == 0:
            self.flush_note()
            self.session.hide()
            self.pages.show_empty()
            self.pages.import_button.setFocus()
        elif not listing:
            self.pages.show_no_match()
            self._set_coding_enabled(False)
        elif item is not None and keep_item and listing.row_of(item["id"]) is not None:
            self.show_item(item["id"])  # refresh the position line
        else:
            self.show_item(listing.ids[0])
        self._update_progress()

    def sort_list(self, order: str) -> None:
        """The list in ``order`` (filters.ORDERS), the item on screen kept and its row in sight."""
        if not self.session.flush():
            self.statusBar().showMessage("Sorting must wait until the waiting changes are written", 5000)
            return
        try:
            listing = self.session.load_list(self.session.flt, order)
        except AnnotatorError as e:
            self.statusBar().showMessage(str(e), 8000)
            return
        self.item_list.show_listing(listing, self.session.flt)
        if self.session.item is not None:
            self.show_item(self.session.item["id"])  # its row and position line in the new order
        self.statusBar().showMessage("List in import order" if order == "import" else f"List by {order}", 3000)

    def next_order(self) -> None:
        """Ctrl+Shift+O: the next of filters.ORDERS."""
        self.sort_list(ORDERS[(ORDERS.index(self.session.order) + 1) % len(ORDERS)])

    def ask_goto(self) -> None:
        """Ctrl+G: a box for an item's number in the list, in its conference (c3), or its uid;
        gone once closed, so no hidden dialog outlives its question."""
        if self.goto_box is not None:
            return
        box = self.goto_box = QInputDialog(self)
        box.setWindowTitle("Go to an item")
        box.setLabelText("Number in the list (12), in this conference (c3), or uid:")
        box.setInputMode(QInputDialog.InputMode.TextInput)
        box.textValueSelected.connect(self.goto)
        box.finished.connect(self._back_from_box)
        box.open()

    def goto(self, text: str) -> None:
        self._ensure_list()
        item_id = self.session.goto(text)
        if item_id is None:
            self.statusBar().showMessage(f"{_NO_ITEM}{text.strip()!r}: give a number in the list, c and a number "
                                         "in this conference, or a uid", 6000)
            return
        if self.statusBar().currentMessage().startswith(_NO_ITEM):  # an earlier miss is stale once one is found
            self.statusBar().clearMessage()
        self.show_item(item_id)

    def _back_from_box(self, _result: int) -> None:
        """Ctrl+G's box closed (found or not, or Escape): the keys go to the item again."""
        if self.goto_box is not None:
            self.goto_box.deleteLater()
            self.goto_box = None
        self.back_to_item()

    def clear_filter(self) -> None:
        # the assignment is the coder's work, not a search: clearing keeps to it (its box turns it off)
        cleared = Filter(assigned=self.session.flt.assigned)
        self.item_list.filter_bar.set_filter(cleared)
        self.apply_filter(cleared)

    # -- navigation -----------------------------------------------------------------------

    def _ensure_list(self) -> None:
        if not self.session.list_loaded:
            self.apply_filter(self.session.flt, force=True)

    def next_item(self) -> None:
        self._step(+1)

    def previous_item(self) -> None:
        self._step(-1)

    def _step(self, direction: int) -> None:
        self._ensure_list()
        item, listing = self.session.item, self.session.listing
        if item is None or not listing:
            return
        target = listing.neighbour(item["id"], direction)
        if target is None:
            self.statusBar().showMessage("Last item in the filter" if direction > 0 else "First item in the filter", 3000)
            return
        self.show_item(target)

    def done_and_next(self) -> None:
        if not self.session.shown:
            return
        self.flush_note()
        self.reread_item()  # what is marked done is what the project holds (see ``toggle``)
        try:
            nxt = self.session.done_and_next()
        except Incomplete as e:
            self.statusBar().showMessage(str(e), 8000)
            self.coding.panel.focus_scheme(e.scheme)
            return
        except AnnotatorError as e:
            self.statusBar().showMessage(str(e), 8000)
            return
        if nxt is None:
            self.statusBar().showMessage(self._nothing_left(), 8000)
            return
        self.show_item(nxt)

    def _nothing_left(self) -> str:
        """What Enter says when nothing is left to label, and what the coder can do next: clear the
        filter, or, their work done, export it."""
        walked = scope(self.session.flt)
        if walked == FILTER:
            return f"Nothing left to label in this filter: {key_for('clear_filter')} clears it"
        where = "your assignment" if walked == ASSIGNMENT else "the project"
        # not "every item is done": an item labelled without Enter is not done, and not "to label"
        return f"Nothing left to label in {where}: {key_for('export')} exports your labels"

    # -- labelling ------------------------------------------------------------------------

    def toggle(self, scheme: str, option: str) -> None:
        """An option's key or box (the session decides what it means for the value)."""
        # A window that stayed in front while another program wrote to the project (a merge run
        # beside it) shows the item as it was read: brought up to date before the key changes it,
        # or the other schemes would go on showing what the project no longer holds. The note
        # being typed is written first, so that reading the item again cannot take it away.
        self.flush_note()
        self.reread_item()
        self.session.dropped = ""  # said for this key's write only, not an earlier one's
        if self.session.toggle(scheme, option, write=False):
            # The change is painted first, outlined as not yet written, and written durably (with
            # its history row) before anything else is handled; the outline becomes the usual
            # mark once it is. The frame waits only for the widgets, not for the disk's sync.
            panel = self.coding.panel
            self.coding.show_labels(self.session.annotation.labels)
            panel.reveal(scheme, option, written=False)  # a key never changes an option out of sight
            panel.paint_now()
            if self.session.flush():
                panel.mark_written()  # refused: the outline stays, and the banner says why
                panel.paint_now()
            if self._said_dropped():
                return
            sch = self.session.codebook.scheme(scheme)
            if sch is not None:
                self.statusBar().showMessage(describe(sch, option), 4000)
        elif (why := self.session.not_applicable(scheme)) is not None:
            self.statusBar().showMessage(why, 4000)

    def _said_dropped(self) -> bool:
        """Whether the codebook the project holds now refused the write just made (``session.dropped``):
        then the item is shown as written, and the status line says what was not."""
        if not self.session.dropped:
            return False
        why, self.session.dropped = self.session.dropped, ""
        self.session.reread()
        self.coding.show_labels(self.session.annotation.labels)
        self.statusBar().showMessage(f"Not written: {why} (the codebook changed; reopen the project)", 8000)
        return True

    def accept_suggestions(self) -> None:
        """Ctrl+Enter: the suggestions marked for this item become its labels (one undo step)."""
        if not self.session.shown:
            return
        if not self.session.suggestions.shown:
            # a model the codebook change or damage made unusable: say so here, where the coder asks
            problem = self.session.suggestions.problem
            why = "No suggestions on this item" + (
                " (it is in the reliability sample)" if self.session.suggestions.blind(self.session.item["id"])
                else f": {problem}" if problem else "")
            self.statusBar().showMessage(why, 8000 if problem else 4000)
            return
        self.session.dropped = ""
        changed = self.session.accept_suggestions()
        self.coding.show_labels(self.session.annotation.labels)
        if self._said_dropped():
            return
        self.statusBar().showMessage(
            f"Took the suggestions for {', '.join(changed)}" if changed else "The suggestions are already your labels",
            4000)

    def toggle_flag(self) -> None:
        if self.session.toggle_flag():
            self.coding.show_flag(self.session.annotation.flag)

    def flush_note(self) -> None:
        """Write the note now if it changed (debounce end, leaving the item, closing)."""
        self.session.set_note(self.coding.take_note())

    def undo(self) -> None:
        self._undo_or_redo(self.session.undo, "Undo", "Undid")

    def redo(self) -> None:
        self._undo_or_redo(self.session.redo, "Redo", "Redid")

    def _undo_or_redo(self, step: Callable[[], Change | None], name: str, done: str) -> None:
        self.flush_note()
        try:
            change = step()
        except WritesWaiting:
            self.statusBar().showMessage(f"{name} must wait until the waiting changes are written", 5000)
            return
        except AnnotatorError as e:
            self._show_banner(str(e))
            return
        if change is None:
            self.statusBar().showMessage(f"Nothing to {name.lower()}", 3000)
            return
        self._after_write(change.item_id)
        self.show_item(change.item_id)
        what = change.field.lstrip("@")
        self.statusBar().showMessage(f"{done} {what} on this item", 4000)

    # -- after writes -----------------------------------------------------------------------

    def _written(self, op: Op, change: Change | None) -> None:
        if op.kind != "seconds":
            self._after_write(op.item_id)
        if op.kind in ("label", "labels", "done") and change is not None and self.session.suggestions.trained:
            self.retrainer.label_changed()  # enough of them: the models are trained again, in the background

    def _retrained(self, schemes: list[str]) -> None:
        """New models in the project file: the next item shows their suggestions."""
        self.session.suggestions.reload()
        self.statusBar().showMessage(f"Suggestions retrained on the new labels ({', '.join(schemes)})", 5000)

    def _after_write(self, item_id: int) -> None:
        self.stale_items.add(item_id)
        self.after_paint.start()

    def _refresh_after_writes(self) -> None:
        """The rows of the items written to and the progress line, read again (the progress from
        the label history, never a running count)."""
        items, self.stale_items = self.stale_items, set()
        for item_id in items:
            self.item_list.item_changed(item_id)
        self._update_progress()

    def _problem_changed(self, message: str) -> None:
        """The session's writes are refused (why), or all written again ("")."""
        if not message:
            self.retry_timer.stop()
        elif not self.retry_timer.isActive():
            self.retry_timer.start()
        self._show_banner(message)

    def _show_banner(self, message: str) -> None:
        self.banner.setText(message)
        self.banner.setVisible(bool(message))
        if not message:
            self.statusBar().showMessage("All changes written", 3000)
            self.coding.panel.mark_written()
            self._update_progress()

    def _store_changed(self, store: Store) -> None:
        self.item_list.set_store(store)

    def _update_progress(self) -> None:
        try:
            p = self.session.progress()
        except AnnotatorError:
            return
        self.item_list.show_progress(p)

    # -- focus ------------------------------------------------------------------------------

    def focus_item(self) -> None:
        self.pages.view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def back_to_item(self, *_: object) -> None:
        """A dialog of the window closed (done or Escape): the window active again and the keys with
        the item, so the coder's next label key labels. Once a dialog closes, no window need be active
        (the platform's choice), and a key then went nowhere."""
        self.activateWindow()
        self.focus_item()

    def focus_note(self) -> None:
        if self.session.item is not None:
            self.coding.focus_note()

    def focus_search(self) -> None:
        self._list_in_sight()
        self.item_list.focus_search()

    def focus_list(self) -> None:
        self._list_in_sight()
        self.item_list.focus_list()

    def _list_in_sight(self) -> None:
        """Ctrl+F and Ctrl+L with the list hidden (a small window, larger text, focus mode) bring it
        back as Ctrl+Shift+L does: the focus went to a field nobody could see, and the coder typed blind."""
        if not self.item_list.isVisibleTo(self) or self.look.focus:
            self._set_look(list_shown=True, focus=False)
            self._show_panes()

    def toggle_context(self) -> None:
        view = self.pages.view
        view.set_context_visible(not view.context_visible)

    def toggle_other_language(self) -> None:
        self.look = replace(self.look, other_language=not self.look.other_language)
        gs.save_look(self.look)
        self._show_other_language()

    def _show_other_language(self) -> None:
        self.other_language.setVisible(self.look.other_language)
        if self.look.other_language:
            self._share_reading()
            self._load_other_language()

    def _share_reading(self) -> None:
        """The other language gets about two fifths of the column (the splitter would give it its
        size hint alone, a line or two); the coder can drag it from there."""
        height = self.reading.height()
        if self.other_language.height() < height // 4:
            self.reading.setSizes([height * 3 // 5, height - height * 3 // 5])

    def _load_other_language(self) -> None:
        from annotator.core.aligning import counterparts

        if self.session.item is None:
            return
        found = counterparts(self.session.store, self.session.item["id"])
        self.other_language.show_found(found)
        if any(r["item"] is not None for r in found["rows"]):
            self._share_reading()
        else:  # nothing to read there: its line alone, the pair the rest (two fifths held one line)
            height = self.reading.height()
            line = min(self.other_language.line_height(), height // 4)
            self.reading.setSizes([height - line, line])

    # -- help -------------------------------------------------------------------------------

    def show_keyboard_help(self) -> None:
        HelpDialog(self, "Keyboard", keyboard_html(self.session.codebook)).exec()
        self.back_to_item()

    def show_guidelines(self) -> None:
        HelpDialog(self, "Codebook guidelines", guidelines_html(self.session.codebook)).exec()
        self.back_to_item()

    # -- import -----------------------------------------------------------------------------

    def import_dialog(self, folder: bool = False) -> None:
        from annotator.gui.import_dialog import choose_transcripts

        paths = choose_transcripts(self, folder=folder)
        if paths:
            self.run_import(paths)
        self.back_to_item()

    def run_import(self, paths: list[Path]) -> str:
        """Import with a cancellable progress dialog; returns the summary line it shows."""
        # here, not at the top: the importers compile their patterns when loaded, a quarter of a
        # second of the window's start that a coder who never imports would pay on every start
        from annotator.gui.import_dialog import import_with_progress

        line, ran = import_with_progress(self, self.session, paths)
        if ran:
            self.statusBar().showMessage(line, 10000)
            self.apply_filter(self.session.flt, force=True, keep_item=self.session.item is not None)
            self.item_list.filter_bar.set_names(*self.session.names())
        return line

    def correct_import(self) -> None:
        """Edit > Correct the import… (``gui/correction_dialog.py``); the list and the item reload after."""
        from annotator.gui.correction_dialog import CorrectionDialog

        if self.session.item is None or not self.session.flush():
            return
        self.flush_note()
        self.corrector = CorrectionDialog(self, self.session.store, self.session.coder, self.session.item["id"])
        self.corrector.corrected.connect(lambda line: self.statusBar().showMessage(line, 10000))
        self.corrector.finished.connect(self._back_from_correction)
        self.corrector.open()

    def _back_from_correction(self, _result: int) -> None:
        """The correction dialog closed: the list and the item reload, and the keys go to the item
        again (as after Ctrl+G's box: no window may be active once a dialog closes)."""
        self.apply_filter(self.session.flt, force=True, keep_item=True)
        self.back_to_item()

    # -- export -----------------------------------------------------------------------------

    def export_dialog(self) -> None:
        """File > Export…: this coder's labels only (blind coding); the dialog says where the rest is."""
        from annotator.gui.export_dialog import ExportDialog

        self.flush_note()
        if not self.session.flush():
            self.statusBar().showMessage("Export must wait until the waiting changes are written", 5000)
            return
        self.exporter = ExportDialog(self, self.session.store, self.session.coder)
        self.exporter.accepted.connect(self._exported)
        self.exporter.rejected.connect(self.back_to_item)
        self.exporter.open()  # window-modal without a nested event loop

    def _exported(self) -> None:
        summary = self.exporter.summary if self.exporter is not None else None
        if summary is not None:
            self.statusBar().showMessage(summary.line(), 15000)
            box = QMessageBox(QMessageBox.Icon.Information, "Export", summary.line(), QMessageBox.StandardButton.Ok, self)
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.finished.connect(self.back_to_item)
            box.open()
            self.export_result = box
        else:
            self.back_to_item()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # The coder comes back to the window: a merge of their other laptop's work (or another
        # window) may have changed the item on screen meanwhile, and it showed the labels read
        # when the item was opened until the coder moved on and back.
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.reread_item()

    def reread_item(self) -> None:
        """The item on screen, the list's rows and the progress as the project holds them now,
        when another program has written to it since the window last looked."""
        try:
            others = self.session.store.others_committed()
        except AnnotatorError:
            return  # a project that cannot be read now: the next write says why
        if not others:
            return
        if self.session.reread():
            self.coding.show_annotation(self.session.annotation)
            # said, or the coder would wonder where the labels came from
            self.statusBar().showMessage(AFTER_OTHERS, 8000)
        self.item_list.rows_changed()
        self._update_progress()
        if self.session.codebook_changed() and not self.banner.isVisible():
            self._show_banner(CODEBOOK_CHANGED)

    # -- closing ----------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        """Nothing is lost on close: the note, the seconds and any queued write are written now,
        and what the database still refuses is kept in a file the coder is told about."""
        self.flush_note()
        if not self.session.finish():
            n = len(self.session.pending)
            if not self.ending:  # told to end (a logout, a shutdown): no one is there to answer
                answer = QMessageBox.question(
                    self, "Changes not written",
                    f"{plural(n, 'change')} could not be written yet:\n{self.session.problem}\n\n"
                    "Close anyway? They will be kept in a file and written when you next open this project.",
                    QMessageBox.StandardButton.Close | QMessageBox.StandardButton.Cancel,
                    QMessageBox.StandardButton.Cancel,
                )
                if answer != QMessageBox.StandardButton.Close:
                    event.ignore()
                    return
            kept = self.session.keep_pending(gs.unwritten_folder())
            print(f"annotator: {plural(n, 'unwritten change')} kept in {kept}; "
                  "they are written when this project is next opened by this coder", flush=True)
        self.save_state()
        self.session.store.stop_background_checkpoints()  # its thread ends with the window
        self.after_paint.stop()
        self.retry_timer.stop()
        self.retrainer.stop()
        event.accept()

    def end_now(self) -> None:
        """Close without asking (the process was told to end, ``gui/ending.py``): the note and every
        change are written, and what the project still refuses is kept for the next open."""
        self.ending = True
        self.close()

    def save_state(self) -> None:
        item = self.session.item
        gs.save_coding_window(self, self.splitter, self.session.store.path, self.session.coder, gs.ProjectState(
            item=item["id"] if item is not None else None, flt=self.session.flt,
            assignments_known=self.session.assignable, context=self.pages.view.context_visible,
            order=self.session.order,
        ))
