"""The codebook in force as check boxes (multi-choice) and radio buttons (single-choice).

The boxes never take keyboard focus: keys reach the window's shortcuts, and the
panel only mirrors what the store holds. A click asks the window to toggle, just
as the option's key does, so mouse and keyboard take the same path.

Every option should be in sight: each scheme's options flow into as many columns as
the panel's width holds (column by column, so they still read in codebook order),
and the option a key just changed is scrolled into view and marked for a moment
(``reveal``), so a key never changes something the coder cannot see.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QFrame,
    QGridLayout,
    QLabel,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from annotator.core.codebook import Codebook, LabelValue, Scheme
from annotator.core.window_keys import normalise_key

MAX_COLUMNS = 3  # wider than this, a row of options is read as a sentence, not a list
KEY_GAP = 6  # between an option's key and its box
COLUMN_GAP = 14  # between two columns of options
MARGINS = (10, 8, 8, 8)  # left, top, right, bottom of the page inside the panel
REVEAL_MS = 900  # how long the option a key changed stays marked


def key_caption(key: str) -> str:
    """'Shift+T' -> '⇧T', 't' -> 'T': short enough to sit beside the option."""
    if not key:
        return ""
    *mods, base = normalise_key(key).split("+")
    symbols = {"shift": "⇧", "ctrl": "Ctrl+", "alt": "Alt+", "meta": "Meta+"}
    return "".join(symbols[m] for m in mods) + base.upper()


def describe(scheme: Scheme, value: str) -> str:
    """'Topics: Taiwan — Cross-strait relations, ...': what the status line says of an option."""
    option = next((o for o in scheme.options if o.value == value), None)
    if option is None:
        return scheme.title
    line = f"{scheme.title}: {option.label}"
    return f"{line} — {option.description}" if option.description else line


class CodebookPanel(QScrollArea):
    optionClicked = Signal(str, str)  # scheme, option value

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
        self.columns = 0  # columns the options are laid out in now (0: not laid out yet)
        self._marked: QAbstractButton | None = None
        self._unmark = QTimer(self)
        self._unmark.setSingleShot(True)
        self._unmark.setInterval(REVEAL_MS)
        self._unmark.timeout.connect(lambda: self._mark_option(None))
        page = QWidget()
        page.setObjectName("codebookPage")
        outer = QVBoxLayout(page)
        outer.setContentsMargins(*MARGINS)
        outer.setSpacing(2)
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
        box.setContentsMargins(0, 0, 0, 6)
        box.setSpacing(2)
        title = QLabel(scheme.title + (" *" if scheme.required else ""))
        title.setObjectName("schemeTitle")
        title.setTextFormat(Qt.TextFormat.PlainText)
        tip = "several may apply" if scheme.kind == "multi" else "one, or none (press again to clear)"
        title.setToolTip(tip + ("; required before the item is done" if scheme.required else ""))
        box.addWidget(title)
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(0)
        grid.setHorizontalSpacing(KEY_GAP)
        for option in scheme.options:
            key = QLabel(key_caption(option.key))
            key.setObjectName("keyCap")
            key.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            button: QAbstractButton = QCheckBox(option.label) if scheme.kind == "multi" else QRadioButton(option.label)
            button.setObjectName("option")
            if isinstance(button, QRadioButton):
                button.setAutoExclusive(False)  # the store decides; a second press clears
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            tip = option.description or option.label
            button.setToolTip(f"{tip}\n\nKey: {option.key}" if option.key else tip)
            key.setToolTip(button.toolTip())
            button.clicked.connect(lambda _=False, s=scheme.name, v=option.value: self._clicked(s, v))
            self.buttons[(scheme.name, option.value)] = button
            self.keycaps[(scheme.name, option.value)] = key
        box.addLayout(grid)
        self.groups[scheme.name] = group
        self.grids[scheme.name] = grid
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

    def reflow(self, width: int | None = None) -> None:
        """Lay each scheme's options out column by column in as many columns as ``width`` holds
        (the panel's by default); nothing is done when the count of columns stays the same."""
        columns = self.columns_for(self.width() - 2 * self.frameWidth() if width is None else width)
        if columns == self.columns:
            return
        self.columns = columns
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

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.reflow()

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
        self._mark(None)

    def focus_scheme(self, name: str) -> None:
        """Bring one scheme's group into view and mark it (the one a done key found missing);
        the keys stay with the window, so the coder answers it from the keyboard."""
        group = self.groups.get(name)
        if group is not None:
            self.settle()
            self.ensureWidgetVisible(group)
            self._mark(name)

    def reveal(self, scheme: str, value: str) -> None:
        """The option a key just changed: scrolled into view if it is not, and marked for a moment."""
        button = self.buttons.get((scheme, value))
        if button is None:
            return
        self.settle()
        self.ensureWidgetVisible(button, 4, 4)
        self._mark_option(button)
        self._unmark.start()

    def settle(self) -> None:
        """Lay the page out now rather than at the event loop's next turns, so the geometry a
        scroll is worked out from is the one the coder will see.

        A new count of columns (``reflow``) or a scheme shown or hidden only invalidates the
        layouts: the boxes move, the page grows and the scroll bar's range follows over two or
        three later turns of the loop, one posted layout request each. A key arriving in between
        was scrolled to from the old geometry and clamped to the old range, and its option ended
        out of sight (the smallest window's test failed so, now and then). Activating the page's
        layout sets the groups' geometry and the page's minimum, which resizes the page and so
        the range at once; each group's own layout then places its boxes."""
        for group in self.groups.values():  # their boxes placed: their size hints are new
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

    def _mark_option(self, button: QAbstractButton | None) -> None:
        for b in (self._marked, button):
            if b is not None:
                b.setProperty("revealed", b is button)
                b.style().unpolish(b)
                b.style().polish(b)
        self._marked = button

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
