"""The report's pictures, drawn with matplotlib into SVG text for the HTML page.

Only matplotlib's object API and its SVG canvas are used -- never ``pyplot`` and never a GUI
backend -- so drawing a report changes no global state and needs no display, inside the review
window's process or out. Text stays text in the SVG (``svg.fonttype: none``), so the page is
small and its words can be searched and copied. Each function returns None when there is
nothing to draw; the page then says why in words.
"""

from __future__ import annotations

import io
import re
from typing import Any

import matplotlib
import numpy as np
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

from annotator.core.report.tables import coefficient
from annotator.core.report.verdict import RELIABLE, TENTATIVE, colour

STYLE = {
    "svg.fonttype": "none",  # text as <text>, not paths
    "svg.hashsalt": "annotator-report",  # the same report, the same file
    "font.size": 9,
    "font.family": "DejaVu Sans",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#9a9a94",
    "axes.labelcolor": "#333330",
    "xtick.color": "#55554f",
    "ytick.color": "#55554f",
}
METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
GRID = "#e2e0da"
INK = "#333330"
CODER_COLOURS = ["#4a7fb5", "#c0604d", "#6a9a58", "#8a6bb0", "#d9a441", "#4aa3a2", "#a0665a", "#7a7a74"]
AGREE = LinearSegmentedColormap.from_list("agree", ["#c0604d", "#f2e2c4", "#4a7fb5"])


def svg(fig: Figure) -> str:
    """The figure as an ``<svg>`` element to put inside HTML (no XML prolog, no doctype)."""
    buffer = io.StringIO()
    with matplotlib.rc_context(STYLE):
        FigureCanvasSVG(fig).print_svg(buffer, metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    return METADATA.sub("", text, count=1)  # matplotlib's RDF block: nothing a reader of the page needs


def _figure(width: float, height: float, *, left: float = 0.6, bottom: float = 0.5, right: float = 0.2,
            top: float = 0.15, wspace: float | None = None) -> Figure:
    """A figure with its margins in inches, set by hand: matplotlib's automatic layouts measure
    every text by drawing it, which took more time than drawing the report itself."""
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(width, height))
    fig.subplots_adjust(left=left / width, right=1 - right / width, bottom=bottom / height, top=1 - top / height,
                        wspace=wspace)
    return fig


def _label_inches(labels: list[str]) -> float:
    """About how wide the longest of these tick labels is at the report's font size."""
    return 0.3 + 0.068 * max((len(t) for t in labels), default=0)


def _thresholds(ax: Any, vertical: bool = True) -> None:
    for t in (TENTATIVE, RELIABLE):
        (ax.axvline if vertical else ax.axhline)(t, color=GRID if t == TENTATIVE else "#c8c6c0", lw=1, ls="--", zorder=0)


def alpha_per_scheme(rows: list[dict[str, Any]]) -> str | None:
    """Each scheme's alpha as a dot with its 95 % interval, the thresholds dashed."""
    shown = [r for r in rows if r["alpha"] is not None]
    if not shown:
        return None
    with matplotlib.rc_context(STYLE):
        names = [f"{r['title']} ({r['metric']})" for r in reversed(shown)]
        fig = _figure(7.2, 0.75 + 0.42 * len(shown), left=_label_inches(names), right=1.5, bottom=0.55)
        ax = fig.add_subplot()
        low = min([0.0] + [min(r["alpha"], (r["alpha_ci95"] or [r["alpha"]])[0]) for r in shown])
        for y, r in enumerate(reversed(shown)):
            a, ci = r["alpha"], r["alpha_ci95"]
            if ci:
                ax.plot(ci, [y, y], color=colour(a), lw=2.5, solid_capstyle="butt", alpha=0.55)
            ax.plot([a], [y], "o", color=colour(a), ms=7)
            ax.text(1.02, y, coefficient(a) + (f"  [{coefficient(ci[0])}, {coefficient(ci[1])}]" if ci else ""),
                    va="center", ha="left", color=INK, transform=ax.get_yaxis_transform(), clip_on=False)
        _thresholds(ax)
        ax.set_yticks(range(len(shown)), names)
        ax.set_xlim(low - 0.05 if low < 0 else 0, 1.04)
        ax.set_ylim(-0.6, len(shown) - 0.4)
        ax.set_xlabel("Krippendorff's alpha (dot) and 95 % interval (bar); dashed: .667 and .800")
        return svg(fig)


def heatmap(coders: list[str], pairs: dict[str, dict[str, Any]]) -> str | None:
    """Coder x coder alpha over the items each pair coded, the value and units in each cell."""
    if len(coders) < 2 or all(p["alpha"] is None for p in pairs.values()):
        return None
    n = len(coders)
    with matplotlib.rc_context(STYLE):
        side = _label_inches(coders)
        fig = _figure(side + 0.2 + 0.9 * n, side + 0.2 + 0.7 * n, left=side, bottom=side, top=0.1, right=0.2)
        ax = fig.add_subplot()
        grid = np.full((n, n), np.nan)
        for key, p in pairs.items():
            a, b = (coders.index(c) for c in key.split("|", 1))
            if p["alpha"] is not None:
                grid[a, b] = grid[b, a] = p["alpha"]
            for i, j in ((a, b), (b, a)):
                ax.text(j, i, (coefficient(p["alpha"]) if p["alpha"] is not None else "n/a") + f"\n{p['units']:,}",
                        ha="center", va="center", fontsize=8, color=INK)
        # cells as vector rectangles (pcolormesh), not an embedded bitmap (imshow)
        ax.pcolormesh(np.arange(n + 1) - 0.5, np.arange(n + 1) - 0.5, np.ma.masked_invalid(grid), cmap=AGREE,
                      vmin=0, vmax=1, edgecolors="white", linewidth=2)
        for i in range(n):
            ax.text(i, i, "–", ha="center", va="center", color="#9a9a94")
        ax.set_xlim(-0.5, n - 0.5)
        ax.set_ylim(n - 0.5, -0.5)
        ax.set_xticks(range(n), coders, rotation=30, ha="right")
        ax.set_yticks(range(n), coders)
        ax.tick_params(length=0)
        ax.spines[:].set_visible(False)
        return svg(fig)


def options(per_option: dict[str, dict[str, Any]], coders: list[str]) -> str | None:
    """Per option: its alpha (left) and the share of each coder's values that carry it (right)."""
    used = {o: po for o, po in per_option.items() if any(po["usage"].values())}
    if not used or not coders:
        return None
    names = list(reversed(list(used)))
    with matplotlib.rc_context(STYLE):
        side = _label_inches([used[o]["label"] for o in names])
        fig = _figure(max(7.2, side + 5.6), 0.8 + 0.32 * len(names) * max(1, len(coders) / 3), left=side, bottom=0.5,
                      wspace=0.08)
        left, right = fig.subplots(1, 2, sharey=True, width_ratios=[1, 1.3])
        for y, o in enumerate(names):
            a = used[o]["alpha"]
            if a is None:
                left.text(0.02, y, "n/a", va="center", color="#9a9a94")
            else:
                left.barh(y, a, color=colour(a), height=0.6)
                left.text(max(a, 0) + 0.02, y, coefficient(a), va="center", fontsize=8, color=INK)
        _thresholds(left)
        low = min([0.0] + [used[o]["alpha"] for o in names if used[o]["alpha"] is not None])
        left.set_xlim(min(low, 0) - (0.05 if low < 0 else 0), 1.15)
        left.set_yticks(range(len(names)), [used[o]["label"] for o in names])
        left.set_xlabel("alpha of the option")
        height = 0.8 / len(coders)
        for k, c in enumerate(coders):
            shares = [100 * (used[o]["share"].get(c) or 0) for o in names]
            offsets = [y - 0.4 + height * (len(coders) - k - 0.5) for y in range(len(names))]
            right.barh(offsets, shares, height=height * 0.9, color=CODER_COLOURS[k % len(CODER_COLOURS)], label=c)
        right.set_xlabel("% of the coder's values with the option")
        right.legend(loc="lower right", frameon=False, fontsize=8)
        right.grid(axis="x", color=GRID, lw=0.8)
        right.set_axisbelow(True)
        return svg(fig)


def confusion(conf: dict[str, Any] | None) -> str | None:
    """Counts of one coder's values (rows) against another's (columns), shaded by row share."""
    if not conf or not conf["options"]:
        return None
    n = len(conf["options"])
    a, b = conf["pair"]
    with matplotlib.rc_context(STYLE):
        side = _label_inches(conf["labels"]) + 0.25
        fig = _figure(side + 0.3 + 0.75 * n, side + 0.2 + 0.5 * n, left=side, bottom=side, top=0.1)
        ax = fig.add_subplot()
        totals = [sum(row) or 1 for row in conf["matrix"]]
        shares = np.array([[v / t for v in row] for row, t in zip(conf["matrix"], totals, strict=True)])
        ax.pcolormesh(np.arange(n + 1) - 0.5, np.arange(n + 1) - 0.5, shares, vmin=0, vmax=1,
                      cmap=LinearSegmentedColormap.from_list("c", ["#ffffff", "#4a7fb5"]), edgecolors="#f1efe9")
        ax.set_xlim(-0.5, n - 0.5)
        ax.set_ylim(n - 0.5, -0.5)
        for i, row in enumerate(conf["matrix"]):
            for j, v in enumerate(row):
                ax.text(j, i, f"{v:,}", ha="center", va="center", fontsize=8,
                        color="white" if shares[i][j] > 0.6 else INK)
        ax.set_xticks(range(n), conf["labels"], rotation=30, ha="right")
        ax.set_yticks(range(n), conf["labels"])
        ax.set_ylabel(f"{a} gave")
        ax.set_xlabel(f"{b} gave")
        ax.spines[:].set_visible(False)
        return svg(fig)


def drift(d: dict[str, Any]) -> str | None:
    """Alpha per period (line, dots) over the units of each period (grey bars, right axis)."""
    points = [p for p in d["points"] if p["alpha"] is not None]
    if d["note"] or len(points) < 2:
        return None
    with matplotlib.rc_context(STYLE):
        fig = _figure(7.2, 2.6 + 0.06 * max(len(p["period"][:24]) for p in points), left=0.7, right=0.7, top=0.15,
                      bottom=0.3 + 0.06 * max(len(p["period"][:24]) for p in points))
        ax = fig.add_subplot()
        units = ax.twinx()
        xs = range(len(points))
        units.bar(xs, [p["units"] for p in points], color="#e9e7e1", width=0.8, zorder=0)
        units.set_ylabel("units", color="#9a9a94")
        units.tick_params(axis="y", colors="#9a9a94")
        units.spines["right"].set_visible(True)
        ax.set_zorder(units.get_zorder() + 1)
        ax.patch.set_visible(False)
        alphas = [p["alpha"] for p in points]
        ax.plot(xs, alphas, color=INK, lw=1.2)
        ax.scatter(xs, alphas, c=[colour(a) for a in alphas], s=18, zorder=3)
        _thresholds(ax, vertical=False)
        ax.set_ylim(min([0.0] + alphas) - 0.05, 1.02)
        ax.set_ylabel("alpha")
        step = max(1, len(points) // 12)
        ax.set_xticks(list(xs)[::step], [p["period"][:24] for p in points][::step], rotation=30, ha="right")
        return svg(fig)
