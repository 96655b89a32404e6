"""A label's value as the review window shows it, and set by hand (E).

The codebook's ``Scheme`` decides what a value holds, its one order and what each option
reads (``label_of``); here it is only spelled out: "—" for no label, "(none)" for a
multi-choice "none of these", options by their labels in codebook order.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from annotator.core.codebook import LabelValue, Scheme
from annotator.core.review import Disagreement


def show_value(value: Any, scheme: Scheme | None) -> str:
    """The options' labels, as the coding window shows them (``Scheme.label_of``); ``scheme``
    None: a scheme the codebook no longer has, shown as stored."""
    if value is None:
        return "—"
    if scheme is not None:
        value = scheme.canonical(value, allow_unknown=True)
    if isinstance(value, list):
        return ", ".join(_shown(v, scheme) for v in value) if value else "(none)"
    return _shown(value, scheme)


def _shown(option: Any, scheme: Scheme | None) -> str:
    return scheme.label_of(option) if scheme is not None and isinstance(option, str) else str(option)


def scheme_title(name: str, scheme: Scheme | None) -> str:
    """A scheme as the coding window names it: its title; one the codebook lost, by its name."""
    return scheme.title if scheme is not None else name


def list_entry(d: Disagreement, scheme: Scheme | None) -> str:
    """What the coders said, at a glance: "#12 Tone of the answer: Firm vs Neutral" (with counts
    when 3+ coders)."""
    counts = Counter(show_value(v, scheme) for v in d.values.values())
    said = " vs ".join(f"{v} ×{n}" if len(d.values) > 2 else v for v, n in counts.most_common())
    mark = "✓ " if d.decided else ""
    return f"{mark}#{d.item_id} {scheme_title(d.scheme, scheme)}: {said}" + (" · tie" if d.tie else "")


class ValueDialog(QDialog):
    """Set a value by hand: tick options (multi-choice) or pick one (single-choice)."""

    def __init__(self, scheme: Scheme, current: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scheme = scheme
        self.setWindowTitle(f"Set {scheme.title} by hand")
        self.options = QListWidget()
        chosen = scheme.as_set(current)
        for opt in scheme.options:
            item = QListWidgetItem(opt.label)
            item.setData(Qt.ItemDataRole.UserRole, opt.value)
            if scheme.multi:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if opt.value in chosen else Qt.CheckState.Unchecked)
            self.options.addItem(item)
            if not scheme.multi and opt.value in chosen:
                self.options.setCurrentItem(item)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.options)
        layout.addWidget(buttons)

    def value(self) -> LabelValue:
        """The value decided: for a multi-choice scheme the ticked options (none ticked is
        "none of these", ``[]``); for a single-choice one the option picked, or None."""
        items = [self.options.item(i) for i in range(self.options.count())]
        if self.scheme.multi:
            ticked = [i.data(Qt.ItemDataRole.UserRole) for i in items if i.checkState() == Qt.CheckState.Checked]
            return self.scheme.canonical(ticked)
        # the selection, not the current item: the list puts its cursor on the first option
        # when it takes the focus, and Enter then must not decide that option unseen
        chosen_items = self.options.selectedItems()
        return chosen_items[0].data(Qt.ItemDataRole.UserRole) if chosen_items else None
