"""A coder's label file: labels, uids and history, no transcript text.

JSONL, small enough to e-mail, read by ``annotator merge``::

    {"annotator_labels": 1, "project": ..., "codebook": {...}, "exported_at": ...}
    {"uid", "coder", "labels", "note", "flag", "done", "seconds", "updated_at"}   one per (item, coder)
    {"uid": item uid, "event": {"uid", "coder", "field", "before", "after",
                                "action", "ref_uid", "at", "seconds"[, "operation"][, "suggested"]}}  one per history event
    {"uid": item uid, "alignment": {"english", "chinese", "coder", "at"}}   one per hand alignment (format 2)
    {"uid": item uid, "alignment_event": {"before", "after", "coder", "at"}}  one per change of one
    {"uid": item uid, "correction": {"uid", "coder", "op", "args", "ref", "at"}}  one per correction (format 3)

The corrections of items (split, merge, move, edit, flag, and their undoing) come first, right
after the header, in the order they were made: a reader applies them before the labels, which
may name an item a split made. State records come next (item order, then coder), then every history event in the
order it happened, so a reader can replay the history as it goes; then the coders' hand
alignments (``annotator align``: English and Chinese item uids, one None for "no counterpart")
and their history. A file with hand alignments says format 2 (an older annotator refuses it
rather than dropping them); one without says 1, which every annotator reads. A file with
corrections says format 3, for the same reason.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any, TextIO

from annotator.core.export.rows import Row
from annotator.core.records import HistoryEvent, load_value

LABELS_FORMAT_VERSION = 3  # the newest this annotator reads and writes
WITH_ALIGNMENTS_VERSION = 2
WITHOUT_ALIGNMENTS_VERSION = 1


def header(project: str, codebook_json: str, exported_at: str, *, alignments: bool = False,
           corrections: bool = False) -> dict[str, Any]:
    # the lowest format that holds what the file holds, so an older annotator reads what it can
    version = (LABELS_FORMAT_VERSION if corrections else WITH_ALIGNMENTS_VERSION if alignments
               else WITHOUT_ALIGNMENTS_VERSION)
    return {
        "annotator_labels": version,
        "project": project,
        "codebook": json.loads(codebook_json),
        "exported_at": exported_at,
    }


def state_records(row: Row, coder: str | None) -> list[dict[str, Any]]:
    """What each coder (or just ``coder``) currently says about the item."""
    out = []
    for who in ([coder] if coder is not None else row.coders()):
        mine = row.labels.get(who)
        ann = row.annotations.get(who)
        if mine is None and ann is None:
            continue
        note, flag, done, seconds, _at = ann or ("", False, False, 0.0, None)
        out.append({
            "uid": row.uid,
            "coder": who,
            "labels": {scheme: value for scheme, (value, _) in (mine or {}).items()},
            "note": note,
            "flag": flag,
            "done": done,
            "seconds": seconds,
            "updated_at": row.coder_updated_at(who),
        })
    return out


def write_events(events: Iterable[HistoryEvent], out: TextIO, encode: Callable[[Any], str]) -> int:
    n = 0
    for e in events:
        out.write(encode({
            "uid": e.item_uid,
            "event": {
                "uid": e.uid, "coder": e.coder, "field": e.field,
                "before": load_value(e.before), "after": load_value(e.after),
                "action": e.action, "ref_uid": e.ref_uid, "at": e.at, "seconds": e.seconds,
                **({"operation": e.operation} if e.operation else {}),
                **({"suggested": json.loads(e.suggested)} if e.suggested else {}),
            },
        }))
        out.write("\n")
        n += 1
    return n


def alignment_records(rows: Iterable[tuple[Any, ...]], events: Iterable[tuple[Any, ...]],
                      coder: str | None) -> list[dict[str, Any]]:
    """The hand alignments (``store.alignments.hand_rows``) and their history (``event_rows``)
    of ``coder`` (None: every coder's), as label file records."""
    out: list[dict[str, Any]] = [
        {"uid": english or chinese, "alignment": {"english": english, "chinese": chinese, "coder": by, "at": at}}
        for english, chinese, by, at in rows if coder in (None, by)]
    out += [{"uid": uid, "alignment_event": {"before": json.loads(before), "after": json.loads(after),
                                             "coder": by, "at": at}}
            for uid, before, after, by, at in events if coder in (None, by)]
    return out


def correction_records(rows: Iterable[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """The project's corrections (``store.corrections.records``: uid, coder, op, item uid, args as
    JSON text, record, ref, at), as label file records. Every coder's: a coder's labels may sit on
    an item another's correction made, and a merge takes only those the project lacks. The record
    (what the correction changed) is not carried: the project it is merged into works it out."""
    return [{"uid": item_uid, "correction": {"uid": uid, "coder": coder, "op": op, "args": json.loads(args),
                                             "ref": ref, "at": at}}
            for uid, coder, op, item_uid, args, _record, ref, at in rows]
