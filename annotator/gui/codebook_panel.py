"""The codebook in force as check boxes (multi-choice) and radio buttons (single-choice).

The boxes never take keyboard focus: keys reach the window's shortcuts, and the
panel only mirrors what the store holds. A click asks the window to toggle, just
as the option's key does, so mouse and keyboard take the same path.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
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


def key_caption(key: str) -> str:
    """'Shift+T' -> '⇧T', 't' -> 'T': short enough to sit beside the option."""
    if not key:
        return ""
    *mods, base = normalise_key(key).split("+")
    symbols = {"shift": "⇧", "ctrl": "Ctrl+", "alt": "Alt+", "meta": "Meta+"}
    return "".join(symbols[m] for m in mods) + base.upper()


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
        self.schemes: dict[str, Scheme] = {}
        self.groups: dict[str, QFrame] = {}  # scheme -> its title and options, shown or hidden as one
        page = QWidget()
        outer = QVBoxLayout(page)
        outer.setContentsMargins(14, 12, 10, 12)
        outer.setSpacing(4)
        for scheme in codebook.schemes:
            self.schemes[scheme.name] = scheme
            group = QFrame()
            group.setObjectName("schemeGroup")
            box = QVBoxLayout(group)
            box.setContentsMargins(0, 0, 0, 10)
            box.setSpacing(4)
            title = QLabel(scheme.title + (" *" if scheme.required else ""))
            title.setObjectName("schemeTitle")
            title.setTextFormat(Qt.TextFormat.PlainText)
            tip = "several may apply" if scheme.kind == "multi" else "one, or none (press again to clear)"
            title.setToolTip(tip + ("; required before the item is done" if scheme.required else ""))
            box.addWidget(title)
            grid = QGridLayout()
            grid.setHorizontalSpacing(8)
            grid.setVerticalSpacing(1)
            grid.setColumnStretch(1, 1)
            for row, option in enumerate(scheme.options):
                key = QLabel(key_caption(option.key))
                key.setObjectName("keyCap")
                key.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                key.setMinimumWidth(22)
                button: QAbstractButton = QCheckBox(option.label) if scheme.kind == "multi" else QRadioButton(option.label)
                if isinstance(button, QRadioButton):
                    button.setAutoExclusive(False)  # the store decides; a second press clears
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                tip = option.description or option.label
                button.setToolTip(f"{tip}\n\nKey: {option.key}" if option.key else tip)
                key.setToolTip(button.toolTip())
                button.clicked.connect(lambda _=False, s=scheme.name, v=option.value: self._clicked(s, v))
                grid.addWidget(key, row, 0)
                grid.addWidget(button, row, 1)
                self.buttons[(scheme.name, option.value)] = button
            box.addLayout(grid)
            outer.addWidget(group)
            self.groups[scheme.name] = group
        outer.addStretch(1)
        self.setWidget(page)

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
            self.ensureWidgetVisible(group)
            self._mark(name)

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
