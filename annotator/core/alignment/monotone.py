"""The monotone alignment of two sequences of blocks: the best path and each step's probability.

A path walks from (0, 0) to (n, m) in steps (a, b): a items of one side with b of the other,
(1, 1) a translated exchange, (1, 0)/(0, 1) an exchange one version leaves out, (2, 1)/(1, 2)
and (3, 1)/(1, 3) exchanges one version splits and the other merges (follow-ups asked as
their own turns in one, inside the answer in the other). A step's weight is its evidence
minus the step's prior cost. The best path is Viterbi's; the confidence of each of its steps
is the probability of that step over all paths (forward-backward, the weights as log-odds),
so a link the evidence barely prefers over a neighbour comes with a low confidence.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

# Step -> its prior cost in nats: leaving an exchange out or merging is rarer than translating it.
STEPS: dict[tuple[int, int], float] = {
    (1, 1): 0.0,
    (1, 0): 3.0, (0, 1): 3.0,
    (2, 1): 2.0, (1, 2): 2.0,
    (3, 1): 4.0, (1, 3): 4.0,
}


@dataclass(frozen=True)
class Step:
    """Items ``left`` of one side with ``right`` of the other (either may be empty), and its probability."""

    left: range
    right: range
    probability: float


def _logadd(a: float, b: float) -> float:
    if a == -math.inf:
        return b
    if b == -math.inf:
        return a
    hi, lo = (a, b) if a > b else (b, a)
    return hi + math.log1p(math.exp(lo - hi))


def align(n: int, m: int, score: Callable[[range, range], float]) -> list[Step]:
    """The best monotone path over n left and m right items; ``score`` weighs a block of both."""
    weights: dict[tuple[int, int, int, int], float] = {}

    def weight(i: int, j: int, a: int, b: int) -> float:
        key = (i, j, a, b)
        if key not in weights:
            evidence = score(range(i, i + a), range(j, j + b)) if a and b else 0.0
            weights[key] = evidence - STEPS[(a, b)]
        return weights[key]

    def moves_into(i: int, j: int):
        for a, b in STEPS:
            if i - a >= 0 and j - b >= 0:
                yield a, b, weight(i - a, j - b, a, b)

    best = [[-math.inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    forward = [[-math.inf] * (m + 1) for _ in range(n + 1)]
    best[0][0] = forward[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if i == j == 0:
                continue
            for a, b, w in moves_into(i, j):
                if best[i - a][j - b] + w > best[i][j]:
                    best[i][j], back[i][j] = best[i - a][j - b] + w, (a, b)
                forward[i][j] = _logadd(forward[i][j], forward[i - a][j - b] + w)
    backward = [[-math.inf] * (m + 1) for _ in range(n + 1)]
    backward[n][m] = 0.0
    for i in range(n, -1, -1):
        for j in range(m, -1, -1):
            if (i, j) == (n, m):
                continue
            for a, b in STEPS:
                if i + a <= n and j + b <= m:
                    backward[i][j] = _logadd(backward[i][j], weight(i, j, a, b) + backward[i + a][j + b])
    total = forward[n][m]
    steps: list[Step] = []
    i, j = n, m
    while (i, j) != (0, 0):
        a, b = back[i][j]  # type: ignore[misc]
        p = math.exp(forward[i - a][j - b] + weight(i - a, j - b, a, b) + backward[i][j] - total)
        steps.append(Step(range(i - a, i), range(j - b, j), min(1.0, p)))
        i, j = i - a, j - b
    steps.reverse()
    return steps
