"""One scheme's figures in a few lines of words: what the review window's agreement panel shows
under each scheme's heading, from the report's own figures (``build_report``)."""

from __future__ import annotations

from typing import Any

from annotator.core.agreement.project import units_line
from annotator.core.report.tables import coefficient, percent
from annotator.core.wording import plural


def heading(s: dict[str, Any]) -> str:
    r = s["row"]
    return f"{r['title']}: {plural(r['units'], 'unit')}, {plural(len(r['coders']), 'coder')}"


def summary_lines(s: dict[str, Any]) -> list[str]:
    """The coefficient with its interval and verdict (or why there is none), percent agreement and
    Gwet's AC1/AC2, what was counted, and how many disagreements are decided."""
    r, d = s["row"], s["disagreements"]
    lines = []
    if r["note"]:
        lines.append(r["note"])
    else:
        ci = r["alpha_ci95"]
        lines.append(f"alpha ({r['metric']}) {coefficient(r['alpha'])}"
                     + (f" [{coefficient(ci[0])}, {coefficient(ci[1])}]" if ci else "") + f": {r['verdict_words']}")
    lines.append(f"agreement {percent(r['percent_agreement'])} · {r['gwet']['name']} {coefficient(r['gwet']['value'])}"
                 + (" (one value makes up most values: read it beside alpha)" if r["skewed"] else ""))
    lines.append(units_line(r["coverage"]))
    if d["disagreements"]:
        decided = d["disagreements"] - d["remaining"]
        lines.append(f"decided {decided:,} of {plural(d['disagreements'], 'disagreement')}")
    return lines
