"""Assisted and unassisted coding, side by side: what the model's suggestions did to the labels.

A coder's value of a scheme on an item is *assisted* when a suggestion of that scheme was on
screen as they changed the item (``label_events.suggested``, which every change records),
*unassisted* otherwise. A unit (an item with two or more values) is assisted when any of its
values is. For each side: agreement between coders (alpha and percent agreement, the
metrics of ``agreement_from_codes``) and agreement with gold (the share of the coders' values
equal to the gold label, where there is one); and for the assisted values, how often the
coder's value is the one suggested, unchanged. The reliability sample never shows a
suggestion, so its units are all on the unassisted side -- which is the point: the reported
reliability is that of unassisted coding, and this section shows how the rest compares.

Values are compared as the metrics compare them: ``Scheme.category`` of ``Scheme.given``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from annotator.core.agreement._scheme import agreement_from_codes
from annotator.core.agreement.coded import CodedScheme
from annotator.core.codebook import Scheme
from annotator.core.store import Store
from annotator.core.wording import plural


def _code(scheme: Scheme, coded: CodedScheme, value: Any, kind: str) -> int:
    """The index into ``coded.categories`` of a value as a coder would have given it (-2: none, or
    a category no coder gave, so never equal to one)."""
    given = scheme.given(value, kind=kind)
    if given is None:
        return -2
    try:
        return coded.categories.index(scheme.category(given))
    except ValueError:
        return -2


def _share(agree: int, of: int) -> dict[str, Any]:
    return {"compared": of, "agree": agree, "rate": round(agree / of, 4) if of else None}


def assistance(store: Store, scheme: Scheme, coded: CodedScheme, kinds: list[str], kind_of: np.ndarray) -> dict[str, Any]:
    """The assisted/unassisted figures of one scheme over its coded labels (``coded``); ``kinds``
    and ``kind_of`` as ``agreement.project.Kinds`` holds them."""
    seen = store.labels.suggestions_seen(scheme.name)
    R = coded.R
    A = np.zeros(R.shape, dtype=bool)  # the value was given with a suggestion of the scheme on screen
    suggested = np.full(R.shape, -2, dtype=np.int64)
    row_of = {int(i): r for r, i in enumerate(coded.item_ids)}
    col_of = {c: j for j, c in enumerate(coded.coders)}
    for (item_id, coder), said in seen.items():
        r, j = row_of.get(item_id), col_of.get(coder)
        if r is None or j is None or R[r, j] < 0:
            continue
        A[r, j] = True
        suggested[r, j] = _code(scheme, coded, said.get("value"), kinds[kind_of[item_id]])
    gold = np.full(len(coded.item_ids), -2, dtype=np.int64)
    for g in store.gold.values(scheme.name):
        r = row_of.get(g.item_id)
        if r is not None:
            gold[r] = _code(scheme, coded, g.value, g.kind)
    present = R >= 0
    unit_assisted = A.any(axis=1)
    out: dict[str, Any] = {}
    for side, units, values in (("assisted", unit_assisted, A), ("unassisted", ~unit_assisted, present & ~A)):
        figures = agreement_from_codes(R[units], coded.categories, kind=scheme.kind, options=scheme.values,
                                       ordered=scheme.ordered, coders=coded.coders, bootstrap=0, seed=0)
        with_gold = values & (gold[:, None] >= 0)
        out[side] = {
            "values": int(values.sum()),
            "units_compared": int(((present[units]).sum(axis=1) >= 2).sum()),
            "alpha": figures["alpha"],
            "percent_agreement": figures["percent_agreement"],
            "gold": _share(int((with_gold & (gold[:, None] == R)).sum()), int(with_gold.sum())),
        }
    out["accepted_unchanged"] = _share(int((A & (suggested == R)).sum()), int(A.sum()))
    return out


def assistance_lines(a: dict[str, Any]) -> list[str]:
    """The section of ``annotator agreement``'s table for one scheme."""

    def pct(x: float | None) -> str:
        return "-" if x is None else f"{100 * x:.1f}%"

    def num(x: float | None) -> str:
        return "-" if x is None else f"{x:.3f}"

    lines = ["  suggestions (a value is assisted when the scheme's suggestion was on screen as it was given):"]
    for side in ("unassisted", "assisted"):
        s = a[side]
        g = s["gold"]
        lines.append(f"    {side:<10}  {plural(s['values'], 'value')}, {plural(s['units_compared'], 'unit')} compared: alpha {num(s['alpha'])}"
                     f"  agreement {pct(s['percent_agreement'])}  with gold {pct(g['rate'])} of {g['compared']}")
    u = a["accepted_unchanged"]
    lines.append(f"    accepted unchanged: {u['agree']:,} of {plural(u['compared'], 'assisted value')} ({pct(u['rate'])})")
    return lines
