"""Krippendorff's thresholds and the words a report says about an alpha: the one home of the
rule that the report, its tables and the review window's agreement panel all read.

Krippendorff (2004, *Content Analysis*, 2nd ed., p. 241): rely on variables with alpha >= .800,
consider variables with .667 <= alpha < .800 only for tentative conclusions.
"""

from __future__ import annotations

RELIABLE = 0.800
TENTATIVE = 0.667
THRESHOLDS = (TENTATIVE, RELIABLE)

# A scheme is "skewed" when one value makes up this share of the values compared or more: alpha
# (and every kappa) can then be low although coders nearly always agree -- the prevalence
# paradox (Feinstein & Cicchetti 1990) -- and Gwet's AC1/AC2 is printed beside it (Gwet 2008).
SKEWED_SHARE = 0.80


def verdict(alpha: float | None) -> str | None:
    """"reliable", "tentative" or "unreliable" by the point estimate; None without an alpha."""
    if alpha is None:
        return None
    return "reliable" if alpha >= RELIABLE else "tentative" if alpha >= TENTATIVE else "unreliable"


VERDICT_WORDS = {
    "reliable": "reliable (alpha at least .800)",
    "tentative": "tentative conclusions only (alpha at least .667, below .800)",
    "unreliable": "not reliable (alpha below .667)",
}


def verdict_words(alpha: float | None, ci: list[float] | tuple[float, float] | None) -> str | None:
    """The verdict in plain words, and whether the 95 % interval crosses a threshold, e.g.
    "reliable (alpha at least .800); the 95 % interval reaches below .800"."""
    key = verdict(alpha)
    if key is None:
        return None
    words = VERDICT_WORDS[key]
    if ci:
        low, high = ci
        if key == "reliable" and low < RELIABLE:
            words += "; the 95 % interval reaches below .800"
        elif key == "tentative" and high >= RELIABLE:
            words += "; the 95 % interval reaches .800"
        elif key == "tentative" and low < TENTATIVE:
            words += "; the 95 % interval reaches below .667"
        elif key == "unreliable" and high >= TENTATIVE:
            words += "; the 95 % interval reaches .667"
    return words


def skewed(top_share: float | None) -> bool:
    return top_share is not None and top_share >= SKEWED_SHARE


# The colour of each verdict, in the report's pictures and the review window's bars alike.
VERDICT_COLOURS = {"reliable": "#4a7fb5", "tentative": "#d9a441", "unreliable": "#c0604d"}


def colour(alpha: float | None) -> str:
    return VERDICT_COLOURS.get(verdict(alpha) or "", "#9a9a94")
