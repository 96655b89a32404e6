"""The reliability table as a paper prints it: Markdown (pandoc's ``Table:`` caption) and LaTeX
(plain ``tabular``, no package needed), with a caption that names the coefficient and the
interval method, and a note under it for every scheme whose figure cannot exist or rests on too few units."""

from __future__ import annotations

from typing import Any

from annotator.core.report.verdict import SKEWED_SHARE, THRESHOLDS, too_few_units

METRIC_SHORT = {"nominal": "nominal", "ordinal": "ordinal", "masi": "MASI"}
METRIC_WORDS = {
    "nominal": "the nominal metric for single-choice variables",
    "ordinal": "the ordinal metric for ordered variables",
    "masi": "the MASI distance between sets for multi-choice variables",
}
_MOST_PLACES = 6  # a value closer than this to a threshold is printed as the threshold
VERDICT_SHORT = {"reliable": "reliable", "tentative": "tentative", "unreliable": "not reliable"}
HEAD = ["Variable", "Coefficient", "α", "95 % CI", "Units", "Coders", "Pairable values", "Agreement",
        "AC1/AC2", "Verdict"]


def coefficient(x: float | None, places: int = 3) -> str:
    """A coefficient bounded by 1 as papers print it: .853, −.120, 1.000; "–" without one. A value
    that rounding would carry across a threshold gets the digits that keep it on its side: .7996,
    not ".800" beside "tentative"."""
    if x is None:
        return "–"
    while places < _MOST_PLACES and any((x < t) != (round(x, places) < t) for t in THRESHOLDS):
        places += 1
    text = f"{abs(x):.{places}f}"
    text = text[1:] if text.startswith("0") else text
    return ("−" if x < 0 and float(text) != 0 else "") + text


def percent(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f} %"


def count(n: int) -> str:
    return f"{n:,}"


def cells(row: dict[str, Any]) -> list[str]:
    """One scheme's row of the table as text."""
    ci = row["alpha_ci95"]
    gwet = row["gwet"]
    return [
        row["title"],
        f"α ({METRIC_SHORT[row['metric']]})",
        coefficient(row["alpha"]),
        f"[{coefficient(ci[0])}, {coefficient(ci[1])}]" if ci else "–",
        count(row["units"]),
        str(len(row["coders"])),
        count(row["pairable_values"]),
        percent(row["percent_agreement"]),
        f"{gwet['name']} {coefficient(gwet['value'])}" if row["skewed"] and gwet["value"] is not None else "",
        VERDICT_SHORT.get(row["verdict"] or "", "–"),
    ]


def shown(report: dict[str, Any]) -> list[int]:
    """The table's columns: AC1/AC2 only when a scheme has one to show."""
    gwet = any(cells(s["row"])[8] for s in report["schemes"].values())
    return [k for k in range(len(HEAD)) if k != 8 or gwet]


def caption(report: dict[str, Any]) -> str:
    """What the table shows, how the interval was made, and the thresholds, in one paragraph."""
    rows = [s["row"] for s in report["schemes"].values()]
    metrics = [m for m in METRIC_WORDS if any(r["metric"] == m for r in rows)]
    interval = report["interval"]
    how = (f"95 % percentile bootstrap intervals ({count(interval['resamples'])} resamples of units, seed "
           f"{interval['seed']})" if interval["resamples"] else "no interval (bootstrap switched off)")
    text = (f"Inter-coder reliability per variable. Krippendorff's α with {', '.join(METRIC_WORDS[m] for m in metrics)}"
            f"; {how}. Units: items with two or more coders' values; pairable values: the values in those units; "
            "agreement: the mean share of agreeing coder pairs per unit.")
    if any(cells(r)[8] for r in rows):  # an AC1/AC2 in the table
        text += (f" Where one value makes up {round(100 * SKEWED_SHARE)} % or more of the values, α understates "
                 "agreement (the prevalence paradox) and Gwet's AC1 (AC2 with ordinal weights for ordered "
                 "variables) is given beside it.")
    return text + " α ≥ .800: reliable; α ≥ .667: tentative conclusions only (Krippendorff 2004)."


def notes(report: dict[str, Any]) -> list[str]:
    """The notes under the table: the report's own, each scheme's alpha that cannot exist, and each
    verdict resting on too few units (the Verdict cell has room for one word, and "reliable" from
    two units would be pasted into a paper as if it were the same finding as from two hundred)."""
    out = [report["note"]] if report.get("note") else []
    for s in report["schemes"].values():
        row = s["row"]
        if row["note"]:
            out.append(row["note"])
        few = too_few_units(row["units"]) if row["verdict"] else None
        if few:
            out.append(f"{row['title']}: {few}.")
    return out


def markdown(report: dict[str, Any]) -> str:
    """A pipe table (GitHub, pandoc), its caption in pandoc's ``Table:`` form, then the notes."""
    def line(values: list[str]) -> str:
        return "| " + " | ".join(v.replace("|", "\\|") for v in values) + " |"

    keep = shown(report)
    align = ["---", "---", "---:", "---", "---:", "---:", "---:", "---:", "---", "---"]
    out = [line([HEAD[k] for k in keep]), line([align[k] for k in keep])]
    out += [line([c for k, c in enumerate(cells(s["row"])) if k in keep]) for s in report["schemes"].values()]
    out += ["", f"Table: {caption(report)}"]
    out += [f"\nNote. {n}" for n in notes(report)]
    return "\n".join(out) + "\n"


LATEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                 "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def latex_text(text: str) -> str:
    """Plain text made safe for LaTeX; α, ≥, − and – as LaTeX writes them."""
    out = "".join(LATEX_SPECIAL.get(ch, ch) for ch in text)
    return (out.replace("α", r"$\alpha$").replace("≥", r"$\geq$").replace("−", "$-$").replace("–", "--")
            .replace(" \\%", r"\,\%"))


def latex(report: dict[str, Any]) -> str:
    """A ``table`` float with a plain ``tabular`` (no package), caption above, notes below."""
    keep = shown(report)
    align = "".join("llrlrrrrll"[k] for k in keep)
    out = [r"\begin{table}[htbp]", r"\centering", rf"\caption{{{latex_text(caption(report))}}}",
           r"\label{tab:reliability}", rf"\begin{{tabular}}{{{align}}}", r"\hline",
           " & ".join(latex_text(HEAD[k]) for k in keep) + r" \\", r"\hline"]
    out += [" & ".join(latex_text(c) for k, c in enumerate(cells(s["row"])) if k in keep) + r" \\"
            for s in report["schemes"].values()]
    out += [r"\hline", r"\end{tabular}"]
    for n in notes(report):
        out.append(rf"\par\smallskip{{\footnotesize Note. {latex_text(n)}\par}}")
    out.append(r"\end{table}")
    return "\n".join(out) + "\n"
