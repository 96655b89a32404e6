"""The review mode: the items where coders disagree, each coder's labels side by side, one key
per decision. The only window that shows one coder's labels to anyone else.

Keys: 1..9 take coder N's value for the current scheme, E sets the value by hand, R gives
a reason (``REASON_RULE``), Ctrl+Z undoes the reviewer's last decision, J/K (or Down/Up)
move through the list, F1 lists the keys, Ctrl+W (or Ctrl+Q) closes the window.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QInputDialog,
    QLabel,
    QListWidget,
    QMainWindow,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from annotator.core.codebook import LabelValue
from annotator.core.errors import AnnotatorError
from annotator.core.report import build_report
from annotator.core.review import Disagreement, disagreements
from annotator.core.store import Store
from annotator.core.wording import plural
from annotator.gui.agreement_panel import AgreementPanel
from annotator.gui.disagreement_view import DisagreementView
from annotator.gui.help import HelpDialog
from annotator.gui.review_values import ValueDialog, list_entry

ALL = "All schemes"
# A reason belongs to one decision, never to whichever comes next.
REASON_RULE = ("R right after a decision gives the reason for that decision (the window has moved on; "
               "the status line names it). Otherwise R gives the reason for the decision on the item "
               "shown, and is dropped if you move to another item without deciding.")
KEYS_HTML = f"""<table cellpadding='3'>
<tr><td><b>1 … 9</b></td><td>Take coder N's value as gold</td></tr>
<tr><td><b>E</b></td><td>Set the gold value by hand</td></tr>
<tr><td><b>R</b></td><td>Reason: {REASON_RULE}</td></tr>
<tr><td><b>Ctrl+Z</b></td><td>Undo your last decision</td></tr>
<tr><td><b>J / K</b></td><td>Next / previous disagreement</td></tr>
<tr><td><b>Alt+S</b></td><td>The scheme to review (Up/Down pick one)</td></tr>
<tr><td><b>Alt+D</b></td><td>Show or hide the disagreements already decided</td></tr>
<tr><td><b>F1</b></td><td>This list of keys</td></tr>
<tr><td><b>Ctrl+W / Ctrl+Q</b></td><td>Close the review window (every decision is already saved)</td></tr>
</table>"""


class ReviewWindow(QMainWindow):
    def __init__(self, store: Store, reviewer: str) -> None:
        super().__init__()
        self.store = store
        self.codebook = store.codebook()
        self.reviewer = reviewer
        self.reason = ""
        self.reason_for: tuple[int, str] | None = None  # the (item, scheme) ``reason`` is for
        self.last_decision: tuple[int, str] | None = None  # what R right after deciding gives a reason for
        self.rows: list[Disagreement] = []
        self.setWindowTitle(f"Review — {store.path.name} — {reviewer}")
        self.resize(1280, 800)

        self.scheme_box = QComboBox()
        self.scheme_box.addItem(ALL, None)
        for scheme in self.codebook.schemes:  # by the titles the coding window shows
            self.scheme_box.addItem(scheme.title, scheme.name)
        self.scheme_box.currentIndexChanged.connect(lambda _i: self.reload())
        self.show_decided = QCheckBox("Show &decided")  # Alt+D: every control has a key
        self.show_decided.setChecked(True)
        self.show_decided.toggled.connect(lambda _on: self.reload())
        self.list = QListWidget()
        self.list.setObjectName("disagreements")
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.currentRowChanged.connect(self._show_row)
        self.count_label = QLabel()
        left = QWidget()
        lv = QVBoxLayout(left)
        scheme_label = QLabel("&Scheme:")  # Alt+S: the list of schemes, Up/Down to pick one
        scheme_label.setBuddy(self.scheme_box)
        lv.addWidget(scheme_label)
        lv.addWidget(self.scheme_box)
        lv.addWidget(self.show_decided)
        lv.addWidget(self.list, 1)
        lv.addWidget(self.count_label)

        self.disagreement = DisagreementView(self.codebook)

        self.agreement = AgreementPanel()
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.disagreement)
        split.addWidget(self.agreement)
        split.setSizes([300, 620, 360])
        self.setCentralWidget(split)

        for key in range(1, 10):
            QShortcut(QKeySequence(str(key)), self, activated=lambda k=key: self.take_coder(k - 1))
        QShortcut(QKeySequence("E"), self, activated=self.set_by_hand)
        QShortcut(QKeySequence("R"), self, activated=self.ask_reason)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self, activated=self.undo)
        QShortcut(QKeySequence("J"), self, activated=lambda: self._move(1))
        QShortcut(QKeySequence("K"), self, activated=lambda: self._move(-1))
        self._menus()
        self.reload()

    def _menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        close = QAction("Close", self)
        close.setShortcuts([QKeySequence("Ctrl+W"), QKeySequence("Ctrl+Q")])
        close.triggered.connect(self.close)
        file_menu.addAction(close)
        help_menu = self.menuBar().addMenu("&Help")
        keys = QAction("Keyboard", self)
        keys.setShortcut(QKeySequence("F1"))
        keys.triggered.connect(lambda: HelpDialog(self, "Review keys", KEYS_HTML).exec())
        help_menu.addAction(keys)

    # -- data ----------------------------------------------------------------------------

    def scheme_filter(self) -> str | None:
        return self.scheme_box.currentData()

    def reload(self, keep: tuple[int, str] | None = None) -> None:
        """Re-read the disagreements and the agreement figures; keep the selection on ``keep``."""
        # Every disagreement is read, decided or not, so that the count below says how far the
        # review has come even while the decided ones are hidden from the list ("0 disagreements"
        # after the last decision read as though there had been none).
        every = disagreements(self.store, scheme=self.scheme_filter())
        self.rows = every if self.show_decided.isChecked() else [d for d in every if not d.decided]
        self.list.blockSignals(True)
        self.list.clear()
        for d in self.rows:
            entry = list_entry(d, self.codebook.scheme(d.scheme))
            self.list.addItem(entry)
            self.list.item(self.list.count() - 1).setToolTip(entry)
        self.list.blockSignals(False)
        decided = sum(d.decided for d in every)
        self.count_label.setText(f"{plural(len(every), 'disagreement')}, {decided:,} decided")
        row = next((i for i, d in enumerate(self.rows) if keep and (d.item_id, d.scheme) == keep), 0)
        if self.rows:
            self.list.setCurrentRow(min(row, len(self.rows) - 1))
            self._show_row(self.list.currentRow())
        else:
            self._show_row(-1)
        self.refresh_panel()

    def refresh_panel(self) -> None:
        # the report's own figures (no bootstrap: the panel follows every decision at once)
        self.agreement.refresh(build_report(self.store, scheme=self.scheme_filter(), bootstrap=0, details=False))

    def current(self) -> Disagreement | None:
        row = self.list.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _show_row(self, row: int) -> None:
        d = self.rows[row] if 0 <= row < len(self.rows) else None
        self.last_decision = None  # another row: R is for the item shown now
        if d is None or (d.item_id, d.scheme) != self.reason_for:
            self.set_reason("")  # a reason given for another item's decision is not carried over
        if d is None:
            self.disagreement.show_nothing("No disagreements." if not self.rows else "")
            return
        self.disagreement.show_disagreement(d, self.store.items.get(d.item_id) or {}, self.store.labels.annotations_of(d.item_id),
                                            self.store.gold.of(d.item_id).get(d.scheme))

    # -- decisions -----------------------------------------------------------------------

    def decide(self, value: LabelValue, *, taken_from: str | None = None) -> bool:
        """Make ``value`` gold: a coder's (``taken_from``) or set by hand; the store records the
        coders' values beside it."""
        d = self.current()
        if d is None:
            return False
        reason = self.reason if self.reason_for == (d.item_id, d.scheme) else ""
        try:
            self.store.gold.set(d.item_id, d.scheme, value, self.reviewer, reason,
                                method="hand" if taken_from is None else "coder", taken_from=taken_from)
        except AnnotatorError as e:
            self.statusBar().showMessage(str(e), 8000)
            return False
        self.set_reason("")
        self._after_decision(d)
        self.last_decision = (d.item_id, d.scheme)
        return True

    def _after_decision(self, d: Disagreement) -> None:
        # Stay on the list but go on to the next undecided item.
        keep = (d.item_id, d.scheme)
        before = self.list.currentRow()
        self.reload(keep)
        row = self.list.currentRow()
        if not self.rows or (self.rows[row].item_id, self.rows[row].scheme) != keep:
            # the decided row left the list (decided ones hidden): the next one now sits where it was
            row = before - 1
        nxt = next((i for i in range(row + 1, len(self.rows)) if not self.rows[i].decided), None)
        if nxt is None:
            nxt = next((i for i in range(len(self.rows)) if not self.rows[i].decided), row)
        self.list.setCurrentRow(max(0, min(nxt, len(self.rows) - 1)) if self.rows else -1)

    def take_coder(self, index: int) -> bool:
        d = self.current()
        if d is None or index >= len(d.values):
            return False
        coder = list(d.values)[index]
        return self.decide(d.values[coder], taken_from=coder)

    def set_by_hand(self) -> bool:
        d = self.current()
        if d is None:
            return False
        scheme = self.codebook.scheme(d.scheme)
        if scheme is None:
            return False
        dialog = ValueDialog(scheme, d.gold, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.decide(dialog.value())

    def ask_reason(self) -> None:
        """R: the reason for the decision just made, else for the decision on the item shown."""
        if self.last_decision is not None:
            item_id, scheme = self.last_decision
            said = (self.store.gold.of(item_id).get(scheme) or {}).get("reason") or ""
            text, ok = QInputDialog.getText(self, "Reason", f"Why (the decision just made: item {item_id}, {scheme}):",
                                            text=said)
            if ok:
                self.give_reason(text)
            return
        d = self.current()
        if d is None:
            return
        text, ok = QInputDialog.getText(self, "Reason", f"Why (the decision on this item: item {d.item_id}, {d.scheme}):",
                                        text=self.reason)
        if ok:
            self.set_reason(text)

    def give_reason(self, text: str) -> bool:
        """The reason for the decision just made (``last_decision``), written to it."""
        if self.last_decision is None:
            return False
        item_id, scheme = self.last_decision
        try:
            written = self.store.gold.set_reason(item_id, scheme, self.reviewer, text.strip())
        except AnnotatorError as e:
            self.statusBar().showMessage(str(e), 8000)
            return False
        if written:
            self.statusBar().showMessage(f"Reason recorded for item {item_id}, {scheme}", 6000)
        return written

    def set_reason(self, text: str) -> None:
        """The reason for the coming decision on the item shown."""
        self.reason = text.strip()
        d = self.current()
        self.reason_for = (d.item_id, d.scheme) if d is not None and self.reason else None
        self.disagreement.show_reason(self.reason)

    def undo(self) -> bool:
        try:
            undone = self.store.gold.undo(self.reviewer)
        except AnnotatorError as e:  # a locked or read-only database: say so, keep the window
            self.statusBar().showMessage(str(e), 8000)
            return False
        if undone is None:
            self.statusBar().showMessage("Nothing to undo", 4000)
            return False
        self.last_decision = None
        self.reload((undone["item_id"], undone["scheme"]))
        return True

    def _move(self, step: int) -> None:
        self.last_decision = None  # moving on: R is for the item the reviewer moved to
        if self.rows:
            self.list.setCurrentRow(max(0, min(len(self.rows) - 1, self.list.currentRow() + step)))

    def closeEvent(self, event: Any) -> None:
        self.store.close()
        super().closeEvent(event)

