"""The pair being coded in the other language: the Chinese under an English pair, the English
under a Chinese one, as the project's alignment has it (``core/aligning.py``).

Hidden until the coder asks for it (Ctrl+T, ``WINDOW_KEYS``' ``other_language``); the window
remembers the choice (``settings.Look.other_language``). A pair one version asks in several
turns shows each of them; the aligner's confidence, or who aligned it by hand, is in the
heading. Plain text, as everything from a transcript.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

from annotator.gui.item_view import PairBlock, set_plain, text_label

LANGUAGE_TITLES = {"en": "中文", "zh": "English"}  # the other language's name, in that language
_OTHER = {"en": "Chinese", "zh": "English"}


def heading(found: dict[str, Any]) -> str:
    """The line over the other language's pair(s): which language, how sure, or why there is none."""
    language = found["language"]
    if language is None:
        return "No other language: this pair is not in a conference imported in both English and Chinese"
    rows = found["rows"]
    title = f"{LANGUAGE_TITLES[language]} · the {_OTHER[language]} version"
    if not rows:
        return f"{title}: none found (annotator align DB ITEM --to OTHER sets it)"
    if rows[0]["item"] is None:
        return f"{title}: none (by {rows[0]['decided_by']})"
    hand = [r for r in rows if r["method"] == "hand"]
    how = f"aligned by {hand[0]['decided_by']}" if hand else f"confidence {min(r['confidence'] for r in rows):.0%}"
    parts = f", {len(rows)} turns" if len(rows) > 1 else ""
    return f"{title} ({how}{parts})"


class OtherLanguagePane(QScrollArea):
    """Shows ``aligning.counterparts`` for the item on screen; knows nothing of the store."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("otherLanguage")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with the pair being coded
        body = QWidget()
        body.setObjectName("contextBox")
        self._layout = QVBoxLayout(body)
        self._layout.setContentsMargins(16, 8, 16, 8)
        self._layout.setSpacing(8)
        self.title = text_label(role="head")
        self._layout.addWidget(self.title)
        self.blocks: list[PairBlock] = []
        self._layout.addStretch(1)
        self.setWidget(body)
        self.hide()

    def show_found(self, found: dict[str, Any]) -> None:
        set_plain(self.title, heading(found))
        items = [r["item"] for r in found["rows"] if r["item"] is not None]
        while len(self.blocks) < len(items):
            block = PairBlock(compact=True)
            self.blocks.append(block)
            self._layout.insertWidget(len(self.blocks), block)
        for block, item in zip(self.blocks, items, strict=False):
            block.set_item(item)
        for n, block in enumerate(self.blocks):
            block.setVisible(n < len(items))
        self.verticalScrollBar().setValue(0)

    def line_height(self) -> int:
        """The pane's height for its heading alone, wrapped to the pane's width: all it needs when
        there is no pair to show."""
        left, top, right, bottom = self._layout.getContentsMargins()
        width = max(self.viewport().width() - left - right, 100)
        title = self.title.heightForWidth(width) if self.title.hasHeightForWidth() else -1
        return top + bottom + (title if title > 0 else self.title.sizeHint().height()) + 2 * self.frameWidth()

    def shown_text(self) -> str:
        """What the pane says, heading and visible pairs, for tests and screen readers."""
        texts = [self.title.text()]
        for block in self.blocks:
            if block.isVisibleTo(self):
                texts += [block.question.text(), block.answer.text()]
        return "\n".join(texts)
