"""Krippendorff's alpha from unit patterns, and its bootstrap over units."""

from __future__ import annotations

from collections.abc import Callable
from itertools import combinations

import numpy as np

from annotator.core.agreement._common import json_float, pair_sums, slot_bincount
from annotator.core.agreement._metrics import Metric, ordinal_matrices

# Above this many (resamples x distinct unit patterns), exact multinomial draws cost
# more than the whole rest of the computation; the normal limit is used instead.
_EXACT_BOOTSTRAP_DRAWS = 2_000_000
# Up to this many categories a resample's expected disagreement is computed exactly
# from its K x K coincidence margins; beyond it too while that stays cheap (resamples x K x K
# products, distinct units x K features), and linearised only past that. The linearisation drops
# a term of O(1/n) that is not small at the sizes where many distinct sets meet few units (MASI
# over 30 units and 70 sets moved both ends of the interval up by a tenth of its width).
_EXACT_EXPECTED_MAX_K = 64
_EXACT_EXPECTED_WORK = 2_000_000_000
_EXACT_EXPECTED_CELLS = 4_000_000
_CHUNK = 256


def exact_expected(K: int, patterns: int, bootstrap: int) -> bool:
    """Whether a resample's expected disagreement is computed exactly (else linearised)."""
    return K <= _EXACT_EXPECTED_MAX_K or (
        bootstrap * K * K <= _EXACT_EXPECTED_WORK and patterns * K <= _EXACT_EXPECTED_CELLS)


def alpha_point(P: np.ndarray, s: np.ndarray, metric: Metric) -> tuple[float | None, dict]:
    """Alpha from distinct pairable units P (counts s), plus the parts the bootstrap reuses."""
    m = (P >= 0).sum(axis=1).astype(float)
    n = slot_bincount(P, s.astype(float), metric.K)
    total = float(n.sum())
    if len(P) == 0 or total < 2:
        return None, {}
    metric.prepare(n)
    do = pair_sums(P, metric.delta) / (m - 1.0)
    expected, dn = metric.expected(n)
    parts = {"m": m, "do": do, "n": n, "expected": expected, "dn": dn}
    if expected <= 0:
        return None, parts
    return json_float(1.0 - (total - 1.0) * float(s @ do) / expected), parts


def bootstrap_features(P: np.ndarray, metric: Metric, parts: dict, bootstrap: int) -> tuple[np.ndarray, Callable]:
    """Per-pattern contribution vectors, and how to turn their resampled sums into alpha
    (``bootstrap``: how many resamples, which decides whether the exact expected disagreement is cheap)."""
    K, m, do = metric.K, parts["m"], parts["do"]
    if not metric.fixed:
        # Data-dependent metric: carry each unit's full coincidence matrix.
        O = np.zeros((len(P), K * K))  # noqa: E741  (O: the coincidence matrix, Krippendorff's name for it)
        rows = np.arange(len(P))
        for i, j in combinations(range(P.shape[1]), 2):
            a, b = P[:, i], P[:, j]
            both = (a >= 0) & (b >= 0)
            w = 1.0 / (m[both] - 1.0)
            np.add.at(O, (rows[both], a[both] * K + b[both]), w)
            np.add.at(O, (rows[both], b[both] * K + a[both]), w)

        def finish(S: np.ndarray) -> np.ndarray:
            o = S.reshape(-1, K, K)
            n = o.sum(axis=2)
            d = ordinal_matrices(n)
            exp = np.einsum("bk,bkl,bl->b", n, d, n)
            with np.errstate(divide="ignore", invalid="ignore"):
                return 1.0 - (n.sum(axis=1) - 1.0) * (o * d).sum(axis=(1, 2)) / exp

        return O, finish

    if exact_expected(K, len(P), bootstrap):
        C = np.zeros((len(P), K))
        for i in range(P.shape[1]):
            ok = P[:, i] >= 0
            np.add.at(C, (np.nonzero(ok)[0], P[ok, i]), 1.0)
        D = metric.matrix()

        def finish(S: np.ndarray) -> np.ndarray:
            n = S[:, 1:]
            exp = ((n @ D) * n).sum(axis=1)  # a matrix product: an order of magnitude faster than einsum
            with np.errstate(divide="ignore", invalid="ignore"):
                return 1.0 - (n.sum(axis=1) - 1.0) * S[:, 0] / exp

        return np.column_stack([do, C]), finish

    # Many categories: a K x K product per resample is too dear; linearise
    # sum n_b n_b delta around the full data's n (exact to first order).
    dn, expected = parts["dn"], parts["expected"]
    lin = np.where(P >= 0, dn[np.maximum(P, 0)], 0.0).sum(axis=1)

    def finish(S: np.ndarray) -> np.ndarray:
        exp = 2.0 * S[:, 2] - expected
        with np.errstate(divide="ignore", invalid="ignore"):
            return 1.0 - (S[:, 1] - 1.0) * S[:, 0] / exp

    return np.column_stack([do, m, lin]), finish


def resampled_sums(F: np.ndarray, s: np.ndarray, B: int, rng: np.random.Generator) -> np.ndarray:
    """B bootstrap sums of per-unit features F over N = s.sum() units drawn with replacement."""
    N = int(s.sum())
    p = s / N
    if B * len(s) <= _EXACT_BOOTSTRAP_DRAWS:
        out = np.empty((B, F.shape[1]))
        for start in range(0, B, _CHUNK):
            size = min(_CHUNK, B - start)
            out[start : start + size] = rng.multinomial(N, p, size=size) @ F
        return out
    mean = p @ F
    centred = F - mean
    cov = (centred * p[:, None]).T @ centred
    vals, vecs = np.linalg.eigh(cov)
    root = vecs * np.sqrt(np.clip(vals, 0.0, None))
    return N * mean + np.sqrt(N) * rng.standard_normal((B, F.shape[1])) @ root.T


def alpha_with_ci(
    P: np.ndarray, s: np.ndarray, metric: Metric, bootstrap: int, seed: int
) -> tuple[float | None, list[float] | None]:
    alpha, parts = alpha_point(P, s, metric)
    if alpha is None or bootstrap <= 0:
        return alpha, None
    F, finish = bootstrap_features(P, metric, parts, bootstrap)
    values = finish(resampled_sums(F, s, bootstrap, np.random.default_rng(seed)))
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return alpha, None
    lo, hi = np.quantile(values, [0.025, 0.975])
    return alpha, [json_float(lo), json_float(hi)]
