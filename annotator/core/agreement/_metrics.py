"""Distances between category codes: nominal, Krippendorff's ordinal, MASI, any table."""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import numpy as np


class Metric:
    """A distance between category codes; ``prepare(n)`` receives the pairable totals."""

    fixed = True  # False: the distance depends on the coincidence margins (ordinal)

    def __init__(self, K: int) -> None:
        self.K = K

    def prepare(self, n: np.ndarray) -> None:
        pass

    def delta(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return self.matrix()[a, b]

    def matrix(self) -> np.ndarray:
        raise NotImplementedError

    def expected(self, n: np.ndarray) -> tuple[float, np.ndarray]:
        """(sum_ck n_c n_k delta_ck, delta @ n)."""
        dn = self.matrix() @ n
        return float(n @ dn), dn


class Nominal(Metric):
    def delta(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return (a != b).astype(float)

    def matrix(self) -> np.ndarray:
        return 1.0 - np.eye(self.K)

    def expected(self, n: np.ndarray) -> tuple[float, np.ndarray]:
        total = n.sum()
        return float(total * total - n @ n), total - n


def ordinal_matrices(n: np.ndarray) -> np.ndarray:
    """Krippendorff's ordinal metric for margins n of shape (..., K): (..., K, K)."""
    cum = np.cumsum(n, axis=-1)
    hi = cum[..., None, :]  # sum_{g <= k}
    lo = (cum - n)[..., :, None]  # sum_{g < c}
    between = np.abs(hi - lo)  # sum_{g=c..k} for c <= k; symmetric fill below
    between = np.where(np.triu(np.ones((n.shape[-1],) * 2, bool)), between, np.swapaxes(between, -1, -2))
    return (between - (n[..., :, None] + n[..., None, :]) / 2.0) ** 2


class Ordinal(Metric):
    fixed = False

    def prepare(self, n: np.ndarray) -> None:
        self._m = ordinal_matrices(n)

    def matrix(self) -> np.ndarray:
        return self._m


class Table(Metric):
    def __init__(self, table: np.ndarray) -> None:
        super().__init__(len(table))
        self._m = table

    def matrix(self) -> np.ndarray:
        return self._m


def masi_from_counts(sa: np.ndarray, sb: np.ndarray, inter: np.ndarray, dtype: type = np.float64) -> np.ndarray:
    union = sa + sb - inter
    jaccard = np.divide(inter, union, out=np.ones(np.broadcast(sa, sb, inter).shape, dtype), where=union > 0)
    # Monotonicity M: 1 equal sets, 2/3 one contains the other, 1/3 overlap (0 when
    # disjoint, where J is 0 anyway) == (1 + [inter == min] + [inter == max]) / 3.
    m = 1.0 + (inter == np.minimum(sa, sb)) + (inter == np.maximum(sa, sb))
    return 1.0 - jaccard * m / 3.0


class Masi(Metric):
    """MASI over sets given as rows of a K x O membership matrix."""

    def __init__(self, X: np.ndarray) -> None:
        super().__init__(len(X))
        self.X = X.astype(np.float32)  # set sizes and intersections stay exact in float32
        self.size = self.X.sum(axis=1)

    def delta(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        # Many units share the same (set, set) pair: compute each distinct pair once.
        key = a.astype(np.int64) * self.K + b
        uniq, inv = np.unique(key, return_inverse=True)
        ua, ub = uniq // self.K, uniq % self.K
        inter = np.einsum("ij,ij->i", self.X[ua], self.X[ub]).astype(float)
        return masi_from_counts(self.size[ua].astype(float), self.size[ub].astype(float), inter)[inv]

    def _rows(self, rows: slice) -> np.ndarray:
        inter = self.X[rows] @ self.X.T
        return masi_from_counts(self.size[rows, None], self.size[None, :], inter, np.float32)

    def matrix(self) -> np.ndarray:
        return self._rows(slice(None))

    def expected(self, n: np.ndarray) -> tuple[float, np.ndarray]:
        dn = np.empty(self.K)
        step = max(1, 4_000_000 // max(self.K, 1))  # bounded memory for many distinct sets
        for start in range(0, self.K, step):
            rows = slice(start, min(start + step, self.K))
            dn[rows] = self._rows(rows) @ n
        return float(n @ dn), dn


def masi_distance(a: Iterable[Hashable], b: Iterable[Hashable]) -> float:
    """MASI distance 1 - J * M between two label sets (Passonneau 2006); 0 for two empty sets."""
    a, b = set(a), set(b)
    inter = len(a & b)
    return float(masi_from_counts(np.array(len(a)), np.array(len(b)), np.array(inter)))
