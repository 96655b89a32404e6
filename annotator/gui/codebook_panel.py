"""The codebook in force as check boxes (multi-choice) and radio buttons (single-choice).

The boxes never take keyboard focus: keys reach the window's shortcuts, and the
panel only mirrors what the store holds. A click asks the window to toggle, just
as the option's key does, so mouse and keyboard take the same path.

Every option should be in sight: each scheme's options flow into as many columns as
the panel's width holds (column by column, so they still read in codebook order); the
rows close up (``compact``) when the panel is too short for them at their usual
height; a scheme folds to its title line, which then names its values (a click on
the title or Ctrl+1..9, remembered by the window); and the option a key just changed
is unfolded, scrolled into view and marked for a moment (``reveal``), so a key never
changes something the coder cannot see. Hovering over an option puts its description
in the window's status line, as its key does.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QFrame,
    QGridLayout,
    QLabel,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from annotator.core.codebook import Codebook, LabelValue, Scheme, shape_of
from annotator.core.validate import short
from annotator.core.window_keys import normalise_key
from annotator.gui.style import OPTION_PAD

MAX_COLUMNS = 3  # wider than this, a row of options is read as a sentence, not a list
KEY_GAP = 6  # between an option's key and its box
COLUMN_GAP = 14  # between two columns of options
MARGINS = (10, 8, 8, 8)  # left, top, right, bottom of the page inside the panel
COMPACT_MARGINS = (10, 3, 8, 3)  # the same when the rows are compact
GROUP_GAP = (6, 2)  # under each scheme's options: usual, compact
SPACING = 2  # between groups, and between a scheme's title and its options
COMPACT_SAVES = 2 * OPTION_PAD  # what a row loses when compact: the sheet's padding over and under an option
REVEAL_MS = 900  # how long the option a key changed stays marked


def key_caption(key: str, short: bool = False) -> str:
    """'Shift+T' -> '⇧T', 't' -> 'T': short enough to sit beside the option. ``short`` gives
    Ctrl and Alt their symbols too ('Ctrl+Alt+T' -> '⌃⌥T'): the panel's key column is as wide
    as its widest caption, and a codebook with Ctrl+Alt keys otherwise lost a column to it;
    the option's tooltip spells the key out."""
    if not key:
        return ""
    *mods, base = normalise_key(key).split("+")
    symbols = {"shift": "⇧", "ctrl": "⌃" if short else "Ctrl+", "alt": "⌥" if short else "Alt+", "meta": "Meta+"}
    return "".join(symbols[m] for m in mods) + base.upper()


def describe(scheme: Scheme, value: str) -> str:
    """'Topics: Taiwan — Cross-strait relations, ...': what the status line says of an option."""
    option = next((o for o in scheme.options if o.value == value), None)
    if option is None:
        return scheme.title
    line = f"{scheme.title}: {option.label}"
    return f"{line} — {option.description}" if option.description else line


class SchemeTitle(QLabel):
    """A scheme's title line: a click folds or unfolds the scheme."""

    clicked = Signal()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mousePressEvent(event)


class CodebookPanel(QScrollArea):
    optionClicked = Signal(str, str)  # scheme, option value
    foldsChanged = Signal(list)  # the names of the schemes folded now (the window remembers them)

    def __init__(self, codebook: Codebook) -> None:
        super().__init__()
        self.setObjectName("codebookPanel")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.buttons: dict[tuple[str, str], QAbstractButton] = {}
        self.keycaps: dict[tuple[str, str], QLabel] = {}
        self.schemes: dict[str, Scheme] = {}
        self.groups: dict[str, QFrame] = {}  # scheme -> its title and options, shown or hidden as one
        self.grids: dict[str, QGridLayout] = {}
        self.bodies: dict[str, QWidget] = {}  # scheme -> its options, hidden when the scheme is folded
        self.titles: dict[str, SchemeTitle] = {}
        self.folded: set[str] = set()
        self.compact = False  # rows closed up: the panel is too short for them at their usual height
        self.columns = 0  # columns the options are laid out in now (0: not laid out yet)
        self._labels: dict[str, LabelValue] = {}
        self._marked: tuple[str, str] | None = None  # the option marked now (``reveal``)
        self._writing = False  # its change is not written yet: outlined, not filled
        self._page_moved = False  # the last reveal scrolled or unfolded: paint_now paints it all
        self.marks: dict[str, QFrame] = {}  # scheme -> the patch under its option a key just changed
        self.pending_marks: dict[str, QFrame] = {}  # scheme -> the outline round it until it is written
        self._unmark = QTimer(self)
        self._unmark.setSingleShot(True)
        self._unmark.setInterval(REVEAL_MS)
        self._unmark.timeout.connect(self._unmark_written)
        page = QWidget()
        page.setObjectName("codebookPage")
        outer = QVBoxLayout(page)
        outer.setContentsMargins(*MARGINS)
        outer.setSpacing(SPACING)
        for scheme in codebook.schemes:
            self.schemes[scheme.name] = scheme
            outer.addWidget(self._group(scheme))
        outer.addStretch(1)
        self.setWidget(page)
        self.reflow()

    def _group(self, scheme: Scheme) -> QFrame:
        group = QFrame()
        group.setObjectName("schemeGroup")
        box = QVBoxLayout(group)
        box.setContentsMargins(0, 0, 0, GROUP_GAP[0])
        box.setSpacing(SPACING)
        title = SchemeTitle()
        title.setObjectName("schemeTitle")
        title.setTextFormat(Qt.TextFormat.PlainText)
        title.setCursor(Qt.CursorShape.PointingHandCursor)
        # a folded title's values never widen the page (that cut the options at the right edge)
        title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        tip = "several may apply" if scheme.kind == "multi" else "one, or none (press again to clear)"
        number = len(self.titles) + 1
        fold = f"Ctrl+{number} or a click folds and unfolds it" if number <= 9 else "a click folds and unfolds it"
        title.setToolTip(tip + ("; required before the item is done" if scheme.required else "") + f"\n{fold}")
        title.clicked.connect(lambda s=scheme.name: self.toggle_fold(s))
        self.titles[scheme.name] = title
        box.addWidget(title)
        body = QWidget()
        body.setObjectName("schemeOptions")
        grid = QGridLayout(body)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(0)
        grid.setHorizontalSpacing(KEY_GAP)
        for option in scheme.options:
            key = QLabel(key_caption(option.key, short=True))
            key.setObjectName("keyCap")
            key.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            button: QAbstractButton = QCheckBox(option.label) if scheme.kind == "multi" else QRadioButton(option.label)
            button.setObjectName("option")
            if isinstance(button, QRadioButton):
                button.setAutoExclusive(False)  # the store decides; a second press clears
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            tip = option.description or option.label
            button.setToolTip(f"{tip}\n\nKey: {option.key}" if option.key else tip)
            button.setStatusTip(describe(scheme, option.value))  # the status line, while the pointer is on it
            key.setToolTip(button.toolTip())
            key.setStatusTip(button.statusTip())
            button.clicked.connect(lambda _=False, s=scheme.name, v=option.value: self._clicked(s, v))
            self.buttons[(scheme.name, option.value)] = button
            self.keycaps[(scheme.name, option.value)] = key
        box.addWidget(body)
        # The mark is a patch of colour of its own under the option, moved there and shown: restyling
        # the option's box instead re-polished it on every key, most of the key's work before its frame.
        for name, marks in (("revealMark", self.marks), ("pendingMark", self.pending_marks)):
            mark = QFrame(body)
            mark.setObjectName(name)
            mark.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            mark.hide()
            marks[scheme.name] = mark
        self.groups[scheme.name] = group
        self.grids[scheme.name] = grid
        self.bodies[scheme.name] = body
        self._title(scheme.name)
        return group

    # -- layout -----------------------------------------------------------------------

    def _widths(self, columns: int) -> list[int]:
        """The width of each column of options when laid out in ``columns`` columns: its widest
        option box in any scheme (the columns line up from scheme to scheme), measured now.

        Never kept from an earlier measure: a new style sheet re-polishes a parent before its
        children, so a measure taken when the panel heard of the change could read the boxes
        in the old text size, and the floor the window set from it cut the widest box."""
        widths = [0] * columns
        for name, scheme in self.schemes.items():
            rows = -(-len(scheme.options) // columns)
            for i, option in enumerate(scheme.options):
                col = i // rows
                widths[col] = max(widths[col], self.buttons[(name, option.value)].sizeHint().width())
        return widths

    def _key_width(self) -> int:
        return max((k.sizeHint().width() - k.contentsMargins().left() for k in self.keycaps.values()), default=0)

    def width_for(self, columns: int) -> int:
        """The panel's width that lays the options out in ``columns`` columns without clipping one,
        the vertical scroll bar's room included whether it shows or not."""
        left, _, right, _ = MARGINS
        scroll = self.verticalScrollBar().sizeHint().width()
        boxes = sum(self._widths(columns))
        gaps = (2 * columns - 1) * KEY_GAP + (columns - 1) * COLUMN_GAP  # the grid's spacing, the columns' gap
        return left + right + scroll + boxes + columns * self._key_width() + gaps

    def columns_for(self, width: int) -> int:
        """The most columns (up to MAX_COLUMNS) that a panel ``width`` wide holds with every option
        unclipped, the scroll bar's room always kept, so the columns do not depend on whether the
        bar shows at this moment."""
        return next((n for n in range(MAX_COLUMNS, 1, -1) if self.width_for(n) <= width), 1)

    def _row_heights(self) -> tuple[int, int]:
        """The height of one row of options at the usual height and compact, measured now (the
        sheet's padding and the text size decide them): the box's hint with the other setting's
        padding added or taken off, and never less than a key caption."""
        box = next(iter(self.buttons.values()), None)
        if box is None:
            return 0, 0
        hint = box.sizeHint().height()
        step = COMPACT_SAVES
        usual, compact = (hint + step, hint) if self.compact else (hint, hint - step)
        floor = max((k.sizeHint().height() for k in self.keycaps.values()), default=0)
        return max(usual, floor), max(compact, floor)

    def height_for(self, columns: int, compact: bool, *, every: bool = False) -> int:
        """The page's height with the schemes shown now laid out in ``columns`` columns, compact
        or not: what decides whether every option is in sight without scrolling. ``every``: with
        the schemes hidden because they do not apply to the item on screen counted too (the height
        the next item can ask for)."""
        usual, closed = self._row_heights()
        row = closed if compact else usual
        _, top, _, bottom = COMPACT_MARGINS if compact else MARGINS
        height, shown = top + bottom, 0
        for name, scheme in self.schemes.items():
            group = self.groups[name]
            if group.isHidden() and not every:
                continue
            shown += 1
            height += self.titles[name].sizeHint().height() + GROUP_GAP[1 if compact else 0]
            for i in range(1, group.layout().count() - 1):  # a suggestion's line between title and options
                line = group.layout().itemAt(i).widget()
                if line is not None and not line.isHidden():
                    height += line.sizeHint().height() + SPACING
            if name not in self.folded:
                height += SPACING + -(-len(scheme.options) // columns) * row
        return height + SPACING * max(shown - 1, 0)

    def fits(self, columns: int, height: int, compact: bool = True, *, every: bool = False) -> bool:
        """Whether every option of the schemes shown (``every``: of every scheme, whether it applies
        to the item on screen or not) is in sight in a viewport ``height`` high (in compact rows, or
        only at their usual height)."""
        return self.height_for(columns, compact, every=every) <= height

    def reflow(self, width: int | None = None) -> None:
        """Lay each scheme's options out column by column in as many columns as ``width`` holds
        (the panel's by default), the rows compact where the panel is too short for them at their
        usual height; nothing is done when neither changes."""
        columns = self.columns_for(self.width() - 2 * self.frameWidth() if width is None else width)
        self._set_compact(self.height_for(columns, False) > self.viewport().height())
        if columns == self.columns:
            return
        self.columns = columns
        self._unmark_written()  # the boxes move: a patch would stay where its box was
        widths = self._widths(columns)
        keys = self._key_width()
        for name, scheme in self.schemes.items():
            grid = self.grids[name]
            rows = -(-len(scheme.options) // columns)
            for i, option in enumerate(scheme.options):
                col, row = divmod(i, rows)
                sv = (name, option.value)
                key = self.keycaps[sv]
                key.setContentsMargins(COLUMN_GAP if col else 0, 0, 0, 0)  # the gap between two columns
                grid.addWidget(key, row, 2 * col)  # re-adding moves a widget already there
                grid.addWidget(self.buttons[sv], row, 2 * col + 1)
            for c in range(MAX_COLUMNS):
                on = c < columns
                grid.setColumnMinimumWidth(2 * c, keys + (COLUMN_GAP if c else 0) if on else 0)
                grid.setColumnMinimumWidth(2 * c + 1, widths[c] if on else 0)
                grid.setColumnStretch(2 * c + 1, 1 if c == columns - 1 else 0)

    def _set_compact(self, on: bool) -> None:
        if on == self.compact:
            return
        self.compact = on
        for widget in self.buttons.values():
            widget.setProperty("compact", on)
            widget.style().unpolish(widget)
            widget.style().polish(widget)
            widget.updateGeometry()  # a new padding is a new size hint: the grid must hear of it now
        for group in self.groups.values():
            group.layout().setContentsMargins(0, 0, 0, GROUP_GAP[1 if on else 0])
        self.widget().layout().setContentsMargins(*(COMPACT_MARGINS if on else MARGINS))

    # -- folding --------------------------------------------------------------------------

    def set_folded(self, names: list[str] | tuple[str, ...]) -> None:
        """Fold these schemes (those the coder left folded), unfold the rest; no signal."""
        self.folded = {n for n in names if n in self.schemes}
        for name in self.schemes:
            self.bodies[name].setVisible(name not in self.folded)
            self._title(name)
        self._relaid()

    def toggle_fold(self, name: str) -> None:
        """Fold a scheme to its title line, or unfold it (a click on the title, Ctrl+1..9)."""
        if name not in self.schemes:
            return
        self.folded ^= {name}
        self.bodies[name].setVisible(name not in self.folded)
        self._title(name)
        self._relaid()
        self.foldsChanged.emit(sorted(self.folded))

    def _relaid(self) -> None:
        """Schemes shown, hidden, folded or unfolded: the rows compact or not for the page's new
        height, and the page laid out now, so what the coder sees next is already in place."""
        self._set_compact(self.height_for(max(self.columns, 1), False) > self.viewport().height())
        self.settle()

    def _title(self, name: str) -> None:
        """'▾ Topics *', or folded '▸ Topics *  Taiwan, US relations': a folded scheme still says
        what it holds. A value the codebook lacks (kept by a forced codebook change: no box shows
        it, yet it is the coder's label and counts for Enter) is named on the title, folded or not."""
        scheme = self.schemes[name]
        text = scheme.title + (" *" if scheme.required else "")
        value = self._labels.get(name)
        outside = scheme.unknown(value)
        kept = f"{', '.join(outside)}: not in the codebook" if outside else ""
        if outside and scheme.misshapen(value):  # the scheme changed kind since (forced)
            kept = f"{short(value)}: kept as {shape_of(value)} ({scheme.kind}-choice now)"
        if name in self.folded:
            chosen = scheme.as_set(self._labels.get(name))
            values = "; ".join(filter(None, [", ".join(o.label for o in scheme.options if o.value in chosen), kept]))
            title = self.titles[name]
            room = max(self.viewport().width() - MARGINS[0] - MARGINS[2], 80)
            title.setText(title.fontMetrics().elidedText(f"▸ {text}   {values or '—'}", Qt.TextElideMode.ElideRight, room))
        else:
            self.titles[name].setText(f"▾ {text}   {kept}" if kept else f"▾ {text}")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.reflow()
        for name in self.folded:  # a folded title's values shortened to the new width
            self._title(name)

    def changeEvent(self, event: QEvent) -> None:
        # a new text size or look: the widest option is measured again and the columns follow
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.refit()
        super().changeEvent(event)

    def refit(self) -> None:
        """Lay the options out anew in the text size in force, and tell the pane its floor moved."""
        self.columns = 0
        self.reflow()
        self.updateGeometry()
        if self.parentWidget() is not None:
            self.parentWidget().updateGeometry()

    # -- what the window shows ----------------------------------------------------------

    def show_only(self, scheme_names: list[str]) -> None:
        """Show the groups of these schemes (those that apply to the item on screen), hide the rest."""
        shown = set(scheme_names)
        for name, group in self.groups.items():
            group.setVisible(name in shown)
        self._relaid()
        self._mark(None)

    def focus_scheme(self, name: str) -> None:
        """Bring one scheme's group into view and mark it (the one a done key found missing);
        the keys stay with the window, so the coder answers it from the keyboard."""
        group = self.groups.get(name)
        if group is not None:
            self.settle()
            self.ensureWidgetVisible(group)
            self._mark(name)

    def reveal(self, scheme: str, value: str, *, written: bool = True) -> None:
        """The option a key just changed: scrolled into view if it is not, and marked for a moment;
        ``written=False``: its change is still to be written, and it is outlined until
        ``mark_written`` (a frame painted before the write never shows the change as saved)."""
        button = self.buttons.get((scheme, value))
        if button is None:
            return
        scrolled = self.verticalScrollBar().value()
        self._page_moved = scheme in self.folded
        if scheme in self.folded:  # a key never changes what the coder cannot see
            self.toggle_fold(scheme)
        self.settle()
        self.ensureWidgetVisible(button, 4, 4)
        self._page_moved |= self.verticalScrollBar().value() != scrolled
        self._mark_option((scheme, value), written)
        self._unmark.start()

    def mark_written(self) -> None:
        """The marked option's change is written: its outline becomes the usual patch."""
        if self._marked is not None and self._writing:
            self._mark_option(self._marked, True)
            self._unmark.start()

    def paint_now(self) -> None:
        """Paint the marked option at once, not at the event loop's next turn: the window shows a
        key's change this way before it writes it (``MainWindow.toggle``). Its box and mark only,
        unless the page moved under it (scrolled, unfolded): then the whole viewport."""
        if self._marked is None:
            return
        if self._page_moved:
            self.viewport().repaint()
            self._page_moved = False
        else:
            self.bodies[self._marked[0]].repaint(self.buttons[self._marked].geometry())

    def settle(self) -> None:
        """Lay the page out now rather than at the event loop's next turns, so the geometry a
        scroll is worked out from is the one the coder will see.

        A new count of columns (``reflow``) or a scheme shown or hidden only invalidates the
        layouts: the boxes move, the page grows and the scroll bar's range follows over two or
        three later turns of the loop, one posted layout request each. A key arriving in between
        was scrolled to from the old geometry and clamped to the old range, and its option ended
        out of sight (the smallest window's test failed so, now and then). Here each scheme's grid
        and then its group are laid out, so their size hints are the new ones; the scroll area's
        own layout request then sizes the page and sets the range at once, and the page places
        its groups."""
        for name, group in self.groups.items():  # inside out: each layout's new hint reaches the next
            self.grids[name].activate()
            group.layout().activate()
        # the scroll area sizes the page and sets the bar's range on a layout request of its own
        QCoreApplication.sendEvent(self, QEvent(QEvent.Type.LayoutRequest))
        self.widget().layout().activate()  # a page whose size stayed places its groups anew

    def in_view(self, scheme: str, value: str) -> bool:
        """Whether the whole of an option's box is inside the panel's visible area (tests use it)."""
        button = self.buttons[(scheme, value)]
        if not button.isVisible():
            return False
        top_left = button.mapTo(self.viewport(), button.rect().topLeft())
        rect = button.rect().translated(top_left)
        return self.viewport().rect().contains(rect) and button.visibleRegion().boundingRect().size() == button.size()

    def marked_option(self) -> tuple[str, str] | None:
        """The option marked now as the one a key just changed, if its mark shows (tests use it)."""
        if self._marked is None or not self.marks[self._marked[0]].isVisible():
            return None
        return self._marked

    def _mark_option(self, option: tuple[str, str] | None, written: bool = True) -> None:
        """Put the mark under this option's box, the patch if its change is written, else the
        outline (None: take both away). Only geometry changes, so the frame that shows the key
        repaints the old and the new marks and restyles nothing."""
        if self._marked is not None and (option is None or option[0] != self._marked[0]):
            self.marks[self._marked[0]].hide()
            self.pending_marks[self._marked[0]].hide()
        self._marked, self._writing = option, option is not None and not written
        if option is not None:
            shown, other = (self.marks, self.pending_marks) if written else (self.pending_marks, self.marks)
            other[option[0]].hide()
            mark = shown[option[0]]
            mark.setGeometry(self.buttons[option].geometry())  # the box's place in its scheme's body
            mark.lower()  # under the boxes of its scheme
            mark.show()

    def _unmark_written(self) -> None:
        """The moment is over: a written change's patch goes; an outline stays until it is written."""
        if not self._writing:
            self._mark_option(None)

    def _mark(self, name: str | None) -> None:
        for scheme, group in self.groups.items():
            if bool(group.property("wanted")) != (scheme == name):
                group.setProperty("wanted", scheme == name)
                group.style().unpolish(group)
                group.style().polish(group)

    def _clicked(self, scheme: str, value: str) -> None:
        # Put the box back as it was: the store's answer, via set_labels, is what shows.
        button = self.buttons[(scheme, value)]
        button.blockSignals(True)
        button.setChecked(not button.isChecked())
        button.blockSignals(False)
        self.optionClicked.emit(scheme, value)

    def set_labels(self, labels: dict[str, LabelValue]) -> None:
        self._labels = labels
        for name in self.schemes:  # an unchanged title's text is not set again (QLabel.setText returns)
            self._title(name)
        chosen = {name: scheme.as_set(labels.get(name)) for name, scheme in self.schemes.items()}
        for (scheme, value), button in self.buttons.items():
            on = value in chosen[scheme]
            if button.isChecked() != on:
                button.blockSignals(True)
                button.setChecked(on)
                button.blockSignals(False)

    def set_enabled(self, on: bool) -> None:
        self.widget().setEnabled(on)

    def checked(self) -> set[tuple[str, str]]:
        return {sv for sv, b in self.buttons.items() if b.isChecked()}
