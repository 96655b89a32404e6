"""``annotator export --labels`` files merged in bulk: the lines staged in SQLite (``store.staging``),
every check of ``validate`` run once per distinct value, the plan and the writes set-based.

This path takes a file only when it is sure the line-by-line reader (``readers._read_labels``)
would take it too and do the same; for anything else it stands aside, and the merge reads the
file line by line as before, so that every refusal is that reader's one line, word for word:

* a line SQLite cannot parse as one JSON object, a header this annotator cannot read, a record
  of the wrong shape, any value a check refuses (``stage`` returns None);
* a label value the codebook lacks (refused, or kept with ``--force``: that reader's counts and
  ``merge-forced`` events), a coder's name with blanks around it, an item a correction retired,
  a state without its history event (``merge_staged`` returns None).

Values already canonical are not rebuilt per label: the distinct values of a file are few.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC
from pathlib import Path
from typing import Any

from annotator.core.codebook import Codebook, Scheme
from annotator.core.errors import AnnotatorError
from annotator.core.merge.readers import check_event_fields, labels_format_problem, numbered_lines, take_alignment
from annotator.core.merge.state import Incoming, ts
from annotator.core.records import dump_value, now
from annotator.core.store import Store
from annotator.core.validate import (
    action,
    boolean,
    field_name,
    label_value,
    located,
    note,
    optional_timestamp,
    seconds,
    suggested,
    timestamp,
    validate_coder,
)

_MIN = ts("")


def stage(store: Store, path: Path, k: int, expected_bytes: int | None = None) -> int | None:
    """Stage and check the label file under number ``k``; None: this path does not take it.
    ``expected_bytes``: the size of the files the merge reads, at the most what it stages (None:
    this file's), which decides the TEMP pages' size (``Staging.stage``)."""
    st = store.staging
    try:
        st.stage(k, _lines(path), expected_bytes=file_size(path) if expected_bytes is None else expected_bytes)
    except UnicodeDecodeError:
        st.drop(k)
        return None
    if st.first_unparsed() is not None or st.holds_corrections():
        st.drop(k)
        return None
    headers, aligned = st.split(k)
    try:
        alignments = Incoming(kind="labels")
        for n, text in aligned:
            with located(f"{path}: line {n}"):
                take_alignment(alignments, json.loads(text))
        for _n, text in headers:
            if labels_format_problem(json.loads(text).get("annotator_labels")) is not None:
                raise ValueError("a header this annotator cannot read")
        if st.first_misshapen(k) is not None:
            raise ValueError("a record of the wrong shape")
        values: dict[tuple[str, str], tuple[str | None, str | None]] = {}
        _check_events(st.event_shapes(k), values)
        _check_states(st.state_shapes(k))
        _check_entries(store.codebook(), st.entries(k), values)
        times = [(j, *_time(j, from_event)) for j, from_event in st.times(k)]
        shown = [(raw, suggested(json.loads(raw))) for raw in st.suggestions(k)]
    except (AnnotatorError, ValueError, TypeError, AttributeError, _NotHere):
        st.drop(k)
        return None
    st.keep_maps(k, times, ((s, r, c, same) for (s, r), (c, same) in values.items()), shown)
    st.keep_alignments(k, alignments.alignments, alignments.alignment_events)
    return k


def file_size(path: Path) -> int:
    """The file's size in bytes; 0 when it cannot be read (reading it says what is wrong)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


class _NotHere(Exception):
    """The file is for the line-by-line reader (it holds what only that reader decides)."""


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    with open(path, encoding="utf-8-sig") as f:
        yield from numbered_lines(f)


def _loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _check_events(shapes: list[tuple[Any, ...]], values: dict[tuple[str, str], tuple[str | None, str | None]]) -> None:
    """Each distinct (coder, field, before, after, action, seconds) of the events, checked as
    ``readers._label_file_event`` checks an event; the history values' stored text kept."""
    for coder, fld, before, after, act, secs in shapes:
        name = _loads(coder)
        if validate_coder(name) != name:
            raise _NotHere  # that reader trims the name: rare, and its to do
        b, a = _loads(before), _loads(after)
        check_event_fields(_loads(fld), b, a)
        action(_loads(act) if act is not None else "set")
        seconds(_loads(secs) or 0, "the event's seconds")
        values[("", before)] = (dump_value(b), None)
        values[("", after)] = (dump_value(a), None)


def _check_states(shapes: list[tuple[Any, ...]]) -> None:
    """Each distinct (coder, labels if not an object, note, flag, done, seconds) of the state
    records, checked as ``readers._take_state`` checks a record."""
    for coder, labels, nt, flag, done, secs in shapes:
        name = _loads(coder)
        if validate_coder(name) != name:
            raise _NotHere
        if labels is not None and _loads(labels):
            raise _NotHere  # 'labels' that is not an object
        for text, check in ((nt, note), (flag, lambda v: boolean(v, "'flag'")), (done, lambda v: boolean(v, "'done'")),
                            (secs, lambda v: seconds(v, "'seconds'"))):
            value = _loads(text)
            if value is not None:
                check(value)


def _check_entries(codebook: Codebook, entries: list[tuple[str, str]],
                   values: dict[tuple[str, str], tuple[str | None, str | None]]) -> None:
    """Each distinct (scheme, value) of the records' labels: checked, in the codebook, and put in
    its stored form (``Scheme.canonical``) with the form comparisons use (``comparable``)."""
    for scheme, raw in entries:
        value = label_value(json.loads(raw), field_name(scheme))
        if value is None:
            values[(scheme, raw)] = (None, None)
            continue
        sch = codebook.scheme(scheme)
        if sch is None or sch.unknown(value):
            raise _NotHere  # refused, or kept with --force: the line-by-line reader's counts and events
        canon = sch.canonical(value, allow_unknown=True)
        values[(scheme, raw)] = (json.dumps(canon, ensure_ascii=False), comparable(sch, canon))


def comparable(sch: Scheme | None, value: Any) -> str:
    """A value in the form two values say the same thing in exactly when ``Scheme.same`` says so."""
    if sch is not None and sch.multi and isinstance(value, list):
        return "S" + json.dumps(sorted(set(value)), ensure_ascii=False)
    return "V" + json.dumps(value, ensure_ascii=False)


def _time(j: str, from_event: int) -> tuple[str, str]:
    """A time as the file gives it (JSON text): checked, with its text and sortable key."""
    value = j[1:-1] if j[:1] == '"' and "\\" not in j else json.loads(j)  # a string without escapes is its text
    text = timestamp(value, "the event's 'at'") if from_event else optional_timestamp(value, "'updated_at'")
    # The form the store writes (UTC, microseconds), once checked, is its own key: a label file
    # holds a hundred thousand distinct times, each parsed again by ``ts_key`` otherwise.
    # (The oldest time there is stays ``ts_key``'s: '', as old as no time at all.)
    if _STORED_TIME.fullmatch(text) and text[:-1] > _OLDEST:
        return text, text[:-1]
    return text, ts_key(text)


_STORED_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", re.ASCII)
_OLDEST = "0001-01-01T00:00:00.000000"


@functools.lru_cache(maxsize=65536)
def ts_key(text: str | None) -> str:
    """``state.ts`` as sortable text: the time in UTC with microseconds; '' is older than any."""
    t = ts(text)
    if t == _MIN:
        return ""
    try:
        t = t.astimezone(UTC)
    except OverflowError:
        return "0000"  # a time just after year 1 with an offset: older than any recorded change
    return (f"{t.year:04d}-{t.month:02d}-{t.day:02d}T{t.hour:02d}:{t.minute:02d}:{t.second:02d}"
            f".{t.microsecond:06d}")


def merge_staged(store: Store, path: Path, k: int, summary: Any, before_write: Callable[[], None] | None,
                 check_coders: Callable[[set[str]], None], different_corpus: Callable[[], AnnotatorError]) -> bool:
    """Merge the staged file ``k`` into ``summary``; False: it is for the line-by-line reader
    (nothing was written)."""
    st = store.staging
    try:
        if st.names_retired(k):
            return False
        info = st.prepare(k)
        if info["unevented"] is not None:
            return False
        check_coders(info["coders"])
        if info["unmatched"] and not info["matched"]:
            raise different_corpus()
        # Planned against the project and written in one transaction holding the write lock from
        # the start (see ``merge._merge_file``): a window's change cannot land between the two.
        with store.transaction():
            codebook = store.codebook()
            ours = []
            for scheme, text in st.our_values(info["coders"]):
                try:
                    value = json.loads(text)
                except (ValueError, TypeError):
                    ours.append((scheme, text, "X" + str(text)))
                    continue
                ours.append((scheme, text, comparable(codebook.scheme(scheme), value)))
            counts = st.plan(k, ours, ts_key, now())
            summary.unmatched = info["unmatched"]
            for name in ("labels_added", "labels_updated", "labels_unchanged", "conflicts_resolved", "annotations_changed"):
                setattr(summary, name, counts[name])
            if before_write is not None and counts["writes"]:
                before_write()
            summary.events_added, summary.alignments_taken, summary.alignments_kept = st.apply(k, ts_key)
        return True
    finally:
        st.drop(k)
