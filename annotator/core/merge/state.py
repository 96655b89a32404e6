"""The one shape every merge input is read into: each field's state and when it changed.

A key is (item uid, coder, field), the field a scheme's name or an annotation
field's history spelling (``@note``): keys mix the two, so the annotation fields
go by that spelling here.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple

from annotator.core.codebook import Codebook, shape_of, value_options
from annotator.core.records import (
    ANNOTATION_DEFAULTS,
    ANNOTATION_FIELDS,
    ConferenceEvent,
    HistoryEvent,
    ItemRow,
    Snapshot,
    SourceRow,
    history_field,
)

# The default of each annotation field by its history spelling, and the test of whether a key is one.
DEFAULTS: dict[str, Any] = {history_field(name): ANNOTATION_DEFAULTS[name] for name in ANNOTATION_FIELDS}
Key = tuple[str, str, str]  # (item uid, coder, field)


class State(NamedTuple):
    """One field's current value on one side of a merge and when it last changed."""

    value: Any  # None: no label (cleared, or never set)
    at: str  # ISO time; "" is older than any recorded change


@dataclass
class Incoming:
    """One input read into the common shape."""

    kind: str  # project | labels | native | prodigy | labelstudio
    states: dict[Key, State] = field(default_factory=dict)
    seconds: dict[tuple[str, str], float] = field(default_factory=dict)
    created: dict[Key, str] = field(default_factory=dict)
    events: list[HistoryEvent] = field(default_factory=list)
    sources: list[SourceRow] = field(default_factory=list)
    items: list[ItemRow] = field(default_factory=list)
    uids: set[str] = field(default_factory=set)  # every item uid OTHER mentions
    coders: set[str] = field(default_factory=set)
    unmatched: int = 0  # records whose item is not in the project (and cannot be brought)
    skipped: int = 0  # records that carry no label (rejected / ignored answers)
    predictions_only: int = 0  # Label Studio tasks with a model's predictions and no annotation
    has_history: bool = False
    origin: dict[Key, str] = field(default_factory=dict)  # which record a state came from, for errors
    corrections: list[tuple[Any, ...]] = field(default_factory=list)  # a project's, in order
    conferences: list[tuple[Any, ...]] = field(default_factory=list)  # a project's conference rows
    conference_events: list[ConferenceEvent] = field(default_factory=list)  # and their history
    alignments: list[tuple[Any, ...]] = field(default_factory=list)  # hand rows: (English uid, Chinese uid, coder, at)
    alignment_events: list[tuple[Any, ...]] = field(default_factory=list)  # (item uid, before, after, coder, at)

    def redirect(self, successors: dict[str, str]) -> None:
        """Name items the project retired (a merge of two items) by the item holding their
        text now: a copy or label file made before the correction lands on the right item.
        Where OTHER has a value for both, the successor's own is kept (the merge's rule)."""
        if not successors or not (self.uids & successors.keys()):
            return

        def to(uid: str) -> str:
            return successors.get(uid, uid)

        for table in (self.states, self.created, self.origin):
            moved = {k: v for k, v in table.items() if k[0] in successors}
            for key, value in moved.items():
                del table[key]
                table.setdefault((to(key[0]), key[1], key[2]), value)
        for (uid, coder) in [k for k in self.seconds if k[0] in successors]:
            sec = self.seconds.pop((uid, coder))
            self.seconds[(to(uid), coder)] = self.seconds.get((to(uid), coder), 0.0) + sec
        self.events = [e._replace(item_uid=to(e.item_uid)) if e.item_uid in successors else e for e in self.events]
        self.items = [it for it in self.items if it.uid not in successors]
        self.alignments = [(to(e) if e else e, to(z) if z else z, *rest) for e, z, *rest in self.alignments]
        self.uids = {to(u) for u in self.uids}


def states_from_snapshot(snap: Snapshot) -> tuple[dict[Key, State], dict[Key, str]]:
    """Current state of every field with the time it last changed, from a project's tables."""
    states: dict[Key, State] = {}
    created: dict[Key, str] = {}
    latest = snap.latest
    for key, label in snap.labels.items():
        states[key] = State(json.loads(label.value), label.updated_at)
        created[key] = label.created_at
    for key, event in latest.items():
        # A label whose newest event cleared it: "no label since <at>" is a state too; and so is a
        # note, flag or done mark set back to nothing with no row kept (a merge writes none for a
        # default): without it an older file's value would win against "never changed".
        if key not in states and (event.after is None if key[2] not in DEFAULTS
                                  else (key[0], key[1]) not in snap.annotations):
            states[key] = State(DEFAULTS.get(key[2]), event.at)
    for (uid, coder), ann in snap.annotations.items():
        for name in ANNOTATION_FIELDS:
            fld = history_field(name)
            value = getattr(ann, name)
            ev = latest.get((uid, coder, fld))
            # Never changed explicitly (the row exists for seconds or labels): older than any change.
            states[(uid, coder, fld)] = State(value, ev.at if ev else ("" if value == DEFAULTS[fld] else ann.updated_at))
    return states, created



def codebook_mismatches(codebook: Codebook, states: dict[Key, State]) -> dict[str, int]:
    bad: Counter[str] = Counter()
    for (_uid, _coder, fld), state in states.items():
        if fld in DEFAULTS or state.value is None:
            continue
        for key in unknown_values(codebook, fld, state.value):
            bad[key] += 1
    return dict(sorted(bad.items()))


def unknown_values(codebook: Codebook, scheme: str, value: Any) -> list[str]:
    """"scheme=value" for each part of ``value`` the codebook has no option for; a scheme
    the codebook lacks counts whole. A value of the other kind (a file made before the scheme
    changed between single- and multi-choice) says so: its option may well be in the codebook."""
    sch = codebook.scheme(scheme)
    parts = sorted(value_options(value)) if sch is None else sch.unknown(value)
    if sch is not None and parts and sch.misshapen(value):
        return [f"{scheme}={v} ({shape_of(value)}: '{scheme}' is {sch.kind}-choice)" for v in parts]
    return [f"{scheme}={v}" for v in parts]



def ts(text: str | None) -> datetime:
    """A comparable time for ISO texts with or without fractions or offsets ('' = the oldest)."""
    if not text:
        return datetime.min.replace(tzinfo=UTC)
    try:
        t = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)
    return t if t.tzinfo else t.replace(tzinfo=UTC)
