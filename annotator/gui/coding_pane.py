"""The right of the coding window: the codebook's options, the unsure flag and the note.

The pane shows one annotation and says what the coder did (an option clicked, the
flag clicked, the note settled after a pause in typing); what that means for the
item is the session's business, and the pane shows the answer.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QPlainTextEdit, QVBoxLayout, QWidget

from annotator.core.codebook import Codebook
from annotator.core.records import Annotation, LabelValue
from annotator.gui.codebook_panel import CodebookPanel
from annotator.gui.filter_bar import TextKeys

NOTE_DEBOUNCE_MS = 300


class CodingPane(QWidget):
    optionClicked = Signal(str, str)  # scheme, option value
    flagClicked = Signal()
    noteSettled = Signal()  # the coder paused typing the note: time to write it

    def __init__(self, codebook: Codebook) -> None:
        super().__init__()
        self.setObjectName("rightPane")
        self.panel = CodebookPanel(codebook)
        self.panel.optionClicked.connect(self.optionClicked)
        self.flag_box = QCheckBox("Unsure  (F)")
        self.flag_box.setObjectName("flagBox")
        self.flag_box.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.flag_box.clicked.connect(lambda _=False: self.flagClicked.emit())
        self.note = QPlainTextEdit()
        self.note.setObjectName("note")
        self.note.setPlaceholderText("Note  (N; Escape to leave)")
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(self.note.fontMetrics().lineSpacing() * 3 + 14)
        self.note_keys = TextKeys(self)
        self.note.installEventFilter(self.note_keys)
        self.note.installEventFilter(self)  # leaving the field (Escape, Tab, a click) ends the pause at once
        self.note.textChanged.connect(self._note_edited)
        self.note_timer = QTimer(self)
        self.note_timer.setSingleShot(True)
        self.note_timer.setInterval(NOTE_DEBOUNCE_MS)
        self.note_timer.timeout.connect(self.noteSettled)
        self._showing = False  # the note field is being filled from the annotation, not typed in
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self.panel, 1)
        layout.addWidget(self.flag_box)
        layout.addWidget(self.note)

    def minimumSizeHint(self) -> QSize:
        """The floor the window's splitter keeps: every option whole in one column, measured
        now in the text size in force (a width set once went stale when the text grew)."""
        return QSize(self.width_for(1), super().minimumSizeHint().height())

    def chrome_height(self) -> int:
        """The pane's height beside the codebook panel's viewport: the flag, the note, the gaps
        and margins between them and the panel's frame, from their size hints now."""
        margins = self.layout().contentsMargins()
        note = min(self.note.sizeHint().height(), self.note.maximumHeight())
        frame = 2 * self.panel.frameWidth()
        return (margins.top() + margins.bottom() + 2 * self.layout().spacing() + self.flag_box.sizeHint().height()
                + note + frame)

    def width_for(self, columns: int) -> int:
        """The pane's width that shows the options in ``columns`` columns, none clipped."""
        margins = self.layout().contentsMargins()
        return self.panel.width_for(columns) + margins.left() + margins.right()

    def show_annotation(self, ann: Annotation) -> None:
        self._showing = True
        try:
            self.panel.set_labels(ann.labels)
            self.flag_box.setChecked(ann.flag)
            if self.note.toPlainText() != ann.note:  # an unchanged field is not repainted
                self.note.setPlainText(ann.note)
        finally:
            self._showing = False

    def show_labels(self, labels: dict[str, LabelValue]) -> None:
        self.panel.set_labels(labels)

    def show_flag(self, on: bool) -> None:
        self.flag_box.setChecked(on)

    def take_note(self) -> str:
        """The note as typed, to be written now: the pause is not waited for."""
        self.note_timer.stop()
        return self.note.toPlainText()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        # The coder who leaves the note has finished it: written now, not after the pause (a
        # window killed in that pause lost it, though the coder had moved on)
        if obj is self.note and event.type() == QEvent.Type.FocusOut and self.note_timer.isActive():
            self.note_timer.stop()
            self.noteSettled.emit()
        return False

    def _note_edited(self) -> None:
        if not self._showing:
            self.note_timer.start()

    def set_enabled(self, on: bool) -> None:
        self.panel.set_enabled(on)
        self.note.setEnabled(on)
        self.flag_box.setEnabled(on)

    def focus_note(self) -> None:
        self.note.setFocus(Qt.FocusReason.ShortcutFocusReason)
