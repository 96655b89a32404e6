"""The middle of the review window: one disagreement with the pair, and every coder's
labels, note and flag side by side, numbered by the key that takes their value."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QTextBrowser, QVBoxLayout, QWidget

from annotator.core.codebook import Codebook
from annotator.core.records import Annotation
from annotator.core.review import Disagreement
from annotator.gui.review_values import show_value

KEYS_HELP = "1–9 take coder N's value · E set by hand · R reason · Ctrl+Z undo · J/K next/previous"


class DisagreementView(QWidget):
    def __init__(self, codebook: Codebook) -> None:
        super().__init__()
        self.codebook = codebook
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
        self.help = QLabel(KEYS_HELP)
        self.help.setObjectName("context")
        layout = QVBoxLayout(self)
        layout.addWidget(self.where)
        layout.addWidget(self.text, 2)
        layout.addWidget(self.coders, 1)
        layout.addWidget(self.gold_label)
        layout.addWidget(self.reason_label)
        layout.addWidget(self.help)

    def show_nothing(self, message: str) -> None:
        self.coders.setRowCount(0)
        self.where.setText("")
        self.text.setPlainText(message)
        self.gold_label.setText("")

    def show_disagreement(self, d: Disagreement, item: dict[str, Any], annotations: dict[str, Annotation],
                          gold: dict[str, Any] | None) -> None:
        """``item`` as the store has it, each coder's ``annotations`` of it, and the gold decision on ``d``'s scheme."""
        self.coders.setRowCount(0)
        self.where.setText(
            " · ".join(str(x) for x in (item.get("date"), item.get("outlet"), item.get("spokesperson")) if x)
        )
        question, answer = item.get("question") or "", item.get("answer") or ""
        self.text.setPlainText(f"Q: {question}\n\nA: {answer}" if question else answer)
        scheme = self.codebook.scheme(d.scheme)
        for k, coder in enumerate(d.values):
            ann = annotations.get(coder)
            others = "; ".join(
                f"{s}: {show_value(v, self.codebook.scheme(s))}" for s, v in sorted(ann.labels.items())
            ) if ann else ""
            note = (ann.note if ann else "") + ("  ⚑ unsure" if ann and ann.flag else "")
            r = self.coders.rowCount()
            self.coders.insertRow(r)
            for c, text in enumerate([str(k + 1), coder, show_value(d.values[coder], scheme), others, note]):
                self.coders.setItem(r, c, QTableWidgetItem(text))
        self.coders.resizeRowsToContents()
        self.gold_label.setText(
            f"Gold {d.scheme}: {show_value(gold['value'], scheme)} — {gold['decided_by']}"
            + (f" ({gold['reason']})" if gold["reason"] else "")
            if gold else f"Gold {d.scheme}: not decided"
        )

    def show_reason(self, reason: str) -> None:
        self.reason_label.setText(f"Reason for the next decision: {reason}" if reason else "")
