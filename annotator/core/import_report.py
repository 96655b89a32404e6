"""What one import did with each file, for ``annotator import --report FILE``.

A lead importing a thousand pages cannot open each one; the report says per file
what the importer found (pairs, statements, reported remarks, follow-ups), how it
read the page (the format, and the speaker-label rules that opened its turns: a page
that mixes ``Reuters:`` and ``Q:`` shows both), the conference (title, date,
spokespersons), the paragraphs it read and those it put in no item, and its
warnings. ``check`` lists why a file deserves a look (it failed, holds no pair,
has no date, has warnings); a file with an empty ``check`` needs none.

JSON Lines (one object per file) unless the file name ends in ``.csv``, then one
row per file with lists joined by `` | `` (a spreadsheet sorts by ``check``).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from annotator.core.errors import AnnotatorError
from annotator.core.export.output import AtomicFile, check_target
from annotator.core.items import PreparedSource
from annotator.core.wording import plural

# Paragraphs left out shown per file; the count says how many there were.
_LEFT_OUT_SHOWN = 5
_LEFT_OUT_CHARS = 120

# status: imported | copy (its pairs are another source's: no items added) | would import (dry run) |
# already imported | failed | skipped | not read (cancelled)
IMPORTED, COPY, WOULD_IMPORT, DUPLICATE, FAILED, SKIPPED, NOT_READ = (
    "imported", "copy", "would import", "already imported", "failed", "skipped", "not read")


@dataclass
class FileRecord:
    file: str
    status: str
    check: list[str] = field(default_factory=list)
    conference: str | None = None  # the id of the conference the file joined (or would join)
    copy_of: str | None = None  # a copy: the source whose pairs it repeats
    language: str | None = None
    format: str | None = None
    layout: dict[str, int] = field(default_factory=dict)
    title: str | None = None
    date: str | None = None
    spokespersons: list[str] = field(default_factory=list)
    items: int = 0
    pairs: int = 0
    statements: int = 0
    reported: int = 0
    follow_ups: int = 0
    paragraphs: int = 0
    left_out: int = 0
    left_out_shown: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def record(path: Path, status: str, prepared: PreparedSource | None = None, problem: str | None = None) -> FileRecord:
    """The record of one file: what its prepared source holds, or why there is none."""
    rec = FileRecord(file=str(path), status=status)
    if problem is not None:
        rec.warnings.append(problem)
    if prepared is not None:
        src = prepared.source
        kinds = prepared.kinds
        rec.format, rec.layout, rec.title, rec.date = src.kind, dict(src.layout), src.title, src.date
        rec.language = prepared.language
        rec.spokespersons = sorted({row[5] for row in prepared.rows if row[5]})
        rec.items = len(kinds)
        rec.pairs, rec.statements, rec.reported = (kinds.count(k) for k in ("qa", "statement", "reported"))
        rec.follow_ups = sum(1 for row in prepared.rows if row[10] is not None)
        rec.paragraphs, rec.left_out = src.paragraphs, len(src.left_out)
        rec.left_out_shown = [p[:_LEFT_OUT_CHARS] for p in src.left_out[:_LEFT_OUT_SHOWN]]
        rec.warnings.extend(src.warnings)
        if rec.date is None and not any(row[3] for row in prepared.rows):
            rec.check.append("no date")
        if rec.pairs == 0 and rec.reported == 0 and src.kind not in ("jsonl", "csv"):
            rec.check.append("no question-answer pair")
    if status == FAILED:
        rec.check.insert(0, "failed")
    if prepared is not None and prepared.source.warnings:
        n = len(prepared.source.warnings)
        rec.check.append(plural(n, "warning"))
    return rec


def open_report(path: Path, project: Path, inputs: list[Path]) -> AtomicFile:
    """The report's temporary file beside ``path``, made before anything is imported: a report
    refused (the project, a file being imported, a folder that takes no new file) stops the
    command while the project is untouched. ``write_report`` fills it and renames it into place."""
    check_target(path, what="the import report", project=project, inputs=inputs)
    return AtomicFile(path, what="the import report")


def write_report(out: AtomicFile, records: list[FileRecord], *, written: str | None = None) -> None:
    """Write the records (JSON Lines, or CSV for a ``.csv`` name) and rename the file into place.

    A disk that fills meets the report only after the import committed: ``written`` (what the
    import put in the project, ``ImportSummary.written``) then leads the one line, so the user
    knows the files are in and does not take the failure for a failed import."""
    try:
        try:
            if out.path.suffix.lower() == ".csv":
                out.file.write(_csv(records))
            else:
                for rec in records:
                    out.file.write(json.dumps(asdict(rec), ensure_ascii=False) + "\n")
        except OSError as e:  # past the file's buffer a write meets the full disk before the commit's flush
            out.abort()
            raise AnnotatorError(f"{out.path}: cannot write {out.what} ({e.strerror or e})") from None
        except BaseException:
            out.abort()
            raise
        out.commit()
    except AnnotatorError as e:
        if written is None:
            raise
        raise AnnotatorError(f"{written}, but {e}") from None


def _csv(records: list[FileRecord]) -> str:
    names = list(FileRecord.__dataclass_fields__)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(names)
    for rec in records:
        row = []
        for name in names:
            value = getattr(rec, name)
            if isinstance(value, dict):
                value = ", ".join(f"{k} {n}" for k, n in value.items())
            elif isinstance(value, list):
                value = " | ".join(value)
            row.append("" if value is None else value)
        writer.writerow(row)
    return buf.getvalue()
