"""Agreement figures checked against independent implementations and published examples.

Oracles (test-only dependencies): the ``krippendorff`` package, NLTK's
``nltk.metrics.agreement.AnnotationTask`` and ``irrCAC`` (Gwet's AC1/AC2, Fleiss).
"""

from __future__ import annotations

import importlib
import json
import math
import random
import warnings
from itertools import combinations

# The independent oracles: test-only dependencies, always installed by `make test`.
import irrCAC.raw as irrcac_raw
import krippendorff
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import annotator.core.agreement._alpha as alpha_engine
from annotator.core.agreement import (
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    gwet_ac2,
    krippendorff_alpha,
    masi_distance,
    percent_agreement,
    scheme_agreement,
)
from annotator.core.errors import AnnotatorError

# nltk.metrics re-exports names that shadow its submodules for `import ... as`
nltk_agreement = importlib.import_module("nltk.metrics.agreement")
nltk_distance = importlib.import_module("nltk.metrics.distance")

TOL = 1e-6  # far inside "to the third decimal"; irrCAC rounds to 5 digits, see IRR_TOL
IRR_TOL = 2e-5
HYP = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011): 4 coders x 12 units,
# values 1..5, missing as None. Published: nominal .743, ordinal .815, interval .849, ratio .797.
KRIPPENDORFF_EXAMPLE = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]
LEVELS = ["very low", "low", "mid", "high", "very high"]


def example_units() -> list[list[int]]:
    return [[row[u] for row in KRIPPENDORFF_EXAMPLE if row[u] is not None] for u in range(12)]


def matrix_to_ratings(matrix: list[list[int]], options: list, coders: list[str]) -> dict:
    """units x coders codes (-1 missing) -> the scheme_agreement input."""
    return {
        f"u{i}": {coders[j]: options[v] for j, v in enumerate(row) if v >= 0} for i, row in enumerate(matrix)
    }


# ----------------------------------------------------------------------------- oracles


def oracle_krippendorff(matrix: np.ndarray, k: int, level: str) -> float | None:
    """krippendorff.alpha over coders x units, None where it refuses or gives NaN."""
    data = np.where(matrix < 0, np.nan, matrix.astype(float)).T
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            value = float(krippendorff.alpha(reliability_data=data, value_domain=list(range(k)), level_of_measurement=level))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def irrcac(matrix: np.ndarray, k: int, weights: str = "identity"):
    df = pd.DataFrame(np.where(matrix < 0, np.nan, matrix.astype(float)))
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return irrcac_raw.CAC(df, weights=weights, categories=list(range(k)))


def exact_masi(a: frozenset, b: frozenset) -> float:
    """Passonneau's MASI with exact M (NLTK's masi_distance rounds M to 0.67 / 0.33)."""
    if a == b:
        m = 1.0
    elif a <= b or b <= a:
        m = 2 / 3
    elif a & b:
        m = 1 / 3
    else:
        m = 0.0
    return 1.0 - (1.0 - nltk_distance.jaccard_distance(a, b)) * m


def nltk_task(matrix, labels, coders, distance=None):
    data = [(coders[j], f"u{i}", labels[v]) for i, row in enumerate(matrix) for j, v in enumerate(row) if v >= 0]
    kwargs = {"distance": distance} if distance else {}
    return nltk_agreement.AnnotationTask(data=data, **kwargs)


# ----------------------------------------------------------------------------- strategies


@st.composite
def rating_matrix(draw, max_k: int = 5, min_coders: int = 2, max_coders: int = 4, complete: bool = False):
    k = draw(st.integers(2, max_k))
    n_coders = draw(st.integers(min_coders, max_coders))
    n_units = draw(st.integers(2, 25))
    low = 0 if complete else -1
    # A latent value per unit makes agreement (and non-degenerate data) likely.
    truth = draw(st.lists(st.integers(0, k - 1), min_size=n_units, max_size=n_units))
    rows = []
    for t in truth:
        row = draw(
            st.lists(st.one_of(st.just(t), st.integers(low, k - 1)), min_size=n_coders, max_size=n_coders)
        )
        rows.append(row)
    return np.array(rows, dtype=np.int64), k


SETS = st.frozensets(st.sampled_from("abcde"), min_size=1, max_size=3)


@st.composite
def set_matrix(draw):
    n_coders = draw(st.integers(2, 4))
    n_units = draw(st.integers(2, 20))
    rows = []
    for _ in range(n_units):
        truth = draw(SETS)
        rows.append(draw(st.lists(st.one_of(st.just(truth), SETS, st.none()), min_size=n_coders, max_size=n_coders)))
    return rows


def run(matrix, k, ordered=False, **kw):
    options = [f"o{i}" for i in range(k)]
    coders = [f"c{j}" for j in range(matrix.shape[1])]
    return scheme_agreement(
        matrix_to_ratings(matrix.tolist(), options, coders), kind="single", options=options, ordered=ordered,
        coders=coders, bootstrap=kw.pop("bootstrap", 0), **kw,
    )


# ----------------------------------------------------------------------------- published example


def test_krippendorff_published_example_low_level():
    units = example_units()
    assert krippendorff_alpha(units, "nominal") == pytest.approx(0.743, abs=5e-4)
    assert krippendorff_alpha(units, "ordinal", order=[1, 2, 3, 4, 5]) == pytest.approx(0.815, abs=5e-4)
    assert krippendorff_alpha(units, lambda a, b: (a - b) ** 2) == pytest.approx(0.849, abs=5e-4)
    assert krippendorff_alpha(units, lambda a, b: ((a - b) / (a + b)) ** 2) == pytest.approx(0.797, abs=5e-4)
    data = [[np.nan if v is None else v for v in row] for row in KRIPPENDORFF_EXAMPLE]
    for level in ("nominal", "ordinal"):
        assert krippendorff_alpha(units, level, order=[1, 2, 3, 4, 5]) == pytest.approx(
            krippendorff.alpha(data, value_domain=[1, 2, 3, 4, 5], level_of_measurement=level), abs=TOL
        )


def test_krippendorff_published_example_as_a_scheme():
    coders = ["c1", "c2", "c3", "c4"]
    ratings = {
        f"unit{u}": {coders[j]: LEVELS[row[u] - 1] for j, row in enumerate(KRIPPENDORFF_EXAMPLE) if row[u] is not None}
        for u in range(12)
    }
    nominal = scheme_agreement(ratings, kind="single", options=LEVELS, bootstrap=0)
    ordinal = scheme_agreement(ratings, kind="single", options=LEVELS, ordered=True, bootstrap=200)
    assert nominal["alpha"] == pytest.approx(0.743, abs=5e-4)
    assert ordinal["alpha"] == pytest.approx(0.815, abs=5e-4)
    assert ordinal["alpha_metric"] == "ordinal" and nominal["alpha_metric"] == "nominal"
    # Unit 12 has one value only: not pairable, and not counted.
    assert nominal["items"] == 11 and nominal["labelled"] == 12
    # Units 1, 11 have 3 and 2 coders: Fleiss' kappa is undefined here.
    assert nominal["fleiss_kappa"] is None
    df = pd.DataFrame([[np.nan if v is None else v for v in col] for col in zip(*KRIPPENDORFF_EXAMPLE, strict=True)])
    cac = irrcac_raw.CAC(df, categories=[1, 2, 3, 4, 5])
    assert nominal["gwet_ac1"] == pytest.approx(cac.gwet()["est"]["coefficient_value"], abs=IRR_TOL)
    assert nominal["percent_agreement"] == pytest.approx(cac.gwet()["est"]["pa"], abs=IRR_TOL)
    cac2 = irrcac_raw.CAC(df, weights="ordinal", categories=[1, 2, 3, 4, 5])
    assert ordinal["gwet_ac2"] == pytest.approx(cac2.gwet()["est"]["coefficient_value"], abs=IRR_TOL)
    lo, hi = ordinal["alpha_ci95"]
    assert lo < ordinal["alpha"] < hi <= 1.0


# ----------------------------------------------------------------------------- random matrices vs oracles


@HYP
@given(rating_matrix())
def test_alpha_matches_krippendorff_package(case):
    matrix, k = case
    for ordered, level in ((False, "nominal"), (True, "ordinal")):
        ours = run(matrix, k, ordered=ordered)["alpha"]
        theirs = oracle_krippendorff(matrix, k, level)
        if theirs is None:
            assert ours is None
        else:
            assert ours == pytest.approx(theirs, abs=TOL)


@HYP
@given(rating_matrix())
def test_alpha_kappa_match_nltk(case):
    matrix, k = case
    labels = [f"o{i}" for i in range(k)]
    coders = [f"c{j}" for j in range(matrix.shape[1])]
    result = run(matrix, k)
    pairable = matrix[(matrix >= 0).sum(axis=1) >= 2]
    values = {v for v in pairable.ravel() if v >= 0}
    if len(values) >= 2:
        assert result["alpha"] == pytest.approx(nltk_task(pairable, labels, coders).alpha(), abs=TOL)
    else:  # NLTK calls one value "1"; we call it undefined
        assert result["alpha"] is None
    for a, b in combinations(range(len(coders)), 2):
        both = matrix[(matrix[:, a] >= 0) & (matrix[:, b] >= 0)][:, [a, b]]
        ours = result["cohen_kappa"][f"{coders[a]}|{coders[b]}"]
        if len(both) == 0:
            assert ours is None
            continue
        task = nltk_task(both, labels, [coders[a], coders[b]])
        if ours is None:  # both coders used one and the same value: chance agreement is 1
            assert task.Ae_kappa(coders[a], coders[b]) == pytest.approx(1.0)
        else:
            assert ours == pytest.approx(task.kappa(), abs=TOL)
        assert cohen_kappa([(labels[x], labels[y]) for x, y in both]) == ours


@HYP
@given(rating_matrix(complete=True, min_coders=2, max_coders=5))
def test_fleiss_matches_nltk_pi_and_irrcac(case):
    matrix, k = case
    result = run(matrix, k)
    labels = [f"o{i}" for i in range(k)]
    if len(set(matrix.ravel())) < 2:
        assert result["fleiss_kappa"] is None
        return
    assert result["fleiss_kappa"] == pytest.approx(
        nltk_task(matrix, labels, [f"c{j}" for j in range(matrix.shape[1])]).pi(), abs=TOL
    )
    assert result["fleiss_kappa"] == pytest.approx(irrcac(matrix, k).fleiss()["est"]["coefficient_value"], abs=IRR_TOL)
    assert fleiss_kappa([[labels[v] for v in row] for row in matrix]) == pytest.approx(result["fleiss_kappa"])


@HYP
@given(rating_matrix())
def test_gwet_and_percent_agreement_match_irrcac(case):
    matrix, k = case
    labelled = matrix[(matrix >= 0).any(axis=1)]
    pairable = (labelled >= 0).sum(axis=1) >= 2
    result = run(matrix, k, ordered=True)
    if not pairable.any():
        assert result["gwet_ac1"] is None and result["percent_agreement"] is None
        return
    if len(labelled) >= 2:  # irrCAC's standard error divides by n(n-1): it fails on one unit
        ac1 = irrcac(labelled, k).gwet()["est"]
        ac2 = irrcac(labelled, k, "ordinal").gwet()["est"]
        assert result["gwet_ac1"] == pytest.approx(ac1["coefficient_value"], abs=IRR_TOL)
        assert result["gwet_ac2"] == pytest.approx(ac2["coefficient_value"], abs=IRR_TOL)
        assert result["percent_agreement"] == pytest.approx(ac1["pa"], abs=IRR_TOL)
    units = [[f"o{v}" for v in row if v >= 0] for row in labelled]
    assert gwet_ac1(units, categories=[f"o{i}" for i in range(k)]) == pytest.approx(result["gwet_ac1"])
    assert gwet_ac2(units, categories=[f"o{i}" for i in range(k)]) == pytest.approx(result["gwet_ac2"])
    assert percent_agreement(units) == pytest.approx(result["percent_agreement"])
    unanimous = [len(set(row[row >= 0])) == 1 for row in labelled[pairable]]
    assert result["unanimous"] == pytest.approx(np.mean(unanimous))


@HYP
@given(rating_matrix())
def test_per_option_alpha_is_binary_alpha_of_the_package(case):
    matrix, k = case
    result = run(matrix, k)
    for option in range(k):
        binary = np.where(matrix < 0, -1, (matrix == option).astype(np.int64))
        expected = oracle_krippendorff(binary, 2, "nominal")
        ours = result["per_option"][f"o{option}"]["alpha"]
        assert (ours is None) == (expected is None)
        if ours is not None:
            assert ours == pytest.approx(expected, abs=TOL)


@HYP
@given(set_matrix())
def test_multi_choice_masi_alpha_and_per_option_alpha(rows):
    coders = [f"c{j}" for j in range(len(rows[0]))]
    ratings = {f"u{i}": {coders[j]: v for j, v in enumerate(row) if v is not None} for i, row in enumerate(rows)}
    result = scheme_agreement(ratings, kind="multi", options=list("abcde"), coders=coders, bootstrap=0)
    data = [(c, u, v) for u, row in ratings.items() for c, v in row.items() if sum(1 for _ in row) >= 2]
    values = {v for _, _, v in data}
    if len(values) < 2:
        assert result["alpha"] is None
    else:
        theirs = nltk_agreement.AnnotationTask(data=data, distance=exact_masi).alpha()
        assert result["alpha"] == pytest.approx(theirs, abs=TOL)
    for option in "abcde":
        matrix = np.array([[-1 if v is None else int(option in v) for v in row] for row in rows])
        expected = oracle_krippendorff(matrix, 2, "nominal")
        ours = result["per_option"][option]["alpha"]
        assert (ours is None) == (expected is None)
        if ours is not None:
            assert ours == pytest.approx(expected, abs=TOL)
        for j, coder in enumerate(coders):
            assert result["per_option"][option]["usage"][coder] == sum(1 for row in rows if row[j] and option in row[j])
    # Kappa on multi-choice schemes: exact set identity, as NLTK's binary distance does.
    for a, b in combinations(range(len(coders)), 2):
        both = [(row[a], row[b]) for row in rows if row[a] is not None and row[b] is not None]
        ours = result["cohen_kappa"][f"{coders[a]}|{coders[b]}"]
        if not both or ours is None:
            continue
        task = nltk_agreement.AnnotationTask(data=[(c, i, p[n]) for i, p in enumerate(both) for n, c in enumerate("ab")])
        assert ours == pytest.approx(task.kappa(), abs=TOL)


@HYP
@given(set_matrix())
def test_low_level_alpha_with_any_distance_matches_nltk(rows):
    units = [[v for v in row if v is not None] for row in rows]
    data = [(j, i, v) for i, u in enumerate(units) if len(u) >= 2 for j, v in enumerate(u)]
    if len({v for *_, v in data}) < 2:
        return
    for distance in (nltk_distance.masi_distance, nltk_distance.jaccard_distance):
        theirs = nltk_agreement.AnnotationTask(data=data, distance=distance).alpha()
        assert krippendorff_alpha(units, distance) == pytest.approx(theirs, abs=TOL)
    theirs = nltk_agreement.AnnotationTask(data=data, distance=exact_masi).alpha()
    assert krippendorff_alpha(units, "masi") == pytest.approx(theirs, abs=TOL)


@given(SETS, SETS)
def test_masi_distance_against_nltk(a, b):
    ours = masi_distance(a, b)
    assert ours == pytest.approx(exact_masi(a, b), abs=1e-12)
    # NLTK rounds M to 0.67 / 0.33; identical when M is 0 or 1.
    assert abs(ours - nltk_distance.masi_distance(a, b)) <= 0.0034
    if a == b or not (a & b):
        assert ours == pytest.approx(nltk_distance.masi_distance(a, b), abs=1e-12)


def test_masi_distance_known_values():
    assert masi_distance({"a"}, {"a"}) == 0.0
    assert masi_distance({"a", "b"}, {"a"}) == pytest.approx(1 - 0.5 * 2 / 3)
    assert masi_distance({"a", "b"}, {"b", "c"}) == pytest.approx(1 - 1 / 3 * 1 / 3)
    assert masi_distance({"a"}, {"b"}) == 1.0
    assert masi_distance(set(), set()) == 0.0
    assert masi_distance(set(), {"a"}) == 1.0


# ----------------------------------------------------------------------------- output shape and small cases


def test_confusion_usage_and_pair_keys_by_hand():
    ratings = {
        "1": {"bob": "yes", "alice": "yes"},
        "2": {"bob": "no", "alice": "yes"},
        "3": {"bob": "no", "alice": "no", "carol": "no"},
        "4": {"alice": "maybe"},
        "5": {"carol": "yes", "bob": "yes"},
    }
    out = scheme_agreement(ratings, kind="single", options=["yes", "no", "maybe"], bootstrap=0)
    assert out["coders"] == ["alice", "bob", "carol"]
    assert set(out["cohen_kappa"]) == {"alice|bob", "alice|carol", "bob|carol"}
    assert out["confusion"]["alice|bob"]["yes"] == {"yes": 1, "no": 1, "maybe": 0}
    assert out["confusion"]["alice|bob"]["no"] == {"yes": 0, "no": 1, "maybe": 0}
    assert out["per_option"]["maybe"]["usage"] == {"alice": 1, "bob": 0, "carol": 0}
    assert out["per_option"]["yes"]["usage"] == {"alice": 2, "bob": 2, "carol": 1}
    assert out["items"] == 4 and out["labelled"] == 5
    # pairs: item1 1/1, item2 0/1, item3 3/3, item5 1/1 agreeing -> mean 3/4
    assert out["percent_agreement"] == pytest.approx(0.75)
    # alice|bob over items 1-3: po 2/3, pe (2/3*1/3 + 1/3*2/3) = 4/9 -> kappa 0.4
    assert out["cohen_kappa"]["alice|bob"] == pytest.approx(0.4)
    assert out["cohen_kappa"]["alice|carol"] is None  # one shared item, one value: undefined
    json.dumps(out, allow_nan=False)


def test_coders_argument_restricts_and_orders():
    ratings = {"1": {"a": "x", "b": "y", "c": "x"}, "2": {"a": "y", "b": "y", "c": "y"}}
    out = scheme_agreement(ratings, kind="single", options=["x", "y"], coders=["c", "a"], bootstrap=0)
    assert out["coders"] == ["c", "a"] and list(out["cohen_kappa"]) == ["c|a"]
    assert out["percent_agreement"] == 1.0
    assert out["fleiss_kappa"] == pytest.approx(1.0)


@pytest.mark.parametrize(
    "ratings",
    [
        {},
        {"1": {"a": "x"}, "2": {"b": "y"}},  # nothing pairable
        {"1": {"a": "x", "b": "x"}, "2": {"a": "x", "b": "x"}},  # one category only
    ],
)
@pytest.mark.parametrize("kind", ["single", "multi"])
def test_degenerate_inputs_give_none_not_errors(ratings, kind):
    if kind == "multi":
        ratings = {u: {c: frozenset([v]) for c, v in row.items()} for u, row in ratings.items()}
    out = scheme_agreement(ratings, kind=kind, options=["x", "y"], ordered=kind == "single", bootstrap=50)
    for key in ("alpha", "alpha_ci95", "fleiss_kappa"):
        assert out[key] is None
    assert all(v is None for v in out["cohen_kappa"].values())
    assert all(o["alpha"] is None for o in out["per_option"].values())
    text = json.dumps(out, allow_nan=False)
    assert "zerodiv" not in text.lower()


def test_empty_set_is_a_label_and_not_missing():
    ratings = {"1": {"a": frozenset(), "b": frozenset()}, "2": {"a": frozenset({"x"}), "b": frozenset({"x"})}}
    out = scheme_agreement(ratings, kind="multi", options=["x", "y"], bootstrap=0)
    assert out["items"] == 2 and out["alpha"] == pytest.approx(1.0) and out["percent_agreement"] == 1.0


def test_values_outside_the_codebook():
    ratings = {"1": {"a": "x", "b": "zz"}, "2": {"a": "y", "b": "y"}, "3": {"a": "x", "b": "x"}}
    out = scheme_agreement(ratings, kind="single", options=["x", "y"], bootstrap=0)
    assert out["per_option"]["zz"]["usage"] == {"a": 0, "b": 1}
    assert out["alpha"] == pytest.approx(krippendorff_alpha([["x", "zz"], ["y", "y"], ["x", "x"]]))
    with pytest.raises(AnnotatorError):
        scheme_agreement(ratings, kind="single", options=["x", "y"], ordered=True)
    with pytest.raises(AnnotatorError):
        scheme_agreement(ratings, kind="tree", options=["x", "y"])


# ----------------------------------------------------------------------------- bootstrap


def synthetic(n_units: int, k: int, n_coders: int, seed: int, agree: float = 0.7) -> np.ndarray:
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, k, n_units)
    noise = rng.integers(0, k, (n_units, n_coders))
    matrix = np.where(rng.random((n_units, n_coders)) < agree, truth[:, None], noise)
    return np.where(rng.random((n_units, n_coders)) < 0.1, -1, matrix)


def naive_bootstrap(matrix: np.ndarray, k: int, level: str, b: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    pairable = matrix[(matrix >= 0).sum(axis=1) >= 2]
    draws = [oracle_krippendorff(pairable[rng.integers(0, len(pairable), len(pairable))], k, level) for _ in range(b)]
    return np.quantile([d for d in draws if d is not None], [0.025, 0.975])


@pytest.mark.parametrize("ordered, level", [(False, "nominal"), (True, "ordinal")])
def test_bootstrap_matches_naive_resampling_with_the_package(ordered, level):
    matrix = synthetic(150, 4, 3, seed=3)
    out = run(matrix, 4, ordered=ordered, bootstrap=2000, seed=1)
    lo, hi = naive_bootstrap(matrix, 4, level, 2000, seed=2)
    width = hi - lo
    assert out["alpha_ci95"][0] == pytest.approx(lo, abs=0.08 * width)
    assert out["alpha_ci95"][1] == pytest.approx(hi, abs=0.08 * width)


def test_bootstrap_is_seeded_and_deterministic():
    matrix = synthetic(300, 3, 3, seed=5)
    first = run(matrix, 3, bootstrap=300, seed=7)["alpha_ci95"]
    assert run(matrix, 3, bootstrap=300, seed=7)["alpha_ci95"] == first
    assert run(matrix, 3, bootstrap=300, seed=8)["alpha_ci95"] != first
    assert run(matrix, 3, bootstrap=0)["alpha_ci95"] is None


def test_bootstrap_narrows_with_more_units():
    small = run(synthetic(100, 3, 3, seed=1), 3, bootstrap=500)["alpha_ci95"]
    large = run(synthetic(5000, 3, 3, seed=1), 3, bootstrap=500)["alpha_ci95"]
    assert large[1] - large[0] < (small[1] - small[0]) / 4


@pytest.mark.parametrize("ordered", [False, True])
def test_fast_bootstrap_paths_agree_with_the_exact_one(monkeypatch, ordered):
    # Big data takes the normal limit of the resampled sums and, with many categories,
    # a linearised expected disagreement: both must give the exact bootstrap's interval.
    matrix = synthetic(3000, 5, 3, seed=11)
    exact = run(matrix, 5, ordered=ordered, bootstrap=2000, seed=3)
    monkeypatch.setattr(alpha_engine, "_EXACT_BOOTSTRAP_DRAWS", 0)
    normal = run(matrix, 5, ordered=ordered, bootstrap=2000, seed=3)
    monkeypatch.setattr(alpha_engine, "_EXACT_EXPECTED_MAX_K", 0)
    monkeypatch.setattr(alpha_engine, "_EXACT_EXPECTED_WORK", 0)
    linear = run(matrix, 5, ordered=ordered, bootstrap=2000, seed=3)
    width = exact["alpha_ci95"][1] - exact["alpha_ci95"][0]
    for other in (normal, linear):
        assert other["alpha"] == exact["alpha"]
        assert other["alpha_ci95"] == pytest.approx(exact["alpha_ci95"], abs=0.08 * width)


def test_masi_bootstrap_many_distinct_sets(monkeypatch):
    rng = np.random.default_rng(4)
    options = [f"t{i}" for i in range(12)]
    ratings = {}
    for i in range(400):
        truth = set(rng.choice(options, size=rng.integers(1, 4), replace=False))
        ratings[str(i)] = {
            c: frozenset(truth if rng.random() < 0.6 else set(rng.choice(options, size=rng.integers(1, 3))))
            for c in "abc"
        }
    exact = scheme_agreement(ratings, kind="multi", options=options, bootstrap=2000)
    monkeypatch.setattr(alpha_engine, "_EXACT_BOOTSTRAP_DRAWS", 0)
    monkeypatch.setattr(alpha_engine, "_EXACT_EXPECTED_MAX_K", 0)
    monkeypatch.setattr(alpha_engine, "_EXACT_EXPECTED_WORK", 0)
    fast = scheme_agreement(ratings, kind="multi", options=options, bootstrap=2000)
    width = exact["alpha_ci95"][1] - exact["alpha_ci95"][0]
    assert exact["alpha_ci95"][0] < exact["alpha"] < exact["alpha_ci95"][1]
    assert fast["alpha_ci95"] == pytest.approx(exact["alpha_ci95"], abs=0.1 * width)


def _masi_bootstrap_oracle(ratings: dict, resamples: int, seed: int) -> np.ndarray:
    """The percentile interval of alpha (MASI) over units drawn with replacement, each resample's
    alpha from its own coincidences in full: distances from Python sets, no linearisation."""
    def masi(a: frozenset, b: frozenset) -> float:
        if not a and not b:
            return 0.0
        m = 1.0 if a == b else 2 / 3 if a <= b or b <= a else 1 / 3 if a & b else 0.0
        return 1.0 - len(a & b) / len(a | b) * m

    units = [list(r.values()) for r in ratings.values() if len(r) >= 2]
    sets = sorted({v for u in units for v in u}, key=sorted)
    at = {v: k for k, v in enumerate(sets)}
    D = np.array([[masi(a, b) for b in sets] for a in sets])
    counts = np.zeros((len(units), len(sets)))
    observed = np.zeros(len(units))
    for i, u in enumerate(units):
        for v in u:
            counts[i, at[v]] += 1
        observed[i] = sum(masi(a, b) for x, a in enumerate(u) for y, b in enumerate(u) if x != y) / (len(u) - 1)
    rng = np.random.default_rng(seed)
    weights = np.stack([np.bincount(rng.integers(0, len(units), len(units)), minlength=len(units))
                        for _ in range(resamples)])
    n = weights @ counts
    alphas = 1.0 - (n.sum(axis=1) - 1.0) * (weights @ observed) / np.einsum("bk,kl,bl->b", n, D, n)
    return np.quantile(alphas[np.isfinite(alphas)], [0.025, 0.975])


def test_masi_bootstrap_of_few_units_with_many_distinct_sets_is_not_shifted():
    # 30 units, three coders, 70-odd distinct sets: beyond 64 categories the expected disagreement
    # of every resample was linearised, whose dropped O(1/n) term is large at 30 units -- both
    # ends of the interval came out about a tenth of its width too high
    rng = random.Random(30)
    options = [f"o{i}" for i in range(8)]
    ratings = {}
    for u in range(30):
        truth = {o for o in options if rng.random() < 0.4}
        ratings[str(u)] = {c: frozenset(truth ^ {o for o in options if rng.random() < 0.15}) for c in "abc"}
    assert len({v for r in ratings.values() for v in r.values()}) > alpha_engine._EXACT_EXPECTED_MAX_K
    ci = scheme_agreement(ratings, kind="multi", options=options, bootstrap=4000, seed=0)["alpha_ci95"]
    lo, hi = _masi_bootstrap_oracle(ratings, 4000, seed=1)
    width = hi - lo
    assert ci[0] == pytest.approx(lo, abs=0.05 * width)
    assert ci[1] == pytest.approx(hi, abs=0.05 * width)
