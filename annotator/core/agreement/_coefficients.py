"""Cohen's and Fleiss' kappa, Gwet's AC1/AC2 and pairwise agreement from unit patterns."""

from __future__ import annotations

import numpy as np

from annotator.core.agreement._common import chance_corrected, pair_sums, slot_bincount


def agreement_per_pattern(P: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Share of ordered coder pairs in agreement (weighted when weights is given)."""
    m = (P >= 0).sum(axis=1).astype(float)
    same = (lambda a, b: (a == b).astype(float)) if weights is None else (lambda a, b: weights[a, b])
    return pair_sums(P, same) / (m * (m - 1.0))


def gwet_from_patterns(P_all: np.ndarray, s_all: np.ndarray, K: int, weights: np.ndarray | None) -> float | None:
    """Gwet's AC1 (weights None) or AC2, as irrCAC's ``CAC.gwet``."""
    m = (P_all >= 0).sum(axis=1)
    pairable = m >= 2
    if K < 2 or not pairable.any():
        return None
    n_units = s_all.sum()
    pa = float(s_all[pairable] @ agreement_per_pattern(P_all[pairable], weights)) / s_all[pairable].sum()
    pi = slot_bincount(P_all, s_all / m, K) / n_units
    total_w = float(K if weights is None else weights.sum())
    pe = total_w * float(pi @ (1.0 - pi)) / (K * (K - 1))
    return chance_corrected(pa, pe)


def ordinal_weights(K: int) -> np.ndarray:
    """irrCAC's "ordinal" weights: 1 - C(|k-l|+1, 2) / C(K, 2)."""
    d = np.abs(np.subtract.outer(np.arange(K), np.arange(K)))
    w = d * (d + 1) / 2.0
    return 1.0 - w / w.max() if w.max() > 0 else np.ones((K, K))


def fleiss_from_patterns(P: np.ndarray, s: np.ndarray, K: int) -> float | None:
    m = (P >= 0).sum(axis=1)
    if len(P) == 0 or (m != m[0]).any() or m[0] < 2:
        return None
    pa = float(s @ agreement_per_pattern(P)) / s.sum()
    p = slot_bincount(P, s.astype(float), K)
    p /= p.sum()
    return chance_corrected(pa, float(p @ p))


def cohen_from_codes(a: np.ndarray, b: np.ndarray, K: int) -> float | None:
    if len(a) == 0:
        return None
    po = float(np.mean(a == b))
    pe = float(np.bincount(a, minlength=K) @ np.bincount(b, minlength=K)) / len(a) ** 2
    return chance_corrected(po, pe)
