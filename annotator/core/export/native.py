"""The native record: one JSON object per item, with provenance, per-scheme labels and,
for every coder, what they said -- the format ``annotator merge`` reads back.

Per-scheme keys hold a list for multi-choice schemes and a string for single-choice
ones; ``null`` means "no label" (an empty list is a real answer: none of the options).
A scheme that does not apply to the item's kind has no key at all (not applicable is
neither "no label" nor an answer). With ``--gold --provenance`` the record's
``provenance`` says, per scheme, where its value came from (``Row.provenance``). With
``--with-translation`` the record's ``translation`` lists the pairs of the other language
aligned with it (``store.alignments.translations``; empty when none is). ``follow_up_of`` is
the uid of the item this one follows up (``null``: none), the id its own record has; ``meta``
what else the importer kept of the item (a JSONL or CSV record's other fields, a transcript's
``speakers`` or ``role``; ``null``: nothing) -- in this record only: the other formats carry
the uid to join on.
The record is described by ``resources/export-record.schema.json``.
"""

from __future__ import annotations

from typing import Any

from annotator.core.codebook import Scheme
from annotator.core.errors import AnnotatorError
from annotator.core.export.output import Encoded, encode, encode_str
from annotator.core.export.rows import DISAGREEMENT, UNLABELLED, Row, Values

RESERVED = ("uid", "kind", "date", "outlet", "spokesperson", "question", "answer", "text", "source", "follow_up_of",
            "meta", "annotations", "provenance", "translation")


def check_scheme_names(schemes: list[Scheme]) -> None:
    clash = [s.name for s in schemes if s.name in RESERVED]
    if clash:
        raise AnnotatorError(
            f"scheme {clash[0]!r} has the name of a field of the exported record; rename it in the codebook"
        )


def _json(value: Any) -> str:
    """``encode(value)``, without the encoder's walk for the text, nulls and numbers most fields hold."""
    kind = type(value)
    if kind is str:
        return encode_str(value)
    if value is None:
        return "null"
    return int.__repr__(value) if kind is int else encode(value)


# The record is written as its JSON text put together from pieces: the encoder's walk over a
# dict per record and per coder was most of an export's time. The pieces are exactly what
# ``encode`` makes of the record (these keys in this order, no spaces, ``encode_str`` for text).
_TRUE_FALSE = ("false", "true")
_NO_ANNOTATION = ("", False, False, 0.0, None)


class NativeWriter:
    def __init__(self, schemes: list[Scheme], selection: str, coder: str | None, text: str,
                 include_unlabelled: bool, provenance: bool = False,
                 translations: dict[int, list[dict[str, Any]]] | None = None,
                 values: Values | None = None) -> None:
        check_scheme_names(schemes)
        self.schemes = schemes
        self.selection = selection
        self.coder = coder
        self.text = text
        self.include_unlabelled = include_unlabelled
        self.provenance = provenance
        self.translations = translations
        self.values = values or Values()
        self._key = {s.name: f"{encode_str(s.name)}:" for s in schemes}  # '"tone":'

    def records(self, row: Row) -> tuple[list[Any], str | None]:
        coders = None
        if self.selection == "coder":
            assert self.coder is not None
            values = row.coder_labels(self.coder, self.schemes)
            why = None if values else f"not labelled by {self.coder}"
        else:
            values, why = row.consensus(self.schemes)
            if self.selection == "all":
                # every coder's labels go out, agreed or not: only an item nobody gave a value is left out
                why = UNLABELLED if why == UNLABELLED else None
                coders = row.coders()
        if why is not None and not (self.include_unlabelled and why != DISAGREEMENT):
            return [], why
        encoded, key = self.values.encoded, self._key
        question, answer = encode_str(row.question), encode_str(row.answer)
        fields = row.text_fields(self.text)
        if len(fields) == 1:
            text = answer if fields[0] == "answer" else question
        else:  # the JSON of "q\n\na" is q's and a's joined by an escaped blank line
            text = f"{question[:-1]}\\n\\n{answer[1:]}"
        applying = row.applying(self.schemes)
        labels = "".join([f",{key[s.name]}{encoded(values.get(s.name))}" for s in applying])
        line = (f'{{"uid":{_json(row.uid)},"kind":{_json(row.kind)},"date":{_json(row.date)},'
                f'"outlet":{_json(row.outlet)},"spokesperson":{_json(row.spokesperson)},'
                f'"question":{question},"answer":{answer},"text":{text},'
                f'"source":{{"name":{_json(row.source_name)},"sha256":{_json(row.source_sha256)},'
                f'"seq":{_json(row.seq)}}},"follow_up_of":{_json(row.follow_up_of)},"meta":{_json(row.meta)}{labels}')
        if coders is not None:
            line += f',"annotations":[{",".join([self._annotation(row, c) for c in coders])}]'
        if self.provenance:
            line += f',"provenance":{encode({s.name: row.provenance(s) for s in applying if s.name in values})}'
        if self.translations is not None:
            line += f',"translation":{encode(self.translations.get(row.id, []))}'
        return [Encoded(line + "}")], None

    def _annotation(self, row: Row, coder: str) -> str:
        """What ``coder`` said about the item: the JSON of {"coder", "labels" (their label rows as
        stored, the state merge reads back, beside the done mark), "note", "flag", "done", "updated_at"}."""
        note, flag, done, _seconds, _at = row.annotations.get(coder, _NO_ANNOTATION)
        encoded, key = self.values.encoded, self._key
        labels = ",".join([key[name] + encoded(value) for name, value in row.stored_labels(coder, self.schemes).items()])
        return (f'{{"coder":{_json(coder)},"labels":{{{labels}}},"note":{_json(note)},'
                f'"flag":{_TRUE_FALSE[flag]},"done":{_TRUE_FALSE[done]},'
                f'"updated_at":{_json(row.coder_updated_at(coder))}}}')
