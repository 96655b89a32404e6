"""The table of what carries across a translation: outlets and names in both languages.

Read from ``resources/alignment.toml`` (data, so a new spelling is a line there, not code).
``outlet_key`` gives one key for every spelling of an outlet ("法新社记者", "AFP",
"Agence France-Presse" -> ``AFP``); ``Names`` finds the places, people and bodies a text names,
whichever language it is written in.
"""

from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path

from annotator.core.names import normalise_name

LEXICON_PATH = Path(__file__).resolve().parents[3] / "resources" / "alignment.toml"
# Title marks around a newspaper's name ("《环球时报》记者") say nothing about which paper it is.
_TITLE_MARKS = str.maketrans("", "", "《》〈〉")


def _spelling(name: str) -> str:
    return (normalise_name(name.translate(_TITLE_MARKS)) or "").casefold()


@functools.lru_cache(maxsize=1)
def _table() -> dict:
    with LEXICON_PATH.open("rb") as fh:
        return tomllib.load(fh)


@functools.lru_cache(maxsize=1)
def _outlets() -> dict[str, str]:
    return {_spelling(s): key for key, spellings in _table()["outlets"].items() for s in spellings}


@functools.lru_cache(maxsize=4096)
def outlet_key(name: str | None) -> str | None:
    """The outlet's key in the table, or None when the name is missing or not listed."""
    if not name:
        return None
    return _outlets().get(_spelling(name))


def outlet_name(name: str | None) -> str | None:
    """The name the table lists first for the outlet ``name`` is a spelling of, normalised as
    items' outlets are ("法新社记者" -> "AFP"); None when the name is missing or not listed."""
    key = outlet_key(name)
    return normalise_name(_table()["outlets"][key][0]) if key else None


def _is_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


class Names:
    """Finds the table's names in a text: English forms as whole words, Chinese ones as substrings."""

    def __init__(self) -> None:
        english: list[tuple[str, str]] = []
        self.chinese: list[tuple[str, str]] = []
        for key, forms in _table()["names"].items():
            for form in forms:
                (self.chinese if _is_cjk(form) else english).append((key, form))
        # One alternation per case rule: acronyms ("US", "UN", "WHO") only in capitals, the rest
        # in any case; the longest form first so "South China Sea" wins over "China".
        self._keys: dict[str, str] = {}
        exact, folded = [], []
        for key, form in sorted(english, key=lambda kf: -len(kf[1])):
            if form.isupper():
                exact.append(re.escape(form))
                self._keys[form] = key
            else:
                folded.append(re.escape(form))
                self._keys[form.casefold()] = key
        self._exact = re.compile(r"(?<![\w.])(" + "|".join(exact) + r")(?![\w])")
        # Matched against the lower-cased text: an IGNORECASE alternation of a hundred names is
        # several times slower in Python's re.
        self._folded = re.compile(r"(?<!\w)(" + "|".join(f.lower() for f in folded) + r")(?!\w)")

    def in_english(self, text: str) -> set[str]:
        found = {self._keys[m.group(1)] for m in self._exact.finditer(text)}
        found.update(self._keys[m.group(1).casefold()] for m in self._folded.finditer(text.lower()))
        return found

    def in_chinese(self, text: str) -> set[str]:
        return {key for key, form in self.chinese if form in text}


@functools.lru_cache(maxsize=1)
def names() -> Names:
    return Names()
