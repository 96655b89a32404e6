"""What the store hands out and takes in, without any SQL: anyone may import these.

The label value itself (``LabelValue``) and its rules live with the codebook's
``Scheme``; here are what one write did (``Change``), what one coder said about one
item (``Annotation``), an import's result (``AddResult``), the names of the
annotation's fields, the one clock and the one check of a coder's name.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from annotator.core.codebook import LabelValue
from annotator.core.errors import AnnotatorError

__all__ = [
    "ANNOTATION_DEFAULTS", "ANNOTATION_FIELDS", "AddResult", "Annotation", "Change", "LabelValue",
    "annotation_field", "dump_value", "history_field", "load_value", "now", "validate_coder",
]

# -- the annotation's fields ------------------------------------------------------------
#
# Beside its labels a coder says three things about an item: a note, a flag (unsure)
# and done. Each has ONE name -- note, flag, done -- which is the column of
# ``annotations``, the attribute of ``Annotation``, the key of the export records and
# the label file, and the kind of a window change (``unwritten.Op``). Only where these
# fields share one column with scheme names -- ``label_events.field`` (public schema),
# ``Change.field``, a merge's (uid, coder, field) keys -- are they written with an "@"
# that no scheme name can start with: that spelling is ``history_field(name)``, and
# ``annotation_field`` reads it back.
ANNOTATION_FIELDS = ("note", "flag", "done")
ANNOTATION_DEFAULTS: dict[str, Any] = {"note": "", "flag": False, "done": False}
_BY_HISTORY_FIELD = {f"@{name}": name for name in ANNOTATION_FIELDS}


def history_field(name: str) -> str:
    """``"note"`` -> ``"@note"``: an annotation field where it shares a column with scheme names."""
    if name not in ANNOTATION_DEFAULTS:
        raise ValueError(f"no annotation field {name!r}")
    return f"@{name}"


def annotation_field(history: str) -> str | None:
    """``"@note"`` -> ``"note"``; a scheme's name -> None."""
    return _BY_HISTORY_FIELD.get(history)


def dump_value(value: Any) -> str | None:
    """A value as a history row keeps it (``label_events.before``/``after``): JSON, None as NULL."""
    return None if value is None else json.dumps(value, ensure_ascii=False)


def load_value(text: str | None) -> Any:
    """The inverse of ``dump_value``."""
    return None if text is None else json.loads(text)


def now() -> str:
    """UTC timestamp with microseconds: sorts as text, and orders changes made in one second."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def validate_coder(name: str) -> str:
    """A coder name is how labels are keyed: it must be printable, trimmed and short."""
    if not isinstance(name, str) or not name.strip():
        raise AnnotatorError("coder name is empty")
    name = name.strip()
    if len(name) > 64 or any(ord(c) < 32 for c in name) or name.startswith("@"):
        raise AnnotatorError(f"coder name {name!r} is not allowed (printable, at most 64 characters, not starting with @)")
    return name


@dataclass(frozen=True)
class Change:
    """What one write did: views refresh from this, and ignore their own echo by ``coder``.

    ``field`` is a scheme's name or an annotation field's history spelling (``@note``).
    """

    item_id: int
    coder: str
    field: str
    before: Any
    after: Any
    event_id: int
    action: str


@dataclass
class Annotation:
    """Everything one coder has said about one item: their label rows, note, flag, done mark."""

    labels: dict[str, LabelValue] = field(default_factory=dict)
    note: str = ""
    flag: bool = False
    done: bool = False
    seconds: float = 0.0
    updated_at: str | None = None


@dataclass
class AddResult:
    """What adding one source did: its id, how many items it added, whether it was there already."""

    source_id: int | None
    added: int
    duplicate: bool
