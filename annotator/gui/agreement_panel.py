"""The agreement panel of the review mode: per scheme the reliability report's own figures
(``core.report.build_report``, read by the same code as ``annotator report``, so the two never
disagree) in words, and a bar chart of alpha per option (QPainter; PySide6-Essentials has no
QtCharts) coloured by the report's verdicts."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from annotator.core.report.summary import heading, summary_lines
from annotator.core.report.tables import coefficient
from annotator.core.report.verdict import THRESHOLDS, colour

BAR_H = 16
LABEL_W = 150
AXIS_H = 16


class AlphaBars(QWidget):
    """Horizontal bars of alpha per option on a 0..1 axis (-1..1 when an alpha is negative),
    with the .667 and .800 thresholds marked; options no one used are left out, options
    with no defined alpha show a grey "n/a"."""

    def __init__(self, per_option: dict[str, dict[str, Any]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars = [(po["label"], po["alpha"]) for po in per_option.values() if any(n for n in po["usage"].values())]
        self.low = -1.0 if any(a is not None and a < 0 for _, a in self.bars) else 0.0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(self.sizeHint().height())

    def sizeHint(self) -> QSize:
        return QSize(300, max(1, len(self.bars)) * (BAR_H + 4) + 4 + AXIS_H)

    def value_rect(self, y: float) -> QRectF:
        """Where a bar's alpha is written, at the right edge: as wide as the widest value ("−1.000")
        in the font in force (a fixed 40 px ran past the edge and cut "−.129")."""
        room = self.fontMetrics().horizontalAdvance(coefficient(-1.0)) + 4
        return QRectF(self.width() - room - 2, y, room, BAR_H)

    def paintEvent(self, _event: object) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        width = max(40, int(self.value_rect(0).left()) - 10 - LABEL_W)
        bottom = self.height() - AXIS_H

        def x(value: float) -> float:
            return LABEL_W + (value - self.low) / (1.0 - self.low) * width

        if not self.bars:
            p.setPen(QColor("#75756f"))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "no coder has used an option yet")
            p.end()
            return
        p.setPen(QPen(QColor("#e2e0da"), 1, Qt.PenStyle.DashLine))
        for t in THRESHOLDS:
            p.drawLine(int(x(t)), 0, int(x(t)), bottom)
        p.setPen(QPen(QColor("#c8c6c0")))
        p.drawLine(int(x(0)), 0, int(x(0)), bottom)
        p.drawLine(LABEL_W, bottom, int(x(1)), bottom)
        p.setPen(QColor("#75756f"))
        ticks = {self.low: f"{self.low:g}", 0.0: "0", 1.0: "1"}
        for t, text in ticks.items():
            p.drawText(QRectF(x(t) - 20, bottom, 40, AXIS_H), Qt.AlignmentFlag.AlignCenter, text)
        metrics = p.fontMetrics()
        for i, (name, alpha) in enumerate(self.bars):
            y = 2 + i * (BAR_H + 4)
            p.setPen(QColor("#333330"))
            shown = metrics.elidedText(name, Qt.TextElideMode.ElideRight, LABEL_W - 8)
            p.drawText(QRectF(0, y, LABEL_W - 6, BAR_H), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, shown)
            if alpha is None:
                p.setPen(QColor("#9a9a94"))
                p.drawText(QRectF(x(0) + 4, y, 60, BAR_H), Qt.AlignmentFlag.AlignVCenter, "n/a")
                continue
            a = max(self.low, min(1.0, alpha))
            p.fillRect(QRectF(min(x(0), x(a)), y, abs(x(a) - x(0)), BAR_H), QColor(colour(alpha)))
            p.setPen(QColor("#333330"))
            p.drawText(self.value_rect(y), Qt.AlignmentFlag.AlignVCenter, coefficient(alpha))
        p.end()


class AgreementPanel(QScrollArea):
    """One block per scheme; ``refresh`` rebuilds it from a fresh report."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agreementPanel")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # figures wrap instead
        self.charts: dict[str, AlphaBars] = {}
        self.summaries: dict[str, QLabel] = {}
        self.setWidget(QWidget())

    def refresh(self, report: dict[str, Any]) -> None:
        """``report``: ``build_report(store, details=False)``."""
        page = QWidget()
        layout = QVBoxLayout(page)
        legend = QLabel("Alpha per option. Blue: .800 or more (reliable); amber: .667 or more (tentative); "
                        "red: below. Dashed lines mark .667 and .800.")
        legend.setObjectName("context")
        legend.setWordWrap(True)
        layout.addWidget(legend)
        if report.get("note"):
            note = QLabel(report["note"])
            note.setWordWrap(True)
            layout.addWidget(note)
        self.charts.clear()
        self.summaries.clear()
        for name, s in report["schemes"].items():
            head = QLabel(heading(s))
            head.setTextFormat(Qt.TextFormat.PlainText)
            head.setObjectName("head")
            head.setWordWrap(True)
            summary = QLabel("\n".join(summary_lines(s)))
            summary.setTextFormat(Qt.TextFormat.PlainText)
            summary.setObjectName("context")
            summary.setWordWrap(True)
            chart = AlphaBars(s["per_option"])
            layout.addWidget(head)
            layout.addWidget(summary)
            layout.addWidget(chart)
            self.charts[name] = chart
            self.summaries[name] = summary
        layout.addStretch(1)
        self.setWidget(page)
