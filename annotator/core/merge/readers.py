"""Reading what is merged in -- a project database, an ``annotator export --labels`` file,
a native JSONL export, Prodigy answers, a Label Studio JSON export -- into the one shape
of ``state.Incoming``.

A Label Studio export (``GET /api/projects/ID/export?exportType=JSON``, or an export
snapshot) is one JSON array of tasks; each task's ``annotations`` become labels:

* the coder is the annotation's owner: ``completed_by`` is a user id, or (snapshots with
  users expanded) ``{"id", "email", ...}``; ``--ls-users`` maps e-mails and ids to coders,
  and without it an e-mail's local part is the coder (alice@lab.org -> alice). An id that
  nothing maps is refused: Label Studio's default export names users by id only;
* every ``choices`` result is the label of the scheme named by its ``from_name``
  (one choice for a single-choice scheme, a set for a multi-choice one);
* ``lead_time`` is the coder's seconds on the item; ``updated_at`` the time of the change;
* cancelled (skipped) annotations and ones without a choice carry no label; predictions
  are a model's suggestions, not anyone's labels, and are not read; a region with no
  choices that the task's ``meta.from_done`` names for its coder (written by annotator
  before empty sets were recorded explicitly, for a done item's untouched multi-choice
  scheme) is no label row: missing, not brought in.

Items are matched by ``data.uid`` (annotator's own export) or else by the exact text.
Choices the codebook lacks go through merge's one check (refused unless ``--force``,
naming the task); anything that is not a Label Studio export is one line naming the task.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from annotator.core import corrections as correction_rules
from annotator.core.codebook import Codebook
from annotator.core.errors import AnnotatorError
from annotator.core.export.labels import LABELS_FORMAT_VERSION
from annotator.core.labelstudio_users import UserRef, coder_for, reverse
from annotator.core.merge.state import DEFAULTS, Incoming, Key, State, states_from_snapshot, ts
from annotator.core.records import (
    ANNOTATION_FIELDS,
    HistoryEvent,
    Snapshot,
    annotation_field,
    dump_value,
    history_field,
    load_value,
    validate_coder,
)
from annotator.core.store import Store, reading
from annotator.core.validate import (
    Invalid,
    action,
    boolean,
    check_regular_file,
    field_name,
    label_value,
    located,
    note,
    optional_timestamp,
    quoted,
    seconds,
    short,
    stored_label,
    suggested,
    timestamp,
)

SQLITE_HEADER = b"SQLite format 3\x00"
NOT_LS = "not a Label Studio JSON export"


def detect(path: Path) -> str:
    """project | labels | native | prodigy | labelstudio, or a one-line error naming the file."""
    if not path.exists():
        raise AnnotatorError(f"{path}: no such file")
    if path.is_dir():
        raise AnnotatorError(f"{path}: is a folder, not a project database or label file")
    check_regular_file(path, "a project database or label file")
    try:
        with open(path, "rb") as f:
            head = f.read(16)
    except OSError as e:
        raise AnnotatorError(f"{path}: cannot read it ({e.strerror})") from None
    if head == SQLITE_HEADER:
        return "project"
    if not head:
        raise AnnotatorError(f"{path}: empty file, not a project database or label file")
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"[":
        return "labelstudio"  # a JSON array (Label Studio's export) rather than JSON lines
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


def labels_format_problem(version: Any) -> str | None:
    """What is wrong with a label file's ``annotator_labels`` header, None if this version reads it."""
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        return f"label file format {quoted(version)} is no format annotator wrote (1 to {LABELS_FORMAT_VERSION})"
    if version > LABELS_FORMAT_VERSION:
        return f"label file format {quoted(version)} is newer than this annotator reads; upgrade annotator"
    return None


def check_readable(path: Path) -> None:
    """Open a project database, or parse every line of a label file: one clear error if it cannot be."""
    kind = detect(path)
    if kind == "project":
        with reading(path):
            return
    if kind == "labelstudio":
        _load_tasks(path)
        return
    for _ in _records(path):
        pass


def numbered_lines(f: Iterable[str]) -> Iterator[tuple[int, str]]:
    """(line number, text) of each line of a JSONL file that is not blank (blank lines are skipped)."""
    return ((n, line) for n, line in enumerate(f, 1) if not line.isspace() and line)


def _records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) of each non-blank JSONL line; a bad line is one clear error."""
    try:
        f = open(path, encoding="utf-8-sig")  # noqa: SIM115  (opened apart, so that only opening it is the error below)
    except OSError as e:
        raise AnnotatorError(f"{path}: cannot read it ({e.strerror})") from None
    with f:
        try:
            for n, line in numbered_lines(f):
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as e:
                    raise AnnotatorError(f"{path}: line {n} is not JSON ({e.msg}); not a label file") from None
                except RecursionError:  # json descends once per level of nesting
                    raise AnnotatorError(f"{path}: line {n} is nested too deeply; not a label file") from None
                if not isinstance(rec, dict):
                    raise AnnotatorError(f"{path}: line {n} is not a JSON object; not a label file")
                yield n, rec
        except UnicodeDecodeError:
            raise AnnotatorError(f"{path}: not UTF-8 text; not a project database or label file") from None


def read_input(store: Store, path: Path, target_uids: set[str], ls_users: dict[str, UserRef] | None = None) -> Incoming:
    """``path`` read by the reader of its kind; ``ls_users`` says which Label Studio user is which coder."""
    kind = detect(path)
    if kind == "project":
        return _read_project(path)
    if kind == "labels":
        return _read_labels(path, target_uids)
    if kind == "native":
        return _read_native(path, target_uids)
    if kind == "labelstudio":
        return _read_labelstudio(store, path, target_uids, ls_users)
    return _read_prodigy(store, path, target_uids)


def _read_project(path: Path) -> Incoming:
    # Read-only: a coder's file is never changed by merging it; Store refuses newer versions,
    # and one from an older version is read through an upgraded copy.
    with reading(path) as other:
        snap = other.sync.snapshot(full=True)
    _check_snapshot(path, snap)
    inc = Incoming(kind="project", has_history=True)
    inc.sources, inc.items, inc.events = snap.sources, snap.items, snap.events
    inc.corrections = snap.corrections
    inc.conferences, inc.conference_events = snap.conferences, snap.conference_events
    inc.alignments, inc.alignment_events = snap.alignments, snap.alignment_events
    inc.uids = snap.uids
    inc.coders = set(snap.coders)
    inc.states, inc.created = states_from_snapshot(snap)
    inc.seconds = {k: ann.seconds for k, ann in snap.annotations.items()}
    return inc


def _check_snapshot(path: Path, snap: Snapshot) -> None:
    """A coder's database goes through the checks a label file does (``validate``): names,
    values, notes, seconds, history rows; and every label has its history row."""
    with located(str(path)):
        for coder in snap.coders:
            validate_coder(coder)
        evented = set()
        for e in snap.events:
            with located(f"history row {short(e.uid)}"):
                check_event_fields(e.field, load_value_checked(e.before, e.field), load_value_checked(e.after, e.field))
                action(e.action)
                timestamp(e.at, "its time")
                seconds(e.seconds)
                suggested(e.suggested)
            evented.add((e.item_uid, e.coder, e.field))
        for (uid, coder, scheme), label in snap.labels.items():
            with located(f"item {short(uid)}, coder {coder}"):
                stored_label(label.value, field_name(scheme))
                optional_timestamp(label.updated_at, "the label's time")
                if (uid, coder, scheme) not in evented:
                    raise Invalid(f"label '{scheme}' has no history row; not a project annotator wrote")
        for (uid, coder), ann in snap.annotations.items():
            with located(f"item {short(uid)}, coder {coder}"):
                note(ann.note)
                seconds(ann.seconds)
        for n, row in enumerate(snap.alignments, 1):
            with located(f"hand alignment {n}"):
                hand_alignment(*row)
        for n, (item_uid, before, after, coder, at) in enumerate(snap.alignment_events, 1):
            with located(f"alignment history row {n}"):
                alignment_event(item_uid, load_value_checked(before, "before"), load_value_checked(after, "after"),
                                coder, at)


def hand_alignment(english: Any, chinese: Any, coder: Any, at: Any) -> tuple[str | None, str | None, str, str]:
    """A hand alignment as a copy or label file gives it: the English and the Chinese item's uids
    (one may be None: the other has no counterpart), who decided and when."""
    if english is None and chinese is None:
        raise Invalid("a hand alignment must name its English or its Chinese item")
    for uid in (english, chinese):
        if uid is not None and (not isinstance(uid, str) or not uid or len(uid) > 200):
            raise Invalid(f"a hand alignment's item must be a uid, not {quoted(uid)}")
    return english, chinese, validate_coder(coder), timestamp(at, "the alignment's time")


def alignment_event(item_uid: Any, before: Any, after: Any, coder: Any, at: Any) -> tuple[str, str, str, str, str]:
    """A hand alignment's history row: the item, its counterparts' uids before and after (lists,
    None for "no counterpart"), who and when; before and after returned as the store keeps them."""
    if not isinstance(item_uid, str) or not item_uid or len(item_uid) > 200:
        raise Invalid(f"an alignment change's item must be a uid, not {quoted(item_uid)}")
    for side in (before, after):
        if not isinstance(side, list) or not all(u is None or (isinstance(u, str) and len(u) <= 200) for u in side):
            raise Invalid(f"an alignment change's before and after must be lists of uids, not {quoted(side)}")
    return item_uid, json.dumps(before), json.dumps(after), validate_coder(coder), timestamp(at, "the change's time")


def load_value_checked(text: str | None, fld: str) -> object:
    """A history row's before/after (JSON text) read back, or one line saying it is none."""
    try:
        return load_value(text)
    except (ValueError, TypeError):
        raise Invalid(f"the value of '{short(fld)}' is not JSON: '{short(text)}'") from None


def check_event_fields(fld: Any, before: Any, after: Any) -> None:
    """A history row's field and values, as the store would write them."""
    name = annotation_field(fld) if isinstance(fld, str) else None
    if name is None:
        field_name(fld)
        if isinstance(fld, str) and fld.startswith("@"):
            raise Invalid(f"'{short(fld)}' is not a scheme's name")
        label_value(before, fld)
        label_value(after, fld)
        return
    for value in (before, after):
        if value is None:
            continue
        if name == "note":
            note(value)
        else:
            boolean(value, name)


def _read_labels(path: Path, target_uids: set[str]) -> Incoming:
    """The ``annotator export --labels`` file (annotator/core/export/labels.py): a header, one
    state record per (item, coder), then every history event in the order it happened.

    Every record is checked as ``validate`` says, and every state a record gives must have
    its history event in the file (annotator writes both): a bad record names its line, and
    nothing of the file is merged."""
    inc = Incoming(kind="labels", has_history=True)
    latest: dict[Key, tuple[str, bool]] = {}  # newest event per field: (at, it cleared the field)
    evented: set[Key] = set()
    target_uids = set(target_uids)  # and the items the file's splits make, once it names them
    for n, rec in _records(path):
        with located(f"{path}: line {n}"):
            if "annotator_labels" in rec:
                version = rec.get("annotator_labels")
                if (problem := labels_format_problem(version)) is not None:
                    raise AnnotatorError(f"{path}: line {n}: {problem}")
                continue
            uid = rec.get("uid")
            if not isinstance(uid, str):
                raise AnnotatorError(f"{path}: line {n} has no item 'uid'; not an annotator label file")
            if "correction" in rec:
                correction = _label_file_correction(uid, rec["correction"])
                inc.corrections.append(correction)
                if correction[2] == "split" and uid in target_uids:
                    # the merge applies the file's corrections before its labels: the part a split
                    # makes is then an item of the project, and its labels are not "matched no item"
                    target_uids.add(correction_rules.part_uid(uid, correction[0]))
                continue
            inc.uids.add(uid)
            if "event" in rec:
                event = _label_file_event(uid, rec["event"])
                evented.add((uid, event.coder, event.field))
                if uid not in target_uids:
                    inc.unmatched += 1
                    continue
                inc.events.append(event)
                inc.coders.add(event.coder)
                key = (uid, event.coder, event.field)
                if key not in latest or ts(event.at) >= ts(latest[key][0]):
                    latest[key] = (event.at, event.after is None)
                continue
            if "alignment" in rec or "alignment_event" in rec:
                take_alignment(inc, rec)
                continue
            if "coder" not in rec:
                raise AnnotatorError(f"{path}: line {n} has neither 'event' nor 'coder'; not an annotator label file")
            coder = validate_coder(rec["coder"])
            if uid not in target_uids:
                inc.unmatched += 1
                _take_state(Incoming(kind="labels"), path, n, uid, coder, rec)  # checked all the same
                continue
            inc.coders.add(coder)
            _take_state(inc, path, n, uid, coder, rec)
    # What is stored always has its history row: a state the file gives no event for is refused.
    for key, state in inc.states.items():
        if key in evented:
            continue
        if key[2] in DEFAULTS and state.value == DEFAULTS[key[2]]:
            continue  # a field at its default needs no change behind it
        where = inc.origin.get(key, "a record")
        raise Invalid(
            f"{path}: {where}: coder {key[1]}'s '{key[2]}' has no history event in the file; "
            "nothing merged (export the label file again with 'annotator export --labels')"
        )
    # State records carry the time of the coder's latest change to the item; a field's own
    # newest event is more precise. A label whose newest event cleared it is "no label since".
    for key, (at, cleared) in latest.items():
        if key in inc.states:
            inc.states[key] = inc.states[key]._replace(at=at)
        elif cleared and key[2] not in DEFAULTS:
            inc.states[key] = State(None, at)
    return inc


def take_alignment(inc: Incoming, rec: dict[str, Any]) -> None:
    """A label file's hand alignment or alignment change (``export.labels.alignment_records``)."""
    row, change = rec.get("alignment"), rec.get("alignment_event")
    if row is not None:
        if not isinstance(row, dict):
            raise Invalid("'alignment' must be an object")
        inc.alignments.append(hand_alignment(row.get("english"), row.get("chinese"), row.get("coder"), row.get("at")))
    if change is not None:
        if not isinstance(change, dict):
            raise Invalid("'alignment_event' must be an object")
        inc.alignment_events.append(alignment_event(rec["uid"], change.get("before"), change.get("after"),
                                                    change.get("coder"), change.get("at")))


def _label_file_correction(item_uid: str, c: Any) -> tuple[Any, ...]:
    """One correction of a label file (``export.labels.correction_records``), checked, as the row
    ``store.corrections.take`` takes (uid, coder, op, item uid, args as JSON text, record, ref, at)."""
    if not isinstance(c, dict):
        raise Invalid("'correction' must be an object")
    uid, op, args, ref = c.get("uid"), c.get("op"), c.get("args"), c.get("ref")
    if not isinstance(uid, str) or not uid or len(uid) > 200:
        raise Invalid(f"the correction's uid must be text, not {quoted(uid)}")
    if op not in (*correction_rules.OPS, "undo"):
        raise Invalid(f"the correction's op must be one of {', '.join((*correction_rules.OPS, 'undo'))}, not {quoted(op)}")
    if not isinstance(args, dict):
        raise Invalid(f"the correction's args must be an object, not {quoted(args)}")
    if ref is not None and not isinstance(ref, str):
        raise Invalid(f"the correction's ref must be text, not {quoted(ref)}")
    return (uid, validate_coder(c.get("coder")), op, item_uid, json.dumps(args, ensure_ascii=False, sort_keys=True),
            None, ref, timestamp(c.get("at"), "the correction's 'at'"))


def _label_file_event(item_uid: str, ev: Any) -> HistoryEvent:
    """One history event of a label file, checked field by field."""
    if not isinstance(ev, dict):
        raise Invalid("'event' must be an object")
    missing = [k for k in ("uid", "coder", "field", "at") if k not in ev]
    if missing:
        raise Invalid(f"an event needs uid, coder, field and at (it has no '{missing[0]}')")
    uid = ev["uid"]
    if not isinstance(uid, str) or not uid or len(uid) > 200:
        raise Invalid(f"the event's uid must be text, not {quoted(uid)}")
    coder = validate_coder(ev["coder"])
    fld = ev["field"]
    check_event_fields(fld, ev.get("before"), ev.get("after"))
    ref = ev.get("ref_uid", ev.get("ref"))
    if ref is not None and not isinstance(ref, str):
        raise Invalid(f"the event's ref_uid must be text, not {quoted(ref)}")
    operation = ev.get("operation")
    if operation is not None and not isinstance(operation, str):
        raise Invalid(f"the event's operation must be text, not {quoted(operation)}")
    return HistoryEvent(
        uid, item_uid, coder, fld, dump_value(ev.get("before")), dump_value(ev.get("after")),
        action(ev.get("action", "set")), ref, timestamp(ev["at"], "the event's 'at'"),
        seconds(ev.get("seconds") or 0, "the event's seconds"), operation, suggested(ev.get("suggested")),
    )


def _take_state(inc: Incoming, path: Path, n: int, uid: str, coder: str, rec: dict[str, Any]) -> None:
    """One coder's record of one item (a label file's state record, a native annotation),
    every field checked as ``validate`` says."""
    with located(f"coder {coder}"):
        updated_at = optional_timestamp(rec.get("updated_at"), "'updated_at'")  # none: older than any change
        labels = rec.get("labels") or {}
        if not isinstance(labels, dict):
            raise Invalid("'labels' must be an object of scheme: value")
        for scheme, value in labels.items():
            if label_value(value, field_name(scheme)) is None:  # null is "no label"; [] is a real answer
                continue
            inc.states[(uid, coder, scheme)] = State(value, updated_at)
            inc.origin[(uid, coder, scheme)] = f"line {n}"
        for name in ANNOTATION_FIELDS:
            fld = history_field(name)
            if name in rec and rec[name] is not None:
                value = note(rec[name]) if name == "note" else boolean(rec[name], f"'{name}'")
                inc.states[(uid, coder, fld)] = State(value, updated_at)
                inc.origin[(uid, coder, fld)] = f"line {n}"
        if rec.get("seconds") is not None:
            inc.seconds[(uid, coder)] = seconds(rec["seconds"], "'seconds'")


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
            if not isinstance(ann, dict) or "coder" not in ann:
                raise AnnotatorError(f"{path}: line {n}: each annotation needs a 'coder'")
            with located(f"{path}: line {n}"):
                coder = validate_coder(ann["coder"])
            inc.coders.add(coder)
            with located(f"{path}: line {n}"):
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
        try:
            coder = validate_coder(coder)
        except AnnotatorError as e:
            raise AnnotatorError(f"{path}: line {n}: {e}") from None
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
            # from_done: written by annotator before empty sets were recorded explicitly, for a
            # done item's untouched multi-choice scheme -- no label row, so missing: not brought in
            inc.skipped += 1
            continue
        with located(f"{path}: line {n}"):
            at = _prodigy_time(rec)
        accept = rec.get("accept")
        if not isinstance(accept, list):
            inc.skipped += 1
            continue
        scheme_hint = meta.get("scheme") or rec.get("scheme")
        chosen: dict[str, list[str]] = {}
        for option in accept:
            if not isinstance(option, str):
                raise Invalid(f"{path}: line {n}: an accepted option must be text, not {quoted(option)}")
            scheme, value = _prodigy_option(codebook, option, scheme_hint)
            chosen.setdefault(scheme, []).append(value)
        for scheme, values in chosen.items():
            sch = codebook.scheme(scheme)
            value: Any = values if sch is None or sch.kind == "multi" else values[0] if len(values) == 1 else values
            with located(f"{path}: line {n}"):
                label_value(value, scheme)
            inc.states[(uid, coder, scheme)] = State(value, at)
            inc.origin[(uid, coder, scheme)] = f"line {n}"
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
        try:
            return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        except (OverflowError, ValueError, OSError):
            raise Invalid(f"'_timestamp' {quoted(ts)} is no time") from None
    # No time: older than any recorded change, so the project keeps its own on a conflict.
    return ""


# -- Label Studio -------------------------------------------------------------------------------


def _load_tasks(path: Path) -> list[dict[str, Any]]:
    """The export's tasks; one clear line if the file is not a JSON array of tasks."""
    try:
        with open(path, encoding="utf-8-sig") as f:
            tasks = json.load(f)
    except OSError as e:
        raise AnnotatorError(f"{path}: cannot read it ({e.strerror})") from None
    except UnicodeDecodeError:
        raise AnnotatorError(f"{path}: not UTF-8 text; {NOT_LS}") from None
    except json.JSONDecodeError as e:
        raise AnnotatorError(f"{path}: line {e.lineno} is not JSON ({e.msg}); {NOT_LS}") from None
    if not isinstance(tasks, list):
        raise AnnotatorError(f"{path}: {NOT_LS} (expected a JSON array of tasks)")
    for i, task in enumerate(tasks):
        where = _task_name(task, i)
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            raise AnnotatorError(f"{path}: {where} has no 'data' object; {NOT_LS}")
        if not isinstance(task.get("annotations", []), list):
            raise AnnotatorError(f"{path}: {where}: 'annotations' is not a list; {NOT_LS}")
    return tasks


def _task_name(task: Any, i: int) -> str:
    tid = task.get("id") if isinstance(task, dict) else None
    return f"task {tid}" if isinstance(tid, int) and not isinstance(tid, bool) else f"task #{i + 1}"


def _read_labelstudio(store: Store, path: Path, target_uids: set[str], users: dict[str, UserRef] | None) -> Incoming:
    """A Label Studio JSON export (this module's docstring): owners to coders, choices to schemes."""
    inc = Incoming(kind="labelstudio")
    codebook = store.codebook()
    owners = reverse(users or {})
    by_text: dict[str, str] | None = None
    for i, task in enumerate(_load_tasks(path)):
        data = task["data"]
        uid = data.get("uid") if isinstance(data.get("uid"), str) else None
        if uid is None and isinstance(data.get("text"), str):
            if by_text is None:
                by_text = _text_index(store)
            uid = by_text.get(data["text"].strip())
        if uid is None or uid not in target_uids:
            inc.unmatched += 1
            if uid is not None:
                inc.uids.add(uid)
            continue
        inc.uids.add(uid)
        if not task.get("annotations") and task.get("predictions"):
            inc.predictions_only += 1  # annotator's own export without --ls-users, say: said, not merged
        meta = task.get("meta")
        from_done = meta.get("from_done") if isinstance(meta, dict) else None
        if not isinstance(from_done, dict):
            from_done = {}
        for j, ann in enumerate(task.get("annotations", [])):
            aid = ann.get("id") if isinstance(ann, dict) else None
            where = _task_name(task, i) + (f", annotation {aid}" if isinstance(aid, int) else f", annotation #{j + 1}")
            if not isinstance(ann, dict) or not isinstance(ann.get("result", []), list):
                raise AnnotatorError(f"{path}: {where}: no 'result' list; {NOT_LS}")
            coder = _ls_coder(path, where, ann.get("completed_by"), owners)
            inc.coders.add(coder)
            if ann.get("was_cancelled"):
                inc.skipped += 1
                continue
            at = next((ann[k] for k in ("updated_at", "created_at") if isinstance(ann.get(k), str)), "")
            with located(f"{path}: {where}"):
                at = optional_timestamp(at, "'updated_at'")
            chosen = _ls_choices(path, where, ann.get("result", []), codebook)
            implied = from_done.get(coder)
            for name in implied if isinstance(implied, list) else []:
                if chosen.get(name) == []:  # an older export's implied empty set: no row, so missing
                    del chosen[name]
            if not chosen:
                inc.skipped += 1
            for scheme, value in chosen.items():
                with located(f"{path}: {where}"):
                    label_value(value, scheme)
                key = (uid, coder, scheme)
                if key not in inc.states or ts(at) >= ts(inc.states[key].at):
                    inc.states[key] = State(value, at)
                    inc.origin[key] = where
            lead = ann.get("lead_time")
            if isinstance(lead, (int, float)) and not isinstance(lead, bool) and lead > 0:
                inc.seconds[(uid, coder)] = inc.seconds.get((uid, coder), 0.0) + float(lead)
    return inc


def _ls_coder(path: Path, where: str, owner: Any, owners: dict[UserRef, str]) -> str:
    """The coder an annotation's ``completed_by`` names, or one line saying it names none."""
    coder = coder_for(owner, owners)
    if coder is None:
        shown = json.dumps(owner, ensure_ascii=False)
        hint = f" (give --ls-users NAME={owner})" if isinstance(owner, int) and not isinstance(owner, bool) else ""
        raise AnnotatorError(f"{path}: {where}: completed_by={shown} names no coder{hint}; nothing merged")
    try:
        return validate_coder(coder)
    except AnnotatorError as e:
        raise AnnotatorError(f"{path}: {where}: {e}; map the user with --ls-users") from None


def _ls_choices(path: Path, where: str, result: list[Any], codebook: Codebook) -> dict[str, Any]:
    """{scheme: value} of one annotation's ``choices`` results."""
    chosen: dict[str, Any] = {}
    for res in result:
        if not isinstance(res, dict):
            raise AnnotatorError(f"{path}: {where}: a result is not an object; {NOT_LS}")
        name = res.get("from_name")
        kind = res.get("type")
        if kind != "choices":
            raise AnnotatorError(
                f"{path}: {where}: result {name!r} is of type {kind!r}; annotator reads only choices")
        value = res.get("value")
        picks = value.get("choices") if isinstance(value, dict) else None
        if not isinstance(name, str) or not isinstance(picks, list) or not all(isinstance(p, str) for p in picks):
            raise AnnotatorError(f"{path}: {where}: a choices result needs 'from_name' and 'value.choices'; {NOT_LS}")
        scheme = codebook.scheme(name)
        if scheme is not None and not scheme.multi:
            if len(picks) != 1:
                raise AnnotatorError(
                    f"{path}: {where}: {name!r} takes one choice, the annotation gives {len(picks)}")
            chosen[name] = picks[0]
        else:
            # an unknown scheme is reported (or kept with --force) by merge's codebook check
            chosen[name] = list(dict.fromkeys(chosen.get(name, []) + picks))
    return chosen
