"""Who codes what: every item to one coder, a stratified random share to two.

The overlap is drawn per conference (source), so agreement is measured across
the whole period and every outlet mix, not on one long transcript. Loads stay
balanced: each item goes to the least-loaded coder(s), ties broken by the seeded
random generator, so the same seed gives the same assignment.
"""

from __future__ import annotations

import random
from collections import defaultdict
from typing import Any

from annotator.core.errors import AnnotatorError
from annotator.core.records import validate_coder
from annotator.core.review import tied_items
from annotator.core.store import Store


def parse_coders(text: str) -> list[str]:
    coders = [validate_coder(c) for c in text.split(",") if c.strip()]
    if not coders:
        raise AnnotatorError("--coders: name the coders, e.g. --coders alice,bob,carol")
    folded: dict[str, str] = {}
    for c in coders:
        if folded.setdefault(c.casefold(), c) != c or coders.count(c) > 1:
            raise AnnotatorError(f"--coders: '{folded[c.casefold()]}' and '{c}' name the same coder")
    return coders


def plan_assignment(strata: list[tuple[int, int]], coders: list[str], overlap: float, seed: int | None) -> list[tuple[int, str]]:
    """(item id, coder) rows: each item once, round(overlap * n) per conference twice."""
    if not 0 <= overlap <= 1:
        raise AnnotatorError(f"--overlap: {overlap} is not a share between 0 and 1 (e.g. 0.2)")
    if overlap > 0 and len(coders) < 2:
        raise AnnotatorError("--overlap needs at least two coders")
    rng = random.Random(seed)
    by_source: dict[int, list[int]] = defaultdict(list)
    for item_id, source_id in strata:
        by_source[source_id].append(item_id)
    load = {c: 0 for c in coders}
    rows: list[tuple[int, str]] = []
    owed = 0.0  # carries rounding across conferences, so the total share is right too
    for source_id in sorted(by_source):
        ids = by_source[source_id][:]
        rng.shuffle(ids)
        owed += overlap * len(ids)
        double = min(len(ids), int(owed + 0.5))
        owed -= double
        for k, item_id in enumerate(ids):
            need = 2 if k < double else 1
            order = sorted(coders, key=lambda c: (load[c], rng.random()))
            for c in order[:need]:
                load[c] += 1
                rows.append((item_id, c))
    rows.sort()
    return rows


def assign(store: Store, coders: list[str], overlap: float, seed: int | None = None) -> dict[str, Any]:
    """Replace the project's assignments; returns per-coder counts and how many items are double-coded."""
    strata = store.assignments.strata()
    if not strata:
        raise AnnotatorError(f"{store.path}: the project has no items to assign; import transcripts first")
    rows = plan_assignment(strata, coders, overlap, seed)
    store.assignments.set(rows, replace=True)
    per_item: dict[int, int] = defaultdict(int)
    for item_id, _c in rows:
        per_item[item_id] += 1
    return {
        "items": len(strata),
        "double_coded": sum(1 for n in per_item.values() if n > 1),
        "per_coder": store.assignments.counts(),
        "seed": seed,
    }


def assign_ties(store: Store, coder: str) -> dict[str, Any]:
    """Send items where three or more coders are tied to one further coder (added to their assignment)."""
    coder = validate_coder(coder)
    ids = tied_items(store)
    added = store.assignments.set([(i, coder) for i in ids], replace=False) if ids else 0
    return {"coder": coder, "tied_items": len(ids), "assigned": added}
