"""The agreement panel of the review mode: per scheme the figures of ``annotator agreement``,
a bar chart of alpha per option (QPainter; PySide6-Essentials has no QtCharts), and how
many of the scheme's disagreements have been decided."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from annotator.core.agreement.project import units_line
from annotator.core.codebook import Codebook

BAR_H = 16
LABEL_W = 150
AXIS_H = 16
# Krippendorff's rule of thumb: >= .800 reliable, >= .667 for tentative conclusions.
THRESHOLDS = (0.667, 0.8)


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


class AlphaBars(QWidget):
    """Horizontal bars of alpha per option on a 0..1 axis (-1..1 when an alpha is negative),
    with the .667 and .800 thresholds marked; options no one used are left out, options
    with no defined alpha show a grey "n/a"."""

    def __init__(self, per_option: dict[str, dict[str, Any]], labels: dict[str, str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        labels = labels or {}
        self.bars = [
            (labels.get(name, name), po["alpha"]) for name, po in per_option.items() if any(n for n in po["usage"].values())
        ]
        self.low = -1.0 if any(a is not None and a < 0 for _, a in self.bars) else 0.0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(self.sizeHint().height())

    def sizeHint(self) -> QSize:
        return QSize(300, max(1, len(self.bars)) * (BAR_H + 4) + 4 + AXIS_H)

    def paintEvent(self, _event: object) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        width = max(40, self.width() - LABEL_W - 44)
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
            colour = "#4a7fb5" if a >= THRESHOLDS[1] else "#d9a441" if a >= THRESHOLDS[0] else "#c0604d"
            p.fillRect(QRectF(min(x(0), x(a)), y, abs(x(a) - x(0)), BAR_H), QColor(colour))
            p.setPen(QColor("#333330"))
            p.drawText(QRectF(x(1) + 6, y, 40, BAR_H), Qt.AlignmentFlag.AlignVCenter, _fmt(alpha))
        p.end()


class AgreementPanel(QScrollArea):
    """One block per scheme; ``refresh`` rebuilds it from fresh results."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agreementPanel")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # figures wrap instead
        self.charts: dict[str, AlphaBars] = {}
        self.summaries: dict[str, QLabel] = {}
        self.setWidget(QWidget())

    def refresh(self, results: dict[str, dict[str, Any]], decided: dict[str, tuple[int, int]] | None = None,
                codebook: Codebook | None = None) -> None:
        """``decided``: {scheme: (disagreements decided, disagreements)}; ``codebook`` names the options."""
        page = QWidget()
        layout = QVBoxLayout(page)
        legend = QLabel("Alpha per option. Blue: .800 or more (reliable); amber: .667 or more (tentative); "
                        "red: below. Dashed lines mark .667 and .800.")
        legend.setObjectName("context")
        legend.setWordWrap(True)
        layout.addWidget(legend)
        self.charts.clear()
        self.summaries.clear()
        for name, r in results.items():
            scheme = codebook.scheme(name) if codebook else None
            head = QLabel(f"{scheme.title if scheme else name}: {r['items']} items, {len(r['coders'])} coders")
            head.setTextFormat(Qt.TextFormat.PlainText)
            head.setObjectName("head")
            head.setWordWrap(True)
            ci = r.get("alpha_ci95")
            figures = (
                f"alpha ({r['alpha_metric']}) {_fmt(r['alpha'])}"
                + (f" [{_fmt(ci[0])}, {_fmt(ci[1])}]" if ci else "")
                + f" · agreement {_fmt(r['percent_agreement'])} · AC1 {_fmt(r['gwet_ac1'])}"
                + (f" · AC2 {_fmt(r['gwet_ac2'])}" if r.get("gwet_ac2") is not None else "")
                + f" · Fleiss {_fmt(r['fleiss_kappa'])}"
            )
            if r.get("units"):
                figures += "\n" + units_line(r["units"])
            if decided and name in decided:
                done, total = decided[name]
                figures += f"\ndecided {done} of {total} disagreements"
            summary = QLabel(figures)
            summary.setObjectName("context")
            summary.setWordWrap(True)
            chart = AlphaBars(r["per_option"], {o.value: o.label for o in scheme.options} if scheme else None)
            layout.addWidget(head)
            layout.addWidget(summary)
            layout.addWidget(chart)
            self.charts[name] = chart
            self.summaries[name] = summary
        layout.addStretch(1)
        self.setWidget(page)
