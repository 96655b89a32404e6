"""One scheme's classifier over the feature space: linear, its probabilities calibrated.

A linear SVM (scikit-learn's ``SGDClassifier``, hinge loss: fast on sparse TF-IDF, and
seeded) gives a score per option; Platt's sigmoid, fitted on scores the classifier made
for items it was not trained on (``CalibratedClassifierCV``, three folds, ``ensemble=False``,
so the classifier kept is the one trained on every item; from ``HOLDOUT_FROM`` examples one
held-out third), turns the score into a probability. A single-choice scheme is one multi-class classifier (one score per option,
probabilities normalised to sum to one, as scikit-learn does); a multi-choice scheme is one
binary classifier per option (one-vs-rest), each option's probability its own.

What is kept is plain arrays (``Head``): the weights ``coef`` (options x features),
``intercept``, and the sigmoid's ``a`` and ``b`` per option; ``Head.proba`` recomputes the
probabilities from them, the same numbers scikit-learn's objects give (a test holds it).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import StratifiedKFold, StratifiedShuffleSplit

FOLDS = 3  # of the calibration: every option learnt needs this many items with it and without it
# From this many examples the sigmoid is fitted on one held-out third instead of on three
# folds and a refit (a quarter of the training time on 100,000 items; that third is plenty).
HOLDOUT_FROM = 20_000
# The SVM's regularisation is that of liblinear's C = 1 (alpha = 1 / n), and its passes over
# the data as many as small sets need to settle (fewer on big ones, where each pass is long
# and eight suffice): on 40 conferences this matches LinearSVC's cross-validated recall at a
# fraction of its time on 100,000 pairs.
def _alpha(n: int) -> float:
    return 1.0 / max(n, 1)


def _epochs(n: int) -> int:
    return int(min(100, max(8, 300_000 / max(n, 1))))


@dataclass
class Head:
    """One scheme's trained classifier as arrays. ``options``: the options it gives a probability
    (an option with too few examples is left out: never suggested)."""

    multi: bool
    options: list[str]
    coef: np.ndarray  # float32, len(options) x features (one row for a two-option single-choice scheme)
    intercept: np.ndarray  # float32, one per row of coef
    a: np.ndarray  # float64, the sigmoid of each row of coef
    b: np.ndarray

    def proba(self, X: sp.csr_matrix) -> np.ndarray:
        """Items x options: each option's calibrated probability."""
        return self._calibrate(np.asarray(X @ self.coef.T, dtype=np.float64) + self.intercept)

    def proba_one(self, cols: np.ndarray, vals: np.ndarray) -> np.ndarray:
        """One item's probabilities from its features as (columns, values) (``FeatureSpace.one``)."""
        return self._calibrate((self.coef[:, cols] @ vals + self.intercept)[None, :])[0]

    def _calibrate(self, scores: np.ndarray) -> np.ndarray:
        p = expit(-(self.a * scores + self.b))
        if self.multi:
            return p
        if len(self.options) == 2:  # one score: the second option's
            return np.hstack([1.0 - p, p])
        total = p.sum(axis=1, keepdims=True)
        return np.divide(p, total, out=np.full_like(p, 1.0 / len(self.options)), where=total != 0)


def _classifier(seed: int, n: int) -> CalibratedClassifierCV:
    svm = SGDClassifier(loss="hinge", alpha=_alpha(n), max_iter=_epochs(n), tol=None, random_state=seed)
    if n >= HOLDOUT_FROM:
        # one stratified split: two thirds to train on, a third to fit the sigmoid on
        holdout = StratifiedShuffleSplit(n_splits=1, test_size=1 / FOLDS, random_state=seed)
        return CalibratedClassifierCV(svm, method="sigmoid", cv=holdout, ensemble=True)
    return CalibratedClassifierCV(svm, method="sigmoid", cv=StratifiedKFold(FOLDS, shuffle=True, random_state=seed),
                                  ensemble=False)


def calibrated(X: sp.csr_matrix, y: np.ndarray, seed: int) -> CalibratedClassifierCV:
    """scikit-learn's fitted classifier for one target (``Head`` keeps its arrays)."""
    with warnings.catch_warnings():
        # A fixed number of epochs, not "until converged": the same labels and seed train the
        # same model in the same time. scikit-learn warns of that choice each time.
        warnings.simplefilter("ignore", ConvergenceWarning)
        return _classifier(seed, X.shape[0]).fit(X, y)


def _fit(X: sp.csr_matrix, y: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list]:
    model = calibrated(X, y, seed)
    (calibrated_one,) = model.calibrated_classifiers_
    svm = calibrated_one.estimator
    a = np.array([c.a_ for c in calibrated_one.calibrators], dtype=np.float64)
    b = np.array([c.b_ for c in calibrated_one.calibrators], dtype=np.float64)
    return svm.coef_.astype(np.float32), svm.intercept_.astype(np.float32), a, b, list(model.classes_)


def learnable(counts: dict[str, int], total: int, *, multi: bool) -> list[str]:
    """The options with enough examples to learn: at least FOLDS items with the option (and,
    multi-choice, FOLDS without it), so that every calibration fold holds both."""
    if multi:
        return [o for o, n in counts.items() if n >= FOLDS and total - n >= FOLDS]
    return [o for o, n in counts.items() if n >= FOLDS]


def fit_head(X: sp.csr_matrix, values: list, options: list[str], *, multi: bool, seed: int,
             progress: Callable[[], None] = lambda: None) -> Head:
    """Train one scheme's head on rows ``X`` with values ``values`` (an option, or a list of
    options); ``options`` are the learnable ones in codebook order. ``progress`` is called per
    classifier trained (one per option of a multi-choice scheme, one for a single-choice scheme)."""
    if multi:
        rows = []
        for option in options:
            y = np.array([option in v for v in values])
            rows.append(_fit(X, y, seed))
            progress()
        return Head(True, list(options), np.vstack([r[0] for r in rows]), np.concatenate([r[1] for r in rows]),
                    np.concatenate([r[2] for r in rows]), np.concatenate([r[3] for r in rows]))
    keep = set(options)
    mask = np.array([v in keep for v in values])
    y = np.array([v for v in values if v in keep], dtype=object)
    coef, intercept, a, b, classes = _fit(X[mask] if not mask.all() else X, y, seed)
    progress()
    # scikit-learn orders classes by value; the head keeps codebook order
    order = [classes.index(o) for o in options]
    if len(options) == 2:
        if classes != list(options):  # one score, of classes[1]: the second option's probability is 1 - its
            a, b = -a, -b
        return Head(False, list(options), coef, intercept, a, b)
    return Head(False, list(options), coef[order], intercept[order], a[order], b[order])
