"""The pair being coded: question and answer, who asked and who answered, where it sits.

Everything from a transcript is shown as plain text: a ``<`` or ``&`` in a
transcript is a character, never markup.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QToolButton, QVBoxLayout, QWidget

from annotator.core.items import asked_after_the_conference

KIND_TITLES = {"qa": ("Question", "Answer"), "statement": ("", "Statement"), "reported": ("", "Reported remark")}


SELECTABLE = Qt.TextInteractionFlag.TextSelectableByMouse


class SelectOnPress(QObject):
    """Makes a label's text selectable when the mouse is pressed on it, not before.

    A selectable QLabel lays its text out through a QTextDocument, about twice the cost of
    a plain one on every new item; keys never select text, so the labels stay plain until
    a press (which the label then handles as a selectable one: drag, double-click, Copy).
    """

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if (
            isinstance(obj, QLabel)
            and event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick, QEvent.Type.ContextMenu)
            and not obj.textInteractionFlags() & SELECTABLE
        ):
            obj.setTextInteractionFlags(SELECTABLE)
        return False


_select_on_press = SelectOnPress()


def text_label(text: str = "", *, role: str = "body") -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    label.installEventFilter(_select_on_press)
    label.setObjectName(role)
    label.setText(text)
    return label


def set_plain(label: QLabel, text: str) -> None:
    """New text, laid out cheaply: a label made selectable by a press goes back to plain."""
    if label.text() == text:
        return
    if label.textInteractionFlags() & SELECTABLE:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    label.setText(text)


class PairBlock(QWidget):
    """One item: a small heading per part ("Question · Reuters") over its text."""

    def __init__(self, *, compact: bool = False) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4 if compact else 6)
        role = "context" if compact else "body"
        self.question_head = text_label(role="head")
        self.question = text_label(role=role)
        self.answer_head = text_label(role="head")
        self.answer = text_label(role=role)
        for w in (self.question_head, self.question):
            layout.addWidget(w)
        layout.addSpacing(6 if compact else 14)
        for w in (self.answer_head, self.answer):
            layout.addWidget(w)

    def set_item(self, item: dict[str, Any]) -> None:
        q_title, a_title = KIND_TITLES.get(item["kind"], ("Question", "Answer"))
        question = item.get("question") or ""
        has_question = bool(question.strip()) or item["kind"] == "qa"
        if self.question.isVisibleTo(self) != has_question:
            self.question_head.setVisible(has_question)
            self.question.setVisible(has_question)
        after = (AFTER,) if asked_after_the_conference(item.get("meta")) else ()
        set_plain(self.question_head, _head(q_title or "Question", item.get("outlet"), *after))
        set_plain(self.question, question)
        set_plain(self.answer_head, _head(a_title, item.get("spokesperson")))
        set_plain(self.answer, item.get("answer") or "")


# Beside the question's heading: its answer was written after the briefing, not said at the podium.
AFTER = "asked after the press conference"


def _head(title: str, *about: str | None) -> str:
    return "  ·  ".join([title.upper(), *(a for a in about if a)])


class ItemView(QScrollArea):
    """The reading area: position line, optional context, the pair. Scrolls as one page."""

    contextToggled = Signal(bool)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("itemView")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        page = QWidget()
        page.setObjectName("page")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(28, 18, 28, 28)
        layout.setSpacing(10)
        self.where = text_label(role="where")
        self.position = text_label(role="where")
        self.toggle = QToolButton()
        self.toggle.setObjectName("contextToggle")
        self.toggle.setCheckable(True)
        self.toggle.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.setText("Context  (Ctrl+E)")
        self.toggle.toggled.connect(self._toggled)
        self.before = QVBoxLayout()
        self.after = QVBoxLayout()
        for box_layout in (self.before, self.after):
            box_layout.setSpacing(16)
            box_layout.setContentsMargins(12, 4, 0, 4)
        self.before_box = QWidget()
        self.before_box.setLayout(self.before)
        self.after_box = QWidget()
        self.after_box.setLayout(self.after)
        for box in (self.before_box, self.after_box):
            box.setObjectName("contextBox")
            box.hide()
        self.pair = PairBlock()
        layout.addWidget(self.where)
        layout.addWidget(self.position)
        layout.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.before_box)
        layout.addSpacing(6)
        layout.addWidget(self.pair)
        layout.addSpacing(6)
        layout.addWidget(self.after_box)
        layout.addStretch(1)
        self.setWidget(page)
        # the page grows over later turns of the loop as the context's word-wrapped pairs find their
        # height: until the coder scrolls, each new range keeps the pair in view (``pair_in_view``)
        self._follow = False
        self.verticalScrollBar().rangeChanged.connect(self._scroll_to_pair)
        self.verticalScrollBar().actionTriggered.connect(self._coder_scrolled)

    @property
    def context_visible(self) -> bool:
        return self.toggle.isChecked()

    def set_context_visible(self, on: bool) -> None:
        self.toggle.setChecked(on)

    def _toggled(self, on: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self.before_box.setVisible(on)
        self.after_box.setVisible(on)
        self.contextToggled.emit(on)
        self.pair_in_view()

    def pair_in_view(self) -> None:
        """The pair on screen whole in sight (its top, when it is taller than the view), with as
        much of the context before it as the room above allows: the pairs before pushed it below
        the edge, and the coder read an earlier pair, in grey, as the one they were coding."""
        if not self.context_visible:
            return
        # lay the page out now (inside out, then the scroll area sizes the page and the bar's range),
        # or the scroll is worked out from the geometry before the context came
        for box in (self.before_box, self.after_box):
            box.layout().activate()
        self.widget().layout().activate()
        QCoreApplication.sendEvent(self, QEvent(QEvent.Type.LayoutRequest))
        self._follow = True
        self._scroll_to_pair()

    def _scroll_to_pair(self, *_: object) -> None:
        if not self._follow or not self.context_visible:
            return
        margin = 12
        top, bottom = self.pair.y() - margin, self.pair.y() + self.pair.height() + margin
        self.verticalScrollBar().setValue(max(0, min(top, bottom - self.viewport().height())))

    def _coder_scrolled(self, _action: int) -> None:
        self._follow = False  # the coder scrolls: the page stays where they take it

    def show_item(self, item: dict[str, Any], where: str, position: str) -> None:
        set_plain(self.where, where)
        set_plain(self.position, position)
        self.pair.set_item(item)
        self.verticalScrollBar().setValue(0)

    def set_context(self, before: list[dict[str, Any]], after: list[dict[str, Any]]) -> None:
        for layout, items, empty in ((self.before, before, "Start of the conference"), (self.after, after, "End of the conference")):
            while layout.count():
                w = layout.takeAt(0).widget()
                if w is not None:
                    w.deleteLater()
            if not items:
                layout.addWidget(text_label(empty, role="where"))
            for it in items:
                block = PairBlock(compact=True)
                block.set_item(it)
                layout.addWidget(block)
        self.pair_in_view()

    def texts(self) -> tuple[str, str]:
        """What the coder reads, as shown (for tests and accessibility checks)."""
        return self.pair.question.text(), self.pair.answer.text()
