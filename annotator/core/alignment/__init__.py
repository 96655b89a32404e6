"""English and Chinese versions of one press conference, aligned exchange by exchange.

The Foreign Ministry's Chinese page is the record, its English page a translation that
sometimes leaves an exchange out, merges two or splits one (a follow-up asked as its own turn
in one version, inside the answer in the other). ``align`` pairs the two versions' exchanges
in order (a monotone alignment, ``monotone.py``) on what carries across a translation
(``evidence.py``: the outlet, numbers, dates, names, Latin tokens, the length ratio), and gives
each link a confidence: the probability of its step over every alignment the evidence allows.

Only question-answer pairs are aligned (``ALIGNED_KINDS``): opening statements are cut into
items differently by the two sites (one paragraph per announcement in one, all in one in the
other), and they are not what the questions are about. Plain Python: no database, no Qt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from annotator.core.alignment.evidence import Evidence, Exchange
from annotator.core.alignment.monotone import align as _monotone

__all__ = ["ALIGNED_KINDS", "Alignment", "Exchange", "Link", "align"]

ALIGNED_KINDS = ("qa",)


@dataclass(frozen=True)
class Link:
    """English item ``english`` and Chinese item ``chinese`` (indices into the lists aligned)
    are (part of) the same exchange, with this probability."""

    english: int
    chinese: int
    confidence: float


@dataclass(frozen=True)
class Alignment:
    links: list[Link]
    # Items the other version leaves out, each with the probability that it does.
    english_alone: list[tuple[int, float]]
    chinese_alone: list[tuple[int, float]]


def align(english: Sequence[Exchange], chinese: Sequence[Exchange]) -> Alignment:
    """Align one conference's English exchanges with its Chinese ones, in order."""
    evidence = Evidence(english, chinese)
    links: list[Link] = []
    english_alone: list[tuple[int, float]] = []
    chinese_alone: list[tuple[int, float]] = []
    for step in _monotone(len(english), len(chinese), evidence.score):
        if not step.right:
            english_alone.extend((i, step.probability) for i in step.left)
        elif not step.left:
            chinese_alone.extend((j, step.probability) for j in step.right)
        else:
            links.extend(Link(i, j, step.probability) for i in step.left for j in step.right)
    return Alignment(links, english_alone, chinese_alone)
