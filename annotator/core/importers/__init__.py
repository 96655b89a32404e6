"""Importers: files of transcripts, news reports, JSONL and CSV -> ``Source`` with items.

The public API (the import command and the window call only these):

- ``FORMATS``: the names ``fmt`` accepts.
- ``discover(paths)``: files and folders -> importable files (sorted) and notes
  about files skipped.
- ``parse_file(path, fmt="auto", *, spokesperson=None, date=None, outlet=None)``
- ``parse_text(text, name, fmt="auto", **overrides)``: the same for text
  already decoded.

Overrides fill what the file does not give; they never replace what it says.
An unusable file raises ``AnnotatorError`` naming the file and the problem.
Pure Python: no database, no Qt.
"""

from __future__ import annotations

import datetime
import os
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from annotator.core.errors import AnnotatorError, NotATranscript
from annotator.core.import_formats import IMPORT_FORMATS
from annotator.core.importers import copied, dates, report, tabular
from annotator.core.importers import text as textmod
from annotator.core.importers.decode import decode
from annotator.core.importers.furniture import drop_furniture
from annotator.core.importers.html import looks_like_html, parse_html
from annotator.core.importers.transcript import Header, Labels, build_items, count_turns
from annotator.core.items import Item, Source, sha256_bytes
from annotator.core.validate import MAX_IMPORT_FILE_BYTES

__all__ = ["FORMATS", "TRANSCRIPT_SUFFIXES", "discover", "parse_file", "parse_text"]

FORMATS = IMPORT_FORMATS

_HTML_SUFFIXES = frozenset((".html", ".htm", ".shtml", ".xhtml"))
_TEXT_SUFFIXES = frozenset((".txt", ".md", ".markdown", ".text", ""))
_TABLE_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "csv"}
# Every file suffix an importer reads (File > Import's filter shows these files)
TRANSCRIPT_SUFFIXES = tuple(sorted((_TEXT_SUFFIXES - {""}) | _HTML_SUFFIXES | set(_TABLE_SUFFIXES)))
# Documentation that travels with a corpus; never a transcript.
_DOC_NAMES = re.compile(r"^(?:readme|sources|license|licence|copying|notice|changelog|authors)"
                        r"(?:\.[\w.]+)?$", re.IGNORECASE)
# A page is a listing when this share of its text sits in links.
_LISTING_LINK_SHARE = 0.5


# -- discovery ------------------------------------------------------------------

def discover(paths: list[Path], skipped: list[tuple[Path, str]] | None = None) -> tuple[list[Path], list[str]]:
    """Expand files and folders (recursively) into importable files, sorted.

    The second value holds one note per file skipped, e.g.
    ``"skipped LICENSE: not a transcript"``; ``skipped``, when given, receives each
    such file with its reason (for ``import --report``).
    """
    found: set[Path] = set()
    notes: list[str] = []
    for path in paths:
        path = Path(path)
        folder = path.is_dir()
        if folder:
            candidates = sorted(p for p in path.rglob("*") if p.is_file())
        elif path.is_file():
            candidates = [path]
        else:
            what = "not a regular file (a device or a pipe)" if path.exists() else "no such file or folder"
            notes.append(f"skipped {path}: {what}")
            if skipped is not None and path.exists():
                skipped.append((path, what))
            continue
        prefix = str(path) + os.sep
        for file in candidates:
            if folder:
                # The file's path inside the folder, as text: pathlib's relative_to cost more than the rest.
                text = str(file)
                inside = text[len(prefix):] if text.startswith(prefix) else str(file.relative_to(path))
                if (os.sep + ".") in (os.sep + inside):
                    continue  # hidden files and folders (.git, .DS_Store)
            reason = _skip_reason(file)
            if reason:
                notes.append(f"skipped {file.name}: {reason}")
                if skipped is not None:
                    skipped.append((file, reason))
            else:
                found.add(file)
    return sorted(found), notes


def _skip_reason(file: Path) -> str | None:
    suffix = file.suffix.lower()
    if _DOC_NAMES.match(file.name):
        return "not a transcript (documentation or licence)"
    if suffix in (".csv", ".tsv"):
        return None if _table_has_pairs(file) else "not a transcript (a table without question/answer columns)"
    if suffix in _HTML_SUFFIXES or suffix in _TEXT_SUFFIXES or suffix in _TABLE_SUFFIXES:
        return None
    return f"not a transcript ({suffix} file)"


def _table_has_pairs(file: Path) -> bool:
    try:
        with file.open("rb") as fh:
            head = fh.readline(65536).decode("utf-8-sig", errors="replace").casefold()
    except OSError:
        return False
    cells = re.split(r"[,\t;]", head)
    return any(c.strip().strip('"') in ("question", "answer") for c in cells)


# -- parsing --------------------------------------------------------------------

def parse_file(path: Path, fmt: str = "auto", *, spokesperson: str | None = None,
               date: str | None = None, outlet: str | None = None) -> Source:
    """Read and parse one file into a Source with items in order (seq 0..n-1)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_FILE_BYTES:
            raise AnnotatorError(f"{path.name}: {size / 2**20:,.0f} MB is too large to import "
                                 f"(at most {MAX_IMPORT_FILE_BYTES // 2**20} MB a file; split it)")
        data = path.read_bytes()
    except OSError as exc:
        raise AnnotatorError(f"{path.name}: cannot be read ({exc.strerror or exc})") from None
    decoded = decode(data, path.name)
    source = _parse(decoded.text, path.name, fmt, sha256_bytes(data),
                    spokesperson=spokesperson, date=date, outlet=outlet)
    if decoded.warning:
        source.warnings.insert(0, decoded.warning)
    return source


def parse_text(text: str, name: str, fmt: str = "auto", *, spokesperson: str | None = None,
               date: str | None = None, outlet: str | None = None) -> Source:
    """Parse text already decoded; the sha256 is that of its UTF-8 bytes."""
    if not text.strip():
        raise AnnotatorError(f"{name}: the file is empty")
    return _parse(text.lstrip("\ufeff"), name, fmt, sha256_bytes(text.encode("utf-8")),
                  spokesperson=spokesperson, date=date, outlet=outlet)


def _parse(text: str, name: str, fmt: str, sha: str, *, spokesperson: str | None,
           date: str | None, outlet: str | None) -> Source:
    if fmt not in FORMATS:
        raise AnnotatorError(f"{name}: unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    if "\x00" in text[:8192]:
        raise AnnotatorError(f"{name}: looks like a binary file, not text (it holds NUL bytes)")
    if date is not None and dates.date_line(date) is None:
        raise AnnotatorError(f"{name}: --date {date!r} is not a date (use YYYY-MM-DD)")
    kind = fmt if fmt != "auto" else _sniff(text, name)
    if kind in ("jsonl", "csv"):
        source = Source(name=name, sha256=sha, kind=kind)
        reader = tabular.parse_jsonl if kind == "jsonl" else tabular.parse_csv
        source.items = reader(text, name, source.warnings)
    elif kind == "html" or (kind in ("transcript", "report") and looks_like_html(text)):
        source = _from_html(text, name, sha, force=None if kind == "html" else kind)
    else:
        source = _from_text(text, name, sha, force=kind if fmt != "auto" else None)
    if not source.items:
        raise AnnotatorError(f"{name}: no recognisable turns or reported remarks")
    _apply_overrides(source, spokesperson=spokesperson, date=date, outlet=outlet)
    return source


def _sniff(text: str, name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in _TABLE_SUFFIXES:
        return _TABLE_SUFFIXES[suffix]
    if suffix in _HTML_SUFFIXES or looks_like_html(text):
        return "html"
    return "text"


def _from_html(text: str, name: str, sha: str, force: str | None) -> Source:
    page = parse_html(text)
    if not page.has_content_block and page.link_share >= _LISTING_LINK_SHARE:
        raise NotATranscript(f"{name}: holds no transcript (a listing page)")
    source = Source(name=name, sha256=sha, kind="html", title=page.title)
    source.warnings.extend(f"{name}: {w}" for w in page.warnings)
    if page.truncated:
        source.warnings.append(f"{name}: the page looks truncated (no closing </html>); "
                               "imported what is there")
    paragraphs = page.paragraphs
    if page.title and paragraphs and paragraphs[0] == page.title:
        paragraphs = paragraphs[1:]
    labels = Labels()  # sniffing and building read the same paragraphs' labels
    use_report = force == "report" or (
        force is None and count_turns(paragraphs[:400], labels) == 0
        and not dates.looks_like_title(page.title or "")
    )
    if use_report:
        source.kind = "report"
        source.items = report.build_items(paragraphs, source, other_text=page.other_text)
        source.paragraphs = len(paragraphs)
        if source.date is None and page.date:  # published on the day its date line gives
            source.date = page.date
            for item in source.items:
                item.date = item.date or page.date
    if not source.items and force != "report":
        # A page of the ministry with no turns is a statement ("…发表谈话").
        source.kind = "html"
        header = _header(page.title, paragraphs, page.other_text, source.warnings, name,
                         page_date=page.date, file_dates=page.file_dates)
        source.date = header.date
        source.items = _build(paragraphs, header, labels, source)
    return source


def _build(paragraphs: list[str], header: Header, labels: Labels, source: Source) -> list[Item]:
    """The items of a transcript, and how they were read (``Source.layout``, ``left_out``)."""
    notes: list[str] = []
    layout: Counter[str] = Counter()
    source.paragraphs = len(paragraphs) + len(source.left_out)  # with the White House header and clock
    items = build_items(paragraphs, header, labels=labels, notes=notes, layout=layout, left_out=source.left_out)
    source.warnings.extend(f"{source.name}: {note}" for note in notes)
    source.layout = dict(layout.most_common())
    return items


def _from_text(text: str, name: str, sha: str, force: str | None) -> Source:
    fields, body = textmod.front_matter(text)
    markdown = bool(fields) or Path(name).suffix.lower() in (".md", ".markdown")
    page = copied.trim(textmod.paragraphs(body, markdown=markdown))  # a page copied from a browser
    paragraphs = drop_furniture(page.paragraphs)
    if not paragraphs:
        raise AnnotatorError(f"{name}: no recognisable turns or reported remarks (no text)")
    source = Source(name=name, sha256=sha, kind="transcript", title=fields.get("title") or page.title,
                    url=fields.get("source_url") or fields.get("url"))
    # The opening of a file tells a transcript from a report; reading all of a
    # 50 MB file twice would not tell more. The labels found here are reused
    # when building the items.
    labels = Labels()
    kind = force or ("transcript" if fields or count_turns(paragraphs[:400], labels) >= 2 or
                     dates.looks_like_title(page.title or paragraphs[0]) else "report")
    if kind == "report":
        source.kind = "report"
        source.items = report.build_items(paragraphs, source, other_text=text)
        source.paragraphs = len(paragraphs)
        if source.items or force == "report" or page.date is None:
            return source
        # No one reported on: a copied page of a statement ("外交部发言人耿爽宣布：……").
        source.kind = "transcript"
    title = fields.get("title") or page.title
    if title is None and dates.looks_like_title(paragraphs[0]):
        title, paragraphs = paragraphs[0], paragraphs[1:]
    source.title = title
    if fields:
        paragraphs = _drop_wh_header(paragraphs, source.left_out)
    header = _header(title, paragraphs, text, source.warnings, name, front=fields, page_date=page.date)
    source.date = header.date
    source.items = _build(paragraphs, header, labels, source)
    return source


# The closing lines of a White House transcript: the clock time, "END", and the "###" of
# a press release (so written, or escaped as "\###" by the Markdown export).
_WH_CLOCK = re.compile(r"^(?:END\s*)?\d{1,2}:\d{2}\s*[AP]\.?M\.?(?:\s+[A-Z]{2,4})?\.?$|^END$|^#{3}$")


def _drop_wh_header(paragraphs: list[str], left_out: list[str]) -> list[str]:
    """White House files open with a place and a clock time and end with one: not speech
    (kept in ``left_out``, which ``import --report`` shows)."""
    from annotator.core.importers.speakers import match_rule

    start = next((i for i, p in enumerate(paragraphs) if match_rule(p)), 0)
    left_out.extend(paragraphs[:start])
    body = paragraphs[start:]
    tail: list[str] = []
    while body and _WH_CLOCK.match(body[-1]):
        tail.insert(0, body.pop())
    left_out.extend(tail)
    return body


def _header(title: str | None, paragraphs: list[str], other_text: str, warnings: list[str],
            name: str, front: dict[str, str] | None = None, page_date: str | None = None,
            file_dates: Sequence[datetime.date] = ()) -> Header:
    """What the page says of the whole conference. The date is the title's (the day of
    the conference); else the page's own date line (beside the title on the ministry's
    pages), the front matter or a date line opening the text. No date is a warning."""
    header = Header(title=title)
    warned = len(warnings)
    if title:
        header.spokesperson = dates.title_spokesperson(title)
        header.names = _names_in(title)
        parts = dates.find_date(title)
        if parts is not None:
            # A title without a year ("on September 11") takes it from the page's evidence,
            # the most trusted first; the body's stated weekdays check it. Only then: reading
            # every date of a whole page is most of a page's parse.
            evidence = () if parts[0] is not None else (
                ("the page's date line", [datetime.date.fromisoformat(page_date)] if page_date else []),
                ("the upload days in the names of the page's images", file_dates),
                ("other dates on the page", dates.full_dates(other_text)))
            header.date = dates.resolve_date(parts, evidence, warnings, text="\n".join(paragraphs))
            if header.date is None or parts[0] is None:  # resolve_date warned: name the file
                warnings[-1] = f"{name}: {warnings[-1]}"
    if header.date is None and page_date:
        header.date = page_date
    if header.date is None and front:
        header.date = dates.date_line(front.get("date", "")) or None
    if header.date is None:
        for p in paragraphs[:5]:
            found = dates.date_line(p)
            if found:
                header.date = found
                break
    if header.date is None and len(warnings) == warned:
        warnings.append(f"{name}: no date in the title, a date line or the opening paragraphs{dates.DATE_UNKNOWN}")
    return header


_PERSON = re.compile(r"[A-Z][a-z]+(?:[- ][A-Z][a-z]+)+")


def _names_in(title: str) -> list[str]:
    """Candidate full names in a title ("... by Press Secretary Jen Psaki Aboard ..."):
    every pair of neighbouring capitalised words; a speaker label is matched on the surname."""
    out = []
    for m in _PERSON.finditer(title.replace("\u00a0", " ")):
        words = m.group(0).split()
        out.extend(" ".join(words[i:i + 2]) for i in range(len(words) - 1))
    return out


def _apply_overrides(source: Source, *, spokesperson: str | None, date: str | None,
                     outlet: str | None) -> None:
    if date and source.date is None:
        source.date = date
        source.warnings = [w for w in source.warnings if not w.endswith(dates.DATE_UNKNOWN)]
    for item in source.items:
        if spokesperson and item.spokesperson is None:
            item.spokesperson = spokesperson
        if date and item.date is None:
            item.date = date
        if outlet and item.outlet is None and item.kind == "qa":
            item.outlet = outlet


