"""What happened to the units coders compared: unanimous, accepted as gold, disagreements settled
in review (a coder's value taken), by hand, or still open; and each coder against the gold.

Gold is read in bulk (``store.gold.columns``) and each distinct stored value given its meaning
once (``Scheme.given``, then ``Scheme.category``), as ``agreement.project.code_scheme`` does
for the coders' labels, so a gold value and a coder's value are the same code when they are
the same category.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from annotator.core.agreement.coded import CodedScheme
from annotator.core.agreement.project import Kinds, figures_of
from annotator.core.codebook import Scheme
from annotator.core.store import Store


class Gold:
    """One scheme's gold labels aligned with the coded units: ``code`` per unit (-1: no gold),
    ``method`` per unit, ``categories`` (the coded scheme's, plus any gold value no coder gave)."""

    def __init__(self, store: Store, scheme: Scheme, coded: CodedScheme, kinds: Kinds) -> None:
        ids, texts, methods = store.gold.columns(scheme.name)
        self.total = len(ids)
        self.categories = list(coded.categories)
        index = {c: k for k, c in enumerate(self.categories)}
        self.code = np.full(len(coded.item_ids), -1, dtype=np.int64)
        self.method = np.full(len(coded.item_ids), None, dtype=object)
        if not ids:
            return
        ids_a = np.array(ids, dtype=np.int64)
        rows = np.searchsorted(coded.item_ids, ids_a)
        inside = rows < len(coded.item_ids)
        inside[inside] = coded.item_ids[rows[inside]] == ids_a[inside]
        decoded: dict[tuple[str, str], int] = {}
        for i in np.nonzero(inside)[0]:
            kind = kinds.names[kinds.of[ids_a[i]]]
            key = (texts[i], kind)
            if key not in decoded:
                given = scheme.given(json.loads(texts[i]), kind=kind)
                if given is None:
                    decoded[key] = -1
                else:
                    category = scheme.category(given)
                    if category not in index:
                        index[category] = len(self.categories)
                        self.categories.append(category)
                    decoded[key] = index[category]
            self.code[rows[i]] = decoded[key]
            self.method[rows[i]] = methods[i]


def outcomes(coded: CodedScheme, gold: Gold) -> dict[str, Any]:
    """Counts of the compared units (two or more values) by what became of them."""
    present = coded.R >= 0
    pairable = present.sum(axis=1) >= 2
    big = np.iinfo(np.int64).max
    low = np.where(present, coded.R, big).min(axis=1) if len(coded.R) else np.zeros(0, np.int64)
    high = coded.R.max(axis=1) if len(coded.R) else np.zeros(0, np.int64)
    unanimous = pairable & (low == high)
    disagree = pairable & ~unanimous
    decided = gold.code >= 0

    def count(mask: np.ndarray, method: str | None = None) -> int:
        if method is None:
            return int(mask.sum())
        return int((mask & (gold.method == method)).sum())

    by_review = count(disagree & decided, "coder")
    by_hand = count(disagree & decided, "hand")
    settled = count(disagree & decided)
    return {
        "compared": count(pairable),
        "unanimous": count(unanimous),
        "unanimous_accepted": count(unanimous & decided, "unanimous"),
        "unanimous_other_gold": count(unanimous & decided) - count(unanimous & decided, "unanimous"),
        "disagreements": count(disagree),
        "settled_by_review": by_review,
        "settled_by_hand": by_hand,
        "settled_otherwise": settled - by_review - by_hand,  # a decision older than provenance, or by acceptance
        "remaining": count(disagree) - settled,
        "gold_total": gold.total,
    }


def against_gold(scheme: Scheme, coded: CodedScheme, gold: Gold, rows_of: dict[str, np.ndarray] | None = None
                 ) -> dict[str, dict[str, Any]]:
    """{coder: units, percent agreement and alpha of their values against the gold} over the
    units where both exist (``rows_of``: only these units of each coder, a mask)."""
    out = {}
    for j, coder in enumerate(coded.coders):
        both = (coded.R[:, j] >= 0) & (gold.code >= 0)
        if rows_of is not None:
            both &= rows_of.get(coder, np.zeros(len(both), bool))
        out[coder] = pair_with_gold(scheme, coded.R[both, j], gold.code[both], gold.categories, coder)
    return out


def pair_with_gold(scheme: Scheme, values: np.ndarray, gold_codes: np.ndarray, categories: list,
                   who: str = "coders") -> dict[str, Any]:
    """Units, percent agreement and alpha of values against the gold of the same units."""
    if len(values) == 0:
        return {"units": 0, "percent_agreement": None, "alpha": None}
    pair = CodedScheme(np.stack([values, gold_codes], axis=1), categories, [who, "gold"],
                       np.arange(len(values)), np.zeros((len(values), 2), bool))
    f = figures_of(scheme, pair)
    return {"units": int(len(values)), "percent_agreement": float((values == gold_codes).mean()), "alpha": f["alpha"]}
