"""The review mode: the items where coders disagree, each coder's labels side by side, one key
per decision. The only window that shows one coder's labels to anyone else.

Keys: 1..9 take coder N's value for the current scheme, E sets the value by hand, R sets
the reason recorded with the next decision, Ctrl+Z undoes the reviewer's last decision,
J/K (or Down/Up) move through the list.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QHeaderView, QInputDialog, QLabel, QListWidget,
    QListWidgetItem, QMainWindow, QSplitter, QTableWidget, QTableWidgetItem, QTextBrowser, QVBoxLayout, QWidget,
)

from annotator.core.codebook import Scheme
from annotator.core.errors import AnnotatorError
from annotator.core.reliability import project_agreement
from annotator.core.review import Disagreement, disagreements
from annotator.core.store import Store
from annotator.gui.agreement_panel import AgreementPanel

ALL = "All schemes"


def show_value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(value) if value else "(none)"
    return str(value)


def list_entry(d: Disagreement) -> str:
    """What the coders said, at a glance: "#12 tone: firm vs neutral" (with counts when 3+ coders)."""
    counts = Counter(show_value(v) for v in d.values.values())
    said = " vs ".join(f"{v} ×{n}" if len(d.values) > 2 else v for v, n in counts.most_common())
    mark = "✓ " if d.decided else ""
    return f"{mark}#{d.item_id} {d.scheme}: {said}" + (" · tie" if d.tie else "")


class ValueDialog(QDialog):
    """Set a value by hand: tick options (multi-choice) or pick one (single-choice)."""

    def __init__(self, scheme: Scheme, current: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scheme = scheme
        self.setWindowTitle(f"Set {scheme.title} by hand")
        self.options = QListWidget()
        chosen = set(current if isinstance(current, list) else [current] if current else [])
        for opt in scheme.options:
            item = QListWidgetItem(opt.label)
            item.setData(Qt.ItemDataRole.UserRole, opt.value)
            if scheme.kind == "multi":
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if opt.value in chosen else Qt.CheckState.Unchecked)
            self.options.addItem(item)
            if scheme.kind == "single" and opt.value in chosen:
                self.options.setCurrentItem(item)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.options)
        layout.addWidget(buttons)

    def value(self) -> Any:
        items = [self.options.item(i) for i in range(self.options.count())]
        if self.scheme.kind == "multi":
            return [i.data(Qt.ItemDataRole.UserRole) for i in items if i.checkState() == Qt.CheckState.Checked]
        # the selection, not the current item: the list puts its cursor on the first option
        # when it takes the focus, and Enter then must not decide that option unseen
        chosen_items = self.options.selectedItems()
        return chosen_items[0].data(Qt.ItemDataRole.UserRole) if chosen_items else None


class ReviewWindow(QMainWindow):
    def __init__(self, store: Store, reviewer: str) -> None:
        super().__init__()
        self.store = store
        self.reviewer = reviewer
        self.reason = ""
        self.rows: list[Disagreement] = []
        self.setWindowTitle(f"Review — {store.path.name} — {reviewer}")
        self.resize(1280, 800)

        self.scheme_box = QComboBox()
        self.scheme_box.addItems([ALL] + [s.name for s in store.codebook().schemes])
        self.scheme_box.currentIndexChanged.connect(lambda _i: self.reload())
        self.show_decided = QCheckBox("Show decided")
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
        lv.addWidget(self.scheme_box)
        lv.addWidget(self.show_decided)
        lv.addWidget(self.list, 1)
        lv.addWidget(self.count_label)

        self.where = QLabel()
        self.where.setObjectName("where")
        self.text = QTextBrowser()
        self.text.setObjectName("pairText")
        self.coders = QTableWidget(0, 5)
        self.coders.setObjectName("coderLabels")
        self.coders.setHorizontalHeaderLabels(["key", "coder", "this scheme", "all labels", "note / flag"])
        self.coders.horizontalHeader().setStretchLastSection(True)
        self.coders.verticalHeader().hide()  # the key column already numbers the coders
        self.coders.setWordWrap(True)
        header = self.coders.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.coders.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.gold_label = QLabel()
        self.gold_label.setObjectName("gold")
        self.reason_label = QLabel()
        self.help = QLabel("1–9 take coder N's value · E set by hand · R reason · Ctrl+Z undo · J/K next/previous")
        self.help.setObjectName("context")
        middle = QWidget()
        mv = QVBoxLayout(middle)
        mv.addWidget(self.where)
        mv.addWidget(self.text, 2)
        mv.addWidget(self.coders, 1)
        mv.addWidget(self.gold_label)
        mv.addWidget(self.reason_label)
        mv.addWidget(self.help)

        self.panel = AgreementPanel()
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(middle)
        split.addWidget(self.panel)
        split.setSizes([300, 620, 360])
        self.setCentralWidget(split)

        for key in range(1, 10):
            QShortcut(QKeySequence(str(key)), self, activated=lambda k=key: self.take_coder(k - 1))
        QShortcut(QKeySequence("E"), self, activated=self.set_by_hand)
        QShortcut(QKeySequence("R"), self, activated=self.ask_reason)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self, activated=self.undo)
        QShortcut(QKeySequence("J"), self, activated=lambda: self._move(1))
        QShortcut(QKeySequence("K"), self, activated=lambda: self._move(-1))
        self.reload()

    # -- data ----------------------------------------------------------------------------

    def scheme_filter(self) -> str | None:
        text = self.scheme_box.currentText()
        return None if text == ALL else text

    def reload(self, keep: tuple[int, str] | None = None) -> None:
        """Re-read the disagreements and the agreement figures; keep the selection on ``keep``."""
        self.rows = disagreements(self.store, scheme=self.scheme_filter(), include_decided=self.show_decided.isChecked())
        self.list.blockSignals(True)
        self.list.clear()
        for d in self.rows:
            self.list.addItem(list_entry(d))
            self.list.item(self.list.count() - 1).setToolTip(list_entry(d))
        self.list.blockSignals(False)
        decided = sum(d.decided for d in self.rows)
        self.count_label.setText(f"{len(self.rows)} disagreements, {decided} decided")
        row = next((i for i, d in enumerate(self.rows) if keep and (d.item_id, d.scheme) == keep), 0)
        if self.rows:
            self.list.setCurrentRow(min(row, len(self.rows) - 1))
            self._show_row(self.list.currentRow())
        else:
            self._show_row(-1)
        self.refresh_panel()

    def refresh_panel(self) -> None:
        results = project_agreement(self.store, scheme=self.scheme_filter(), bootstrap=0)
        everything = disagreements(self.store, scheme=self.scheme_filter())
        decided: dict[str, tuple[int, int]] = {}
        for d in everything:
            done, total = decided.get(d.scheme, (0, 0))
            decided[d.scheme] = (done + d.decided, total + 1)
        self.panel.refresh(results, decided, self.store.codebook())

    def current(self) -> Disagreement | None:
        row = self.list.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _show_row(self, row: int) -> None:
        d = self.rows[row] if 0 <= row < len(self.rows) else None
        self.coders.setRowCount(0)
        if d is None:
            self.where.setText("")
            self.text.setPlainText("No disagreements." if not self.rows else "")
            self.gold_label.setText("")
            return
        item = self.store.item(d.item_id) or {}
        self.where.setText(
            " · ".join(str(x) for x in (item.get("date"), item.get("outlet"), item.get("spokesperson")) if x)
        )
        question, answer = item.get("question") or "", item.get("answer") or ""
        self.text.setPlainText(f"Q: {question}\n\nA: {answer}" if question else answer)
        annotations = self.store.coder_annotations(d.item_id)
        for k, coder in enumerate(d.values):
            ann = annotations.get(coder)
            others = "; ".join(f"{s}: {show_value(v)}" for s, v in sorted(ann.labels.items())) if ann else ""
            note = (ann.note if ann else "") + ("  ⚑ unsure" if ann and ann.flag else "")
            r = self.coders.rowCount()
            self.coders.insertRow(r)
            for c, text in enumerate([str(k + 1), coder, show_value(d.values[coder]), others, note]):
                self.coders.setItem(r, c, QTableWidgetItem(text))
        self.coders.resizeRowsToContents()
        gold = self.store.gold(d.item_id).get(d.scheme)
        self.gold_label.setText(
            f"Gold {d.scheme}: {show_value(gold['value'])} — {gold['decided_by']}"
            + (f" ({gold['reason']})" if gold["reason"] else "")
            if gold else f"Gold {d.scheme}: not decided"
        )

    # -- decisions -----------------------------------------------------------------------

    def decide(self, value: Any) -> bool:
        d = self.current()
        if d is None:
            return False
        try:
            self.store.set_gold(d.item_id, d.scheme, value, self.reviewer, self.reason)
        except AnnotatorError as e:
            self.statusBar().showMessage(str(e), 8000)
            return False
        self.reason = ""
        self.reason_label.setText("")
        self._after_decision(d)
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
        return self.decide(list(d.values.values())[index])

    def set_by_hand(self) -> bool:
        d = self.current()
        if d is None:
            return False
        scheme = self.store.codebook().scheme(d.scheme)
        if scheme is None:
            return False
        dialog = ValueDialog(scheme, d.gold, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.decide(dialog.value())

    def ask_reason(self) -> None:
        text, ok = QInputDialog.getText(self, "Reason", "Why (recorded with the next decision):", text=self.reason)
        if ok:
            self.set_reason(text)

    def set_reason(self, text: str) -> None:
        self.reason = text.strip()
        self.reason_label.setText(f"Reason for the next decision: {self.reason}" if self.reason else "")

    def undo(self) -> bool:
        try:
            undone = self.store.undo_gold(self.reviewer)
        except AnnotatorError as e:  # a locked or read-only database: say so, keep the window
            self.statusBar().showMessage(str(e), 8000)
            return False
        if undone is None:
            self.statusBar().showMessage("Nothing to undo", 4000)
            return False
        self.reload((undone["item_id"], undone["scheme"]))
        return True

    def _move(self, step: int) -> None:
        if self.rows:
            self.list.setCurrentRow(max(0, min(len(self.rows) - 1, self.list.currentRow() + step)))

    def closeEvent(self, event: Any) -> None:
        self.store.close()
        super().closeEvent(event)

