"""What the store hands out and takes in, without any SQL: anyone may import these.

The label value itself (``LabelValue``) and its rules live with the codebook's
``Scheme``; here are what one write did (``Change``), what one coder said about one
item (``Annotation``), an import's result (``AddResult``), the names of the
annotation's fields, the one clock, the one check of a coder's name, and every row
the store hands out or takes in that carries more than a value or two.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple

from annotator.core.codebook import LabelValue
from annotator.core.validate import (
    validate_coder as validate_coder,  # the one check of a coder name, here since records first had it
)

# -- the annotation's fields ------------------------------------------------------------
#
# Beside its labels a coder says three things about an item: a note, a flag (unsure)
# and done. Each has ONE name -- note, flag, done -- which is the column of
# ``annotations``, the attribute of ``Annotation``, the key of the export records and
# the label file, and the kind of a window change (``unwritten.Op``). Only where these
# fields share one column with scheme names -- ``label_events.field`` (public schema),
# ``Change.field``, a merge's (uid, coder, field) keys -- are they written with an "@"
# that no scheme name can start with: that spelling is ``history_field(name)``, and
# ``annotation_field`` reads it back.
ANNOTATION_FIELDS = ("note", "flag", "done")
ANNOTATION_DEFAULTS: dict[str, Any] = {"note": "", "flag": False, "done": False}
_BY_HISTORY_FIELD = {f"@{name}": name for name in ANNOTATION_FIELDS}


def history_field(name: str) -> str:
    """``"note"`` -> ``"@note"``: an annotation field where it shares a column with scheme names."""
    if name not in ANNOTATION_DEFAULTS:
        raise ValueError(f"no annotation field {name!r}")
    return f"@{name}"


def annotation_field(history: str) -> str | None:
    """``"@note"`` -> ``"note"``; a scheme's name -> None."""
    return _BY_HISTORY_FIELD.get(history)


def dump_value(value: Any) -> str | None:
    """A value as a history row keeps it (``label_events.before``/``after``): JSON, None as NULL."""
    return None if value is None else json.dumps(value, ensure_ascii=False)


def load_value(text: str | None) -> Any:
    """The inverse of ``dump_value``."""
    return None if text is None else json.loads(text)


def now() -> str:
    """UTC timestamp with microseconds: sorts as text, and orders changes made in one second."""
    return timestamp(datetime.now(UTC))


def timestamp(moment: datetime) -> str:
    """An aware datetime as every timestamp in the project is written (``now``)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class Change:
    """What one write did: views refresh from this, and ignore their own echo by ``coder``.

    ``field`` is a scheme's name or an annotation field's history spelling (``@note``).
    """

    item_id: int
    coder: str
    field: str
    before: Any
    after: Any
    event_id: int
    action: str


@dataclass
class Annotation:
    """Everything one coder has said about one item: their label rows, note, flag, done mark."""

    labels: dict[str, LabelValue] = field(default_factory=dict)
    note: str = ""
    flag: bool = False
    done: bool = False
    seconds: float = 0.0
    updated_at: str | None = None


@dataclass
class AddResult:
    """What adding one source did: its id, how many items it added, whether it was there already."""

    source_id: int | None
    added: int
    duplicate: bool
    conference_id: str | None = None  # the conference the source joined (or is in, when a duplicate)
    copy_of: str | None = None  # a copy: the name of the source whose pairs it repeats (it added no items)


# -- rows the store hands out ----------------------------------------------------------------
#
# Named, so that no caller reads a position: where a tuple crosses a module, its fields
# are said here once. JSON columns stay JSON text (the reader decides when to parse).


class CoderLabel(NamedTuple):
    """One coder's label row, with the item's uid and kind: what agreement and review read
    (``Scheme.given(value, kind=kind)`` is the value the coder gave)."""

    item_id: int
    uid: str
    coder: str
    scheme: str
    value: LabelValue
    kind: str


class GoldValue(NamedTuple):
    """One gold label with its item's uid and kind (``Scheme.given(value, kind=kind)`` is its value)."""

    item_id: int
    uid: str
    kind: str
    value: LabelValue


class ModelText(NamedTuple):
    """What the suggestion model reads of one item: its text and who spoke, and its conference
    (``source_id``), which keeps the model's evaluation from leaking across folds."""

    item_id: int
    uid: str
    source_id: int
    kind: str
    question: str
    answer: str
    outlet: str | None
    spokesperson: str | None


class DoneMark(NamedTuple):
    """One item a coder marked done."""

    item_id: int
    uid: str
    coder: str


class ListRow(NamedTuple):
    """What the coding window's item list shows of one item (``status`` is this coder's own)."""

    date: str
    outlet: str
    spokesperson: str
    status: str
    question: str = ""  # the start of the question (or of the statement)
    labels: tuple[tuple[str, Any], ...] = ()  # this coder's own (scheme, value), codebook order left to the window


class ConferenceExtent(NamedTuple):
    """A conference as a split sees it: its date and the records the export writes of it."""

    id: str
    date: str | None
    records: int


class Conference(NamedTuple):
    """One ``conferences`` row with what it holds: ``spokespersons`` a list, ``sources`` and
    ``items`` counted (a copy is a source with no items of its own)."""

    id: str
    body: str
    date: str | None
    kind: str
    spokespersons: list[str]
    speaker: str
    subject: str
    sources: int
    items: int


class ConferenceSource(NamedTuple):
    """A source as its conference lists it: ``copy_of`` names the source whose pairs it repeats."""

    id: int
    name: str
    sha256: str
    title: str | None
    date: str | None
    language: str | None
    items: int
    copy_of: str | None
    conference_id: str


class ConferenceEvent(NamedTuple):
    """One correction of a source's conference (``conference_events``), keyed by the file's sha256."""

    uid: str
    source_sha256: str
    before: str | None
    after: str
    action: str  # link | unlink
    coder: str
    at: str


class HistoryEvent(NamedTuple):
    """One ``label_events`` row keyed by uids (item, event, the event it refers to), as merge
    and the label file carry it; ``before``/``after`` are JSON text (``dump_value``).
    ``operation``: shared by the events of one key press (undone together), else None.
    ``suggested``: the suggestions on screen when the coder made the change (JSON,
    ``model.as_record``), None when none were shown."""

    uid: str
    item_uid: str
    coder: str
    field: str
    before: str | None
    after: str | None
    action: str
    ref_uid: str | None
    at: str
    seconds: float
    operation: str | None = None
    suggested: str | None = None


class ExportRow(NamedTuple):
    """One item with everyone's work on it, in one read: ``labels``, ``annotations`` and ``gold``
    are JSON arrays of [coder, scheme, value's stored JSON text, updated_at], [coder, note, flag, done, seconds,
    updated_at] and [scheme, value, decided_by, decided_at, reason, method, taken_from,
    coder_values] (``export.rows.Row`` parses them)."""

    id: int
    uid: str
    kind: str
    date: str | None
    outlet: str | None
    spokesperson: str | None
    question: str
    answer: str
    seq: int
    source_id: int
    source_name: str
    source_sha256: str
    source_language: str | None  # 'en', 'zh' (``importers/prepared.py``), None where it could not be told
    follow_up_of: str | None  # the uid of the item this one follows up (same source), None if it is none
    meta: str | None  # the importer's JSON object of what else the item held (a JSONL record's other fields)
    labels: str
    annotations: str
    gold: str


# -- what a merge reads and writes -------------------------------------------------------------
#
# Keyed by uids (item uid, source sha256, event uid), never by one file's local ids.


class LabelState(NamedTuple):
    value: str  # JSON
    created_at: str
    updated_at: str


class AnnotationState(NamedTuple):
    note: str
    flag: bool
    done: bool
    seconds: float
    updated_at: str


class LatestEvent(NamedTuple):
    """The newest history event of one (item, coder, field): its value after (JSON) and time."""

    after: str | None
    at: str


class SourceRow(NamedTuple):
    name: str
    sha256: str
    kind: str
    title: str | None
    date: str | None
    imported_at: str
    conference_id: str | None = None
    language: str | None = None
    pairs_sha256: str | None = None
    copy_of: str | None = None


class ItemRow(NamedTuple):
    uid: str
    kind: str
    source_sha256: str
    seq: int
    date: str | None
    outlet: str | None
    spokesperson: str | None
    outlet_norm: str | None
    spokesperson_norm: str | None
    question: str
    answer: str
    follow_up_of: str | None
    meta: str | None


@dataclass
class Snapshot:
    """What a merge needs to know about one project.

    ``labels`` {(uid, coder, scheme): LabelState}; ``annotations`` {(uid, coder):
    AnnotationState}; ``latest`` {(uid, coder, field): LatestEvent} -- the newest event of each
    note/flag/done field, and of each label field whose newest event cleared it. Only a full
    snapshot (the project merged *in*) has ``sources``, ``items`` and ``events``, in order.
    """

    uids: set[str]
    coders: set[str]
    labels: dict[tuple[str, str, str], LabelState]
    annotations: dict[tuple[str, str], AnnotationState]
    latest: dict[tuple[str, str, str], LatestEvent]
    sources: list[SourceRow] = field(default_factory=list)
    items: list[ItemRow] = field(default_factory=list)
    events: list[HistoryEvent] = field(default_factory=list)
    corrections: list[tuple[Any, ...]] = field(default_factory=list)  # store.corrections.records()
    # Every source's sha256 and every conference event's uid (what a merge need not bring again);
    # a full snapshot also has the conference rows (as ``conferences`` columns) and their events.
    source_shas: set[str] = field(default_factory=set)
    conference_event_uids: set[str] = field(default_factory=set)
    conferences: list[tuple[Any, ...]] = field(default_factory=list)
    conference_events: list[ConferenceEvent] = field(default_factory=list)
    # A full snapshot's hand alignments (``store.alignments.hand_rows``) and their history (``event_rows``).
    alignments: list[tuple[Any, ...]] = field(default_factory=list)
    alignment_events: list[tuple[Any, ...]] = field(default_factory=list)


class LabelUpsert(NamedTuple):
    item_uid: str
    coder: str
    scheme: str
    value: str  # JSON
    created_at: str
    updated_at: str


class LabelDelete(NamedTuple):
    item_uid: str
    coder: str
    scheme: str


class AnnotationRow(NamedTuple):
    item_uid: str
    coder: str
    note: str
    flag: int
    done: int
    seconds: float
    updated_at: str


@dataclass
class MergePlan:
    """Everything one merged file writes, in one transaction (``store.sync.apply``). ``events``
    are in history order, so that a ``ref_uid`` always names an event written before it."""

    sources: list[SourceRow] = field(default_factory=list)
    items: list[ItemRow] = field(default_factory=list)
    label_upserts: list[LabelUpsert] = field(default_factory=list)
    label_deletes: list[LabelDelete] = field(default_factory=list)
    annotation_rows: list[AnnotationRow] = field(default_factory=list)
    events: list[HistoryEvent] = field(default_factory=list)
    conferences: list[tuple[Any, ...]] = field(default_factory=list)  # rows the sources and events name
    conference_events: list[ConferenceEvent] = field(default_factory=list)  # new to the project
    alignments: list[tuple[Any, ...]] = field(default_factory=list)  # hand rows, by item uids
    alignment_events: list[tuple[Any, ...]] = field(default_factory=list)  # and their history

    def changes_values(self) -> bool:
        """Whether writing it changes an item, a label, an annotation or a source's conference,
        rather than only adding history rows (which a second merge of the same file finds there already).
        Its hand alignments are not counted: whether they change one is the project's to say
        (``store.alignments.would_change``), since most of a file merged again are there already."""
        return bool(self.sources or self.items or self.label_upserts or self.label_deletes or self.annotation_rows
                    or self.conference_events)


class MergeCounts(NamedTuple):
    """What applying a plan added: sources, items and history events new to the project; the
    hand alignments taken and not taken; the conferences a source joined or left."""

    sources: int
    items: int
    events: int
    alignments_taken: int = 0
    alignments_kept: int = 0
    conferences_moved: frozenset[str] = frozenset()
