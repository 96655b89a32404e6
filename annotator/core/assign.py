"""Who codes what: every conference whole to one coder, a stratified random share to two.

A coder reads a briefing from its first exchange to its last (an answer often refers to an
earlier one), so a conference -- all its sources, both languages -- goes to one coder. The
reliability sample is drawn from every conference, a share of each (the rounding carried
from one to the next, so the whole share is right too), so agreement is measured across the
whole period and every outlet mix, not on one long transcript; each item of it goes to a
second coder besides the conference's own. Loads stay balanced: the largest conferences are
placed first, each with the least-loaded coder, and each sample item with the least-loaded
other coder, ties broken by the seeded random generator, so the same seed gives the same
assignment.
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


def check_overlap(overlap: float, coders: list[str]) -> None:
    """Refuse an overlap that is no share, or one that needs a second coder there is not."""
    if not 0 <= overlap <= 1:
        raise AnnotatorError(f"--overlap: {overlap} is not a share between 0 and 1 (e.g. 0.2)")
    if overlap > 0 and len(coders) < 2:
        raise AnnotatorError("--overlap needs at least two coders")


def plan_assignment(strata: list[tuple[int, str]], coders: list[str], overlap: float,
                    seed: int | None) -> list[tuple[int, str]]:
    """(item id, coder) rows from (item id, conference id) strata: every conference's items to
    one coder, round(overlap * n) of each conference (carried across them) to a second one."""
    check_overlap(overlap, coders)
    rng = random.Random(seed)
    by_conference: dict[str, list[int]] = defaultdict(list)
    for item_id, conference_id in strata:
        by_conference[conference_id].append(item_id)
    # Largest first, so the small ones even the loads out; equal sizes in a seeded order.
    order = sorted(by_conference, key=lambda c: (-len(by_conference[c]), rng.random(), c))
    load = {c: 0 for c in coders}

    def least_loaded(among: list[str]) -> str:
        return min(among, key=lambda c: (load[c], rng.random()))

    rows: list[tuple[int, str]] = []
    owed = 0.0
    for conference_id in order:
        ids = by_conference[conference_id]
        owner = least_loaded(coders)
        load[owner] += len(ids)
        rows += [(item_id, owner) for item_id in ids]
        owed += overlap * len(ids)
        double = min(len(ids), int(owed + 0.5))
        owed -= double
        others = [c for c in coders if c != owner]
        for item_id in sorted(rng.sample(ids, double)):
            second = least_loaded(others)
            load[second] += 1
            rows.append((item_id, second))
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
        "conferences": len({c for _i, c in strata}),
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
