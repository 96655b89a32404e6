"""The one check of everything that comes in from outside: the window, the command line,
label files, coders' databases, JSONL, Label Studio and Prodigy files.

Each function takes a value as it was read and returns it in the one type the store
keeps, or raises ``Invalid`` saying what is wrong with it (without saying where: the
reader knows the file and line and puts them in front, with ``located``). Nothing here
is lenient: ``"yes"`` is not a boolean, ``"lots"`` not a number of seconds, and a value
that cannot be what the store holds is refused rather than turned into text.

``short`` is the one way a message quotes a value it refuses: never more than a short
prefix, on one line, however long or strange the value was.

The limits are documented in the README (a label value, a note, a coder's name, an
imported field and file).
"""

from __future__ import annotations

import contextlib
import json
import math
import re
import unicodedata
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from annotator.core.errors import AnnotatorError, Invalid

MAX_CODER_CHARS = 64
MAX_VALUE_CHARS = 10_000  # a label, as label_size counts it: far beyond any codebook's options
MAX_NOTE_CHARS = 10_000
MAX_SUGGESTED_CHARS = 100_000  # what a history row says was suggested: a few schemes' values and probabilities
MAX_FIELD_CHARS = 1_000_000  # one imported question or answer (a long transcript turn is ~20,000)
MAX_IMPORT_FILE_BYTES = 256 * 1024 * 1024
SHORT_CHARS = 60

# Every history row's ``action``: the window's writes, undo/redo, a merge's synthetic rows,
# a schema step's rows, an import correction's rows. A label file or database naming another
# did not come from annotator.
ACTIONS = frozenset({"set", "undo", "redo", "merge", "merge-forced", "migrate", "correct"})

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def storable(n: int) -> bool:
    """Whether SQLite can take ``n`` as an INTEGER: one beyond 64 bits names no row (the
    lookups say 'no such item'); binding it would raise OverflowError instead."""
    return -(2**63) <= n < 2**63


def row_number(text: str) -> int | None:
    """``text`` as the number of a row when it is one -- ASCII digits ('²' is a digit that int()
    refuses) that SQLite can hold -- else None (a uid, a name, or nothing)."""
    if not (text.isascii() and text.isdigit()):
        return None
    n = int(text)
    return n if storable(n) else None


def check_regular_file(path: Path, what: str) -> None:
    """Refuse, in one line, a file argument that exists but is no regular file: a pipe would wait
    for a writer forever, a device (/dev/zero) never end. ``what``: the file the command wants."""
    if path.exists() and not path.is_file() and not path.is_dir():
        raise AnnotatorError(f"{path}: is not a regular file (a device or a pipe), not {what}")


def short(value: Any, limit: int = SHORT_CHARS) -> str:
    """A value as a message quotes it: text as it is, anything else as JSON; control characters
    escaped (one line) and cut to ``limit`` characters. The one home of shortening a value."""
    if isinstance(value, str):
        text = value[:limit]
    else:
        try:
            text = json.dumps(value, ensure_ascii=False, default=repr)
        except (TypeError, ValueError):
            text = repr(value)
    text = _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
    cut = len(text) > limit or (isinstance(value, str) and len(value) > limit)
    return text[: limit - 3] + "..." if cut else text


def quoted(value: Any) -> str:
    """``short``, with text in quotes: what a message says a refused value was."""
    return f"'{short(value)}'" if isinstance(value, str) else short(value)


@contextlib.contextmanager
def located(where: str) -> Iterator[None]:
    """Inside, an ``Invalid`` gets ``where`` (e.g. "alice.jsonl: line 12") in front."""
    try:
        yield
    except Invalid as e:
        raise Invalid(f"{where}: {e}") from None


def validate_coder(name: Any) -> str:
    """A coder's name keys their labels and shapes file names (the window's export default):
    trimmed, 1-64 characters, no control characters, no path separator, not starting with @."""
    if not isinstance(name, str) or not name.strip():
        raise Invalid("coder name is empty" if isinstance(name, str) or name is None
                      else f"coder name {quoted(name)} is not text")
    name = name.strip()
    bad = (
        len(name) > MAX_CODER_CHARS
        or name.startswith("@")
        or "/" in name
        or "\\" in name
        or any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp", "Cs") for c in name)
    )
    if bad:
        raise Invalid(
            f"coder name '{short(name)}' is not allowed (at most {MAX_CODER_CHARS} characters, "
            "no control characters or '/' '\\', not starting with @)"
        )
    return name


def boolean(value: Any, what: str) -> bool:
    """``true`` or ``false`` (JSON), nothing else: "yes", 1 and [1] are refused."""
    if not isinstance(value, bool):
        raise Invalid(f"{what} must be true or false, not {quoted(value)}")
    return value


def seconds(value: Any, what: str = "seconds") -> float:
    """A number of seconds: finite, not negative, not a boolean."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise Invalid(f"{what} must be a number of seconds, not {quoted(value)}")
    return float(value)


def timestamp(value: Any, what: str) -> str:
    """An ISO 8601 time as the store writes them (``2024-05-01T09:30:00.000001Z``, an offset or none)."""
    if not isinstance(value, str) or not value:
        raise Invalid(f"{what} must be an ISO time, not {quoted(value)}")
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise Invalid(f"{what} must be an ISO time, not '{short(value)}'") from None
    return value


def optional_timestamp(value: Any, what: str) -> str:
    """A time or nothing (``None`` or ``""``: older than any recorded change)."""
    return "" if value is None or value == "" else timestamp(value, what)


def action(value: Any) -> str:
    if not isinstance(value, str) or value not in ACTIONS:
        raise Invalid(f"history action {quoted(value)} is not one annotator writes ({', '.join(sorted(ACTIONS))})")
    return value


def label_size(value: str | list[str]) -> int:
    """A label's size as its limit (``MAX_VALUE_CHARS``) counts it: an option's characters, a
    list's with three for each option's quotes and comma. The one measure of a label, wherever
    it comes from (a label file, a database, the window), and of the largest label a codebook
    allows (``fits_a_label``)."""
    return len(value) if isinstance(value, str) else sum(len(v) + 3 for v in value)


def fits_a_label(value: str | list[str]) -> bool:
    """Whether a label file or database may hold ``value``: the codebook refuses an option (or a
    multi-choice scheme's options together) that does not, or its own label file would be refused."""
    return label_size(value) <= MAX_VALUE_CHARS


def label_value(value: Any, scheme: str) -> Any:
    """A label's value as a file gives it: one option (text) or a list of options, bounded in
    size; ``None`` is no label. Whether the codebook has the options is the codebook's to say
    (``Scheme.canonical``); what cannot be an option at all is refused here, ``--force`` or not."""
    if value is None:
        return None
    if not isinstance(value, str) and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        raise Invalid(f"label '{short(scheme)}' must be an option or a list of options, not {quoted(value)}")
    if not fits_a_label(value):
        raise Invalid(f"label '{short(scheme)}' is {label_size(value):,} characters long (at most {MAX_VALUE_CHARS:,}): "
                      f"'{short(value)}'")
    return value


# The longest JSON text of a label ``label_value`` takes: every character escaped (\u0000 is six)
# and the list's brackets. Only a bound against parsing a huge text: the size is label_value's to say,
# so a database's label and a label file's are held to one measure.
_MAX_STORED_CHARS = 6 * MAX_VALUE_CHARS + 2


def stored_label(text: Any, scheme: str) -> Any:
    """A label value as a database holds it (JSON text), checked as ``label_value``."""
    if not isinstance(text, str):
        raise Invalid(f"label '{short(scheme)}' is not JSON text")
    if len(text) > _MAX_STORED_CHARS:
        raise Invalid(f"label '{short(scheme)}' is {len(text):,} characters of JSON (at most {MAX_VALUE_CHARS:,} "
                      f"characters of options): '{short(text)}'")
    try:
        value = json.loads(text)
    except ValueError:
        raise Invalid(f"label '{short(scheme)}' is not JSON: '{short(text)}'") from None
    return label_value(value, scheme)


def note(value: Any, what: str = "note") -> str:
    if not isinstance(value, str):
        raise Invalid(f"{what} must be text, not {quoted(value)}")
    if len(value) > MAX_NOTE_CHARS:
        raise Invalid(f"{what} is {len(value):,} characters long (at most {MAX_NOTE_CHARS:,})")
    return value


def text_field(value: Any, what: str) -> str:
    """One imported field (a question, an answer, an outlet): text or nothing, bounded; a number
    or a list is refused rather than stored as Python's spelling of it."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Invalid(f"'{what}' must be text, not {quoted(value)}")
    if len(value) > MAX_FIELD_CHARS:
        raise Invalid(f"'{what}' is {len(value):,} characters long (at most {MAX_FIELD_CHARS:,})")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as e:  # JSON's "\ud800" alone: no character, and SQLite cannot store it
            raise Invalid(f"'{what}' holds \\u{ord(value[e.start]):04x} at character {e.start + 1:,}, "
                          "half of a character, not text") from None
    return value


def suggested(value: Any) -> str | None:
    """What a history event says was suggested on screen (``label_events.suggested``), as a file
    gives it -- an object or its JSON text -- returned as the JSON text the store keeps; None:
    nothing was shown. Each scheme: {"model": text, "value": an option or a list of them,
    "p": {option: a probability}}."""
    if value is None:
        return None
    if isinstance(value, str):
        if len(value) > MAX_SUGGESTED_CHARS:
            raise Invalid(f"the suggestions shown are {len(value):,} characters long (at most {MAX_SUGGESTED_CHARS:,})")
        try:
            value = json.loads(value)
        except ValueError:
            raise Invalid(f"the suggestions shown are not JSON: '{short(value)}'") from None
    if not isinstance(value, dict) or not value:
        raise Invalid(f"the suggestions shown must be an object of schemes, not {quoted(value)}")
    for scheme, said in value.items():
        field_name(scheme)
        if not isinstance(said, dict) or not isinstance(said.get("model"), str) or "value" not in said:
            raise Invalid(f"the suggestion of '{short(scheme)}' must say its model and value, not {quoted(said)}")
        label_value(said["value"], scheme)
        p = said.get("p", {})
        if not isinstance(p, dict) or not all(
                isinstance(q, int | float) and not isinstance(q, bool) and 0 <= q <= 1 for q in p.values()):
            raise Invalid(f"the suggestion of '{short(scheme)}' has probabilities {quoted(p)}, not numbers 0 to 1")
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if len(text) > MAX_SUGGESTED_CHARS:
        raise Invalid(f"the suggestions shown are {len(text):,} characters long (at most {MAX_SUGGESTED_CHARS:,})")
    return text


def field_name(value: Any) -> str:
    """A scheme's name as a file gives it (a history row's field, a label's key): text, at most
    64 characters, no control characters. Whether the codebook has it is the codebook's to say."""
    if not isinstance(value, str) or not value or len(value) > MAX_CODER_CHARS or _CONTROL.search(value):
        raise Invalid(f"{quoted(value)} is not a scheme's name")
    return value
