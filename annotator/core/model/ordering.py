"""What "next" (Enter: done and next) follows in a coder's assignment: the order the lead chose.

``document`` (the default): the next item not yet done, in the transcripts' order -- coders
read a conference from its start, and the context of a question matters. ``uncertain``: of the
next ``AHEAD`` items not yet done, the one the models are least sure of (``Suggester.uncertainty``),
so the labels a coder adds teach the models most. ``mixed``: the least sure of the next
``MIXED_AHEAD`` only, which keeps the coder within a few pairs of where they are while still
preferring the items the models cannot call.

The reliability sample keeps document order: when the next item in document order is in it,
it comes next whatever the order, and it is never picked for its uncertainty (its items are
scored by nobody), so agreement is measured on items reached the same way by every coder.
Ties go to the earlier item. Without a usable model every order is the document's.
"""

from __future__ import annotations

from collections.abc import Callable

AHEAD = 200  # ``uncertain`` weighs this many of the next items not yet done
MIXED_AHEAD = 8  # ``mixed``: this many


def choose(candidates: list[int], order: str, blind: Callable[[int], bool],
           uncertainty: Callable[[list[int]], dict[int, float]] | None) -> int | None:
    """The next item of ``candidates`` (the items not yet done, in document order from the one
    after the coder's) under ``order``; ``blind(item)`` says whether it is in the reliability
    sample; ``uncertainty`` scores items (None: no usable model)."""
    if not candidates:
        return None
    first = candidates[0]
    if order == "document" or uncertainty is None or blind(first):
        return first
    pool = [i for i in candidates[:window(order)] if not blind(i)]
    scores = uncertainty(pool)
    best = pool[0]
    for i in pool[1:]:
        if scores.get(i, 0.0) > scores.get(best, 0.0):  # strictly: a tie keeps the earlier item
            best = i
    return best


def window(order: str) -> int:
    """How many items ahead ``order`` looks at (the candidates ``choose`` takes)."""
    return {"uncertain": AHEAD, "mixed": MIXED_AHEAD}.get(order, 1)
