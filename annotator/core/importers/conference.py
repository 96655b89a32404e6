"""Which briefing a page records, from what the page says: its title, date and speakers.

The facts (``conferences.ConferenceFacts``) name the conference the source joins:

- the body: the Foreign Ministry where the title says so (``Foreign Ministry``, ``外交部``),
  one of its known spokespersons answers, or a statement nobody answered in opens in one's
  voice ("外交部发言人耿爽宣布：…": then the spokesperson is its speaker and its title its
  subject); the White House where the file's address or
  title says so (a press secretary, Air Force One); else unknown;
- the kind, from the title's words: ``Regular Press Conference``, ``Daily Briefing Online``,
  ``例行记者会`` (and ``网上例行记者会``); ``Remarks``, ``答记者问``, ``表明立场``; ``Statement``,
  ``发表谈话``; a press briefing, gaggle or call; a news report (the importer read the page
  as one); else a briefing if anyone was asked a question, a statement if not;
- the date, the page's own (``importers/dates.py`` dated it);
- the speaker the title names, romanised as the English page writes it (``耿爽`` is
  ``Geng Shuang``: ``speakers.ROMANISED``), and everyone who answered;
- the subject: what the title says the briefing was about (``…就美方涉港言论答记者问``,
  ``Remarks on US House Speaker …``); none for a regular press conference or for remarks
  whose title gives only the day (the English "Remarks on August 6, 2019" is the Chinese
  "2019年8月6日…答记者问"). Where a title of remarks or a statement names neither a subject
  nor a day ("外交部发言人陆慷答记者问", of which a day may have several), its opening
  words tell it apart.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from annotator.core.conferences import (
    BRIEFING,
    FOREIGN_MINISTRY,
    NEWS_REPORT,
    PRESS_CONFERENCE,
    REMARKS,
    STATEMENT,
    UNKNOWN_BODY,
    WHITE_HOUSE,
    ConferenceFacts,
    normalise_text,
)
from annotator.core.importers import dates, speakers
from annotator.core.items import Item, Source

_PRESS_CONFERENCE = re.compile(r"Regular Press Conference|Daily Briefing Online|例行记者会|例行記者會", re.IGNORECASE)
_REMARKS = re.compile(r"\bRemarks\b|答[记記]者[问問]|表明立场|表[态態]")
_STATEMENT = re.compile(r"\bStatement\b|[发發]表[谈談][话話]|[声聲]明")
_BRIEFING = re.compile(r"Briefing|Gaggle|Press Call|Background Call|Press Conference", re.IGNORECASE)
_FOREIGN_MINISTRY = re.compile(r"Foreign Ministry|Ministry of Foreign Affairs|外交部|\bMFA\b", re.IGNORECASE)
_WHITE_HOUSE = re.compile(r"White House|Press Secretary|Air Force One", re.IGNORECASE)
# A statement voiced by the ministry's spokesperson: "外交部发言人耿爽宣布：", "Foreign Ministry
# Spokesperson Hua Chunying announced".
_SPOKESPERSON_SAYS = re.compile(r"外交部[发發]言人|Foreign Ministry Spokes(?:person|man|woman)", re.IGNORECASE)
# The ministry's site appends its name to every Chinese title.
_SITE_SUFFIX = re.compile(r"\s*[—–-]+\s*中华人民共和国外交部\s*$")
_ZH_SUBJECT = re.compile(r"就(?P<subject>.+?)(?:答[记記]者[问問]|[发發]表[谈談][话話]|表明立场|表[态態])")
_EN_SUBJECT = re.compile(r"\b(?:Remarks|Statement)\s+on\s+(?P<subject>.+)$", re.IGNORECASE)
# A subject that is only a day ("on August 6, 2019") names no subject.
_DAY_ONLY = 24
_OPENING_CHARS = 80
_NOT_PERSONS = frozenset(("moderator", "aide", "operator"))


def read_conference(source: Source) -> ConferenceFacts:
    """The facts of the briefing ``source`` records (see the module's docstring)."""
    title = _SITE_SUFFIX.sub("", source.title or "").strip()
    answered = _spokespersons(source.items)
    kind = _kind(title, source)
    body = _body(title, source.url, answered)
    speaker = romanised(dates.title_spokesperson(title) or "") if title else ""
    # A statement nobody answered in, on a page whose title names no body: its opening words
    # may say whose it is ("外交部发言人耿爽宣布：" -- the ministry's medical-team releases of 2020).
    announced = _announced_by(source.items) if body == UNKNOWN_BODY and kind == STATEMENT and not answered else ""
    if announced:
        body = FOREIGN_MINISTRY
    return ConferenceFacts(
        body=body, date=source.date or _earliest(it.date for it in source.items), kind=kind,
        spokespersons=tuple(answered) or (announced,) * bool(announced), speaker=speaker or announced,
        subject=_subject(title, kind, body, source.items, announced=bool(announced)),
    )


def announcer(items: list[Item]) -> str | None:
    """The ministry's spokesperson a statement's opening words name as its voice, as the page
    writes the name ("外交部发言人耿爽宣布：…" is 耿爽's), or None."""
    opening = _opening(items)
    if not _SPOKESPERSON_SAYS.search(opening):
        return None
    name = dates.title_spokesperson(opening)
    return name if name and name.casefold() in speakers.KNOWN_SPOKESPERSONS else None


def _announced_by(items: list[Item]) -> str:
    """``announcer``, romanised, or ''."""
    return romanised(announcer(items) or "")


def romanised(name: str) -> str:
    """A spokesperson's name as the English pages write it (``耿爽`` -> ``Geng Shuang``)."""
    return speakers.ROMANISED.get(name, name)


def _kind(title: str, source: Source) -> str:
    if source.kind == "report":
        return NEWS_REPORT
    for pattern, kind in ((_PRESS_CONFERENCE, PRESS_CONFERENCE), (_REMARKS, REMARKS), (_STATEMENT, STATEMENT),
                          (_BRIEFING, BRIEFING)):
        if title and pattern.search(title):
            return kind
    return BRIEFING if any(it.kind == "qa" for it in source.items) else STATEMENT


def _body(title: str, url: str | None, answered: list[str]) -> str:
    if url and "whitehouse" in url.casefold():
        return WHITE_HOUSE
    if url and "fmprc.gov.cn" in url.casefold():
        return FOREIGN_MINISTRY
    if title and _FOREIGN_MINISTRY.search(title):
        return FOREIGN_MINISTRY
    if title and _WHITE_HOUSE.search(title):
        return WHITE_HOUSE
    if any(name.casefold() in speakers.KNOWN_SPOKESPERSONS for name in answered):
        return FOREIGN_MINISTRY
    return UNKNOWN_BODY


def _subject(title: str, kind: str, body: str, items: list[Item], *, announced: bool = False) -> str:
    if kind == PRESS_CONFERENCE:
        return ""
    if announced and title:
        return title  # a release's title is what it announces ("中国政府向意大利派遣抗疫医疗专家组")
    if body == FOREIGN_MINISTRY and kind in (REMARKS, STATEMENT):
        m = _ZH_SUBJECT.search(title) or _EN_SUBJECT.search(title)
        if m:
            subject = m.group("subject").strip()
            if not (len(subject) <= _DAY_ONLY and dates.find_date(subject)):
                return subject
            return ""
        if title and dates.find_date(title):
            return ""  # "2019年8月6日外交部发言人华春莹答记者问": the day's remarks
        return _opening(items)  # several such pages a day: their words tell them apart
    return title or _opening(items)


def _opening(items: list[Item]) -> str:
    for it in items:
        text = normalise_text(it.question or it.answer)
        if text:
            return text[:_OPENING_CHARS]
    return ""


def _spokespersons(items: list[Item]) -> list[str]:
    """Everyone who answered, romanised, the most frequent first."""
    counts: Counter[str] = Counter()
    for it in items:
        if it.spokesperson and it.spokesperson.casefold() not in _NOT_PERSONS:
            counts[romanised(it.spokesperson)] += 1
    return [name for name, _n in counts.most_common(8)]


def _earliest(found: Iterable[str | None]) -> str | None:
    return min((d for d in found if d), default=None)
