"""What an importer produces: items (question-answer pairs and their kin) and sources.

An item's uid is a hash of what the item *is* -- the content hash of its source
file, its position there and its text -- so two coders who import the same file
on two machines, in any order, get the same uids and merge without a server.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from annotator.core.conferences import ConferenceFacts

KINDS = ("qa", "statement", "reported")


@dataclass
class Item:
    """One unit a coder labels.

    ``seq`` is the item's position in its source (0-based); ``follow_up_of`` is the
    ``seq`` of the item it follows up in the same source, or None. ``meta`` holds what else
    the importer kept: a JSONL record's other fields, a transcript's ``speakers``, ``role``
    and ``AFTER_THE_CONFERENCE``.
    """

    kind: str
    seq: int
    question: str = ""
    answer: str = ""
    outlet: str | None = None
    spokesperson: str | None = None
    date: str | None = None  # ISO yyyy-mm-dd
    follow_up_of: int | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown item kind {self.kind!r}")


# The ``meta`` key of a question asked after the press conference, answered in writing.
AFTER_THE_CONFERENCE = "after_the_conference"


def asked_after_the_conference(meta: str | dict[str, Any] | None) -> bool:
    """Whether an item's ``meta`` (as stored, JSON text, or as parsed) says it was asked after
    the press conference."""
    if isinstance(meta, str):
        if AFTER_THE_CONFERENCE not in meta:  # most items: no JSON to decode for the answer
            return False
        meta = json.loads(meta)
    return isinstance(meta, dict) and meta.get(AFTER_THE_CONFERENCE) is True


@dataclass
class Source:
    """One imported file: ``name`` is its file name, ``sha256`` its content hash."""

    name: str
    sha256: str
    kind: str  # transcript | report | jsonl | csv | html
    title: str | None = None
    date: str | None = None
    items: list[Item] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # How the importer read it, for ``import --report``: the turns each speaker-label rule
    # opened ("en-q": 12, "outlet": 9, ...), how many paragraphs of the transcript it read,
    # and those it read but put in no item (separators, a White House clock line).
    layout: dict[str, int] = field(default_factory=dict)
    paragraphs: int = 0
    left_out: list[str] = field(default_factory=list)
    # Where the file says it came from (a front matter's ``source_url``), which names the body
    # that held the briefing; and that briefing's facts, when the caller knows them better
    # than the page (``prepare`` reads them from the page otherwise).
    url: str | None = None
    conference: ConferenceFacts | None = None


def item_uid(source_sha256: str, item: Item) -> str:
    """Stable identity: same source content, position and text give the same uid anywhere."""
    # Each part followed by a unit separator: the same bytes as hashing the parts one by one.
    parts = (source_sha256, str(item.seq), item.kind, item.question, item.answer, "")
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]


# An item as the store writes it, in the order of ITEM_ROW_COLUMNS; the store adds the source's row id.
ItemRow = tuple[str, str, int, str | None, str | None, str | None, str | None, str | None, str, str,
                str | None, str | None]
ITEM_ROW_COLUMNS = ("uid", "kind", "seq", "date", "outlet", "spokesperson", "outlet_norm", "spokesperson_norm",
                    "question", "answer", "follow_up_of", "meta")


@dataclass
class PreparedSource:
    """A source with its items turned into the rows the store writes (``importers/prepared.py``).

    Made where the file was parsed (a worker process, during a large import), so the
    process that writes does only SQL, and what crosses between processes is plain
    tuples, which pickle far faster than dataclasses.
    """

    source: Source  # name, hash, kind, title, date and warnings; ``items`` left empty
    rows: list[ItemRow]
    conference: ConferenceFacts
    language: str | None  # 'en', 'zh'
    fingerprint: str  # of its pairs' normalised text (``conferences.pairs_fingerprint``): copies share it

    @property
    def kinds(self) -> list[str]:
        return [row[1] for row in self.rows]


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
