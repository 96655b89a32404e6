"""Edit > Correct the import… (Ctrl+K): mend what the importer got wrong in the item on screen.

The item's paragraphs in a list, numbered, marked Q (question) or A (answer). From the
keyboard: Up/Down pick a paragraph; S splits the item before it; Q makes the question end
with it; M merges the item with the next; Ctrl+Z undoes the last correction; Alt+A comes
back to the list from a field. The outlet, spokesperson and date fields are saved with
Ctrl+Return; Enter in the note field flags an import problem for the lead. Every correction is ``store.corrections`` (core): this
dialog only shows the item and says which was asked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from annotator.core.corrections import Text
from annotator.core.errors import AnnotatorError
from annotator.core.store import Store
from annotator.core.wording import plural

_SHOWN_CHARS = 160
KEYS_LINE = ("Alt+A: the paragraphs · Up/Down: pick one · S: split before it · Q: the question ends with it · "
             "M: merge with the next item · Ctrl+Z: undo · Alt+O/P/D: outlet, spokesperson, date · "
             "Ctrl+Return: save the fields · Alt+R: the problem for the lead · Esc: close")


def paragraphs(n: int, part: str) -> str:
    """'1 question paragraph', '8 answer paragraphs', 'no answer paragraph' (a question alone)."""
    return f"no {part} paragraph" if n == 0 else plural(n, f"{part} paragraph")


class CorrectionDialog(QDialog):
    corrected = Signal(str)  # the line saying what was done (the window shows it and reloads)

    def __init__(self, parent: Any, store: Store, coder: str, item_id: int) -> None:
        super().__init__(parent)
        self.setWindowTitle("Correct the import")
        self.store, self.coder, self.item_id = store, coder, item_id
        self.resize(760, 560)

        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.paragraphs = QListWidget()
        self.paragraphs.setWordWrap(True)
        self.paragraphs.setObjectName("paragraphs")
        # S, Q and M act on the list alone (a field takes them as text): Alt+A brings the focus
        # back from a field, as Alt+O/P/D/R take it there, so the mouse is never needed.
        self.paragraphs_label = QLabel("P&aragraphs")
        self.paragraphs_label.setBuddy(self.paragraphs)
        keys = QLabel(KEYS_LINE)
        keys.setWordWrap(True)
        keys.setObjectName("hint")

        self.split_button = QPushButton("&Split before this paragraph (S)")
        self.question_button = QPushButton("&Question ends here (Q)")
        self.merge_button = QPushButton("&Merge with the next item (M)")
        self.undo_button = QPushButton("&Undo (Ctrl+Z)")
        row = QHBoxLayout()
        for b in (self.split_button, self.question_button, self.merge_button, self.undo_button):
            b.setAutoDefault(False)
            row.addWidget(b)

        self.outlet, self.spokesperson, self.date = QLineEdit(), QLineEdit(), QLineEdit()
        self.date.setPlaceholderText("YYYY-MM-DD")
        self.save_button = QPushButton("Save the fields (Ctrl+Return)")
        self.save_button.setAutoDefault(False)
        self.note = QLineEdit()
        self.note.setPlaceholderText("What is wrong (Enter flags it for the lead)")
        form = QFormLayout()
        # Alt and the underlined letter reach each field (the buttons have theirs): Tab alone did
        form.addRow("&Outlet", self.outlet)
        form.addRow("Spokes&person", self.spokesperson)
        form.addRow("&Date", self.date)
        form.addRow("", self.save_button)
        form.addRow("Import p&roblem", self.note)

        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.paragraphs_label)
        layout.addWidget(self.paragraphs, 1)
        layout.addWidget(keys)
        layout.addLayout(row)
        layout.addLayout(form)
        layout.addWidget(self.message)

        self.split_button.clicked.connect(self.split)
        self.question_button.clicked.connect(self.question_ends_here)
        self.merge_button.clicked.connect(self.merge_next)
        self.undo_button.clicked.connect(self.undo)
        self.save_button.clicked.connect(self.save_fields)
        self.note.returnPressed.connect(self.flag)
        # Letter keys act only while the list has the focus, so the fields can be typed in.
        for key, slot in (("S", self.split), ("Q", self.question_ends_here), ("M", self.merge_next)):
            QShortcut(QKeySequence(key), self.paragraphs, slot, context=Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence("Ctrl+Z"), self, self.undo)
        for key in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(key), self, self.save_fields)
        self.reload()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.paragraphs.setFocus()  # the keys act on the list from the first moment

    # -- showing --------------------------------------------------------------------------

    def reload(self, keep_row: int | None = None) -> None:
        item = self.store.items.get(self.item_id)
        if item is None:
            self.reject()
            return
        self.item = item
        text = Text.of(item["question"], item["answer"])
        position, count = self.store.items.position(self.item_id)
        self.heading.setText(f"Item {self.item_id} — {position} of {count} in its conference — "
                             f"{paragraphs(len(text.question), 'question')}, {paragraphs(len(text.answer), 'answer')}")
        self.paragraphs.clear()
        for n, para in enumerate(text.all, 1):
            mark = "Q" if n <= len(text.question) else "A"
            shown = para if len(para) <= _SHOWN_CHARS else para[:_SHOWN_CHARS] + "…"
            row = QListWidgetItem(f"{n:>3}  {mark}   {shown}")
            row.setData(Qt.ItemDataRole.UserRole, n)
            self.paragraphs.addItem(row)
        self.paragraphs.setCurrentRow(min(keep_row or 0, max(self.paragraphs.count() - 1, 0)))
        self.outlet.setText(item["outlet"] or "")
        self.spokesperson.setText(item["spokesperson"] or "")
        self.date.setText(item["date"] or "")

    def _picked(self) -> int:
        return self.paragraphs.currentRow() + 1

    # -- corrections ------------------------------------------------------------------------

    def _do(self, call: Callable[[], dict[str, Any] | None], keep_row: int | None = None) -> None:
        try:
            result = call()
        except AnnotatorError as e:
            self.message.setText(str(e).split(": ", 1)[-1] if str(e).startswith(str(self.store.path)) else str(e))
            return
        line = result["line"] if result else "nothing to undo"
        self.message.setText(line)
        self.reload(keep_row)
        if result:
            self.corrected.emit(line)

    def split(self) -> None:
        self._do(lambda: self.store.corrections.split(self.item_id, self.coder, self._picked()))

    def question_ends_here(self) -> None:
        row = self.paragraphs.currentRow()
        self._do(lambda: self.store.corrections.move(self.item_id, self.coder, self._picked()), keep_row=row)

    def merge_next(self) -> None:
        row = self.paragraphs.currentRow()
        self._do(lambda: self.store.corrections.merge_next(self.item_id, self.coder), keep_row=row)

    def undo(self) -> None:
        self._do(lambda: self.store.corrections.undo(self.coder))

    def save_fields(self) -> None:
        item = self.item
        changed = {name: field.text() for name, field in
                   (("outlet", self.outlet), ("spokesperson", self.spokesperson), ("date", self.date))
                   if field.text().strip() != (item[name] or "")}
        if not changed:
            self.message.setText("the fields are as they were: nothing to save")
            return
        self._do(lambda: self.store.corrections.edit(self.item_id, self.coder, **changed))

    def flag(self) -> None:
        note = self.note.text()
        self._do(lambda: self.store.corrections.flag(self.item_id, self.coder, note))
        if note.strip():
            self.note.clear()
