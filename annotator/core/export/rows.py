"""One item as the writers see it, and which labels an export takes from it.

``--gold`` takes the adjudicated label of each scheme, else the label every coder who
labelled that scheme gave -- but only when at least two did: one coder's word is not
yet checked, so it is not gold (``--coder NAME`` exports one coder's labels). An item
on which coders disagree with no decision yet is left out whole.
"""

from __future__ import annotations

import json
from typing import Any

from annotator.core.codebook import Scheme

LabelValue = str | list[str] | None

UNLABELLED = "unlabelled"
DISAGREEMENT = "open disagreement"
ONE_CODER = "labelled by one coder only"


class Row:
    """An item with everyone's labels: ``labels[coder][scheme] = (value, updated_at)``,
    ``annotations[coder] = (note, flag, done, seconds, updated_at)``, ``gold[scheme] =
    (value, decided_by, decided_at)``."""

    __slots__ = (
        "id", "uid", "kind", "date", "outlet", "spokesperson", "question", "answer", "seq",
        "source_id", "source_name", "source_sha256", "labels", "annotations", "gold",
    )

    def __init__(self, raw: tuple[Any, ...]) -> None:
        (self.id, self.uid, self.kind, self.date, self.outlet, self.spokesperson, self.question,
         self.answer, self.seq, self.source_id, self.source_name, self.source_sha256,
         labels, annotations, gold) = raw
        self.labels: dict[str, dict[str, tuple[LabelValue, str]]] = {}
        if labels != "[]":
            for coder, scheme, value, at in json.loads(labels):
                self.labels.setdefault(coder, {})[scheme] = (value, at)
        self.annotations: dict[str, tuple[str, bool, bool, float, str]] = {}
        if annotations != "[]":
            for coder, note, flag, done, seconds, at in json.loads(annotations):
                self.annotations[coder] = (note, bool(flag), bool(done), seconds, at)
        self.gold: dict[str, tuple[LabelValue, str, str]] = {}
        if gold != "[]":
            for scheme, value, by, at in json.loads(gold):
                self.gold[scheme] = (value, by, at)

    def text(self, mode: str) -> str:
        if mode == "answer":
            return self.answer
        if mode == "question":
            return self.question
        # pair: the question gives the answer its meaning; statements have none
        if self.question and self.answer:
            return f"{self.question}\n\n{self.answer}"
        return self.question or self.answer

    def coder_labels(self, coder: str, schemes: list[Scheme]) -> dict[str, LabelValue]:
        """The schemes ``coder`` labelled, with their values."""
        mine = self.labels.get(coder, {})
        return {s.name: mine[s.name][0] for s in schemes if s.name in mine}

    def coder_updated_at(self, coder: str) -> str | None:
        stamps = [at for _, at in self.labels.get(coder, {}).values()]
        if coder in self.annotations:
            stamps.append(self.annotations[coder][4])
        return max(stamps) if stamps else None

    def coders(self) -> list[str]:
        return sorted(set(self.labels) | set(self.annotations))

    def consensus(self, schemes: list[Scheme]) -> tuple[dict[str, LabelValue], str | None]:
        """Gold per scheme, else the unanimous label of >= 2 coders.

        Returns the values found and why the item falls short of gold: None if nothing
        is wrong, else DISAGREEMENT, ONE_CODER or UNLABELLED (checked in that order).
        """
        values: dict[str, LabelValue] = {}
        disagreement = one_coder = False
        for s in schemes:
            if s.name in self.gold:
                values[s.name] = self.gold[s.name][0]
                continue
            given = [mine[s.name][0] for mine in self.labels.values() if s.name in mine]
            if len(given) >= 2:
                first = _key(given[0])
                if all(_key(v) == first for v in given[1:]):
                    values[s.name] = given[0]
                else:
                    disagreement = True
            elif given:
                one_coder = True
        if disagreement:
            return values, DISAGREEMENT
        if values:
            return values, None
        return values, ONE_CODER if one_coder else UNLABELLED


def _key(value: LabelValue) -> Any:
    # Multi-choice lists compare as sets: order carries no meaning.
    return tuple(sorted(value)) if isinstance(value, list) else value
