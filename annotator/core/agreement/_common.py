"""Small shared pieces: JSON-safe numbers, unit patterns, sums over coder pairs."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from itertools import combinations
from typing import Any

import numpy as np

Ratings = Mapping[str, Mapping[str, object]]
Distance = Callable[[Any, Any], float]


def json_float(x: float | np.floating | None) -> float | None:
    """A JSON-safe float: numpy scalars become floats, NaN/inf become None."""
    if x is None:
        return None
    x = float(x)
    return x if np.isfinite(x) else None


def ratio(num: float, den: float) -> float | None:
    return None if den == 0 else json_float(num / den)


def chance_corrected(observed: float, expected: float) -> float | None:
    # 1 - pe == 0 means no variation to agree beyond chance: undefined, not 1.
    return None if np.isclose(expected, 1.0) else json_float((observed - expected) / (1.0 - expected))


def pair_sums(P: np.ndarray, fn: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> np.ndarray:
    """Per row of P (codes, -1 = missing): sum of fn over ordered pairs of present slots."""
    out = np.zeros(len(P))
    for i, j in combinations(range(P.shape[1]), 2):
        a, b = P[:, i], P[:, j]
        both = (a >= 0) & (b >= 0)
        if both.any():
            out[both] += 2.0 * fn(a[both], b[both])
    return out


def slot_bincount(P: np.ndarray, weights: np.ndarray, K: int) -> np.ndarray:
    """sum_g weights[g] * (number of slots of row g holding category k), for every k."""
    present = P >= 0
    w = np.broadcast_to(weights[:, None], P.shape)[present]
    return np.bincount(P[present], weights=w, minlength=K).astype(float)


def patterns(R: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct units (as sorted code rows) and how many units share each."""
    if len(R) == 0:
        return R.reshape(0, R.shape[1]), np.zeros(0, dtype=np.int64)
    S = np.sort(R, axis=1)
    base = int(S.max()) + 2
    if base ** S.shape[1] < 2**62:
        # One integer per row sorts an order of magnitude faster than unique(axis=0).
        key = np.zeros(len(S), dtype=np.int64)
        for j in range(S.shape[1]):
            key = key * base + (S[:, j] + 1)
        _, first, counts = np.unique(key, return_index=True, return_counts=True)
        return S[first], counts
    P, counts = np.unique(S, axis=0, return_counts=True)
    return P, counts
