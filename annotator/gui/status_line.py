"""The coding window's status line: the message (an option's description, what a key did) on the
left, cut with an ellipsis where it would reach the progress and the coder's name on the right.

QStatusBar draws a message as long as it is, up to and under its permanent widgets: a long
description ran into the progress text, cut mid-word. Here the message stops a gap short of
the first of them."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QStatusBar, QWidget

GAP = 16  # px between the message's end and the progress text


class StatusLine(QStatusBar):
    def __init__(self) -> None:
        super().__init__()
        self._permanent: list[QWidget] = []
        self.messageChanged.connect(lambda _text: self.update())

    def addPermanentWidget(self, widget: QWidget, stretch: int = 0) -> None:
        super().addPermanentWidget(widget, stretch)
        self._permanent.append(widget)

    def message_rect(self) -> QRect:
        """Where the message is drawn: from the left margin to a gap short of the permanent widgets."""
        shown = [w.geometry().left() for w in self._permanent if w.isVisible()]
        right = min(shown, default=self.width()) - GAP
        margins = self.contentsMargins()
        return QRect(margins.left() + 6, 0, max(right - margins.left() - 6, 0), self.height())

    def shown_message(self) -> str:
        """The message as drawn, shortened to its room (tests read it)."""
        rect = self.message_rect()
        return self.fontMetrics().elidedText(self.currentMessage(), Qt.TextElideMode.ElideRight, rect.width())

    def paintEvent(self, event: QPaintEvent) -> None:
        message = self.currentMessage()
        if not message:
            super().paintEvent(event)
            return
        painter = QPainter(self)
        painter.setPen(self.palette().windowText().color())
        painter.drawText(self.message_rect(), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                         self.shown_message())
        painter.end()
