"""JSONL and CSV -> items: one item per record.

Fields ``question``, ``answer``, ``outlet``, ``spokesperson``, ``date``, and
optional ``id``, ``kind`` and ``meta``; any other field is kept in ``meta`` so
nothing the user exported is lost. A record with neither question nor answer is
skipped with a warning naming its line; a CSV with neither column is refused, and so is a
file where a field that is text holds a number, a list or an object (``validate.text_field``).
Records stream line by line: a large file costs memory for its items only.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from annotator.core.errors import AnnotatorError
from annotator.core.importers import dates
from annotator.core.items import KINDS, Item
from annotator.core.validate import MAX_FIELD_CHARS, located, text_field

_FIELDS = ("question", "answer", "outlet", "spokesperson", "date")


def parse_jsonl(text: str, name: str, warnings: list[str]) -> list[Item]:
    items: list[Item] = []
    for lineno, line in enumerate(io.StringIO(text), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            warnings.append(f"{name}: line {lineno}: not valid JSON ({exc.msg}); skipped")
            continue
        except RecursionError:  # json descends once per level of nesting
            warnings.append(f"{name}: line {lineno}: nested too deeply to read; skipped")
            continue
        if not isinstance(record, dict):
            warnings.append(f"{name}: line {lineno}: not a JSON object; skipped")
            continue
        item = _item(record, len(items), name, lineno, warnings)
        if item is not None:
            items.append(item)
    return items


def parse_csv(text: str, name: str, warnings: list[str]) -> list[Item]:
    sample = text[:8192]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FIELD_CHARS))
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    columns = [c.strip().casefold() for c in (reader.fieldnames or [])]
    if "question" not in columns and "answer" not in columns:
        raise AnnotatorError(
            f"{name}: the CSV has no 'question' or 'answer' column (columns: {', '.join(columns) or 'none'})")
    items: list[Item] = []
    try:
        for record in reader:
            clean = {(k or "").strip().casefold(): v for k, v in record.items() if k is not None}
            # The header is line 1; csv counts physical lines, so quoted newlines stay right.
            item = _item(clean, len(items), name, reader.line_num, warnings)
            if item is not None:
                items.append(item)
    except csv.Error as e:
        # csv's own limit (131,072 characters a field by default) is below the importer's
        if "field larger than field limit" in str(e):
            raise AnnotatorError(f"{name}: line {reader.line_num + 1}: a field is longer than the "
                                 f"{MAX_FIELD_CHARS:,} characters a question or answer may hold") from None
        raise AnnotatorError(f"{name}: line {reader.line_num}: not readable as CSV ({e})") from None
    return items


def _item(record: dict[str, Any], seq: int, name: str, lineno: int,
          warnings: list[str]) -> Item | None:
    with located(f"{name}: line {lineno}"):
        # a number or a list where text belongs is refused, never stored as Python's spelling of it
        text = {key: text_field(record.get(key), key) for key in (*_FIELDS, "kind")}
    question = text["question"].strip()
    answer = text["answer"].strip()
    if not question and not answer:
        warnings.append(f"{name}: line {lineno}: the record has neither question nor answer; skipped")
        return None
    meta: dict[str, Any] = {}
    raw_meta = record.get("meta")
    if isinstance(raw_meta, dict):
        meta.update(raw_meta)
    elif isinstance(raw_meta, str) and raw_meta.strip():
        try:
            parsed = json.loads(raw_meta)
            meta.update(parsed if isinstance(parsed, dict) else {"meta": parsed})
        except json.JSONDecodeError:
            meta["meta"] = raw_meta
    for key, value in record.items():
        if key not in _FIELDS and key not in ("meta", "kind") and value not in (None, ""):
            meta[key] = value
    date = text["date"].strip() or None
    if date is not None:
        iso = dates.date_line(date[:10])
        if iso is None:
            warnings.append(f"{name}: line {lineno}: date {date!r} is not YYYY-MM-DD; kept in meta")
            meta["date"] = date
        date = iso
    kind = text["kind"].strip() or "qa"
    if kind not in KINDS:
        warnings.append(f"{name}: line {lineno}: unknown kind {kind!r}; read as qa")
        kind = "qa"
    return Item(kind=kind, seq=seq, question=question, answer=answer,
                outlet=text["outlet"].strip() or None,
                spokesperson=text["spokesperson"].strip() or None,
                date=date, meta=meta)
