"""The middle of the review window: one disagreement with the pair, and every coder's
labels, note and flag side by side, numbered by the key that takes their value."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QTextBrowser, QVBoxLayout, QWidget

from annotator.core.codebook import Codebook, Scheme
from annotator.core.records import Annotation
from annotator.core.review import Disagreement
from annotator.gui.review_values import scheme_title, show_value


def gold_line(name: str, gold: dict[str, Any], scheme: Scheme | None) -> str:
    """A decided row's gold and where it came from: "Gold Tone of the answer: Firm — lead took
    bob's value on 2024-05-01 (alice: Neutral, bob: Firm) — reason"."""
    how = {"coder": f"took {gold['taken_from']}'s value", "hand": "set it by hand",
           "unanimous": "accepted it as unanimous"}.get(gold.get("method") or "", "decided")
    when = f" on {gold['decided_at'][:10]}" if gold.get("decided_at") else ""
    coders = gold.get("coder_values")
    said = (" (" + ", ".join(f"{c}: {show_value(v, scheme)}" for c, v in coders.items()) + ")") if coders else (
        " (the coders' values then were not recorded)" if coders is None else " (no coder had a value)")
    reason = f" — {gold['reason']}" if gold.get("reason") else ""
    return f"Gold {scheme_title(name, scheme)}: {show_value(gold['value'], scheme)} — {gold['decided_by']} {how}{when}{said}{reason}"

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
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        # the value a key takes shares the room with the other labels (both wrap): in a fixed
        # column "Confrontational" was cut to "Confrontati…", the value the lead decides on
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.coders.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.gold_label = QLabel()
        self.gold_label.setObjectName("gold")
        self.gold_label.setWordWrap(True)
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
            others = "; ".join(  # a row left on a scheme that does not apply to this kind of item says nothing
                f"{scheme_title(s, sch)}: {show_value(v, sch)}" for s, v in sorted(ann.labels.items(), key=self._in_codebook)
                if (sch := self.codebook.scheme(s)) is None or sch.applies(item.get("kind", ""))
            ) if ann else ""
            note = (ann.note if ann else "") + ("  ⚑ unsure" if ann and ann.flag else "")
            r = self.coders.rowCount()
            self.coders.insertRow(r)
            for c, text in enumerate([str(k + 1), coder, show_value(d.values[coder], scheme), others, note]):
                self.coders.setItem(r, c, QTableWidgetItem(text))
        self.coders.resizeRowsToContents()
        self.gold_label.setText(gold_line(d.scheme, gold, scheme) if gold
                                else f"Gold {scheme_title(d.scheme, scheme)}: not decided")

    def _in_codebook(self, label: tuple[str, Any]) -> tuple[int, str]:
        """A coder's labels in the codebook's order, as the coding window lists them; a scheme
        the codebook lost last."""
        order = {s.name: i for i, s in enumerate(self.codebook.schemes)}
        return order.get(label[0], len(order)), label[0]

    def show_reason(self, reason: str) -> None:
        self.reason_label.setText(f"Reason for the decision on this item: {reason}" if reason else "")
