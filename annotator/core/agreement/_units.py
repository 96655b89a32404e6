"""Low-level public functions over plain units (lists of the values coders gave)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence

import numpy as np

from annotator.core.agreement._alpha import alpha_point
from annotator.core.agreement._coefficients import (
    agreement_per_pattern,
    cohen_from_codes,
    fleiss_from_patterns,
    gwet_from_patterns,
    ordinal_weights,
)
from annotator.core.agreement._common import Distance, patterns, ratio
from annotator.core.agreement._metrics import Masi, Metric, Nominal, Ordinal, Table


def _sorted_values(values: set) -> list:
    try:
        return sorted(values)  # natural order: the default order for ordinal data
    except TypeError:  # mixed types: only nominal-like metrics apply, any fixed order will do
        return sorted(values, key=repr)


def code_units(units: Iterable[Sequence[Hashable]], order: Sequence[Hashable] | None = None):
    """Units (each the values its coders gave) -> (R codes padded with -1, category labels)."""
    units = [list(u) for u in units]
    labels = list(order) if order is not None else _sorted_values({v for u in units for v in u})
    index = {v: k for k, v in enumerate(labels)}
    missing = {v for u in units for v in u} - index.keys()
    if missing:
        raise ValueError(f"values outside the given order: {sorted(map(repr, missing))}")
    width = max((len(u) for u in units), default=0)
    R = np.full((len(units), max(width, 1)), -1, dtype=np.int64)
    for i, u in enumerate(units):
        R[i, : len(u)] = [index[v] for v in u]
    return R, labels


def membership(sets: Sequence[frozenset]) -> np.ndarray:
    elements = sorted({e for s in sets for e in s}, key=repr)
    col = {e: j for j, e in enumerate(elements)}
    X = np.zeros((len(sets), max(len(elements), 1)), dtype=bool)
    for k, s in enumerate(sets):
        X[k, [col[e] for e in s]] = True
    return X


def metric_for(distance: str | Distance, labels: list) -> Metric:
    if distance == "nominal":
        return Nominal(len(labels))
    if distance == "ordinal":
        return Ordinal(len(labels))
    if distance == "masi":
        return Masi(membership([frozenset(v) for v in labels]))
    if callable(distance):
        return Table(np.array([[float(distance(a, b)) for b in labels] for a in labels]).reshape(len(labels), -1))
    raise ValueError(f"unknown distance {distance!r}: use 'nominal', 'ordinal', 'masi' or a function")


def krippendorff_alpha(
    units: Iterable[Sequence[Hashable]],
    distance: str | Distance = "nominal",
    *,
    order: Sequence[Hashable] | None = None,
) -> float | None:
    """Krippendorff's alpha; each unit is the list of values its coders gave (missing ones left out).

    distance: "nominal", "ordinal" (Krippendorff's rank metric; ``order`` gives the value
    order, else values are sorted), "masi" (values are sets) or a function (a, b) -> float
    with distance(v, v) == 0. Units with fewer than two values are not pairable and are
    ignored. None when nothing is pairable or the expected disagreement is zero.
    """
    units = list(units)
    if distance == "masi":
        units = [[frozenset(v) for v in u] for u in units]
    R, labels = code_units(units, order if distance == "ordinal" else None)
    R = R[(R >= 0).sum(axis=1) >= 2]
    P, s = patterns(R)
    return alpha_point(P, s, metric_for(distance, labels))[0]


def cohen_kappa(pairs: Iterable[tuple[Hashable, Hashable]]) -> float | None:
    """Cohen's kappa over (value of coder A, value of coder B) pairs."""
    R, labels = code_units([list(p) for p in pairs])
    if len(R) and R.shape[1] != 2:
        raise ValueError("cohen_kappa needs pairs of two values")
    return cohen_from_codes(R[:, 0], R[:, 1], len(labels)) if len(R) else None


def fleiss_kappa(units: Iterable[Sequence[Hashable]]) -> float | None:
    """Fleiss' kappa; every unit must hold the same number (>= 2) of values, else None."""
    R, labels = code_units(units)
    P, s = patterns(R)
    return fleiss_from_patterns(P, s, len(labels))


def gwet_ac1(units: Iterable[Sequence[Hashable]], *, categories: Sequence[Hashable] | None = None) -> float | None:
    """Gwet's AC1 with missing ratings as irrCAC handles them; q = len(categories) (else the values seen)."""
    R, labels = code_units(units, categories)
    R = R[(R >= 0).any(axis=1)]
    P, s = patterns(R)
    return gwet_from_patterns(P, s, len(labels), None)


def gwet_ac2(units: Iterable[Sequence[Hashable]], *, categories: Sequence[Hashable]) -> float | None:
    """Gwet's AC2 with irrCAC's ordinal weights over ``categories`` in their order."""
    R, labels = code_units(units, categories)
    R = R[(R >= 0).any(axis=1)]
    P, s = patterns(R)
    return gwet_from_patterns(P, s, len(labels), ordinal_weights(len(labels)))


def percent_agreement(units: Iterable[Sequence[Hashable]]) -> float | None:
    """Mean over units with >= 2 values of the share of value pairs that are equal."""
    R, _ = code_units(units)
    P, s = patterns(R[(R >= 0).sum(axis=1) >= 2])
    return ratio(float(s @ agreement_per_pattern(P)), float(s.sum())) if len(P) else None
