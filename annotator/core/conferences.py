"""Conferences: one briefing, whatever files and languages it came in. No SQL, no Qt.

A conference is named by the facts of the briefing -- the body that held it, its date,
its kind, and (for every kind but the regular press conference, of which a body holds one
a day) the spokesperson the title names and the subject it gives -- so two coders who
import the same pages on two machines, in any order, get the same ids, and the English and
Chinese pages of one Foreign Ministry press conference get one id. How a page's facts are
read is the importer's (``importers/conference.py``); the rules here are what the store,
merge and the CLI share:

- ``conference_id(facts)``: the stable id, readable first (``2018-05-11-foreign-ministry-
  press-conference``), with a short hash of the spokesperson and subject where the kind
  needs them (``2019-08-06-foreign-ministry-remarks-3f2a9c1d``).
- ``clash(held, claimed)``: why a page that claims an id is a different briefing from the
  conference holding it (a regular press conference of another spokesperson that day).
- ``pair_key`` / ``pairs_fingerprint``: the one normalisation of a pair's text, by which a
  copy of a source (another format, other bytes around the same pairs) is caught.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from annotator.core.spacing import UNSPACED, collapse
from annotator.core.wording import plural

if TYPE_CHECKING:
    from annotator.core.records import Conference, ConferenceSource

# The kinds of briefing, as stored in ``conferences.kind``.
PRESS_CONFERENCE = "regular press conference"
STATEMENT = "statement"
REMARKS = "remarks"
BRIEFING = "briefing"
NEWS_REPORT = "news report"
CONFERENCE_KINDS = (PRESS_CONFERENCE, STATEMENT, REMARKS, BRIEFING, NEWS_REPORT)
_KIND_SLUGS = {PRESS_CONFERENCE: "press-conference", STATEMENT: "statement", REMARKS: "remarks",
               BRIEFING: "briefing", NEWS_REPORT: "news-report"}

FOREIGN_MINISTRY = "Foreign Ministry"
WHITE_HOUSE = "White House"
UNKNOWN_BODY = ""  # the page does not say who held it


@dataclass(frozen=True)
class ConferenceFacts:
    """What a page says of the briefing it records.

    ``spokespersons``: everyone who answered, romanised where the name is a known one
    (``耿爽`` is ``Geng Shuang``); ``speaker``: the one the title names ('' when it names
    none); ``subject``: what the title says the briefing was about ('' when it says only
    the kind and the day, as a regular press conference's does).
    """

    body: str
    date: str | None
    kind: str
    spokespersons: tuple[str, ...] = ()
    speaker: str = ""
    subject: str = ""

    def __post_init__(self) -> None:
        if self.kind not in CONFERENCE_KINDS:
            raise ValueError(f"unknown conference kind {self.kind!r}")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


def subject_key(subject: str) -> str:
    """A subject as the id hashes it: the same words in any spacing, case or punctuation."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", subject).casefold() if ch.isalnum())


def conference_id(facts: ConferenceFacts) -> str:
    """The stable id of the briefing ``facts`` describe (see the module's docstring)."""
    base = "-".join(p for p in (facts.date or "undated", _slug(facts.body) or "unknown", _KIND_SLUGS[facts.kind]) if p)
    if facts.kind == PRESS_CONFERENCE and facts.body != UNKNOWN_BODY:
        return base  # one a day per body: the spokesperson is checked (``clash``), not hashed
    named = json.dumps([facts.speaker.casefold(), subject_key(facts.subject)], ensure_ascii=False)
    return f"{base}-{hashlib.sha256(named.encode('utf-8')).hexdigest()[:8]}"


def own_conference_id(held: str, sha256: str) -> str:
    """The id of the conference a source unlinked from ``held`` gets: its own, named by the
    file's content, so that two machines that unlink the same file agree."""
    return f"{held}-own-{sha256[:10]}"


def clash(held: ConferenceFacts, claimed: ConferenceFacts) -> str | None:
    """Why a page claiming ``held``'s id is another briefing, or None when it can be the same.

    Facts in the id are equal by construction; what is left to contradict is the
    spokesperson of a regular press conference (one a day, held by one spokesperson).
    """
    if held.kind == PRESS_CONFERENCE and held.speaker and claimed.speaker \
            and held.speaker.casefold() != claimed.speaker.casefold():
        return f"its spokesperson is {claimed.speaker}, the conference's is {held.speaker}"
    return None


def describe(facts: ConferenceFacts) -> str:
    """One line naming the briefing: "Foreign Ministry regular press conference, 2018-05-11, Lu Kang"
    ("remarks (body unknown), ..." where the page did not say who held it)."""
    parts = [f"{facts.body} {facts.kind}" if facts.body else f"{facts.kind} (body unknown)", facts.date or "undated"]
    if facts.spokespersons:
        parts.append(", ".join(facts.spokespersons[:3]) + (" ..." if len(facts.spokespersons) > 3 else ""))
    if facts.subject:
        parts.append(repr(facts.subject[:60]))
    return ", ".join(parts)


def facts_of(conference: Conference) -> ConferenceFacts:
    """The facts a stored conference row records."""
    c = conference
    return ConferenceFacts(c.body, c.date, c.kind, tuple(c.spokespersons), c.speaker, c.subject)


Listing = Sequence[tuple["Conference", Sequence["ConferenceSource"]]]


def listing_lines(listing: Listing) -> list[str]:
    """``annotator conferences`` as a person reads it: a line per conference (its id, the briefing,
    its counts), then one per source (id, file, language, items, the source it copies)."""
    lines = []
    for c, sources in listing:
        lines.append(f"{c.id}: {describe(facts_of(c))}; {plural(c.sources, 'source')}, {plural(c.items, 'item')}")
        for s in sources:
            copy = f", copy of {s.copy_of[:12]}" if s.copy_of else ""
            lines.append(f"    {s.id} {s.name} [{s.language or '?'}] {plural(s.items, 'item')}{copy}")
    return lines or ["no conferences"]


def listing_records(listing: Listing) -> list[dict[str, Any]]:
    """``annotator conferences --json``: each conference's columns with its sources'."""
    return [{**c._asdict(), "sources": [s._asdict() for s in sources]} for c, sources in listing]


# -- the text of pairs, for catching copies ------------------------------------------------

_CJK_SPACE = re.compile(rf"(?<={UNSPACED}) (?={UNSPACED})")


def normalise_text(text: str) -> str:
    """The one normal form of a question's or answer's text: Unicode NFKC (full-width forms and
    compatibility characters folded), every run of white space one space, no space at the ends
    or between two CJK characters (a page re-flowed or re-encoded says the same)."""
    # A pair's paragraphs are joined by a blank line: one space, as the split would make it,
    # leaves most texts already collapsed.
    text = text.replace("\n\n", " ")
    if text.isascii():  # NFKC leaves ASCII as it is; most English text is
        return collapse(text)
    text = collapse(unicodedata.normalize("NFKC", text))
    return _CJK_SPACE.sub("", text) if " " in text else text


def pair_key(question: str, answer: str) -> str:
    return normalise_text(question) + "\x1f" + normalise_text(answer)


def pairs_fingerprint(pairs: Iterable[tuple[str, str]]) -> str:
    """SHA-256 of a source's pairs in order, each normalised (``pair_key``): two files with
    the same pairs have the same fingerprint whatever their format or the bytes around them."""
    digest = hashlib.sha256()
    for question, answer in pairs:  # the bytes of pair_key, each part fed as it is (no joined copy)
        digest.update(normalise_text(question).encode("utf-8"))
        digest.update(b"\x1f")
        digest.update(normalise_text(answer).encode("utf-8"))
        digest.update(b"\x1e")
    return digest.hexdigest()


_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")


def language_of(texts: Sequence[str]) -> str | None:
    """'zh' or 'en' by the script most of the letters are in; None for no letters at all."""
    sample = "".join(texts)[:4000]  # the opening says which language a page is in
    if sample.isascii():  # no CJK at all: any letter makes it English (counting them was a tenth of a parse)
        return "en" if _LATIN.search(sample) else None
    cjk, latin = len(_CJK.findall(sample)), len(_LATIN.findall(sample))
    if not cjk and not latin:
        return None
    # A Chinese character carries about as much as an English word of four letters.
    return "zh" if cjk * 4 >= latin else "en"
