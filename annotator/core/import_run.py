"""Import files into a project: parse each, write each in its own transaction.

A file that fails is reported and leaves the database as it was; the other
files still import. The CLI and the window's Import... both run this.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core import import_report as report
from annotator.core.errors import AnnotatorError, NotATranscript
from annotator.core.export.output import project_files
from annotator.core.importers import discover
from annotator.core.parse_ahead import parse_in_order
from annotator.core.store import Store
from annotator.core.wording import figure, plural, some


@dataclass
class ImportSummary:
    files: int = 0  # every file looked at: imported, already here, copies, skipped and failed
    imported_files: int = 0
    items_by_kind: Counter[str] = field(default_factory=Counter)
    duplicate_files: list[str] = field(default_factory=list)
    copies: list[str] = field(default_factory=list)  # "FILE: copy of NAME", one per copy caught
    conferences: set[str] = field(default_factory=set)  # the conferences the imported files joined
    duplicate_conferences: set[str] = field(default_factory=set)  # those of files already imported
    aligned: int = 0  # English-Chinese links the aligner wrote for those conferences (core/aligning.py)
    failed: list[str] = field(default_factory=list)  # one line per failed file
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # files skipped as not transcripts
    cancelled: bool = False
    # What was done with each file, in order (``import --report``).
    records: list[report.FileRecord] = field(default_factory=list)

    @property
    def items(self) -> int:
        return sum(self.items_by_kind.values())

    def line(self, dry_run: bool = False) -> str:
        kinds = ", ".join(f"{figure(n)} {k}" for k, n in sorted(self.items_by_kind.items())) or "no items"
        verb = "would import" if dry_run else "imported"
        parts = [f"{plural(self.files, 'file')}: {verb} {plural(self.items, 'item')} ({kinds})"
                 f" from {plural(self.imported_files, 'file')}"]
        parts += [
            *some(len(self.conferences), "conference"),
            *some(self.aligned, "English-Chinese pair", " aligned"),
            *some(len(self.copies), "copy", " of sources already here (no items added)", "copies"),
            *some(len(self.duplicate_files), "file", " already imported (skipped)"),
            *some(len(self.notes), "file", " skipped (no transcript)"),
            *some(len(self.warnings), "warning"),
            *some(len(self.failed), "file", " failed"),
        ]
        if self.cancelled:
            parts.append("cancelled")
        return "; ".join(parts)

    def nothing_imported(self) -> str | None:
        """Why nothing came in, when nothing did and nothing was there already: the import
        failed (a non-zero exit), however many files it looked at."""
        if self.imported_files or self.duplicate_files or self.copies or self.cancelled:
            return None
        if self.failed:
            return f"nothing imported: {'the file' if len(self.failed) == 1 else f'all {len(self.failed)} files'} failed"
        if self.notes:
            return f"nothing imported: {plural(len(self.notes), 'file')} skipped, none of them a transcript"
        return "nothing imported: no files to import"

    def written(self, project: Path) -> str | None:
        """What this run committed to ``project``, in words ("imported 2 files (31 items) into
        p.db"), or None when it wrote nothing: the lead of the line a later failure (the report's)
        gives, since the files are in the project whatever fails after."""
        done = [f"{plural(self.imported_files, 'file')} ({plural(self.items, 'item')})"] if self.imported_files else []
        done += some(len(self.copies), "copy", "", "copies")
        return f"imported {' and '.join(done)} into {project}" if done else None

    def to_dict(self) -> dict[str, object]:
        return {
            "files": self.files,
            "imported_files": self.imported_files,
            "items": self.items,
            "items_by_kind": dict(self.items_by_kind),
            "duplicate_files": self.duplicate_files,
            "copies": self.copies,
            "conferences": len(self.conferences),
            "aligned": self.aligned,
            "joined": [{"file": r.file, "conference": r.conference, "copy_of": r.copy_of}
                       for r in self.records if r.conference is not None],
            "failed": self.failed,
            "warnings": self.warnings,
            "skipped": self.notes,
            "cancelled": self.cancelled,
            "nothing_imported": self.nothing_imported(),
        }


def check_paths(paths: list[Path]) -> None:
    """Refuse a file or folder to import that is not there, before a project is made or opened."""
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise AnnotatorError(f"{missing[0]}: no such file or folder")


def import_paths(
    store: Store | None,
    paths: list[Path],
    *,
    fmt: str = "auto",
    spokesperson: str | None = None,
    date: str | None = None,
    outlet: str | None = None,
    progress: Callable[[int, int, Path], bool] | None = None,
    allow_copies: bool = False,
) -> ImportSummary:
    """Parse and write every file under ``paths``; ``store=None`` is a dry run.

    Each file joins a conference (its record says which); a copy of a source already in the
    project (the same pairs' text) joins that source's conference and adds no items, unless
    ``allow_copies``.

    ``progress(done, total, path)`` is called before each file; returning False
    cancels between files, so no file is ever half imported.
    """
    check_paths(paths)
    if store is not None:
        for p in paths:
            if store.is_this_file(p):
                raise AnnotatorError(f"{p}: is the project itself; name transcript files or folders to import")
    skipped: list[tuple[Path, str]] = []
    files, notes = discover(paths, skipped)
    if store is not None:
        own = project_files(store.path)
        # Only a file of the project's name, or a link, can be it: resolving every file of a large
        # folder costs a system call for each part of its path.
        names = {p.name for p in own}
        for f in [f for f in files if (f.name in names or f.is_symlink()) and f.resolve() in own]:
            files.remove(f)
            notes.append(f"skipped {f.name}: the project itself")
            skipped.append((f, "the project itself"))
    # Every file looked at, as the report counts them: those skipped here are in the line's sum too.
    summary = ImportSummary(files=len(files) + len(skipped), notes=notes)
    summary.records.extend(report.record(path, report.SKIPPED, problem=why) for path, why in skipped)
    overrides = {"spokesperson": spokesperson, "date": date, "outlet": outlet}
    with store.bulk_writes() if store is not None else contextlib.nullcontext(lambda: None) as commit_if_due:
        _import_files(store, files, summary, fmt, overrides, progress, commit_if_due, allow_copies)
    if store is not None and (summary.conferences or summary.duplicate_conferences):
        from annotator.core.aligning import align_conferences

        # Once per conference at the end, not per file: its other language may come later in the run.
        # A file already here joins in only where its conference was never aligned: an earlier
        # import was stopped between writing both languages and this step.
        again = store.alignments.never_aligned(summary.duplicate_conferences - summary.conferences)
        summary.aligned = align_conferences(store, summary.conferences | again)
    if progress is not None and not summary.cancelled:
        progress(len(files), len(files), Path())
    return summary


def _import_files(
    store: Store | None, files: list[Path], summary: ImportSummary, fmt: str, overrides: dict[str, str | None],
    progress: Callable[[int, int, Path], bool] | None, commit_if_due: Callable[[], None], allow_copies: bool,
) -> None:
    from annotator.core.conferences import conference_id

    parsed = parse_in_order(files, fmt, overrides)
    records = summary.records
    for i, (path, prepared, error) in enumerate(parsed):
        commit_if_due()
        if progress is not None and progress(i, len(files), path) is False:
            summary.cancelled = True
            parsed.close()
            records.extend(report.record(p, report.NOT_READ) for p in files[i:])
            break
        if isinstance(error, NotATranscript):
            summary.notes.append(f"skipped {error}")
            records.append(report.record(path, report.SKIPPED, problem=str(error)))
            continue
        if error is not None or prepared is None:
            summary.failed.append(str(error))
            records.append(report.record(path, report.FAILED, problem=str(error)))
            continue
        summary.warnings.extend(prepared.source.warnings)  # each already names its file
        if store is None:  # a dry run counts what it would import, and names the conference the page would
            summary.imported_files += 1
            summary.items_by_kind.update(prepared.kinds)
            records.append(report.record(path, report.WOULD_IMPORT, prepared))
            records[-1].conference = conference_id(prepared.conference)
            continue
        try:
            result = store.items.add_source(prepared, allow_copies=allow_copies)
        except AnnotatorError as e:
            summary.failed.append(str(e))
            records.append(report.record(path, report.FAILED, prepared, problem=str(e)))
            continue
        if result.duplicate:
            summary.duplicate_files.append(str(path))
            summary.duplicate_conferences.add(result.conference_id)
            records.append(report.record(path, report.DUPLICATE, prepared))
            records[-1].conference = result.conference_id
            continue
        summary.conferences.add(result.conference_id)
        if result.copy_of is not None:
            summary.copies.append(f"{path}: copy of {result.copy_of}")
            records.append(report.record(path, report.COPY, prepared))
        else:
            summary.imported_files += 1
            summary.items_by_kind.update(prepared.kinds)
            records.append(report.record(path, report.IMPORTED, prepared))
        records[-1].conference, records[-1].copy_of = result.conference_id, result.copy_of
