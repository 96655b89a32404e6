"""Dates and spokespersons read from titles and date lines.

A title without a year takes the year from the page's other dates, and says
so in a warning; with no other date the date stays unknown, also with a
warning. A year is never guessed silently.
"""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {m.casefold(): i for i, m in enumerate((
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"), start=1)}
_MONTHS.update({k[:3]: v for k, v in list(_MONTHS.items())})
_MONTHS["sept"] = 9

_EN_DATE = re.compile(
    r"\b(?P<month>January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s*(?P<day>\d{1,2})(?:st|nd|rd|th)?\b"
    r"(?:,?\s*(?P<year>(?:19|20)\d{2})\b)?",
    re.IGNORECASE,
)
_ZH_DATE = re.compile(r"(?:(?P<year>(?:19|20)\d{2})\s*年\s*)?(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日")
_ISO_DATE = re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b")

_EN_SPOKESPERSON = re.compile(
    r"Spokes(?:person|man|woman)\s+(?P<name>[A-Z][\w-]+(?:\s[A-Z][\w-]+){0,2})\s*['’]s?\b")
_ZH_SPOKESPERSON = re.compile(
    r"[发發]言人(?!表[态態]|答[记記]|[谈談][话話]|[声聲]明)(?P<name>[\u4e00-\u9fff]{2,3}?)(?=主持|答|就|[发發]表|宣布|在|[谈談]|表示|\d|\s|$)")
_TITLE_WORDS = re.compile(
    r"Press Conference|Press Briefing|Daily Briefing|Remarks|Statement|Press Gaggle|Press Call"
    r"|[记記]者[会會]|答[记記]者[问問]|[发發]表[谈談][话話]|表[态態]|[声聲]明", re.IGNORECASE)
_DATE_LINE = re.compile(
    r"^\s*(?:date|dated|published|日期|发布时间)?\s*[:：]?\s*"
    r"(?P<year>(?:19|20)\d{2})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\s*$",
    re.IGNORECASE)


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _month(text: str) -> int:
    key = text.casefold().rstrip(".")
    return _MONTHS.get(key) or _MONTHS[key[:3]]


def find_date(text: str) -> tuple[int | None, int, int] | None:
    """(year or None, month, day) of the first date written in ``text``."""
    best: tuple[int, tuple[int | None, int, int]] | None = None
    for pattern, is_en in ((_ISO_DATE, False), (_ZH_DATE, False), (_EN_DATE, True)):
        m = pattern.search(text)
        if m and (best is None or m.start() < best[0]):
            month = _month(m.group("month")) if is_en else int(m.group("month"))
            year = int(m.group("year")) if m.group("year") else None
            best = (m.start(), (year, month, int(m.group("day"))))
    return best[1] if best else None


def full_dates(text: str) -> list[date]:
    """Every complete date (with a year) written in ``text``."""
    out: list[date] = []
    for pattern, is_en in ((_ISO_DATE, False), (_ZH_DATE, False), (_EN_DATE, True)):
        for m in pattern.finditer(text):
            if not m.group("year"):
                continue
            month = _month(m.group("month")) if is_en else int(m.group("month"))
            iso = _iso(int(m.group("year")), month, int(m.group("day")))
            if iso:
                out.append(date.fromisoformat(iso))
    return out


def resolve_date(parts: tuple[int | None, int, int], other_text: str,
                 warnings: list[str]) -> str | None:
    """ISO date for (year, month, day); a missing year comes from the nearest other date."""
    year, month, day = parts
    if year is not None:
        return _iso(year, month, day)
    others = full_dates(other_text)
    if not others:
        warnings.append("the title gives no year and the page no other date: date unknown")
        return None
    # The year that puts the date closest to the page's other dates.
    best: tuple[int, str] | None = None
    for other in others:
        for y in (other.year - 1, other.year, other.year + 1):
            iso = _iso(y, month, day)
            if iso:
                gap = abs((date.fromisoformat(iso) - other).days)
                if best is None or gap < best[0]:
                    best = (gap, iso)
    if best is None:
        warnings.append("the title's date is not a valid date: date unknown")
        return None
    warnings.append(f"the title gives no year; {best[1][:4]} taken from other dates on the page")
    return best[1]


def date_line(paragraph: str) -> str | None:
    """ISO date of a paragraph that is only a date ("date 2025-01-14")."""
    m = _DATE_LINE.match(paragraph)
    return _iso(int(m.group("year")), int(m.group("month")), int(m.group("day"))) if m else None


def title_spokesperson(title: str) -> str | None:
    m = _EN_SPOKESPERSON.search(title) or _ZH_SPOKESPERSON.search(title)
    return m.group("name") if m else None


def looks_like_title(paragraph: str) -> bool:
    return len(paragraph) < 300 and bool(_TITLE_WORDS.search(paragraph)) and (
        title_spokesperson(paragraph) is not None or find_date(paragraph) is not None
    )
