"""One scheme's reliability figures for the report, from its coded ratings and the figures of
``agreement.project.scheme_figures`` (never a second computation of a coefficient): the table's
row, each pair of coders, each option, the confusion of two coders -- or, where a figure cannot
exist, the words that say why."""

from __future__ import annotations

from itertools import combinations
from typing import Any

import numpy as np

from annotator.core.agreement.coded import CodedScheme
from annotator.core.agreement.project import figures_of
from annotator.core.agreement.why import why_no_alpha
from annotator.core.codebook import Scheme
from annotator.core.report.verdict import skewed, verdict, verdict_words

COEFFICIENT = {
    "nominal": "Krippendorff's alpha, nominal",
    "ordinal": "Krippendorff's alpha, ordinal",
    "masi": "Krippendorff's alpha, MASI distance",
}


def subset(coded: CodedScheme, rows: np.ndarray | None = None, columns: list[int] | None = None) -> CodedScheme:
    """Some units (``rows``: a mask or indices) and some coders (``columns``) of a coded scheme."""
    R, ids, empty, coders = coded.R, coded.item_ids, coded.empty, coded.coders
    if columns is not None:
        R, empty, coders = R[:, columns], empty[:, columns], [coders[j] for j in columns]
    if rows is not None:
        R, ids, empty = R[rows], ids[rows], empty[rows]
    return CodedScheme(R, coded.categories, coders, ids, empty)


def table_row(scheme: Scheme, coded: CodedScheme, figures: dict[str, Any]) -> dict[str, Any]:
    """The reliability table's row of one scheme."""
    present = coded.R >= 0
    pairable = present.sum(axis=1) >= 2
    values = coded.R[pairable][present[pairable]]
    top_share = float(np.bincount(values).max() / len(values)) if len(values) else None
    gwet_name = "AC2" if figures["ordered"] else "AC1"
    alpha, ci = figures["alpha"], figures["alpha_ci95"]
    return {
        "scheme": scheme.name,
        "title": scheme.title,
        "kind": scheme.kind,
        "ordered": figures["ordered"],
        "metric": figures["alpha_metric"],
        "coefficient": COEFFICIENT[figures["alpha_metric"]],
        "alpha": alpha,
        "alpha_ci95": list(ci) if ci else None,
        "units": figures["items"],
        "coders": [c for j, c in enumerate(coded.coders) if present[pairable, j].any()],
        "pairable_values": int(len(values)),
        "percent_agreement": figures["percent_agreement"],
        "gwet": {"name": gwet_name, "value": figures["gwet_ac2"] if figures["ordered"] else figures["gwet_ac1"]},
        "top_share": top_share,
        "skewed": skewed(top_share),
        "verdict": verdict(alpha),
        "verdict_words": verdict_words(alpha, ci, figures["items"]),
        "note": why_no_alpha(scheme, coded, figures),
        "coverage": figures["units"],
    }


def pairwise(scheme: Scheme, coded: CodedScheme) -> dict[str, dict[str, Any]]:
    """{"a|b": alpha, percent agreement and units of the two coders over the items both coded}."""
    out = {}
    present = coded.R >= 0
    for a, b in combinations(range(len(coded.coders)), 2):
        both = present[:, a] & present[:, b]
        f = figures_of(scheme, subset(coded, both, [a, b]))
        out[f"{coded.coders[a]}|{coded.coders[b]}"] = {
            "alpha": f["alpha"], "percent_agreement": f["percent_agreement"], "units": f["items"],
        }
    return out


def per_option(scheme: Scheme, coded: CodedScheme, figures: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{option: its label, its binary alpha, and per coder how many of their values carry it and
    what share of their values that is} -- the coder who over- or under-uses an option stands out."""
    given = {c: int((coded.R[:, j] >= 0).sum()) for j, c in enumerate(coded.coders)}
    return {
        option: {
            "label": scheme.label_of(option),
            "alpha": po["alpha"],
            "usage": po["usage"],
            "share": {c: (n / given[c] if given[c] else None) for c, n in po["usage"].items()},
        }
        for option, po in figures["per_option"].items()
    }


def confusion(scheme: Scheme, coded: CodedScheme, figures: dict[str, Any]) -> dict[str, Any] | None:
    """The confusion of the two coders with the most items in common (single-choice schemes):
    {"pair": [a, b], "options": the options either used, "labels", "matrix": counts, a's values
    down the side, b's across}; None for a multi-choice scheme or without two coders in common."""
    if scheme.multi or not figures.get("confusion"):
        return None
    present = coded.R >= 0
    common = {f"{coded.coders[a]}|{coded.coders[b]}": int((present[:, a] & present[:, b]).sum())
              for a, b in combinations(range(len(coded.coders)), 2)}
    pair = max(common, key=lambda p: (common[p], -list(common).index(p)))
    if common[pair] == 0:
        return None
    matrix = figures["confusion"][pair]
    used = [o for o in matrix if any(matrix[o].values()) or any(matrix[r][o] for r in matrix)]
    return {
        "pair": pair.split("|", 1),
        "units": common[pair],
        "options": used,
        "labels": [scheme.label_of(o) for o in used],
        "matrix": [[matrix[r][c] for c in used] for r in used],
    }
