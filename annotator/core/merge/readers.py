"""Reading what is merged in -- a project database, an ``annotator export --labels`` file,
a native JSONL export, Prodigy answers -- into the one shape of ``state.Incoming``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from annotator.core.codebook import Codebook
from annotator.core.errors import AnnotatorError
from annotator.core.export.labels import LABELS_FORMAT_VERSION
from annotator.core.merge.state import DEFAULTS, Incoming, Key, State, states_from_snapshot, ts
from annotator.core.records import ANNOTATION_FIELDS, HistoryEvent, dump_value, history_field
from annotator.core.store import Store, reading

SQLITE_HEADER = b"SQLite format 3\x00"


def detect(path: Path) -> str:
    """project | labels | native | prodigy, or a one-line error naming the file."""
    if not path.exists():
        raise AnnotatorError(f"{path}: no such file")
    if path.is_dir():
        raise AnnotatorError(f"{path}: is a folder, not a project database or label file")
    try:
        with open(path, "rb") as f:
            head = f.read(16)
    except OSError as e:
        raise AnnotatorError(f"{path}: cannot read it ({e.strerror})") from None
    if head == SQLITE_HEADER:
        return "project"
    if not head:
        raise AnnotatorError(f"{path}: empty file, not a project database or label file")
    try:
        first = next(_records(path), None)
    except AnnotatorError:
        raise AnnotatorError(f"{path}: not a project database or label file (neither SQLite nor JSON lines)") from None
    if first is None:
        raise AnnotatorError(f"{path}: empty file, not a project database or label file")
    _, rec = first
    if "annotator_labels" in rec:
        return "labels"
    if "annotations" in rec:
        return "native"
    if any(k in rec for k in ("_annotator_id", "_session_id", "accept")) or rec.get("answer") in ("accept", "reject", "ignore"):
        return "prodigy"
    raise AnnotatorError(
        f"{path}: not a project database or label file (JSONL records need 'annotations', an "
        "'annotator_labels' header, or Prodigy's '_annotator_id'/'accept'/'answer')"
    )


def check_readable(path: Path) -> None:
    """Open a project database, or parse every line of a label file: one clear error if it cannot be."""
    if detect(path) == "project":
        with reading(path):
            return
    for _ in _records(path):
        pass


def _records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) of each non-blank JSONL line; a bad line is one clear error."""
    try:
        f = open(path, encoding="utf-8")  # noqa: SIM115  (opened apart, so that only opening it is the error below)
    except OSError as e:
        raise AnnotatorError(f"{path}: cannot read it ({e.strerror})") from None
    with f:
        try:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as e:
                    raise AnnotatorError(f"{path}: line {n} is not JSON ({e.msg}); not a label file") from None
                if not isinstance(rec, dict):
                    raise AnnotatorError(f"{path}: line {n} is not a JSON object; not a label file")
                yield n, rec
        except UnicodeDecodeError:
            raise AnnotatorError(f"{path}: not UTF-8 text; not a project database or label file") from None


def read_input(store: Store, path: Path, target_uids: set[str]) -> Incoming:
    kind = detect(path)
    if kind == "project":
        return _read_project(path)
    if kind == "labels":
        return _read_labels(path, target_uids)
    if kind == "native":
        return _read_native(path, target_uids)
    return _read_prodigy(store, path, target_uids)


def _read_project(path: Path) -> Incoming:
    # Read-only: a coder's file is never changed by merging it; Store refuses newer versions,
    # and one from an older version is read through an upgraded copy.
    with reading(path) as other:
        snap = other.sync.snapshot(full=True)
    inc = Incoming(kind="project", has_history=True)
    inc.sources, inc.items, inc.events = snap.sources, snap.items, snap.events
    inc.uids = snap.uids
    inc.coders = set(snap.coders)
    inc.states, inc.created = states_from_snapshot(snap)
    inc.seconds = {k: ann.seconds for k, ann in snap.annotations.items()}
    return inc


def _read_labels(path: Path, target_uids: set[str]) -> Incoming:
    """The ``annotator export --labels`` file (annotator/core/export/labels.py): a header, one
    state record per (item, coder), then every history event in the order it happened."""
    inc = Incoming(kind="labels", has_history=True)
    latest: dict[Key, tuple[str, bool]] = {}  # newest event per field: (at, it cleared the field)
    for n, rec in _records(path):
        if "annotator_labels" in rec:
            version = rec.get("annotator_labels")
            if not isinstance(version, int) or version > LABELS_FORMAT_VERSION:
                raise AnnotatorError(f"{path}: label file format {version!r} is newer than this annotator reads; upgrade annotator")
            continue
        uid = rec.get("uid")
        if not isinstance(uid, str):
            raise AnnotatorError(f"{path}: line {n} has no item 'uid'; not an annotator label file")
        inc.uids.add(uid)
        if uid not in target_uids:
            inc.unmatched += 1
            continue
        if "event" in rec:
            ev = rec["event"]
            try:
                coder, fld, at = ev["coder"], ev["field"], ev["at"]
                ref = ev.get("ref_uid", ev.get("ref"))
                inc.events.append(HistoryEvent(
                    ev["uid"], uid, coder, fld, dump_value(ev.get("before")), dump_value(ev.get("after")),
                    ev.get("action", "set"), ref if isinstance(ref, str) else None, at, float(ev.get("seconds") or 0),
                ))
            except (KeyError, TypeError, ValueError, AttributeError):
                raise AnnotatorError(f"{path}: line {n}: an event needs uid, coder, field and at") from None
            inc.coders.add(coder)
            key = (uid, coder, fld)
            if key not in latest or ts(at) >= ts(latest[key][0]):
                latest[key] = (at, ev.get("after") is None)
            continue
        coder = rec.get("coder")
        if not isinstance(coder, str):
            raise AnnotatorError(f"{path}: line {n} has neither 'event' nor 'coder'; not an annotator label file")
        inc.coders.add(coder)
        _take_state(inc, path, n, uid, coder, rec)
    # State records carry the time of the coder's latest change to the item; a field's own
    # newest event is more precise. A label whose newest event cleared it is "no label since".
    for key, (at, cleared) in latest.items():
        if key in inc.states:
            inc.states[key] = inc.states[key]._replace(at=at)
        elif cleared and key[2] not in DEFAULTS:
            inc.states[key] = State(None, at)
    return inc


def _take_state(inc: Incoming, path: Path, n: int, uid: str, coder: str, rec: dict[str, Any]) -> None:
    """One coder's record of one item (a label file's state record, a native annotation)."""
    updated_at = rec.get("updated_at")
    if updated_at is not None and not isinstance(updated_at, str):
        raise AnnotatorError(f"{path}: line {n}: coder {coder!r} has an 'updated_at' that is not a time")
    updated_at = updated_at or ""  # no time: older than any recorded change
    labels = rec.get("labels") or {}
    if not isinstance(labels, dict):
        raise AnnotatorError(f"{path}: line {n}: 'labels' must be an object of scheme: value")
    for scheme, value in labels.items():
        if value is None:  # null is "no label"; [] is a real answer (none of the options)
            continue
        inc.states[(uid, coder, scheme)] = State(value, updated_at)
    for name in ANNOTATION_FIELDS:
        fld = history_field(name)
        if name in rec and rec[name] is not None:
            value = str(rec[name]) if name == "note" else bool(rec[name])
            inc.states[(uid, coder, fld)] = State(value, updated_at)
    if isinstance(rec.get("seconds"), (int, float)):
        inc.seconds[(uid, coder)] = float(rec["seconds"])


def _read_native(path: Path, target_uids: set[str]) -> Incoming:
    """A native JSONL export: one record per item with every coder's ``annotations``."""
    inc = Incoming(kind="native")
    for n, rec in _records(path):
        uid = rec.get("uid")
        anns = rec.get("annotations")
        if not isinstance(uid, str) or not isinstance(anns, list):
            raise AnnotatorError(f"{path}: line {n} needs 'uid' and a list of 'annotations'")
        inc.uids.add(uid)
        if uid not in target_uids:
            inc.unmatched += 1
            continue
        if not anns:
            inc.skipped += 1
        for ann in anns:
            coder = ann.get("coder") if isinstance(ann, dict) else None
            if not isinstance(coder, str):
                raise AnnotatorError(f"{path}: line {n}: each annotation needs a 'coder'")
            inc.coders.add(coder)
            _take_state(inc, path, n, uid, coder, ann)
    return inc


def _read_prodigy(store: Store, path: Path, target_uids: set[str]) -> Incoming:
    """Prodigy-style answers: coder from ``_annotator_id`` (else ``_session_id`` "dataset-coder"),
    options from ``accept``; matched by ``meta.uid``, else by exact text."""
    inc = Incoming(kind="prodigy")
    codebook = store.codebook()
    by_text = _text_index(store)
    known = set(store.labels.coders())
    for n, rec in _records(path):
        coder = _prodigy_coder(rec, known)
        if coder is None:
            raise AnnotatorError(f"{path}: line {n} has no '_annotator_id' or '_session_id' naming the coder")
        meta = rec.get("meta") if isinstance(rec.get("meta"), dict) else {}
        uid = meta.get("uid") if isinstance(meta.get("uid"), str) else None
        if uid is None and isinstance(rec.get("text"), str):
            uid = by_text.get(rec["text"].strip())
        if uid is None or uid not in target_uids:
            inc.unmatched += 1
            continue
        inc.uids.add(uid)
        inc.coders.add(coder)
        if rec.get("answer", "accept") != "accept" or meta.get("from_done") is True:
            # from_done: our own export's "nothing ticked on a done item", which stands for the
            # coder's done mark (not carried here), not for a label row of theirs
            inc.skipped += 1
            continue
        at = _prodigy_time(rec)
        accept = rec.get("accept")
        if not isinstance(accept, list):
            inc.skipped += 1
            continue
        scheme_hint = meta.get("scheme") or rec.get("scheme")
        chosen: dict[str, list[str]] = {}
        for option in accept:
            scheme, value = _prodigy_option(codebook, str(option), scheme_hint)
            chosen.setdefault(scheme, []).append(value)
        for scheme, values in chosen.items():
            sch = codebook.scheme(scheme)
            value: Any = values if sch is None or sch.kind == "multi" else values[0] if len(values) == 1 else values
            inc.states[(uid, coder, scheme)] = State(value, at)
        if not chosen and isinstance(scheme_hint, str):
            sch = codebook.scheme(scheme_hint)
            if sch is not None and sch.kind == "multi":
                inc.states[(uid, coder, scheme_hint)] = State([], at)  # accepted with nothing ticked
    return inc


def _prodigy_coder(rec: dict[str, Any], known: set[str]) -> str | None:
    """Prodigy names annotators "dataset-session"; the dataset (our export: the project file's
    stem) may itself hold hyphens, so a known coder's name is looked for first, else the part
    after the last hyphen is taken. A name without a hyphen is the coder."""
    name = rec.get("_annotator_id") or rec.get("_session_id")
    if not isinstance(name, str) or not name.strip():
        return None
    if name in known or "-" not in name:
        return name
    parts = name.split("-")
    for i in range(1, len(parts)):
        if "-".join(parts[i:]) in known:
            return "-".join(parts[i:])
    return parts[-1] or name


def _text_index(store: Store) -> dict[str, str]:
    """Exact texts -> uid (answer, question, and "question\\n\\nanswer"); ambiguous texts left out."""
    index: dict[str, str] = {}
    clash: set[str] = set()
    for uid, question, answer in store.items.texts():
        texts = {t.strip() for t in (answer, question, f"{question}\n\n{answer}") if t and t.strip()}
        for t in texts:
            if t in index and index[t] != uid:
                clash.add(t)
            index[t] = uid
    for t in clash:
        del index[t]
    return index


def _prodigy_option(codebook: Codebook, option: str, hint: Any) -> tuple[str, str]:
    """An accepted option id: "scheme:value", or a value of the scheme named by the record, or of
    the one scheme that has it."""
    if ":" in option:
        scheme, value = option.split(":", 1)
        if codebook.scheme(scheme) is not None:
            return scheme, value
    if isinstance(hint, str) and hint:
        return hint, option
    owners = [s.name for s in codebook.schemes if option in s.values]
    if len(owners) == 1:
        return owners[0], option
    return "?", option  # unknown or ambiguous: reported as a codebook mismatch


def _prodigy_time(rec: dict[str, Any]) -> str:
    ts = rec.get("_timestamp")
    if isinstance(ts, (int, float)) and not isinstance(ts, bool):
        return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    # No time: older than any recorded change, so the project keeps its own on a conflict.
    return ""


