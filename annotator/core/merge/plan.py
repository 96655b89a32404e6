"""Planning a merge: what merging one input writes, by the rule "later change wins"."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import TYPE_CHECKING, Any

from annotator.core.codebook import Codebook
from annotator.core.merge.state import DEFAULTS, Incoming, State, states_from_snapshot, ts, unknown_values
from annotator.core.records import (
    ANNOTATION_FIELDS,
    AnnotationRow,
    AnnotationState,
    HistoryEvent,
    LabelDelete,
    LabelUpsert,
    MergePlan,
    Snapshot,
    dump_value,
    history_field,
    now,
)

if TYPE_CHECKING:
    from annotator.core.merge import MergeSummary


def plan_merge(
    codebook: Codebook, target: Snapshot, inc: Incoming, summary: MergeSummary, *, forced: bool = True
) -> MergePlan:
    """What merging ``inc`` into the project writes: the rule of "later change wins".

    For every (item uid, coder, field) that OTHER has a state for -- a label (a scheme's
    name) or an annotation field (``@note``, ``@flag``, ``@done``) -- compare it with the
    project's state of the same key:

    ======================  =========================  ==========================  ===========================
    the project has         OTHER has                  counted as                  written
    ======================  =========================  ==========================  ===========================
    nothing                 no label / field default   --                          nothing
    nothing                 a value                    label added                 OTHER's value
    the same value          the same value             label unchanged             nothing
    (multi-choice: as sets)
    a different value       a later change             conflict resolved;          OTHER's value (a label
                                                       label added if ours was     cleared: its row deleted)
                                                       no label, else updated
    a different value       an earlier or equal time   conflict resolved           nothing: the project keeps
                                                                                   its own (ties included)
    ======================  =========================  ==========================  ===========================

    A label value is first put in the project's canonical form (codebook order), kept as
    it is where it does not fit (only reached with ``--force``); a forced value gets a
    ``merge-forced`` event (``forced=False`` says no value of ``inc`` lacks an option, as the
    check before found, and saves looking again). An annotation field at its default on our side (no note, no
    flag, not done) differing from OTHER is not counted as a conflict. OTHER's history
    events come along as they are; an input without history (native, Prodigy, Label Studio) gets one
    synthetic ``merge`` event per value taken. Seconds are the larger total of the two (a
    coder new to an item brings theirs).
    Items OTHER has that the project lacks come in with their sources.
    """
    ours, _created = states_from_snapshot(target)
    plan = MergePlan(events=list(inc.events))
    touched_annotations: dict[tuple[str, str], dict[str, State]] = {}
    kept_outside: Counter[str] = Counter()
    merge_time = now()
    for key, theirs in inc.states.items():
        uid, coder, fld = key
        value = theirs.value
        is_label = fld not in DEFAULTS
        sch = codebook.scheme(fld) if is_label else None
        if sch is not None:
            value = sch.canonical(value, allow_unknown=True)  # kept as it is where it does not fit
        mine = ours.get(key)
        before = mine.value if mine else (None if is_label else DEFAULTS[fld])
        if mine is None:
            if value is None or (not is_label and value == DEFAULTS[fld]):
                continue
            take = True
        elif sch.same(before, value) if sch is not None else before == value:
            if is_label and value is not None:
                summary.labels_unchanged += 1
            continue
        else:
            if is_label or before != DEFAULTS[fld]:
                summary.conflicts_resolved += 1
            take = ts(theirs.at) > ts(mine.at)
        if not take:
            continue
        if is_label:
            if mine is None or before is None:
                summary.labels_added += 1
            else:
                summary.labels_updated += 1
            if value is None:
                plan.label_deletes.append(LabelDelete(uid, coder, fld))
            else:
                stamp = theirs.at or merge_time
                plan.label_upserts.append(
                    LabelUpsert(uid, coder, fld, json.dumps(value, ensure_ascii=False), inc.created.get(key, stamp), stamp)
                )
                unknown = unknown_values(codebook, fld, value) if forced else []
                if unknown:
                    kept_outside.update(unknown)
                    plan.events.append(_synthetic(uid, coder, fld, before, value, stamp, "merge-forced"))
        else:
            touched_annotations.setdefault((uid, coder), {})[fld] = State(value, theirs.at)
        if not inc.has_history:
            plan.events.append(_synthetic(uid, coder, fld, before, value, theirs.at or merge_time, "merge"))
    summary.forced = dict(sorted(kept_outside.items()))
    nothing = AnnotationState("", False, False, 0.0, "")
    for (uid, coder), fields in touched_annotations.items():
        row = target.annotations.get((uid, coder), nothing)
        taken = {name: fields[history_field(name)].value if history_field(name) in fields else getattr(row, name)
                 for name in ANNOTATION_FIELDS}
        latest = max((state.at for state in fields.values()), key=ts)
        seconds = max(row.seconds, inc.seconds.get((uid, coder), 0.0))
        plan.annotation_rows.append(AnnotationRow(
            uid, coder, taken["note"], int(taken["flag"]), int(taken["done"]), seconds,
            max(row.updated_at, latest or merge_time, key=ts),
        ))
        summary.annotations_changed += len(fields)
    # Seconds spent elsewhere on an item whose fields did not change still count (the larger total).
    for (uid, coder), sec in inc.seconds.items():
        if (uid, coder) in touched_annotations:
            continue
        row = target.annotations.get((uid, coder))
        if row is not None and sec > row.seconds:
            plan.annotation_rows.append(
                AnnotationRow(uid, coder, row.note, int(row.flag), int(row.done), sec, row.updated_at)
            )
        elif row is None and sec > 0:
            # A coder new to the item brings their seconds too (Label Studio's lead_time, a label file's seconds).
            plan.annotation_rows.append(AnnotationRow(uid, coder, "", 0, 0, sec, merge_time))
    plan.items = [it for it in inc.items if it.uid not in target.uids]
    # Sources new to the project: those of the items it brings, and copies (which bring none);
    # with the conferences they and the project's corrections of conferences name.
    plan.sources = [s for s in inc.sources if s.sha256 not in target.source_shas]
    plan.conference_events = [e for e in inc.conference_events if e.uid not in target.conference_event_uids]
    named = {s.conference_id for s in plan.sources} | {e.after for e in plan.conference_events}
    plan.conferences = [row for row in inc.conferences if row[0] in named]
    plan.alignments, plan.alignment_events = inc.alignments, inc.alignment_events
    return plan


def _synthetic(uid: str, coder: str, fld: str, before: Any, after: Any, at: str, action: str) -> HistoryEvent:
    """A history row for a change whose source carried none; its uid is derived from the change
    itself, so merging the same file again finds it instead of adding another."""
    digest = hashlib.sha256(
        json.dumps([action, uid, coder, fld, after, at], ensure_ascii=False).encode("utf-8")
    ).hexdigest()[:32]
    return HistoryEvent(digest, uid, coder, fld, dump_value(before), dump_value(after), action, None, at, 0.0)


