"""Normalised names of outlets and spokespersons, for display and filtering.

The original spelling stays on the item; the normalised form is what groups
"The Global Times", "Global Times" and "Global Times reporter" together.
"""

from __future__ import annotations

import functools
import re

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\uff1a": ":", "\u3000": " ", "\u00a0": " ",
})
_SPACE = re.compile(r"\s+")
# A leading article says nothing about which outlet it is ("The Paper" stays:
# a one-word remainder would no longer name the outlet).
_ARTICLE = re.compile(r"^the\s+(?=\S+\s+\S)", re.IGNORECASE)
# "Reuters reporter", "Reuters correspondent", "法新社记者": the person's role,
# not part of the outlet's name.
_ROLE_EN = re.compile(r"\s+(?:reporter|correspondent|journalist)s?$", re.IGNORECASE)
_ROLE_ZH = re.compile(r"(?<=.)(?:记者|記者)$")


@functools.lru_cache(maxsize=8192)  # outlets and spokespersons repeat on every page of an import
def normalise_name(name: str | None) -> str | None:
    """Return the normalised form of an outlet or person name, None for nothing."""
    if name is None:
        return None
    text = _SPACE.sub(" ", name.translate(_QUOTES)).strip(" :.,;")
    if not text:
        return None
    text = _ROLE_EN.sub("", text)
    text = _ROLE_ZH.sub("", text)
    text = _ARTICLE.sub("", text)
    return text.strip() or None
