"""scheme_agreement: every figure of one codebook scheme from the ratings of its coders."""

from __future__ import annotations

from itertools import combinations

import numpy as np

from annotator.core.agreement._alpha import alpha_with_ci
from annotator.core.agreement._coefficients import (
    agreement_per_pattern,
    cohen_from_codes,
    fleiss_from_patterns,
    gwet_from_patterns,
    ordinal_weights,
)
from annotator.core.agreement._common import Ratings, patterns, ratio
from annotator.core.agreement._metrics import Masi, Metric, Nominal, Ordinal
from annotator.core.errors import AnnotatorError


def categories_of(seen: set, options: list, multi: bool, ordered: bool) -> list:
    """The categories of a scheme's codes, given the values seen: the distinct sets used, in
    the order of their sorted options (multi); the codebook's options, then any value outside
    them sorted (single; refused for an ordered scheme, whose distances need the order)."""
    if multi:
        bad = [v for v in seen if isinstance(v, str) or not isinstance(v, (set, frozenset, tuple, list))]
        if bad:
            raise AnnotatorError(f"multi-choice values must be sets of options, got {bad[0]!r}")
        return sorted({frozenset(v) for v in seen}, key=lambda s: sorted(s))
    unknown = seen - set(options)
    if unknown and ordered:
        raise AnnotatorError(f"values outside the ordered codebook options: {sorted(map(str, unknown))}")
    return list(options) + sorted(unknown, key=str)


def code_ratings(ratings: Ratings, coders: list[str], categories: list, multi: bool, ordered: bool):
    """ratings -> (R: units x coders codes, -1 missing, only units with a label; categories)."""
    rows = list(ratings.values())
    columns = [[row.get(c) for row in rows] for c in coders]
    seen: set = set()
    for col in columns:
        seen.update(col)
    seen.discard(None)
    categories = categories_of(seen, categories, multi, ordered)
    if multi and not all(isinstance(v, frozenset) for v in seen):
        columns = [[v if v is None else frozenset(v) for v in col] for col in columns]
    index: dict = {v: k for k, v in enumerate(categories)}
    index[None] = -1
    R = np.array([[index[v] for v in col] for col in columns], dtype=np.int64).T.reshape(len(rows), len(coders))
    return R[(R >= 0).any(axis=1)], categories


def _pairwise(R: np.ndarray, coders: list[str], K: int, names: list[str] | None) -> tuple[dict, dict]:
    """Cohen's kappa per pair of coders over the items both labelled; confusion if names given."""
    kappas, confusion = {}, {}
    for a, b in combinations(range(len(coders)), 2):
        both = (R[:, a] >= 0) & (R[:, b] >= 0)
        ra, rb = R[both, a], R[both, b]
        key = f"{coders[a]}|{coders[b]}"
        kappas[key] = cohen_from_codes(ra, rb, K)
        if names is not None:
            table = np.bincount(ra * K + rb, minlength=K * K).reshape(K, K)
            confusion[key] = {names[i]: {names[j]: int(table[i, j]) for j in range(K)} for i in range(K)}
    return kappas, confusion


def _per_option_alpha(P: np.ndarray, s: np.ndarray, X: np.ndarray) -> list[float | None]:
    """Binary alpha of "the value carries option o" for every option (column of X)."""
    m = (P >= 0).sum(axis=1).astype(float)
    present = np.zeros((len(P), X.shape[1]))  # per unit: how many of its values carry o
    for i in range(P.shape[1]):
        ok = P[:, i] >= 0
        present[ok] += X[P[ok, i]]
    with np.errstate(divide="ignore", invalid="ignore"):
        observed = 2.0 * present * (m[:, None] - present) / (m[:, None] - 1.0)
    n = float(s @ m)
    n1 = s @ present
    expected = 2.0 * n1 * (n - n1)
    return [ratio(float(expected[o] - (n - 1.0) * (s @ observed[:, o])), float(expected[o])) for o in range(X.shape[1])]


def scheme_agreement(
    ratings: Ratings,
    *,
    kind: str,
    options: list[str],
    ordered: bool = False,
    coders: list[str] | None = None,
    bootstrap: int = 1000,
    seed: int = 0,
) -> dict:
    """Every agreement figure of one scheme, as a JSON-serialisable dict (see module doc).

    kind: "single" (values are option strings) or "multi" (values are frozensets of options).
    coders: whose labels count (default: everyone who labelled); pair keys are "a|b" in this order.
    Values outside ``options`` are kept as extra categories (refused for ordered schemes).
    """
    if kind not in ("single", "multi"):
        raise AnnotatorError(f"unknown scheme kind {kind!r}: expected 'single' or 'multi'")
    multi = kind == "multi"
    if coders is None:
        coders = sorted({c for row in ratings.values() for c in row})
    coders = list(coders)
    R, categories = code_ratings(ratings, coders, list(options), multi, ordered and not multi)
    return agreement_from_codes(R, categories, kind=kind, options=options, ordered=ordered, coders=coders,
                                bootstrap=bootstrap, seed=seed)


def agreement_from_codes(
    R: np.ndarray,
    categories: list,
    *,
    kind: str,
    options: list[str],
    ordered: bool,
    coders: list[str],
    bootstrap: int,
    seed: int,
) -> dict:
    """``scheme_agreement`` from ratings already coded: ``R`` units x ``coders`` (a unit per
    labelled item, -1 where a coder gave no value) of indices into ``categories``, as
    ``code_ratings`` makes them (``agreement.project`` codes a project's labels in bulk)."""
    multi = kind == "multi"
    K = len(categories)
    P_all, s_all = patterns(R)
    pairable_rows = (P_all >= 0).sum(axis=1) >= 2
    P, s = P_all[pairable_rows], s_all[pairable_rows]
    n_items = int(s.sum())

    if multi:
        option_names = list(options) + sorted({e for c in categories for e in c} - set(options))
        col = {o: j for j, o in enumerate(option_names)}
        X = np.zeros((K, len(option_names)), dtype=bool)
        for k, c in enumerate(categories):
            X[k, [col[e] for e in c]] = True
        metric: Metric = Masi(X)
    else:
        option_names = [str(c) for c in categories]
        X = np.eye(K, dtype=bool)
        metric = Ordinal(K) if ordered else Nominal(K)
    alpha, ci = alpha_with_ci(P, s, metric, bootstrap, seed)

    agreement = agreement_per_pattern(P) if n_items else np.zeros(0)
    unanimous = (P[:, -1:] == P) | (P < 0)  # sorted rows: every present code equals the last
    kappas, confusion = _pairwise(R, coders, K, None if multi else option_names)
    alphas = _per_option_alpha(P, s, X)
    Xf = X.astype(float)
    usage = {c: (np.bincount(R[R[:, j] >= 0, j], minlength=K) @ Xf).astype(int) for j, c in enumerate(coders)}
    per_option = {
        name: {"alpha": alphas[o], "usage": {c: int(usage[c][o]) for c in coders}}
        for o, name in enumerate(option_names)
    }

    return {
        "kind": kind,
        "ordered": bool(ordered and not multi),
        "alpha_metric": "masi" if multi else ("ordinal" if ordered else "nominal"),
        "items": n_items,
        "labelled": len(R),
        "coders": coders,
        "percent_agreement": ratio(float(s @ agreement), n_items) if n_items else None,
        "unanimous": ratio(float(s @ unanimous.all(axis=1)), n_items) if n_items else None,
        "alpha": alpha,
        "alpha_ci95": ci,
        "cohen_kappa": kappas,
        "fleiss_kappa": fleiss_from_patterns(P, s, K),
        "gwet_ac1": gwet_from_patterns(P_all, s_all, K, None),
        "gwet_ac2": gwet_from_patterns(P_all, s_all, K, ordinal_weights(K)) if ordered and not multi else None,
        "per_option": per_option,
        "confusion": None if multi else confusion,
    }
