"""How well a block of English exchanges and a block of Chinese ones match, as a log-odds score.

The evidence, each term in nats (positive: the two are the same exchange):

- the outlet that asked, when both versions name it (the table in ``lexicon``): the same
  outlet is strong evidence, two different outlets strong evidence against;
- shared anchors (``anchors``), each weighted by how rare it is in the conference (a name every
  exchange mentions says little); anchors only one side has count a little against, since a
  translation shortens;
- the length, of the whole exchange and of the question alone: Chinese text is about a third as
  many characters as its English, and this conference's ratio is measured from its own totals.
  Between true translations log(Chinese/English) stays within about 0.1 of that ratio (median
  deviation 0.06 for the whole, 0.10 for the question, over the 451 dates of the corpus whose
  versions have as many pairs), between unrelated exchanges it spreads about six times wider:
  each term is the log-odds of a narrow Laplace against a wide one, floored because a page
  sometimes glues an announcement onto the last answer.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from annotator.core.alignment import anchors
from annotator.core.alignment.lexicon import outlet_key

OUTLET_SAME = 3.0
OUTLET_DIFFERENT = -4.0
SHARED = 1.0  # per nat of an anchor's rarity
UNSHARED = 0.25
UNSHARED_CAP = 3.0  # beyond a few, more unmatched anchors say little: a page may glue a notice on
# (Laplace scale between translations, its floor in nats) for the whole exchange and the question.
LENGTH_TOTAL = (0.1, -3.0)
LENGTH_QUESTION = (0.15, -3.0)
UNRELATED_SCALE = 0.6
STEADY_LENGTH = 400


class Exchange(Protocol):
    """What the aligner reads of an item: its question, answer and outlet as the importer wrote them."""

    question: str
    answer: str
    outlet: str | None


@dataclass(frozen=True)
class Side:
    anchors: frozenset[str]
    length: int
    question: int
    outlet: str | None


def _length(text: str) -> int:
    return max(1, len("".join(text.split())))


def _side(found: frozenset[str], item: Exchange) -> Side:
    return Side(found, _length(item.question + item.answer), _length(item.question), outlet_key(item.outlet))


def _length_odds(deviation: float, english: int, scale: float, floor: float) -> float:
    """Log-odds of a length ratio ``deviation`` (in log units) off the conference's ratio.

    A short text's ratio is noisier ("It's a Reuters report." / "是路透社的报道。"), so the
    scale widens below ``STEADY_LENGTH`` English characters, as the square root.
    """
    scale *= max(1.0, math.sqrt(STEADY_LENGTH / english))
    x = abs(deviation)
    return max(floor, math.log(UNRELATED_SCALE / scale) - x / scale + x / UNRELATED_SCALE)


class Evidence:
    """The score of any block of one conference's English items against a block of its Chinese ones."""

    def __init__(self, english: Sequence[Exchange], chinese: Sequence[Exchange]) -> None:
        zh = [frozenset(anchors.chinese(f"{i.question}\n{i.answer}")) for i in chinese]
        latin = frozenset().union(*[{a[2:] for a in s if a.startswith("l:")} for s in zh]) if zh else frozenset()
        en = [frozenset(anchors.english(f"{i.question}\n{i.answer}", latin)) for i in english]
        self.english = [_side(a, i) for a, i in zip(en, english, strict=True)]
        self.chinese = [_side(a, i) for a, i in zip(zh, chinese, strict=True)]
        df = Counter(a for side in (*self.english, *self.chinese) for a in side.anchors)
        n = len(english) + len(chinese)
        self.weight = {a: math.log((n + 1) / c) for a, c in df.items()}
        self.ratio = self._ratio(lambda s: s.length)
        self.question_ratio = self._ratio(lambda s: s.question)

    def _ratio(self, size) -> float:
        return math.log((sum(map(size, self.chinese)) or 1) / (sum(map(size, self.english)) or 1))

    def score(self, en: range, zh: range) -> float:
        """Log-odds that English items ``en`` and Chinese items ``zh`` are one exchange."""
        e = [self.english[i] for i in en]
        z = [self.chinese[j] for j in zh]
        ea = frozenset().union(*(s.anchors for s in e))
        za = frozenset().union(*(s.anchors for s in z))
        value = SHARED * sum(self.weight[a] for a in ea & za)
        value -= min(UNSHARED_CAP, UNSHARED * sum(self.weight[a] for a in ea ^ za))
        total = math.log(sum(s.length for s in z) / sum(s.length for s in e)) - self.ratio
        question = math.log(sum(s.question for s in z) / sum(s.question for s in e)) - self.question_ratio
        value += _length_odds(total, sum(s.length for s in e), *LENGTH_TOTAL)
        value += _length_odds(question, sum(s.question for s in e), *LENGTH_QUESTION)
        # The outlet of a block is the first item's: the one who asked; a follow-up has none.
        eo, zo = e[0].outlet, z[0].outlet
        if eo and zo:
            value += OUTLET_SAME if eo == zo else OUTLET_DIFFERENT
        return value
