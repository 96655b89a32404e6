"""Benchmark: agreement figures for 100,000 items x 3 coders x the default codebook.

Plain script: ``python tests/benchmarks/bench_agreement.py`` prints one JSON line
{"name": "agreement_s", "value": <s>, "unit": "s", "baseline": <s>, "ratio": value/baseline}.
The baseline is the ``krippendorff`` package's alpha on the same data (nominal or ordinal
for single-choice schemes, one binary alpha per option for multi-choice ones); it is null
when the package is not installed. Target from the issue: value < 2 s.
"""

from __future__ import annotations

import json
import sys
import time
import tomllib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from annotator.core.agreement import scheme_agreement

N_ITEMS = 100_000
CODERS = ["alice", "bob", "carol"]
SEED = 20240501


def load_schemes() -> list[dict]:
    with open(ROOT / "resources" / "codebook.toml", "rb") as fh:
        book = tomllib.load(fh)
    return [
        {
            "name": s["name"],
            "kind": s["kind"],
            "ordered": bool(s.get("ordered", False)),
            "options": [o["value"] for o in s["options"]],
        }
        for s in book["schemes"]
    ]


def synthesise(scheme: dict, rng: np.random.Generator) -> tuple[dict, np.ndarray]:
    """Ratings with realistic structure: a latent true value, mostly-agreeing coders,
    skewed option use and ~5% missing labels. Also returns the coders x items code matrix
    (NaN = missing) that the krippendorff package takes (multi: items x coders x options)."""
    options = scheme["options"]
    k = len(options)
    popularity = rng.dirichlet(np.full(k, 0.7))
    missing = rng.random((N_ITEMS, len(CODERS))) < 0.05
    uids = [f"item-{i:06d}" for i in range(N_ITEMS)]
    ratings: dict[str, dict[str, object]] = {u: {} for u in uids}
    if scheme["kind"] == "single":
        truth = rng.choice(k, size=N_ITEMS, p=popularity)
        matrix = np.full((len(CODERS), N_ITEMS), np.nan)
        for j, coder in enumerate(CODERS):
            noise = rng.choice(k, size=N_ITEMS, p=popularity)
            if scheme["ordered"]:  # ordinal slips are mostly to a neighbour
                noise = np.clip(truth + rng.choice([-1, 1], size=N_ITEMS), 0, k - 1)
            value = np.where(rng.random(N_ITEMS) < 0.8, truth, noise)
            for i in np.nonzero(~missing[:, j])[0]:
                ratings[uids[i]][coder] = options[value[i]]
            matrix[j, ~missing[:, j]] = value[~missing[:, j]]
        return ratings, matrix
    truth = np.zeros((N_ITEMS, k), dtype=bool)
    n_true = rng.choice([1, 2, 3], size=N_ITEMS, p=[0.6, 0.3, 0.1])
    for r in range(3):
        truth[np.arange(N_ITEMS), rng.choice(k, size=N_ITEMS, p=popularity)] |= n_true > r
    cube = np.full((N_ITEMS, len(CODERS), k), np.nan)
    names = np.array(options, dtype=object)
    for j, coder in enumerate(CODERS):
        labels = (truth & (rng.random((N_ITEMS, k)) < 0.88)) | (~truth & (rng.random((N_ITEMS, k)) < 0.01))
        for i in np.nonzero(~missing[:, j])[0]:
            ratings[uids[i]][coder] = frozenset(names[labels[i]])
        cube[~missing[:, j], j, :] = labels[~missing[:, j]]
    return ratings, cube


def main() -> None:
    rng = np.random.default_rng(SEED)
    schemes = [(s, *synthesise(s, rng)) for s in load_schemes()]

    start = time.perf_counter()
    for scheme, ratings, _ in schemes:
        scheme_agreement(
            ratings, kind=scheme["kind"], options=scheme["options"], ordered=scheme["ordered"], coders=CODERS
        )
    ours = time.perf_counter() - start

    baseline = None
    try:
        import krippendorff
    except ImportError:
        krippendorff = None
    if krippendorff is not None:
        start = time.perf_counter()
        for scheme, _, data in schemes:
            if scheme["kind"] == "single":
                level = "ordinal" if scheme["ordered"] else "nominal"
                krippendorff.alpha(
                    reliability_data=data, value_domain=list(range(len(scheme["options"]))), level_of_measurement=level
                )
            else:
                for o in range(data.shape[2]):
                    krippendorff.alpha(reliability_data=data[:, :, o].T, value_domain=[0, 1], level_of_measurement="nominal")
        baseline = time.perf_counter() - start

    print(
        json.dumps(
            {
                "name": "agreement_s",
                "value": round(ours, 4),
                "unit": "s",
                "baseline": None if baseline is None else round(baseline, 4),
                "ratio": None if baseline is None else round(ours / baseline, 4),
            }
        )
    )


if __name__ == "__main__":
    main()
