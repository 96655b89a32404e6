"""Dates and spokespersons read from titles and date lines: the one home of date rules.

A title without a year takes the year from the page's own evidence, in order of
trust (``resolve_date``): its date line, the dates in the names of its files (the
ministry's CMS names an uploaded image ``W0`` + the upload day), the other dates
written on it (the related-news list); failing those, the one year near the years
the page mentions in which every weekday it states ("September 24 (Monday)",
"9月24日（星期一）") holds. Each says so in a warning, and a stated weekday that
the year contradicts is a warning too; with no evidence the date stays unknown,
also with a warning. A year is never guessed silently.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from datetime import date

# The end of every warning that a page gave no date the importer could read; ``--date`` fills
# that date, and its warning goes with it (``importers._apply_overrides``).
DATE_UNKNOWN = ": date unknown"

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
# "5 March 2019", "on 24 September": the day first, the month capitalised (a lower-case
# "5 may" is a verb).
_EN_DAY_MONTH = re.compile(
    r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month>January|February|March|April|May|June|July|August"
    r"|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?"
    r"(?:,?\s*(?P<year>(?:19|20)\d{2})\b)?")
_ZH_DATE = re.compile(r"(?:(?P<year>(?:19|20)\d{2})\s*年\s*)?(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日")
_ISO_DATE = re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b")

# Where each date pattern reads its month: a name (English) or a number.
_PATTERNS = ((_ISO_DATE, False), (_ZH_DATE, False), (_EN_DATE, True), (_EN_DAY_MONTH, True))
# A file the ministry's CMS (TRS) stored: "W0" + the day it was uploaded + a serial
# ("./W020180920821490923063.jpg"); the day of the conference or the next.
_CMS_FILE = re.compile(r"(?<![0-9A-Za-z])W0(?P<year>20\d{2})(?P<month>\d{2})(?P<day>\d{2})\d{6,}\.\w+")
_WEEKDAYS_EN = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_EN = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_WEEKDAYS_ZH = "一二三四五六日天"  # 星期日 and 星期天 are both Sunday
# A weekday stated with a month and day: "September 24 (Monday)", "Monday, September 24",
# "9月24日（星期一）", "9月24日(周一)".
_STATED_WEEKDAY = (
    re.compile(_EN_DATE.pattern.replace(r"(?:,?\s*(?P<year>(?:19|20)\d{2})\b)?", "")
               + r"\s*[(,]\s*" + _WEEKDAY_EN + r"\)?", re.IGNORECASE),
    re.compile(_WEEKDAY_EN + r",?\s+" + _EN_DATE.pattern.replace(
        r"(?:,?\s*(?P<year>(?:19|20)\d{2})\b)?", ""), re.IGNORECASE),
    re.compile(r"(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日\s*[（(]?\s*(?:星期|周|礼拜)(?P<weekday>[一二三四五六日天])[）)]?"),
)
_YEAR_WRITTEN = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")

_EN_SPOKESPERSON = re.compile(
    r"Spokes(?:person|man|woman)\s+(?P<name>[A-Z][\w-]+(?:\s[A-Z][\w-]+){0,2})\s*['’]s?\b")
_ZH_SPOKESPERSON = re.compile(
    r"[发發]言人(?!表[态態]|答[记記]|[谈談][话話]|[声聲]明)(?P<name>[\u4e00-\u9fff]{2,3}?)(?=主持|答|就|[发發]表|宣布|在|[谈談]|表示|\d|\s|$)")
_TITLE_WORDS = re.compile(
    r"Press Conference|News Conference|Press Briefing|Daily Briefing|Remarks|Statement|Press Gaggle|Press Call"
    r"|Press Availability|Media Availability"
    # other ministries' briefings too: "商务部例行新闻发布会", "国务院新闻办公室吹风会"
    r"|[记記]者[会會]|[发發]布[会會]|吹[风風][会會]|答[记記]者[问問]|[发發]表[谈談][话話]|表[态態]|[声聲]明", re.IGNORECASE)
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


@functools.lru_cache(maxsize=32)  # see title_spokesperson
def find_date(text: str) -> tuple[int | None, int, int] | None:
    """(year or None, month, day) of the first date written in ``text``."""
    best: tuple[int, tuple[int | None, int, int]] | None = None
    for pattern, is_en in _PATTERNS:
        m = pattern.search(text)
        if m and (best is None or m.start() < best[0]):
            month = _month(m.group("month")) if is_en else int(m.group("month"))
            year = int(m.group("year")) if m.group("year") else None
            best = (m.start(), (year, month, int(m.group("day"))))
    return best[1] if best else None


def full_dates(text: str) -> list[date]:
    """Every complete date (with a year) written in ``text``."""
    out: list[date] = []
    for pattern, is_en in _PATTERNS:
        for m in pattern.finditer(text):
            if not m.group("year"):
                continue
            month = _month(m.group("month")) if is_en else int(m.group("month"))
            iso = _iso(int(m.group("year")), month, int(m.group("day")))
            if iso:
                out.append(date.fromisoformat(iso))
    return out


def file_dates(text: str) -> list[date]:
    """The upload days in the names of the files ``text`` names (the CMS's ``W0YYYYMMDD…``)."""
    out = []
    for m in _CMS_FILE.finditer(text):
        iso = _iso(int(m.group("year")), int(m.group("month")), int(m.group("day")))
        if iso:
            out.append(date.fromisoformat(iso))
    return out


def stated_weekdays(text: str) -> list[tuple[int, int, int, str]]:
    """(month, day, weekday 0=Monday, the words) of each weekday ``text`` states with a day."""
    out = []
    for pattern in _STATED_WEEKDAY:
        for m in pattern.finditer(text):
            name = m.group("weekday")
            weekday = (_WEEKDAYS_EN.index(name.casefold()) if name.isascii()
                       else min(_WEEKDAYS_ZH.index(name), 6))
            month = int(m.group("month")) if m.group("month").isdigit() else _month(m.group("month"))
            out.append((month, int(m.group("day")), weekday, m.group(0)))
    return out


# The evidence ``resolve_date`` weighs, in order of trust: what it is, and the dates it holds.
Evidence = Sequence[tuple[str, Sequence[date]]]


def resolve_date(parts: tuple[int | None, int, int], evidence: Evidence, warnings: list[str],
                 text: str = "") -> str | None:
    """ISO date for (year, month, day). A missing year comes from the first ``evidence`` that
    holds a date (the year putting the day nearest to one of them), else from the weekdays
    ``text`` states; either way a warning says where from. ``text`` is also checked: a
    stated weekday the year contradicts is a warning."""
    year, month, day = parts
    if year is not None:
        return _iso(year, month, day)
    if _iso(2000, month, day) is None:  # 2000 was a leap year: every real day exists in it
        warnings.append(f"the title's date is not a valid date{DATE_UNKNOWN}")
        return None
    stated = stated_weekdays(text)
    for where, others in evidence:
        if not others:
            continue
        best = min(((abs((date.fromisoformat(iso) - other).days), iso)
                    for other in others for y in (other.year - 1, other.year, other.year + 1)
                    if (iso := _iso(y, month, day))), default=None)
        if best is None:
            continue
        found = best[1]
        warnings.append(f"the title gives no year; {found[:4]} taken from {where}"
                        + _contradiction(int(found[:4]), stated))
        return found
    years = _weekday_years(stated, text)
    if len(years) == 1:
        found = _iso(years[0], month, day)
        if found:
            shown = "; ".join(sorted({words for *_, words in stated}))
            warnings.append(f"the title gives no year and the page no other date; {years[0]} is the one year "
                            f"near those the page mentions in which what it says holds ({shown})")
            return found
    warnings.append(f"the title gives no year and the page no other date{DATE_UNKNOWN}")
    return None


def _contradiction(year: int, stated: list[tuple[int, int, int, str]]) -> str:
    wrong = [words for month, day, weekday, words in stated
             if (iso := _iso(year, month, day)) and date.fromisoformat(iso).weekday() != weekday]
    return f", but the page says {wrong[0]!r}, which is not so in {year}: check the date" if wrong else ""


def _weekday_years(stated: list[tuple[int, int, int, str]], text: str) -> list[int]:
    """The years within one of a year ``text`` writes in which every stated weekday holds."""
    if not stated:
        return []
    written = {int(y) for y in _YEAR_WRITTEN.findall(text)}
    candidates = sorted({y + d for y in written for d in (-1, 0, 1)})
    return [y for y in candidates if all(
        (iso := _iso(y, month, day)) and date.fromisoformat(iso).weekday() == weekday
        for month, day, weekday, _ in stated)]


def date_line(paragraph: str) -> str | None:
    """ISO date of a paragraph that is only a date ("date 2025-01-14")."""
    m = _DATE_LINE.match(paragraph)
    return _iso(int(m.group("year")), int(m.group("month")), int(m.group("day"))) if m else None


# A page's title is read for its date and spokesperson by several rules in turn (the copied
# page's head, the format, the header, the conference): each pattern searches it once.
@functools.lru_cache(maxsize=32)
def title_spokesperson(title: str) -> str | None:
    m = _EN_SPOKESPERSON.search(title) or _ZH_SPOKESPERSON.search(title)
    return m.group("name") if m else None


def looks_like_title(paragraph: str) -> bool:
    return len(paragraph) < 300 and bool(_TITLE_WORDS.search(paragraph)) and (
        title_spokesperson(paragraph) is not None or find_date(paragraph) is not None
    )
