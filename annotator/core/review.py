"""Disagreements between coders, and gold decisions on them.

How much coders disagree on an item is ``1 - (share of the modal value)``: 0
when all agree, 0.5 when two coders differ, 0.67 when three give three values.
Ties -- no single modal value among three or more coders -- can be sent to a
further coder (``annotator assign --ties-to``) instead of being decided here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from annotator.core.agreement.project import coder_values, select_schemes
from annotator.core.store import Store


@dataclass
class Disagreement:
    item_id: int
    uid: str
    scheme: str
    values: dict[str, Any]  # coder -> value as stored (list for multi-choice)
    spread: float  # 1 - share of the modal value
    tie: bool  # 3+ coders and no single modal value
    gold: Any = None  # the decided value, if any
    decided: bool = False


def _spread(values: list[Any]) -> tuple[float, bool]:
    counts = Counter(values).most_common()
    top = counts[0][1]
    tie = len(values) >= 3 and len(counts) > 1 and counts[1][1] == top
    return 1.0 - top / len(values), tie


def _item_ids(store: Store) -> dict[str, int]:
    return {label.uid: label.item_id for label in store.labels.rows()}


def coded_items(store: Store, scheme: str | None = None, coders: list[str] | None = None):
    """(scheme, item id, uid, {coder: value given}) of every item two or more coders gave a value
    (``Scheme.given``: a label row, ``[]`` included; never a missing or not applicable one)."""
    ids = _item_ids(store)
    for sch in select_schemes(store, scheme):
        for uid, by_coder in coder_values(store, sch, coders).items():
            if len(by_coder) >= 2:
                yield sch, ids[uid], uid, by_coder


def disagreements(
    store: Store, *, scheme: str | None = None, coders: list[str] | None = None, include_decided: bool = True
) -> list[Disagreement]:
    """Items where coders disagree, the most disagreed first (then ties, more coders, item order)."""
    out: list[Disagreement] = []
    gold = store.gold.decided()
    for sch, item_id, uid, by_coder in coded_items(store, scheme, coders):
        spread, tie = _spread([sch.category(v) for v in by_coder.values()])
        if spread == 0:
            continue
        decided = (item_id, sch.name) in gold
        if decided and not include_decided:
            continue
        values = {c: sch.canonical(v, allow_unknown=True) for c, v in sorted(by_coder.items())}
        d = Disagreement(item_id, uid, sch.name, values, spread, tie, decided=decided)
        if decided:
            d.gold = store.gold.of(item_id)[sch.name]["value"]
        out.append(d)
    out.sort(key=lambda d: (-d.spread, not d.tie, -len(d.values), d.item_id, d.scheme))
    return out


def unanimous(store: Store, *, scheme: str | None = None) -> list[tuple[int, str, Any]]:
    """(item id, scheme, value) where two or more coders gave the scheme a value and all agree."""
    return [
        (item_id, sch.name, sch.canonical(next(iter(by_coder.values())), allow_unknown=True))
        for sch, item_id, _uid, by_coder in coded_items(store, scheme)
        if len({sch.category(v) for v in by_coder.values()}) == 1
    ]


def accept_unanimous(store: Store, reviewer: str, *, scheme: str | None = None, skip_empty: bool = False) -> dict[str, Any]:
    """Make every unanimous, still undecided (item, scheme) gold in ONE transaction; counts per
    scheme, and how many of them are empty sets ("none of these" on every side), which
    ``skip_empty`` leaves out. A value the codebook lacks (kept by a forced codebook change or
    merge) is left out and counted (``outside_codebook``): gold takes only the codebook's
    options, and one such value refused every scheme's unanimous labels at once."""
    gold = store.gold.decided()
    agreed = unanimous(store, scheme=scheme)
    todo = [(i, s, v) for i, s, v in agreed if (i, s) not in gold]
    skipped = Counter(s for i, s, _v in agreed if (i, s) in gold)
    outside = Counter(s for _i, s, v in todo if store.scheme(s).unknown(v))
    todo = [(i, s, v) for i, s, v in todo if not store.scheme(s).unknown(v)]
    empty = sum(v == [] for _i, _s, v in todo)
    if skip_empty:
        todo = [(i, s, v) for i, s, v in todo if v != []]
    store.gold.set_many(todo, reviewer, "unanimous", action="accept", method="unanimous")
    per_scheme = Counter(s for _i, s, _v in todo)
    return {
        "accepted": len(todo),
        "per_scheme": dict(sorted(per_scheme.items())),
        "empty_sets": 0 if skip_empty else empty,
        "skipped_empty": empty if skip_empty else 0,
        "already_gold": sum(skipped.values()),
        "outside_codebook": dict(sorted(outside.items())),
        "gold_total": store.gold.count(),
    }


def tied_items(store: Store, *, min_coders: int = 3) -> list[int]:
    """Items where ``min_coders`` or more coders are tied (no single modal value) on some scheme."""
    ids = set()
    for sch, item_id, _uid, by_coder in coded_items(store):
        if len(by_coder) >= min_coders and _spread([sch.category(v) for v in by_coder.values()])[1]:
            ids.add(item_id)
    return sorted(ids)
