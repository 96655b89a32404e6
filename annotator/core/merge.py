"""Bring other coders' work into a project: project databases, label files, JSONL exports.

Every input is first read into the same shape -- the current state of each
(item uid, coder, field) with the time it last changed, plus the history rows it
carries -- and then merged by one rule:

* labels are keyed by coder, so one coder never overwrites another;
* the same coder's field differing between the two sides (one coder on two
  machines) is a conflict, and the later change wins (equal times keep the
  project's value); both histories stay in ``label_events``, copied by event uid;
* merging the same file twice changes nothing (states compare equal, events
  are already there);
* items only in OTHER come in with their source (matched by sha256) -- only a
  project database carries sources, so records of a JSONL file whose item is
  not in the project are counted as ``unmatched`` and skipped.

Inputs without their own history (native JSONL, Prodigy) get one ``merge``
event per change they make, with a uid derived from what changed, so a second
merge finds it and adds nothing. A value the project's codebook lacks is
refused unless ``force``; forced values are kept as they are and marked with a
``merge-forced`` event each (the history says where they came from).

When is OTHER "a different corpus"? When it shares no item uid with the
project, the project already has items, and OTHER has some: refused (a
database unless ``force``; a JSONL file always, since it cannot bring items).
An empty project takes everything from a database.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from annotator.core.codebook import Codebook, value_options
from annotator.core.errors import AnnotatorError
from annotator.core.export.labels import LABELS_FORMAT_VERSION
from annotator.core.records import (
    ANNOTATION_DEFAULTS, ANNOTATION_FIELDS, AnnotationRow, AnnotationState, HistoryEvent, ItemRow, LabelDelete,
    LabelUpsert, MergePlan, Snapshot, SourceRow, dump_value, history_field, now,
)
from annotator.core.store import Store, reading

SQLITE_HEADER = b"SQLite format 3\x00"
# Keys here mix scheme names and annotation fields, so the fields go by their history
# spelling ("@note"): the default of each, and the test of whether a key is one.
_DEFAULTS: dict[str, Any] = {history_field(name): ANNOTATION_DEFAULTS[name] for name in ANNOTATION_FIELDS}
Key = tuple[str, str, str]  # (item uid, coder, field): a scheme's name or an annotation field's "@note"


class State(NamedTuple):
    """One field's current value on one side of a merge and when it last changed."""

    value: Any  # None: no label (cleared, or never set)
    at: str  # ISO time; "" is older than any recorded change


@dataclass
class Incoming:
    """One input read into the common shape."""

    kind: str  # project | labels | native | prodigy
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
    has_history: bool = False


@dataclass
class MergeSummary:
    path: str
    kind: str
    labels_added: int = 0
    labels_updated: int = 0
    labels_unchanged: int = 0
    conflicts_resolved: int = 0  # same coder, same field, different values: the later one kept
    annotations_changed: int = 0  # notes, flags, done marks taken from OTHER
    items_added: int = 0
    sources_added: int = 0
    events_added: int = 0
    unmatched: int = 0
    skipped: int = 0
    forced: dict[str, int] = field(default_factory=dict)  # "scheme=value": labels kept with --force

    def line(self) -> str:
        parts = [
            f"{self.labels_added} labels added",
            f"{self.labels_updated} updated",
            f"{self.labels_unchanged} unchanged",
            f"{self.conflicts_resolved} conflicts resolved (later change kept)",
            f"{self.items_added} items added",
        ]
        if self.annotations_changed:
            parts.append(f"{self.annotations_changed} notes/flags/done marks changed")
        if self.unmatched:
            parts.append(f"{self.unmatched} records matched no item (skipped)")
        if self.skipped:
            parts.append(f"{self.skipped} records without labels (skipped)")
        if self.forced:
            parts.append("kept outside the codebook: " + ", ".join(f"{k} ({n})" for k, n in self.forced.items()))
        return f"{self.path} ({self.kind}): " + ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# -- entry point -----------------------------------------------------------------------


def merge_files(store: Store, paths: list[Path], *, force: bool = False, backup: bool = True) -> tuple[Path | None, list[MergeSummary]]:
    """Merge each file in its own transaction, after one backup of the project.

    Every file is read and checked before anything is written, so a bad file
    stops the command before the project changes at all.
    """
    if not paths:
        raise AnnotatorError("merge: name at least one database or label file to merge")
    for path in paths:
        if Path(path).resolve() == store.path.resolve():
            raise AnnotatorError(f"{path}: is the project itself; name another coder's database")
    # Before the backup and the first write: every file must open and parse, so a bad
    # second file cannot leave the first one merged and the command reported as failed.
    for path in paths:
        _check_readable(Path(path))
    bak = store.sync.backup() if backup else None
    return bak, [merge_file(store, Path(p), force=force) for p in paths]


def merge_file(store: Store, path: Path, *, force: bool = False) -> MergeSummary:
    """Read, check and merge one file in one transaction."""
    target = store.sync.snapshot(full=False)
    incoming = read_input(store, path, target.uids)
    summary = MergeSummary(path=str(path), kind=incoming.kind, unmatched=incoming.unmatched, skipped=incoming.skipped)
    _check_coder_case(path, store.path, target.coders, incoming.coders)
    _check_corpus(path, store, target.uids, incoming, force)
    codebook = store.codebook()
    mismatches = _codebook_mismatches(codebook, incoming.states)
    if mismatches and not force:
        listing = ", ".join(f"{k} ({n})" for k, n in mismatches.items())
        raise AnnotatorError(
            f"{path}: labels use values the project's codebook lacks: {listing}; use --force to keep them anyway"
        )
    plan = _plan(codebook, target, incoming, summary, path)
    counts = store.sync.apply(plan)
    summary.items_added = counts.items
    summary.sources_added = counts.sources
    summary.events_added = counts.events
    return summary


# -- reading the inputs ------------------------------------------------------------------------


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


def _check_readable(path: Path) -> None:
    """Open a project database, or parse every line of a label file: one clear error if it cannot be."""
    if detect(path) == "project":
        with reading(path):
            return
    for _ in _records(path):
        pass


def _records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) of each non-blank JSONL line; a bad line is one clear error."""
    try:
        f = open(path, encoding="utf-8")
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
    inc.states, inc.created = _states_from_snapshot(snap)
    inc.seconds = {k: ann.seconds for k, ann in snap.annotations.items()}
    return inc


def _states_from_snapshot(snap: Snapshot) -> tuple[dict[Key, State], dict[Key, str]]:
    """Current state of every field with the time it last changed, from a project's tables."""
    states: dict[Key, State] = {}
    created: dict[Key, str] = {}
    latest = snap.latest
    for key, label in snap.labels.items():
        states[key] = State(json.loads(label.value), label.updated_at)
        created[key] = label.created_at
    for key, event in latest.items():
        # A label whose newest event cleared it: "no label since <at>" is a state too.
        if key[2] not in _DEFAULTS and event.after is None and key not in states:
            states[key] = State(None, event.at)
    for (uid, coder), ann in snap.annotations.items():
        for name in ANNOTATION_FIELDS:
            fld = history_field(name)
            value = getattr(ann, name)
            ev = latest.get((uid, coder, fld))
            # Never changed explicitly (the row exists for seconds or labels): older than any change.
            states[(uid, coder, fld)] = State(value, ev.at if ev else ("" if value == _DEFAULTS[fld] else ann.updated_at))
    return states, created


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
            if key not in latest or _ts(at) >= _ts(latest[key][0]):
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
        elif cleared and key[2] not in _DEFAULTS:
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


# -- checks -------------------------------------------------------------------------------------


def _check_coder_case(path: Path, db: Path, ours: set[str], theirs: set[str]) -> None:
    seen: dict[str, str] = {}
    for name in sorted(ours) + sorted(theirs - ours):
        other = seen.setdefault(name.casefold(), name)
        if other != name:
            raise AnnotatorError(
                f"{path}: coders '{other}' and '{name}' differ only in case; rename one before merging into {db}"
            )


def _check_corpus(path: Path, store: Store, target_uids: set[str], inc: Incoming, force: bool) -> None:
    if inc.kind != "project":
        # A label file cannot bring items, so with no record matching there is nothing to do.
        if inc.unmatched and not (inc.uids & target_uids):
            raise AnnotatorError(
                f"{path}: no record matches an item of {store.path} -- a different corpus? Nothing merged"
            )
        return
    if target_uids and inc.uids and not (inc.uids & target_uids) and not force:
        raise AnnotatorError(
            f"{path}: shares no item with {store.path} -- a different corpus? Nothing merged "
            f"(use --force to bring its {len(inc.uids)} items in anyway)"
        )


def _codebook_mismatches(codebook: Codebook, states: dict[Key, State]) -> dict[str, int]:
    bad: Counter[str] = Counter()
    for (_uid, _coder, fld), state in states.items():
        if fld in _DEFAULTS or state.value is None:
            continue
        for key in _unknown_values(codebook, fld, state.value):
            bad[key] += 1
    return dict(sorted(bad.items()))


def _unknown_values(codebook: Codebook, scheme: str, value: Any) -> list[str]:
    """"scheme=value" for each part of ``value`` the codebook has no option for; a scheme
    the codebook lacks counts whole."""
    sch = codebook.scheme(scheme)
    parts = sorted(value_options(value)) if sch is None else sch.unknown(value)
    return [f"{scheme}={v}" for v in parts]


# -- planning ------------------------------------------------------------------------------------


def _plan(codebook: Codebook, target: Snapshot, inc: Incoming, summary: MergeSummary, path: Path) -> MergePlan:
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
    ``merge-forced`` event. An annotation field at its default on our side (no note, no
    flag, not done) differing from OTHER is not counted as a conflict. OTHER's history
    events come along as they are; an input without history (native, Prodigy) gets one
    synthetic ``merge`` event per value taken. Seconds are the larger total of the two.
    Items OTHER has that the project lacks come in with their sources.
    """
    ours, _created = _states_from_snapshot(target)
    plan = MergePlan(events=list(inc.events))
    touched_annotations: dict[tuple[str, str], dict[str, State]] = {}
    forced: Counter[str] = Counter()
    merge_time = now()
    for key, theirs in inc.states.items():
        uid, coder, fld = key
        value = theirs.value
        is_label = fld not in _DEFAULTS
        sch = codebook.scheme(fld) if is_label else None
        if sch is not None:
            value = sch.canonical(value, allow_unknown=True)  # kept as it is where it does not fit
        mine = ours.get(key)
        before = mine.value if mine else (None if is_label else _DEFAULTS[fld])
        if mine is None:
            if value is None or (not is_label and value == _DEFAULTS[fld]):
                continue
            take = True
        elif sch.same(before, value) if sch is not None else before == value:
            if is_label and value is not None:
                summary.labels_unchanged += 1
            continue
        else:
            if is_label or before != _DEFAULTS[fld]:
                summary.conflicts_resolved += 1
            take = _ts(theirs.at) > _ts(mine.at)
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
                unknown = _unknown_values(codebook, fld, value)
                if unknown:
                    forced.update(unknown)
                    plan.events.append(_synthetic(uid, coder, fld, before, value, stamp, "merge-forced"))
        else:
            touched_annotations.setdefault((uid, coder), {})[fld] = State(value, theirs.at)
        if not inc.has_history:
            plan.events.append(_synthetic(uid, coder, fld, before, value, theirs.at or merge_time, "merge"))
    summary.forced = dict(sorted(forced.items()))
    nothing = AnnotationState("", False, False, 0.0, "")
    for (uid, coder), fields in touched_annotations.items():
        row = target.annotations.get((uid, coder), nothing)
        taken = {name: fields[history_field(name)].value if history_field(name) in fields else getattr(row, name)
                 for name in ANNOTATION_FIELDS}
        latest = max((state.at for state in fields.values()), key=_ts)
        seconds = max(row.seconds, inc.seconds.get((uid, coder), 0.0))
        plan.annotation_rows.append(AnnotationRow(
            uid, coder, taken["note"], int(taken["flag"]), int(taken["done"]), seconds,
            max(row.updated_at, latest or merge_time, key=_ts),
        ))
        summary.annotations_changed += len(fields)
    # Seconds spent elsewhere on an item whose fields did not change still count (the larger total).
    for (uid, coder), sec in inc.seconds.items():
        row = target.annotations.get((uid, coder))
        if (uid, coder) not in touched_annotations and row and sec > row.seconds:
            plan.annotation_rows.append(
                AnnotationRow(uid, coder, row.note, int(row.flag), int(row.done), sec, row.updated_at)
            )
    plan.items = [it for it in inc.items if it.uid not in target.uids]
    plan.sources = list(inc.sources) if plan.items else []
    return plan


def _synthetic(uid: str, coder: str, fld: str, before: Any, after: Any, at: str, action: str) -> HistoryEvent:
    """A history row for a change whose source carried none; its uid is derived from the change
    itself, so merging the same file again finds it instead of adding another."""
    digest = hashlib.sha256(
        json.dumps([action, uid, coder, fld, after, at], ensure_ascii=False).encode("utf-8")
    ).hexdigest()[:32]
    return HistoryEvent(digest, uid, coder, fld, dump_value(before), dump_value(after), action, None, at, 0.0)


def _ts(text: str | None) -> datetime:
    """A comparable time for ISO texts with or without fractions or offsets ('' = the oldest)."""
    if not text:
        return datetime.min.replace(tzinfo=UTC)
    try:
        t = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)
    return t if t.tzinfo else t.replace(tzinfo=UTC)
