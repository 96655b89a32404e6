"""Krippendorff's thresholds and the words a report says about an alpha: the one home of the
rule that the report, its tables and the review window's agreement panel all read.

Krippendorff (2004, *Content Analysis*, 2nd ed., p. 241): rely on variables with alpha >= .800,
consider variables with .667 <= alpha < .800 only for tentative conclusions.
"""

from __future__ import annotations

from annotator.core.wording import plural

RELIABLE = 0.800
TENTATIVE = 0.667
THRESHOLDS = (TENTATIVE, RELIABLE)

# A scheme is "skewed" when one value makes up this share of the values compared or more: alpha
# (and every kappa) can then be low although coders nearly always agree -- the prevalence
# paradox (Feinstein & Cicchetti 1990) -- and Gwet's AC1/AC2 is printed beside it (Gwet 2008).
SKEWED_SHARE = 0.80

# Fewer units than this and an alpha (or a drift period's) is too unsure to lean on: a bootstrap
# of two units that agree resamples them into [1.000, 1.000], an interval that looks certain and
# says nothing. The drift picture leaves such a period out; a verdict says so beside its words.
FEW_UNITS = 20


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


def verdict_words(alpha: float | None, ci: list[float] | tuple[float, float] | None,
                  units: int | None = None) -> str | None:
    """The verdict in plain words, whether the 95 % interval crosses a threshold, e.g.
    "reliable (alpha at least .800); the 95 % interval reaches below .800", and, on fewer than
    ``FEW_UNITS`` units, that they are too few for either to be relied on."""
    key = verdict(alpha)
    if key is None:
        return None
    words = VERDICT_WORDS[key] + _interval_words(alpha, ci)
    few = too_few_units(units)
    return words + f"; but {few}" if few else words


def too_few_units(units: int | None) -> str | None:
    """On fewer than ``FEW_UNITS`` units, the words that say they are too few to rely on; else None.
    The verdict's words end with them, and the paper's table (``tables``) puts them in a note."""
    if units is None or units >= FEW_UNITS:
        return None
    return f"only {plural(units, 'unit')}, fewer than {FEW_UNITS}: too few to rely on alpha or its interval"


def _interval_words(alpha: float, ci: list[float] | tuple[float, float] | None) -> str:
    if not ci:
        return ""
    low, high = ci
    # Each side names the farthest threshold the interval crosses, and a tentative alpha's
    # interval may cross both: naming only the one above (as it did) hid that it also reaches
    # "not reliable", the side a reader of a methods section most needs to see.
    below = next((f"below {t:.3f}".replace("0.", ".") for t in THRESHOLDS if low < t <= alpha), None)
    above = next((f"{t:.3f}".replace("0.", ".") for t in reversed(THRESHOLDS) if alpha < t <= high), None)
    if below and above:
        return f"; the 95 % interval reaches {below} and {above}"
    if below or above:
        return f"; the 95 % interval reaches {below or above}"
    return ""


def skewed(top_share: float | None) -> bool:
    return top_share is not None and top_share >= SKEWED_SHARE


# The colour of each verdict, in the report's pictures and the review window's bars alike.
VERDICT_COLOURS = {"reliable": "#4a7fb5", "tentative": "#d9a441", "unreliable": "#c0604d"}


def colour(alpha: float | None) -> str:
    return VERDICT_COLOURS.get(verdict(alpha) or "", "#9a9a94")
