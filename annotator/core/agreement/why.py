"""The words in place of a coefficient that cannot exist: no coder, one coder, no item two
coders share, a single value. One home, so ``annotator agreement`` and the report say the same."""

from __future__ import annotations

from typing import Any

import numpy as np

from annotator.core.agreement.coded import CodedScheme
from annotator.core.codebook import Scheme


def category_name(scheme: Scheme, category: Any) -> str:
    """A category as a reader names it: an option's label, a set's labels joined, "none" for {}."""
    if isinstance(category, frozenset):
        return " + ".join(scheme.label_of(o) for o in scheme.canonical(sorted(category), allow_unknown=True)) or "none"
    return scheme.label_of(category) if isinstance(category, str) else str(category)


def why_no_alpha(scheme: Scheme, coded: CodedScheme, figures: dict[str, Any]) -> str | None:
    """Words in place of alpha when there is none, else None."""
    givers = [c for j, c in enumerate(coded.coders) if (coded.R[:, j] >= 0).any()]
    if not givers:
        return f"No coder has given {scheme.title} a value yet: there is nothing to compare."
    if len(givers) == 1:
        return (f"Only {givers[0]} has given {scheme.title} values: agreement needs two or more coders "
                "on the same items.")
    if figures["items"] == 0:
        return (f"{', '.join(givers[:-1])} and {givers[-1]} gave {scheme.title} values, but never to the same "
                "item: no unit has two values to compare (an overlap of items coded by all is made by "
                "'annotator assign --overlap').")
    if figures["alpha"] is None:
        present = coded.R[(coded.R >= 0).sum(axis=1) >= 2]
        used = np.unique(present[present >= 0])
        if len(used) == 1:
            value = category_name(scheme, coded.categories[int(used[0])])
            return (f"Every value of {scheme.title} compared was '{value}': alpha is not defined when a single value is used "
                    "(there is no variation to agree on).")
        return "Alpha is not defined on these units (no expected disagreement)."
    return None
