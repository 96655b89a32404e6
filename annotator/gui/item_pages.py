"""The middle of the coding window: the item to read, or a page saying why there is none
(an empty project offers Import; a filter nothing matches says how to clear it)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from annotator.core.aligning import LANGUAGE_NAMES
from annotator.core.session import ASSIGNMENT, PROJECT, Position
from annotator.core.wording import plural
from annotator.gui.item_view import ItemView
from annotator.gui.keys import key_for

NBSP = "\u00a0"


def where_line(item: dict[str, Any], conference: dict[str, Any]) -> str:
    """'2024-03-12   ·   Regular Press Conference on March 12, 2024'."""
    title = conference.get("title") or conference.get("name") or ""
    date = item.get("date") or conference.get("date") or "no date"
    return f"{date}   ·   {title}" if title else date


def position_line(p: Position) -> str:
    """'Pair 4 of 10 in this conference   ·   9 of 18 in the project'; where the conference came
    in other languages too, the count is of the item's language and the line says so:
    'Pair 4 of 22 in this conference (in English; 20 in Chinese)'."""
    # A line too long for the pane wraps between words, never inside "4 of 14" (no-break spaces).
    noun = "Pair" if p.kind == "qa" else "Item"
    versions = ""
    if p.other_versions:
        others = "; ".join(f"{n:,}{NBSP}in{NBSP}{_language(lang)}" for lang, n in p.other_versions)
        versions = f" (in{NBSP}{_language(p.language)}; {others})"
    parts = [f"{noun}{NBSP}{p.in_conference:,}{NBSP}of{NBSP}{p.conference_size:,} in this conference{versions}"]
    if p.rows is not None:
        where = {PROJECT: "in the project", ASSIGNMENT: "in your assignment"}.get(p.scope, "in the filter")
        if p.row is not None:
            parts.append(f"{p.row + 1:,}{NBSP}of{NBSP}{p.rows:,} {where}")
        else:
            parts.append(f"not in the filter ({plural(p.rows, 'item')})")
    return "   ·   ".join(parts)


def _language(code: str | None) -> str:
    return LANGUAGE_NAMES.get(code or "", code or "an unknown language")


class ItemPages(QStackedWidget):
    importClicked = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.view = ItemView()
        self.empty = QWidget()
        ev = QVBoxLayout(self.empty)
        ev.addStretch(1)
        msg = QLabel("This project has no items yet.\nImport press-conference transcripts to start coding.")
        msg.setAlignment(Qt.AlignmentFlag.AlignCenter)
        msg.setObjectName("emptyMessage")
        self.import_button = QPushButton(f"Import…  ({key_for('import')})")  # the key, as the no-match page gives its own
        self.import_button.setObjectName("importButton")
        self.import_button.clicked.connect(self.importClicked)
        ev.addWidget(msg)
        ev.addWidget(self.import_button, 0, Qt.AlignmentFlag.AlignCenter)
        ev.addStretch(2)
        self.no_match = QLabel(f"No items match the filter.\n{key_for('clear_filter')} clears it.")
        self.no_match.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_match.setObjectName("emptyMessage")
        for page in (self.empty, self.view, self.no_match):
            self.addWidget(page)
        self.setCurrentWidget(self.view)

    @property
    def showing_item(self) -> bool:
        return self.currentWidget() is self.view

    def show_empty(self) -> None:
        self.setCurrentWidget(self.empty)

    def show_no_match(self) -> None:
        self.setCurrentWidget(self.no_match)

    def show_item(self, item: dict[str, Any], conference: dict[str, Any], position: Position) -> None:
        self.view.show_item(item, where_line(item, conference), position_line(position))

    def turn_to_item(self) -> bool:
        """Turn to the reading page; True when the page it replaces had the keyboard focus
        (which then belongs on the item)."""
        had_focus = self.currentWidget().hasFocus() or self.import_button.hasFocus()
        self.setCurrentWidget(self.view)
        return had_focus
