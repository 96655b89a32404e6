"""The agreement panel of the review mode: per scheme the figures of ``annotator agreement``,
a bar chart of alpha per option (QPainter; PySide6-Essentials has no QtCharts), and how
many of the scheme's disagreements have been decided."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

BAR_H = 16
LABEL_W = 130


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


class AlphaBars(QWidget):
    """Horizontal bars of alpha per option on a -1..1 axis; options no one used are left out,
    options with no defined alpha show a grey "n/a"."""

    def __init__(self, per_option: dict[str, dict[str, Any]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars = [
            (name, po["alpha"]) for name, po in per_option.items() if any(n for n in po["usage"].values())
        ]
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(self.sizeHint().height())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(320, max(1, len(self.bars)) * (BAR_H + 4) + 4)

    def paintEvent(self, _event: object) -> None:  # noqa: N802 - Qt's name
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        width = max(40, self.width() - LABEL_W - 50)
        zero = LABEL_W + width / 2
        p.setPen(QPen(QColor("#c8c6c0")))
        p.drawLine(int(zero), 0, int(zero), self.height())
        if not self.bars:
            p.setPen(QColor("#75756f"))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "no labels yet")
        for i, (name, alpha) in enumerate(self.bars):
            y = 2 + i * (BAR_H + 4)
            p.setPen(QColor("#333330"))
            p.drawText(QRectF(0, y, LABEL_W - 6, BAR_H), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, name)
            if alpha is None:
                p.setPen(QColor("#9a9a94"))
                p.drawText(QRectF(zero + 4, y, 60, BAR_H), Qt.AlignmentFlag.AlignVCenter, "n/a")
                continue
            a = max(-1.0, min(1.0, alpha))
            length = a * width / 2
            colour = "#4a7fb5" if a >= 0.8 else "#d9a441" if a >= 0.667 else "#c0604d"
            p.fillRect(QRectF(min(zero, zero + length), y, abs(length), BAR_H), QColor(colour))
            p.setPen(QColor("#333330"))
            p.drawText(QRectF(LABEL_W + width + 6, y, 44, BAR_H), Qt.AlignmentFlag.AlignVCenter, _fmt(alpha))
        p.end()


class AgreementPanel(QScrollArea):
    """One block per scheme; ``refresh`` rebuilds it from fresh results."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agreementPanel")
        self.setWidgetResizable(True)
        self.charts: dict[str, AlphaBars] = {}
        self.summaries: dict[str, QLabel] = {}
        self.setWidget(QWidget())

    def refresh(self, results: dict[str, dict[str, Any]], decided: dict[str, tuple[int, int]] | None = None) -> None:
        """``decided``: {scheme: (disagreements decided, disagreements)}."""
        page = QWidget()
        layout = QVBoxLayout(page)
        self.charts.clear()
        self.summaries.clear()
        for name, r in results.items():
            head = QLabel(f"<b>{name}</b> &nbsp; {r['items']} items, {len(r['coders'])} coders")
            ci = r.get("alpha_ci95")
            figures = (
                f"alpha ({r['alpha_metric']}) {_fmt(r['alpha'])}"
                + (f" [{_fmt(ci[0])}, {_fmt(ci[1])}]" if ci else "")
                + f" · agreement {_fmt(r['percent_agreement'])} · AC1 {_fmt(r['gwet_ac1'])}"
                + (f" · AC2 {_fmt(r['gwet_ac2'])}" if r.get("gwet_ac2") is not None else "")
                + f" · Fleiss {_fmt(r['fleiss_kappa'])}"
            )
            if decided and name in decided:
                done, total = decided[name]
                figures += f"\ndecided {done} of {total} disagreements"
            summary = QLabel(figures)
            summary.setObjectName("context")
            chart = AlphaBars(r["per_option"])
            layout.addWidget(head)
            layout.addWidget(summary)
            layout.addWidget(chart)
            self.charts[name] = chart
            self.summaries[name] = summary
        layout.addStretch(1)
        self.setWidget(page)
