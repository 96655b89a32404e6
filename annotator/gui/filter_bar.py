"""Search and filters above the item list; emits a ``Filter`` whenever the coder changes one."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPaintEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QWidget,
)

from annotator.core.codebook import Codebook
from annotator.core.filters import Filter, is_date
from annotator.core.name_groups import OUTLET, SPOKESPERSON, NameGroup, group_name

STATUS_CHOICES = (("All items", None), ("Unlabelled", "unlabelled"), ("Labelled", "labelled"), ("Unsure", "flagged"),
                  ("Look again", "look again"))  # a split or merge changed them after I labelled them
# Keys a text field keeps for itself even though the window has shortcuts on them.
TEXT_KEYS = {
    Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down,
    Qt.Key.Key_Home, Qt.Key.Key_End, Qt.Key.Key_Backspace, Qt.Key.Key_Delete,
}


# The short text of a name's entry: the closed list shows it, the open list the whole label.
SHORT_TEXT = Qt.ItemDataRole.UserRole + 1


class NameCombo(QComboBox):
    """The outlet or spokesperson list. An entry names every spelling of one person or outlet
    ("Hua Chunying · 华春莹  (456)"), too long for the narrow pane once chosen; closed, the list
    shows the entry's short text ("Hua Chunying  (456)", or "Hua Chunying" where that is too wide
    too), the whole label as its tooltip."""

    def __init__(self) -> None:
        super().__init__()
        self.currentIndexChanged.connect(
            lambda _index: self.setToolTip(self.currentText() if self.currentData(SHORT_TEXT) else ""))

    def shown_text(self) -> str:
        """What the closed list shows: the entry's short text, or its name alone where even that
        is too wide; an entry of one spelling, its label as it is."""
        short = self.currentData(SHORT_TEXT)
        if not short:
            return self.currentText()
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        room = self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                           QStyle.SubControl.SC_ComboBoxEditField, self).width()
        metrics = self.fontMetrics()
        if metrics.horizontalAdvance(short) <= room:
            return short
        return metrics.elidedText(short.rsplit("  (", 1)[0], Qt.TextElideMode.ElideRight, room)

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.currentData(SHORT_TEXT):
            super().paintEvent(event)
            return
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        option.currentText = self.shown_text()
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)


class TextKeys(QObject):
    """Event filter for text fields: while one has the focus, letters and arrows edit text
    instead of firing the window's single-key shortcuts."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            mods = event.modifiers() & ~(Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier)
            if mods == Qt.KeyboardModifier.NoModifier and (event.key() in TEXT_KEYS or event.text().isprintable() and event.text()):
                event.accept()
                return True
        return False


class EnterKeys(QObject):
    """Event filter for the filter bar's boxes: Enter leaves the box (see ``FilterBar.leave``)
    instead of firing the window's "done and next"."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            event.accept()
            return True
        return False


class FilterBar(QWidget):
    filterChanged = Signal(object)  # Filter
    leave = Signal()  # Escape or Enter: give the keys back to the item

    def __init__(self, codebook: Codebook) -> None:
        super().__init__()
        self.setObjectName("filterBar")
        self._quiet = False
        self.text_keys = TextKeys(self)
        self.enter_keys = EnterKeys(self)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search question and answer   (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox()
        for text, value in STATUS_CHOICES:
            self.status.addItem(text, value)
        self.option = QComboBox()  # items where this coder chose an option, of any scheme (Filter.option)
        self.option.addItem("Any label", None)
        for scheme in codebook.schemes:
            for option in scheme.options:
                self.option.addItem(f"{scheme.title}: {option.label}", f"{scheme.name}:{option.value}")
        self.outlet = NameCombo()
        self.spokesperson = NameCombo()
        for combo, anything in ((self.outlet, "Any outlet"), (self.spokesperson, "Any spokesperson")):
            combo.addItem(anything, None)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(10)
        self.option.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.option.setMinimumContentsLength(10)
        self.date_from = QLineEdit()
        self.date_to = QLineEdit()
        for edit, hint in ((self.date_from, "from yyyy-mm-dd"), (self.date_to, "to yyyy-mm-dd")):
            edit.setPlaceholderText(hint)
            edit.editingFinished.connect(self._changed)
            # Enter applies the date and gives the keys back to the item, as in the search field
            # (leaving the focus here, the next label key typed into the date)
            edit.returnPressed.connect(self._entered)
        for edit in (self.search, self.date_from, self.date_to):
            edit.installEventFilter(self.text_keys)
            edit.installEventFilter(self)
        self.search.returnPressed.connect(self._entered)
        for combo in (self.status, self.option, self.outlet, self.spokesperson):
            combo.currentIndexChanged.connect(self._changed)
            # a letter picks an entry of the list and Enter leaves it, as in a text field:
            # neither may label or mark done the item behind the filter
            combo.installEventFilter(self.text_keys)
            combo.installEventFilter(self)
        # shown only to a coder the lead has assigned items to; on by default then (see MainWindow)
        self.assigned = QCheckBox("Only items assigned to me")
        self.assigned.setObjectName("assignedBox")
        self.assigned.setToolTip("Your lead assigned items to you: next, Enter and the list keep to them")
        self.assigned.toggled.connect(self._changed)
        self.assigned.installEventFilter(self.enter_keys)
        self.assigned.installEventFilter(self)
        self.assigned.hide()

        grid = QGridLayout(self)
        grid.setContentsMargins(8, 8, 8, 4)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(4)
        grid.addWidget(self.search, 0, 0, 1, 4)
        grid.addWidget(self.status, 1, 0, 1, 2)
        grid.addWidget(self.option, 1, 2, 1, 2)
        grid.addWidget(self.outlet, 2, 0, 1, 2)
        grid.addWidget(self.spokesperson, 2, 2, 1, 2)
        grid.addWidget(self.date_from, 3, 0, 1, 2)
        grid.addWidget(self.date_to, 3, 2, 1, 2)
        grid.addWidget(self.assigned, 4, 0, 1, 4)
        self.summary = QLabel()
        self.summary.setObjectName("where")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        grid.addWidget(self.summary, 5, 0, 1, 4)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and isinstance(obj, (QComboBox, QCheckBox))
            if event.key() == Qt.Key.Key_Escape or enter:
                self.leave.emit()
                return True
        return False

    def set_names(self, outlets: list[NameGroup], spokespersons: list[NameGroup]) -> None:
        """Fill the outlet and spokesperson lists, one entry for each whatever its spellings,
        keeping what is chosen."""
        self._quiet = True
        try:
            for combo, groups in ((self.outlet, outlets), (self.spokesperson, spokespersons)):
                chosen = combo.currentData()
                while combo.count() > 1:
                    combo.removeItem(1)
                for group in groups:
                    combo.addItem(f"{group.label}  ({group.count:,})", group.name)
                    if group.label != group.name:
                        combo.setItemData(combo.count() - 1, f"{group.name}  ({group.count:,})", SHORT_TEXT)
                self._select(combo, chosen)
        finally:
            self._quiet = False

    def filter(self) -> Filter:
        dates = []
        for edit in (self.date_from, self.date_to):
            text = edit.text().strip()
            ok = not text or is_date(text)  # the Filter's own rule: a date it would refuse is marked
            edit.setProperty("invalid", not ok)
            edit.style().unpolish(edit)
            edit.style().polish(edit)
            dates.append(text if text and ok else None)
        return Filter(
            status=self.status.currentData(),
            outlet=self.outlet.currentData(),
            spokesperson=self.spokesperson.currentData(),
            date_from=dates[0],
            date_to=dates[1],
            option=self.option.currentData(),
            search=self.search.text().strip() or None,
            assigned=self.assigned.isChecked() and not self.assigned.isHidden(),
        )

    def set_assignable(self, on: bool) -> None:
        """Offer the "assigned to me" switch only when the coder has assignments."""
        self.assigned.setHidden(not on)

    def set_filter(self, flt: Filter) -> None:
        self._quiet = True
        try:
            self.search.setText(flt.search or "")
            self.date_from.setText(flt.date_from or "")
            self.date_to.setText(flt.date_to or "")
            for combo, value in (
                (self.status, flt.status), (self.option, flt.option),
                # a filter saved by a version that listed each spelling apart picks its group
                (self.outlet, flt.outlet and group_name(OUTLET, flt.outlet)),
                (self.spokesperson, flt.spokesperson and group_name(SPOKESPERSON, flt.spokesperson)),
            ):
                self._select(combo, value)
            self.assigned.setChecked(flt.assigned)
        finally:
            self._quiet = False

    @staticmethod
    def _select(combo: QComboBox, value: str | None) -> None:
        i = combo.findData(value)
        if i < 0 and value is not None:
            combo.addItem(value, value)
            i = combo.count() - 1
        combo.setCurrentIndex(max(i, 0))

    def _entered(self) -> None:
        """Enter in the search or a date field: the filter applied, the keys back to the item."""
        self._changed()
        self.leave.emit()

    def _changed(self) -> None:
        if not self._quiet:
            self.filterChanged.emit(self.filter())
