"""Which items the coding window walks through: one coder's view of the project.

A ``Filter`` is plain data (no SQL, no Qt): the store turns it into a query,
the window keeps it in its settings. Status and option always mean *this
coder's* labels, never another coder's (blind coding).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields, replace
from datetime import date
from typing import Any

from annotator.core.spacing import UNSPACED

# "look again": items a correction (split, merge) changed after this coder labelled them,
# not marked done since (``store.corrections.look_again_sql``).
STATUSES = ("unlabelled", "labelled", "flagged", "look again")
_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

# The orders the item list can be sorted in (Ctrl+Shift+O steps through them, a column's header
# picks one); each sorts on its column, then on import order. "status" puts what is still to do
# first, in ``STATUS_ORDER`` (an unsure mark ranks with its status: "done, unsure" is "done").
ORDERS = ("import", "date", "outlet", "spokesperson", "status")
STATUS_ORDER = ("", "unsure", "look again", "incomplete", "labelled", "done")


def is_date(text: str) -> bool:
    """Whether ``text`` is a filter's date: a year, a month or a day the calendar has, ISO-spelt
    (2021, 2021-12, 2021-12-09). The shape alone let "2020-13-45" through, compared as text."""
    if not _ISO_DATE.match(text):
        return False
    year, *rest = (int(part) for part in text.split("-"))
    month, day = (rest + [1, 1])[:2]
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def status_rank(status: str) -> int:
    """Where a list row's status sorts in ``STATUS_ORDER``."""
    base = status.split(", ")[0]
    return STATUS_ORDER.index(base) if base in STATUS_ORDER else 0


@dataclass(frozen=True)
class Filter:
    """Every field None means "no condition"; the fields combine with AND.

    ``option`` is ``"scheme:value"``: an option the coder has chosen, of any scheme;
    ``outlet`` and ``spokesperson`` are normalised names (``items.outlet_norm``);
    ``date_from``/``date_to`` are ISO dates, inclusive; ``search`` is free text
    matched word by word against question and answer; ``assigned`` keeps to the
    items the lead assigned to this coder (``annotator assign``).
    """

    status: str | None = None
    outlet: str | None = None
    spokesperson: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    option: str | None = None
    search: str | None = None
    assigned: bool = False

    def __post_init__(self) -> None:
        if self.status is not None and self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r} (use one of {', '.join(STATUSES)})")
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if value is not None and not is_date(value):
                raise ValueError(f"{name} {value!r} is not a date like 2021-12-09")
        if self.option is not None and ":" not in self.option:
            raise ValueError(f"option {self.option!r} must be 'scheme:value'")

    @property
    def is_empty(self) -> bool:
        return all(getattr(self, f.name) in (None, "", False) for f in fields(self))

    def without_status(self) -> Filter:
        return replace(self, status=None)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, "", False)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Filter:
        """Rebuild a saved filter; unknown keys (from another version) are ignored."""
        if "option" not in data and "topic" in data:  # saved before the field was named for what it holds
            data = {**data, "option": data["topic"]}
        known = {f.name for f in fields(cls)} - {"assigned"}
        out = {k: (str(v) if v is not None else None) for k, v in data.items() if k in known and v != ""}
        return cls(**out, assigned=data.get("assigned") in (True, "true", "True", 1))

    def describe(self) -> str:
        """A short phrase for the status bar, e.g. 'unlabelled · outlet Reuters · "sanctions"'."""
        parts = []
        if self.assigned:
            parts.append("assigned to me")
        if self.status:
            parts.append(self.status)
        if self.outlet:
            parts.append(f"outlet {self.outlet}")
        if self.spokesperson:
            parts.append(f"spokesperson {self.spokesperson}")
        if self.date_from or self.date_to:
            parts.append(f"{self.date_from or '…'} to {self.date_to or '…'}")
        if self.option:
            scheme, value = self.option.split(":", 1)  # any scheme's option, not only a topic
            parts.append(f"{scheme.replace('_', ' ')}: {value}")
        if self.search:
            parts.append(f"“{self.search}”")
        return " · ".join(parts) or "all items"


def fts_query(text: str) -> str | None:
    """Turn what a coder typed into a safe FTS5 query: every word must occur.

    Each word is quoted, so punctuation, ``AND``/``NEAR`` or a stray quote in the
    search box is searched for rather than parsed as query syntax.
    """
    words = [w for w in re.split(r"\s+", text.strip()) if w]
    if not words:
        return None
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


_UNSPACED = re.compile(UNSPACED)


def search_terms(text: str) -> tuple[str | None, list[str]]:
    """What a coder typed, as (the FTS5 query of its words, ``fts_query``; the words in a script
    written without spaces, ``spacing.UNSPACED``).

    The full-text index splits words at spaces and punctuation, and Chinese puts no space
    between words: a whole clause is one token there, and a word inside it ("中方" in
    "中方能否证实") is no token of the index. Such words are searched for as text in the item.
    """
    words = [w for w in re.split(r"\s+", text.strip()) if w]
    unspaced = [w for w in words if _UNSPACED.search(w)]
    return fts_query(" ".join(w for w in words if w not in unspaced)), unspaced
