"""Suggestions for one item from the project's stored models, and the rule that keeps them out
of the reliability sample.

An item ``annotator assign`` gave to two or more coders is in the reliability sample, on
which agreement is measured: it never gets a suggestion, whoever opens it, so that the
agreement figures describe unassisted coding (``blind``). Elsewhere a scheme gets a
suggestion when the lead turned suggestions on for it, its model is usable (trained, and
on the codebook in force: ``storage`` refuses the rest) and it applies to the item's kind:
for a single-choice scheme the most probable option, for a multi-choice one every option of
probability 0.5 or more (none that high: no suggestion).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np

from annotator.core.codebook import LabelValue
from annotator.core.model import settings as model_settings
from annotator.core.model.evaluation import THRESHOLD
from annotator.core.model.features import FeatureSpace
from annotator.core.model.storage import ModelRefused, StoredModel, load_heads, load_space
from annotator.core.store import Store


@dataclass(frozen=True)
class Suggestion:
    """What the model suggests for one scheme of one item: the value accepting it gives, each
    suggested option's probability, and the version of the model that said so."""

    scheme: str
    value: LabelValue
    probabilities: dict[str, float]
    model: str


class Suggester:
    """The project's usable models, loaded once (the window keeps one; ``reload`` after training)."""

    def __init__(self, store: Store, *, schemes: list[str] | None = None) -> None:
        """``schemes``: the schemes to suggest for (None: those the lead turned on)."""
        self._store = store
        self.reload(schemes)

    def reload(self, schemes: list[str] | None = None) -> None:
        store = self._store
        wanted = set(model_settings.read(store)["suggest"] if schemes is None else schemes)
        self.models: dict[str, StoredModel] = {}
        self.refused: dict[str, str] = {}  # scheme: the one line saying why its model is not used
        self._spaces: dict[str, FeatureSpace] = {}
        for name, loaded in load_heads(store).items():
            if name not in wanted:
                continue
            if isinstance(loaded, ModelRefused):
                self.refused[name] = str(loaded)
                continue
            try:
                space = self._spaces.get(loaded.features) or load_space(store, loaded.features)
            except ModelRefused as e:
                self.refused[name] = str(e)
                continue
            if loaded.head.coef.shape[1] != space.width:
                self.refused[name] = (f"{store.path}: the model of scheme '{name}' does not fit its features "
                                      f"({loaded.head.coef.shape[1]} weights, {space.width} features); retrain it")
                continue
            self._spaces[loaded.features] = space
            self.models[name] = loaded
        codebook = store.codebook()
        self._order = [s.name for s in codebook.schemes if s.name in self.models]

    def blind(self, item_id: int) -> bool:
        """Whether the item is in the reliability sample (assigned to two or more coders): no
        suggestion is ever shown on it."""
        return self._store.assignments.in_overlap(item_id)

    def suggestions_for(self, item_id: int) -> dict[str, Suggestion]:
        """{scheme: Suggestion} for the item, in codebook order; {} on a blind item."""
        if not self.models or self.blind(item_id):
            return {}
        found = self._store.items.model_texts([item_id])
        if not found:
            return {}
        item = found[0]
        features = {fid: space.one(item) for fid, space in self._spaces.items()}
        codebook = self._store.codebook()
        out: dict[str, Suggestion] = {}
        for name in self._order:
            scheme = codebook.scheme(name)
            if scheme is None or not scheme.applies(item.kind):
                continue
            stored = self.models[name]
            p = stored.head.proba_one(*features[stored.features])
            options = stored.head.options
            if scheme.multi:
                chosen = {o: float(q) for o, q in zip(options, p, strict=True) if q >= THRESHOLD}
                if not chosen:
                    continue
                value: LabelValue = scheme.canonical(list(chosen))
            else:
                top = int(np.argmax(p))
                chosen = {options[top]: float(p[top])}
                value = options[top]
            out[name] = Suggestion(name, value, chosen, stored.version)
        return out


    def uncertainty(self, item_ids: list[int]) -> dict[int, float]:
        """{item id: how unsure the models are of it}, 0 (sure) to 1, read in one batch: per
        scheme that applies, 1 minus the margin between its two most probable options
        (single-choice) or 1 - |2p - 1| of its least certain option (multi-choice); an item's
        figure is its least sure scheme's. Blind items are scored like any other: whether an
        item may be ordered by it is ``ordering``'s rule."""
        found = self._store.items.model_texts(item_ids)
        if not found or not self.models:
            return {t.item_id: 0.0 for t in found}
        X = {fid: space.transform(found) for fid, space in self._spaces.items()}
        codebook = self._store.codebook()
        out = np.zeros(len(found))
        for name in self._order:
            scheme = codebook.scheme(name)
            if scheme is None:
                continue
            stored = self.models[name]
            p = stored.head.proba(X[stored.features])
            if scheme.multi:
                unsure = (1 - np.abs(2 * p - 1)).max(axis=1)
            else:
                top2 = np.sort(p, axis=1)[:, -2:] if p.shape[1] >= 2 else np.hstack([np.zeros_like(p), p])
                unsure = 1 - (top2[:, 1] - top2[:, 0])
            applies = np.array([scheme.applies(t.kind) for t in found])
            out = np.maximum(out, np.where(applies, unsure, 0.0))
        return {t.item_id: float(u) for t, u in zip(found, out, strict=True)}


def as_record(shown: dict[str, Suggestion]) -> str | None:
    """The suggestions on screen as history keeps them with a label change (``label_events.suggested``):
    JSON {scheme: {"model", "value", "p"}}; None when none were shown."""
    if not shown:
        return None
    return json.dumps({s.scheme: {"model": s.model, "value": s.value,
                                  "p": {o: round(q, 4) for o, q in s.probabilities.items()}}
                       for s in shown.values()}, ensure_ascii=False, sort_keys=True)
