"""Anchors: what an exchange says that reads the same in its English and its Chinese version.

Each anchor is a short string, the same for both languages: ``n:35000000000`` (a number,
"35 billion" and "350亿" alike), ``d:6-12`` (a day of a month, "June 12" and "6月12日"),
``w:1`` (a weekday), ``k:Japan`` (a name from the table), ``l:g20`` (a Latin token the
Chinese text carries, "NHK", "5G", found as a word in the English). Small numbers are left
out: the English writes "two" where the Chinese writes "两", so they would be noise.
"""

from __future__ import annotations

import re

from annotator.core.alignment.lexicon import names

_MONTHS = {m: i for i, m in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"), start=1)}
_MONTH_ALT = "|".join(list(_MONTHS) + ["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
                                       "nov", "dec"])
# Matched against the lower-cased text (an IGNORECASE alternation is several times slower).
_EN_DATE = re.compile(rf"\b({_MONTH_ALT})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b|\b(\d{{1,2}})(?:st|nd|rd|th)?\s+"
                      rf"(?:of\s+)?({_MONTH_ALT})\b")
_ZH_DATE = re.compile(r"(\d{1,2})月(\d{1,2})[日号]")
_EN_WEEKDAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b")
_ZH_WEEKDAY = re.compile(r"(?:星期|周|礼拜)([一二三四五六日天])")
_EN_DAYS = {d: i for i, d in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                                        "sunday"), start=1)}
_ZH_DAYS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7}
# A number, and the scale word after it ("35 billion", "350亿", "2.1万").
_EN_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(thousand|million|billion|trillion))?",
                        re.IGNORECASE)
_ZH_NUMBER = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(万亿|万|亿|千)?(月)?")
_EN_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_ZH_SCALE = {"千": 1e3, "万": 1e4, "亿": 1e8, "万亿": 1e12}
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9\-]*[A-Za-z0-9]|\d+[A-Za-z]+")
_SMALLEST = 10  # numbers below are written as words as often as in digits


def _number(digits: str, scale: float) -> str | None:
    value = float(digits.replace(",", "")) * scale
    if value < _SMALLEST and "." not in digits:
        return None
    return f"n:{value:.6g}"


def english(text: str, latin: frozenset[str] = frozenset()) -> set[str]:
    """The anchors of an English text; ``latin`` are the Latin tokens the Chinese side carries."""
    out: set[str] = set()
    lowered = text.lower()
    for m in _EN_DATE.finditer(lowered):
        month, day = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        out.add(f"d:{_MONTHS.get(month.lower().rstrip('.'), 0) or _month_prefix(month)}-{int(day)}")
    out.update(f"w:{_EN_DAYS[m.group(1)]}" for m in _EN_WEEKDAY.finditer(lowered))
    for m in _EN_NUMBER.finditer(text):
        anchor = _number(m.group(1), _EN_SCALE[m.group(2).lower()] if m.group(2) else 1.0)
        if anchor:
            out.add(anchor)
    out.update(f"k:{key}" for key in names().in_english(text))
    if latin:
        words = {w.casefold() for w in _LATIN.findall(text)}
        out.update(f"l:{token}" for token in latin & words)
    return out


def _month_prefix(word: str) -> int:
    word = word.lower().rstrip(".")
    return next(n for name, n in _MONTHS.items() if name.startswith(word[:3]))


def chinese(text: str) -> set[str]:
    """The anchors of a Chinese text (its Latin tokens included, as ``l:`` anchors)."""
    out: set[str] = {f"d:{int(m.group(1))}-{int(m.group(2))}" for m in _ZH_DATE.finditer(text)}
    out.update(f"w:{_ZH_DAYS[m.group(1)]}" for m in _ZH_WEEKDAY.finditer(text))
    for m in _ZH_NUMBER.finditer(text):
        if m.group(3):  # "6月": a month, counted in the date anchor
            continue
        anchor = _number(m.group(1), _ZH_SCALE[m.group(2)] if m.group(2) else 1.0)
        if anchor:
            out.add(anchor)
    out.update(f"k:{key}" for key in names().in_chinese(text))
    out.update(f"l:{token}" for token in latin_tokens(text))
    return out


def latin_tokens(text: str) -> set[str]:
    """The Latin words a Chinese text carries ("NHK", "G20", "5G"), casefolded."""
    return {w.casefold() for w in _LATIN.findall(text)}
