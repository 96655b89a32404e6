"""One item as the writers see it, and which labels an export takes from it.

A coder's value for a scheme is what ``Scheme.given`` makes of their label row on an
item of this kind, as agreement and review read it: a row is the value (``[]``
included), no row is no value, and a scheme that does not apply to the item's kind
is not applicable -- no writer writes anything for it. ``coder_labels``, ``given``,
``stored_labels`` and ``consensus`` follow that rule.

``--gold`` takes the adjudicated label of each scheme, else the value every coder who
gave that scheme one gave -- but only when at least two did: one coder's word is not
yet checked, so it is not gold (``--coder NAME`` exports one coder's labels). An item
on which coders disagree with no decision yet is left out whole.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from annotator.core.codebook import LabelValue, Scheme
from annotator.core.export.output import encode
from annotator.core.records import ExportRow

UNLABELLED = "unlabelled"
DISAGREEMENT = "open disagreement"
ONE_CODER = "labelled by one coder only"
NOT_APPLICABLE = "scheme not applicable to the item's kind"
OUTSIDE = "a value outside the codebook"  # why an item is left out: its only labels are such values
_UNSEEN = object()


def in_codebook(schemes: list[Scheme], values: dict[str, LabelValue]) -> dict[str, LabelValue]:
    """``values`` without those the codebook lacks (kept by a forced codebook change or merge:
    ``Scheme.unknown``). The other tools' formats read such a value as unknown: a choice their
    config has no option for, or all options false -- "none of these", a claim nobody made (an
    option renamed: "not the new name"). The native format and label files keep it."""
    by_name = {s.name: s for s in schemes}
    return {k: v for k, v in values.items() if k not in by_name or not by_name[k].unknown(v)}


class Values:
    """Stored label texts, each decoded once per export, and each value's JSON as the export
    writes it (``encoded``), made once too.

    A project holds few distinct values (an option, a few sets of options) and an export meets
    each of them hundreds of thousands of times. Every row that stored one text shares one
    decoded value, so writers never change a value in place. Past ``LIMIT`` distinct texts (a
    forced merge's odd values) the rest are decoded each time, so memory stays bounded.
    """

    LIMIT = 50_000

    def __init__(self) -> None:
        self._by_text: dict[str, LabelValue] = {}
        # by the id of a value held in _by_text (alive as long as this object): a value the
        # cache does not hold is never looked up under another's id
        self._encoded: dict[int, str] = {id(None): "null"}

    @property
    def known(self) -> Callable[[str, Any], Any]:
        """``known(text, default)``: the value decoded before, else ``default`` (a dict's get:
        most labels are found so, without a call of ``decode``)."""
        return self._by_text.get

    def decode(self, text: str) -> LabelValue:
        try:
            return self._by_text[text]
        except KeyError:
            value: LabelValue = json.loads(text)
            if len(self._by_text) < self.LIMIT:
                self._by_text[text] = value
                self._encoded[id(value)] = encode(value)
            return value

    def encoded(self, value: Any) -> str:
        """``encode(value)``, looked up for a value ``decode`` gave."""
        found = self._encoded.get(id(value))
        return encode(value) if found is None else found


class Row:
    """An item with everyone's labels: ``labels[coder][scheme] = (value, updated_at)``,
    ``annotations[coder] = (note, flag, done, seconds, updated_at)``, ``gold[scheme] =
    (value, decided_by, decided_at, reason, method, taken_from, coder_values)``.

    ``follow_up_of`` is the uid of the item this one follows up (None: it follows none) --
    the id every format already gives its items, so a record's context is found by a join
    whatever the format; ``meta`` the importer's object of the item's other fields (None: none)."""

    __slots__ = (
        "id", "uid", "kind", "date", "outlet", "spokesperson", "question", "answer", "seq",
        "source_id", "source_name", "source_sha256", "language", "follow_up_of", "meta",
        "labels", "annotations", "gold", "_coders",
    )

    def __init__(self, raw: ExportRow, values: Values | None = None) -> None:
        self.id, self.uid, self.kind, self.date = raw.id, raw.uid, raw.kind, raw.date
        self.outlet, self.spokesperson, self.question, self.answer = raw.outlet, raw.spokesperson, raw.question, raw.answer
        self.seq, self.source_id, self.source_name, self.source_sha256 = raw.seq, raw.source_id, raw.source_name, raw.source_sha256
        self.language, self.follow_up_of = raw.source_language, raw.follow_up_of
        # most items have none (NULL), so most rows decode nothing; an empty object is none too
        self.meta: dict[str, Any] | None = (json.loads(raw.meta) or None) if raw.meta else None
        labels, annotations, gold = raw.labels, raw.annotations, raw.gold
        self.labels: dict[str, dict[str, tuple[LabelValue, str]]] = {}
        if labels != "[]":
            values = values or Values()
            known, decode = values.known, values.decode
            by_coder = self.labels
            for coder, scheme, text, at in json.loads(labels):
                value = known(text, _UNSEEN)
                mine = by_coder.get(coder)
                if mine is None:
                    mine = by_coder[coder] = {}
                mine[scheme] = (decode(text) if value is _UNSEEN else value, at)
        self.annotations: dict[str, tuple[str, bool, bool, float, str]] = {}
        if annotations != "[]":
            for coder, note, flag, done, seconds, at in json.loads(annotations):
                self.annotations[coder] = (note, bool(flag), bool(done), seconds, at)
        self.gold: dict[str, tuple[Any, ...]] = {}
        if gold != "[]":
            for scheme, *decision in json.loads(gold):
                self.gold[scheme] = tuple(decision)
        self._coders: list[tuple[str, dict[str, tuple[LabelValue, str]]]] | None = None

    def text(self, mode: str) -> str:
        """The record's text (``--text``): its ``text_fields`` joined by a blank line."""
        fields = self.text_fields(mode)
        if len(fields) == 1:
            return self.answer if fields[0] == "answer" else self.question
        return f"{self.question}\n\n{self.answer}"

    def text_fields(self, mode: str) -> tuple[str, ...]:
        """Which of ``question`` and ``answer`` make the record's text, in order (``text``
        joins them by a blank line; the native writer joins their encoded JSON alike)."""
        if mode == "answer":
            return ("answer",)
        if mode == "question":
            return ("question",)
        # pair: the question gives the answer its meaning; statements have none
        if self.question and self.answer:
            return ("question", "answer")
        return ("question",) if self.question else ("answer",)

    def given(self, coder: str, scheme: Scheme) -> LabelValue:
        """The value ``coder`` gave ``scheme`` on this item (``Scheme.given``; None: none)."""
        mine = self.labels.get(coder)
        row = mine.get(scheme.name) if mine else None
        return scheme.given(row[0] if row else None, kind=self.kind)

    def given_at(self, coder: str, scheme: Scheme) -> str | None:
        """When ``coder``'s value for ``scheme`` was last set: its label row's time."""
        row = self.labels.get(coder, {}).get(scheme.name)
        return row[1] if row is not None else None

    def applying(self, schemes: list[Scheme]) -> list[Scheme]:
        """The schemes of ``schemes`` that apply to this item's kind: the only ones a record carries."""
        return [s for s in schemes if s.applies(self.kind)]

    def coder_labels(self, coder: str, schemes: list[Scheme]) -> dict[str, LabelValue]:
        """The schemes ``coder`` gave a value, with those values (``given``)."""
        out = {}
        for s in schemes:
            value = self.given(coder, s)
            if value is not None:
                out[s.name] = value
        return out

    def stored_labels(self, coder: str, schemes: list[Scheme]) -> dict[str, LabelValue]:
        """``coder``'s label rows as stored, of the schemes that apply: the state a merge reads back."""
        mine = self.labels.get(coder, {})
        return {s.name: mine[s.name][0] for s in schemes if s.name in mine and s.applies(self.kind)}

    def coder_updated_at(self, coder: str) -> str | None:
        stamps = [at for _, at in self.labels.get(coder, {}).values()]
        if coder in self.annotations:
            stamps.append(self.annotations[coder][4])
        return max(stamps) if stamps else None

    def coders(self) -> list[str]:
        return [c for c, _mine in self._coder_marks()]

    def _coder_marks(self) -> list[tuple[str, dict[str, tuple[LabelValue, str]]]]:
        """(coder, their label rows) of everyone who touched the item, by name; worked out
        once per item, as every scheme's consensus reads it."""
        if self._coders is None:
            empty: dict[str, tuple[LabelValue, str]] = {}
            self._coders = [(c, self.labels.get(c, empty)) for c in sorted(set(self.labels) | set(self.annotations))]
        return self._coders

    def consensus(self, schemes: list[Scheme]) -> tuple[dict[str, LabelValue], str | None]:
        """Gold per scheme, else the unanimous value of >= 2 coders (``given``), over the
        schemes that apply to the item's kind.

        Returns the values found and why the item falls short of gold: None if nothing
        is wrong, else DISAGREEMENT, ONE_CODER, UNLABELLED or (no scheme applies at all)
        NOT_APPLICABLE, checked in that order.
        """
        values: dict[str, LabelValue] = {}
        disagreement = one_coder = False
        marks = self._coder_marks()
        applying = self.applying(schemes)
        for s in applying:
            if s.name in self.gold:
                values[s.name] = self.gold[s.name][0]
                continue
            given = []
            for _coder, mine in marks:  # Row.given, for every coder at once
                row = mine.get(s.name)
                value = s.given(None if row is None else row[0], kind=self.kind)
                if value is not None:
                    given.append(value)
            if len(given) >= 2:
                head = given[0]
                # A value stored alike is the same category without building it (most agree so);
                # one text stored alike is one shared value (``Values``), so ``is`` mostly answers.
                agreed = True
                for v in given:
                    if v is not head and v != head:
                        first = s.category(head)
                        agreed = all(w is head or w == head or s.category(w) == first for w in given)
                        break
                if agreed:
                    values[s.name] = head
                else:
                    disagreement = True
            elif given:
                one_coder = True
        if disagreement:
            return values, DISAGREEMENT
        if values:
            return values, None
        if not applying:
            return values, NOT_APPLICABLE
        return values, ONE_CODER if one_coder else UNLABELLED

    def consensus_at(self, scheme: Scheme) -> str | None:
        """When the consensus value of ``scheme`` was reached: the gold decision's time, else
        the latest time a coder set the value it agrees on."""
        gold = self.gold.get(scheme.name)
        if gold is not None:
            return gold[2]
        stamps = [at for c in self.coders() if self.given(c, scheme) is not None and (at := self.given_at(c, scheme))]
        return max(stamps) if stamps else None

    def provenance(self, scheme: Scheme) -> dict[str, Any] | None:
        """Where the consensus value of ``scheme`` comes from (``export --gold --provenance``): the
        gold decision -- ``method`` coder (``taken_from``), hand or unanimous, who decided, when,
        why, and the value each coder had given when it was decided (``coders``) -- or, with no
        decision yet, the coders' unanimous values now (``method`` "unanimous", ``decided_by``
        None). None when the scheme has no consensus value here."""
        gold = self.gold.get(scheme.name)
        if gold is not None:
            value, by, at, reason, method, taken_from, coders = gold
            return {"value": value, "method": method, "taken_from": taken_from, "decided_by": by,
                    "decided_at": at, "reason": reason, "coders": coders}
        coders = {c: v for c in self.coders() if (v := self.given(c, scheme)) is not None}
        if len(coders) < 2 or len({scheme.category(v) for v in coders.values()}) != 1:
            return None
        return {"value": next(iter(coders.values())), "method": "unanimous", "taken_from": None, "decided_by": None,
                "decided_at": None, "reason": "", "coders": coders}
