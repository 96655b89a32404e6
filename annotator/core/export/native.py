"""The native record: one JSON object per item, with provenance, per-scheme labels and,
for every coder, what they said -- the format ``annotator merge`` reads back.

Per-scheme keys hold a list for multi-choice schemes and a string for single-choice
ones; ``null`` means "no label" (an empty list is a real answer: none of the options).
A scheme that does not apply to the item's kind has no key at all (not applicable is
neither "no label" nor an answer). With ``--gold --provenance`` the record's
``provenance`` says, per scheme, where its value came from (``Row.provenance``). With
``--with-translation`` the record's ``translation`` lists the pairs of the other language
aligned with it (``store.alignments.translations``; empty when none is).
The record is described by ``resources/export-record.schema.json``.
"""

from __future__ import annotations

from typing import Any

from annotator.core.codebook import Scheme
from annotator.core.errors import AnnotatorError
from annotator.core.export.rows import DISAGREEMENT, UNLABELLED, Row

RESERVED = ("uid", "kind", "date", "outlet", "spokesperson", "question", "answer", "text", "source", "annotations",
            "provenance", "translation")


def check_scheme_names(schemes: list[Scheme]) -> None:
    clash = [s.name for s in schemes if s.name in RESERVED]
    if clash:
        raise AnnotatorError(
            f"scheme {clash[0]!r} has the name of a field of the exported record; rename it in the codebook"
        )


def annotation_entry(row: Row, coder: str, schemes: list[Scheme]) -> dict[str, Any]:
    note, flag, done, _seconds, _at = row.annotations.get(coder, ("", False, False, 0.0, None))
    return {
        "coder": coder,
        "labels": row.stored_labels(coder, schemes),  # the state merge reads back, beside the done mark
        "note": note,
        "flag": flag,
        "done": done,
        "updated_at": row.coder_updated_at(coder),
    }


class NativeWriter:
    def __init__(self, schemes: list[Scheme], selection: str, coder: str | None, text: str,
                 include_unlabelled: bool, provenance: bool = False,
                 translations: dict[int, list[dict[str, Any]]] | None = None) -> None:
        check_scheme_names(schemes)
        self.schemes = schemes
        self.selection = selection
        self.coder = coder
        self.text = text
        self.include_unlabelled = include_unlabelled
        self.provenance = provenance
        self.translations = translations

    def records(self, row: Row) -> tuple[list[dict[str, Any]], str | None]:
        annotations = None
        if self.selection == "coder":
            assert self.coder is not None
            values = row.coder_labels(self.coder, self.schemes)
            why = None if values else f"not labelled by {self.coder}"
        else:
            values, why = row.consensus(self.schemes)
            if self.selection == "all":
                # every coder's labels go out, agreed or not: only an item nobody gave a value is left out
                why = UNLABELLED if why == UNLABELLED else None
                annotations = [annotation_entry(row, c, self.schemes) for c in row.coders()]
        if why is not None and not (self.include_unlabelled and why != DISAGREEMENT):
            return [], why
        record: dict[str, Any] = {
            "uid": row.uid,
            "kind": row.kind,
            "date": row.date,
            "outlet": row.outlet,
            "spokesperson": row.spokesperson,
            "question": row.question,
            "answer": row.answer,
            "text": row.text(self.text),
            "source": {"name": row.source_name, "sha256": row.source_sha256, "seq": row.seq},
        }
        applying = row.applying(self.schemes)
        for s in applying:
            record[s.name] = values.get(s.name)
        if annotations is not None:
            record["annotations"] = annotations
        if self.provenance:
            record["provenance"] = {s.name: row.provenance(s) for s in applying if s.name in values}
        if self.translations is not None:
            record["translation"] = self.translations.get(row.id, [])
        return [record], None
