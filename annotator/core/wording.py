"""How a count reads in a line of output: the one rule of singular and plural.

``plural(1, "empty set")`` is "1 empty set", ``plural(3, "empty set")`` "3 empty sets"; thousands
are grouped ("1,204 units") so a long figure reads at a glance. Every line that counts
something in words goes through here, so no second copy of the rule says "1 empty sets".
``some`` is the part of a summary line that is said only when it happened ("2 copies of
sources already here", nothing for none), which the import's and the merge's lines share.
"""

from __future__ import annotations


def figure(n: int) -> str:
    """A count as a line of output writes it: thousands grouped ("1,204")."""
    return f"{n:,}"


def plural(n: int, noun: str, many: str | None = None) -> str:
    """``n`` and the noun in the number it takes; ``many`` for a plural that is not noun + 's'."""
    return f"{figure(n)} {noun if n == 1 else many or noun + 's'}"


def some(n: int, noun: str, then: str = "", many: str | None = None) -> list[str]:
    """``[plural(n, noun) + then]``, or ``[]`` for 0: a summary line's part that only a count
    above nothing earns (``parts += some(len(copies), "copy", " of sources already here", "copies")``)."""
    return [plural(n, noun, many) + then] if n else []
