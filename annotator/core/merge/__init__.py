"""Bring other coders' work into a project: project databases, label files, JSONL exports,
Label Studio's JSON export.

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

Inputs without their own history (native JSONL, Prodigy, Label Studio) get one ``merge``
event per change they make, with a uid derived from what changed, so a second
merge finds it and adds nothing. A value the project's codebook lacks is
refused unless ``force``; forced values are kept as they are and marked with a
``merge-forced`` event each (the history says where they came from).

When is OTHER "a different corpus"? When it shares no item uid with the
project, the project already has items, and OTHER has some: refused (a
database unless ``force``; a JSONL file always, since it cannot bring items).
An empty project takes everything from a database.

Here: the entry points and the checks; ``readers.py`` reads each kind of input,
``state.py`` is the shape they are read into, ``plan.py`` the rule that decides
what is written (its docstring has the decision table), and ``store.sync`` writes it.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from annotator.core import relinking
from annotator.core.codebook import Codebook
from annotator.core.errors import AnnotatorError
from annotator.core.labelstudio_users import UserRef
from annotator.core.merge import bulk
from annotator.core.merge.plan import plan_merge
from annotator.core.merge.readers import check_readable, detect, read_input
from annotator.core.merge.state import Incoming, codebook_mismatches, unknown_values
from annotator.core.records import Snapshot
from annotator.core.store import DatabaseFailure, Store, database_error
from annotator.core.validate import short
from annotator.core.wording import plural, some

__all__ = ["MergeSummary", "detect", "merge_file", "merge_files"]


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
    predictions_only: int = 0  # Label Studio tasks with a model's predictions alone: nothing a coder gave
    forced: dict[str, int] = field(default_factory=dict)  # "scheme=value": labels kept with --force
    # "scheme on KIND items": labels brought onto items their scheme does not apply to here (a file
    # made before the lead narrowed its applies_to): kept, but not applicable everywhere, so said
    not_applicable: dict[str, int] = field(default_factory=dict)
    corrections_applied: int = 0  # OTHER's corrections of items (split, merge, ...) made here too
    corrections_not_applied: list[str] = field(default_factory=list)  # one line each: why not
    alignments_taken: int = 0  # hand alignments (``annotator align``) taken from OTHER
    alignments_kept: int = 0  # OTHER's hand alignments not taken: ours or another coder's stay
    pairs_realigned: int = 0  # English-Chinese pairs aligned again in the conferences sources moved between
    hand_across: int = 0  # hand alignments those moves left across two conferences (kept)

    def line(self) -> str:
        parts = [
            f"{plural(self.labels_added, 'label')} added",
            f"{self.labels_updated:,} updated",
            f"{self.labels_unchanged:,} unchanged",
            f"{plural(self.conflicts_resolved, 'conflict')} resolved (later change kept)",
            f"{plural(self.items_added, 'item')} added",
            *some(self.annotations_changed, "note/flag/done mark", " changed"),
            *some(self.unmatched, "record", " matched no item (skipped)"),
            *some(self.skipped, "record", " without labels (skipped)"),
            *some(self.predictions_only, "task", " with predictions only (a model's suggestions, not labels: not read)"),
            *some(self.corrections_applied, "correction", " applied"),
            *some(len(self.corrections_not_applied), "correction",
                  " not applied (" + "; ".join(self.corrections_not_applied[:3]) + ")"),
            *some(self.alignments_taken, "hand alignment", " taken"),
            *some(self.alignments_kept, "hand alignment",
                  " not taken (the project's own, another coder's or of items it lacks)"),
            *some(self.pairs_realigned, "English-Chinese pair", " aligned again"),
            *([relinking.hand_across_words(self.hand_across)] if self.hand_across else []),
        ]
        if self.forced:
            parts.append("kept outside the codebook: " + ", ".join(f"{k} ({n})" for k, n in self.forced.items()))
        if self.not_applicable:
            parts.append("kept on items their scheme does not apply to, so read as not applicable everywhere: "
                         + ", ".join(f"{k} ({n})" for k, n in self.not_applicable.items()))
        return f"{self.path} ({self.kind}): " + ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def merge_files(store: Store, paths: list[Path], *, force: bool = False, backup: bool = True,
                ls_users: dict[str, UserRef] | None = None) -> tuple[Path | None, list[MergeSummary]]:
    """Merge each file in its own transaction, after one backup of the project.

    Every file is read and checked before anything is written, so a bad file
    stops the command before the project changes at all. ``ls_users`` says which
    Label Studio user is which coder (``--ls-users``).
    """
    if not paths:
        raise AnnotatorError("merge: name at least one database or label file to merge")
    for path in paths:
        if store.is_this_file(path):
            raise AnnotatorError(f"{path}: is the project itself; name another coder's database")
    # Before the backup and the first write: every file must open and parse, so a bad
    # second file cannot leave the first one merged and the command reported as failed.
    # A label file is staged whole for the bulk merge (``bulk``), which parses every line.
    staged: dict[int, int] = {}
    expected = sum(bulk.file_size(Path(p)) for p in paths)  # what may be staged, at the most
    for k, path in enumerate(paths):
        if detect(Path(path)) == "labels":
            got = bulk.stage(store, Path(path), k, expected)
            if got is not None:
                staged[k] = got
                continue
        check_readable(Path(path))
    # Another tool's files (Label Studio, Prodigy) are small next to a database and fail in
    # more ways (owners, options): read and check each whole before the first write too.
    if len(paths) > 1:
        target = store.sync.snapshot(full=False, coders=set())
        for path in paths:
            if detect(Path(path)) in ("labelstudio", "prodigy"):
                _read_checked(store, Path(path), target, force, ls_users)
    # The backup is taken once, just before the first write: a file refused when read, or
    # one that changes nothing, leaves no copy of the project behind.
    bak: Path | None = None

    # The older backups are pruned only once a file's merge is written: a merge refused at its
    # first write (the project locked by another program, Ctrl+C) must not cost the user a
    # restore point, and its own backup, a copy of the unchanged project, is taken away again.
    summaries: list[MergeSummary] = []
    backed_at = 0  # files merged when the backup was taken: none written since, if still as many

    def before_write() -> None:
        nonlocal bak, backed_at
        if backup and bak is None:
            bak = store.sync.backup(prune=False)
            backed_at = len(summaries)

    try:
        for k, p in enumerate(paths):
            summaries.append(merge_file(store, Path(p), force=force, ls_users=ls_users, before_write=before_write,
                                        staged=staged.get(k, NOT_STAGED)))
    except BaseException as e:
        if bak is not None and len(summaries) == backed_at:
            bak.unlink(missing_ok=True)
            bak = None
        if summaries:
            stopped = _stopped_after(store, summaries, [Path(p) for p in paths[len(summaries):]], bak, e)
            if stopped is not None:
                raise stopped from e
        raise
    finally:
        if bak is not None:
            store.sync.prune_backups()
    return bak, summaries


def _stopped_after(store: Store, merged: list[MergeSummary], rest: list[Path], bak: Path | None,
                   e: BaseException) -> AnnotatorError | None:
    """The one line for a merge that stopped (Ctrl+C, a lock, a full disk) after some files were
    merged: those stay merged, each in its own transaction, and the user must know which to give
    again. None for a failure that is a bug, whose traceback is the report."""
    if isinstance(e, KeyboardInterrupt):
        why = f"{rest[0]}: interrupted"
    elif isinstance(e, AnnotatorError):
        why = str(e)
    elif isinstance(e, DatabaseFailure):
        why = str(database_error(store.path, e))
    else:
        return None
    done = ", ".join(f"{s.path} ({plural(s.labels_added, 'label')} added, {s.labels_updated:,} updated)"
                     for s in merged)
    kept = f"; the project as before them is {bak}" if bak is not None else ""
    return AnnotatorError(f"{why}; merged before it stopped, and kept: {done}{kept}; "
                          f"not merged: {', '.join(map(str, rest))}")


def merge_file(store: Store, path: Path, *, force: bool = False, ls_users: dict[str, UserRef] | None = None,
               before_write: Callable[[], None] | None = None, staged: int | None = None) -> MergeSummary:
    """Read, check and merge one file in one transaction; ``before_write`` is called once the
    file is read and checked, when the merge will change the project (e.g. to back it up).
    ``staged``: the number ``bulk.stage`` staged this label file under (``NOT_STAGED``: read it
    line by line; None: stage it here if it is a label file)."""
    unasked = store.unasked_labels()
    summary = _merge_one(store, path, force=force, ls_users=ls_users, before_write=before_write, staged=staged)
    summary.not_applicable = {f"{scheme} on {kind} items": n - unasked.get((scheme, kind), 0)
                              for (scheme, kind), n in store.unasked_labels().items()
                              if n > unasked.get((scheme, kind), 0)}
    return summary


def _merge_one(store: Store, path: Path, *, force: bool, ls_users: dict[str, UserRef] | None,
               before_write: Callable[[], None] | None, staged: int | None) -> MergeSummary:
    with _no_cycle_collection():
        if staged is None and detect(path) == "labels":
            staged = bulk.stage(store, path, next(_numbers))
        if staged is not None and staged != NOT_STAGED:
            summary = MergeSummary(path=str(path), kind="labels")
            target = store.sync.snapshot(full=False, coders=set())
            if bulk.merge_staged(
                store, path, staged, summary, before_write,
                check_coders=lambda coders: _check_coder_case(path, store.path, target.coders, coders),
                different_corpus=lambda: _different_corpus(path, store),
            ):
                return summary
        return _merge_file(store, path, force=force, ls_users=ls_users, before_write=before_write)


NOT_STAGED = -1  # a file the bulk merge does not take: read line by line
_numbers = itertools.count(1_000_000)  # staging numbers of files merged one by one


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """A merge holds hundreds of thousands of named rows at once and makes no reference
    cycles; Python's cycle collector would walk them again and again as they pile up (it
    never untracks a named tuple, as it does a plain one): a third more time, for nothing."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _merge_file(store: Store, path: Path, *, force: bool, ls_users: dict[str, UserRef] | None,
                before_write: Callable[[], None] | None) -> MergeSummary:
    incoming, mismatches = _read_checked(store, path, store.sync.snapshot(full=False, coders=set()), force, ls_users)
    # The plan compares the file with the project's rows of the coders it names, and only those:
    # merging alice's file never reads bob's and carol's labels.
    coders = {coder for _uid, coder, _field in incoming.states} | {coder for _uid, coder in incoming.seconds}
    summary = MergeSummary(path=str(path), kind=incoming.kind, unmatched=incoming.unmatched, skipped=incoming.skipped,
                           predictions_only=incoming.predictions_only)
    # A copy's corrections (split, merge, ... of items) change the project before its labels are
    # planned, so that they find the items the corrections made: the backup comes before them, and
    # they are written in the one transaction of the file's merge, all or nothing.
    fresh = store.corrections.unknown(incoming.corrections)
    if fresh and before_write is not None:
        before_write()
    # The project is read for the plan and written in one transaction that holds the write lock
    # from the start: a window writing to it meanwhile (the coder's, on the file a laptop is merged
    # into) waits and retries, where its change used to land between the plan and the write and be
    # overwritten with the file's older value.
    with store.transaction():
        if fresh:
            summary.corrections_applied, summary.corrections_not_applied = store.corrections.take(fresh, bulk.ts_key)
        target = store.sync.snapshot(full=False, coders=coders)
        incoming.redirect(store.corrections.successors())
        plan = plan_merge(store.codebook(), target, incoming, summary, forced=bool(mismatches))
        if before_write is not None and not fresh and (
                plan.changes_values() or store.alignments.would_change(plan.alignments, bulk.ts_key)):
            before_write()  # history rows alone (merging a file again) need no backup
        # The conferences a coder's correction moved a source between (or a new source joined) are
        # aligned again by the rule --link/--unlink follow, in the same transaction as the merge.
        with store.transaction():
            counts = store.sync.apply(plan, bulk.ts_key)
            summary.pairs_realigned, summary.hand_across = relinking.realign(store, counts.conferences_moved)
    summary.alignments_taken, summary.alignments_kept = counts.alignments_taken, counts.alignments_kept
    summary.items_added = counts.items
    summary.sources_added = counts.sources
    summary.events_added = counts.events
    return summary


# -- checks -------------------------------------------------------------------------------------


def _read_checked(store: Store, path: Path, target: Snapshot, force: bool,
                  ls_users: dict[str, UserRef] | None) -> tuple[Incoming, dict[str, int]]:
    """One input read and checked against the project: coders, corpus, codebook; with the
    values the codebook lacks (kept only with ``force``)."""
    # A label file may name an item a correction retired: it merges onto its successor.
    known = target.uids | store.corrections.successors().keys()
    incoming = read_input(store, path, known, ls_users)
    _check_coder_case(path, store.path, target.coders, incoming.coders)
    _check_corpus(path, store, known, incoming, force)
    codebook = store.codebook()
    mismatches = codebook_mismatches(codebook, incoming.states)
    if mismatches and not force:
        listing = ", ".join(f"{short(k)} ({n})" for k, n in mismatches.items())
        where = _first_origin(codebook, incoming)
        raise AnnotatorError(
            f"{path}: {where + ': ' if where else ''}labels use values the project's codebook lacks: {listing}; "
            "use --force to keep them anyway"
        )
    return incoming, mismatches


def _first_origin(codebook: Codebook, inc: Incoming) -> str | None:
    """The record of the first label the codebook lacks, where the input says (e.g. "line 12")."""
    for key, state in inc.states.items():
        if key in inc.origin and state.value is not None and unknown_values(codebook, key[2], state.value):
            return inc.origin[key]
    return None


def _check_coder_case(path: Path, db: Path, ours: set[str], theirs: set[str]) -> None:
    seen: dict[str, str] = {}
    for name in sorted(ours) + sorted(theirs - ours):
        other = seen.setdefault(name.casefold(), name)
        if other != name:
            raise AnnotatorError(
                f"{path}: coders '{other}' and '{name}' differ only in case; rename one before merging into {db}"
            )


def _different_corpus(path: Path, store: Store) -> AnnotatorError:
    return AnnotatorError(f"{path}: no record matches an item of {store.path} -- a different corpus? Nothing merged")


def _check_corpus(path: Path, store: Store, target_uids: set[str], inc: Incoming, force: bool) -> None:
    if inc.kind != "project":
        # A label file cannot bring items, so with no record matching there is nothing to do.
        if inc.unmatched and not (inc.uids & target_uids):
            raise _different_corpus(path, store)
        return
    if target_uids and inc.uids and not (inc.uids & target_uids) and not force:
        raise AnnotatorError(
            f"{path}: shares no item with {store.path} -- a different corpus? Nothing merged "
            f"(use --force to bring its {len(inc.uids)} items in anyway)"
        )
