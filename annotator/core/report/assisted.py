"""Assisted and unassisted coding side by side: a coder's value is assisted when they set it while
the window showed a suggestion for that scheme (``label_events.suggested``, read by
``store.labels.assisted``). The reliability sample never gets suggestions, so agreement between
coders is measured on units where no value was assisted, and, where such units exist, where
every value was; agreement with the gold for each kind of value."""

from __future__ import annotations

from typing import Any

import numpy as np

from annotator.core.agreement.project import CodedScheme, figures_of
from annotator.core.codebook import Scheme
from annotator.core.report.outcomes import Gold, pair_with_gold
from annotator.core.report.reliability import subset

NONE_YET = ("No label in this project was set while a suggestion was on screen (label_events.suggested is "
            "empty): there is no assisted coding to compare yet. Once coders work with suggestions "
            "('annotator model DB train'), this section sets assisted and unassisted coding side by side.")


def assisted_mask(coded: CodedScheme, assisted_ids: dict[str, list[int]]) -> np.ndarray:
    """units x coders: True where the coder's value of the unit was set with a suggestion on screen."""
    mask = np.zeros(coded.R.shape, dtype=bool)
    for j, coder in enumerate(coded.coders):
        ids = assisted_ids.get(coder)
        if ids:
            mask[:, j] = np.isin(coded.item_ids, np.array(ids, dtype=np.int64)) & (coded.R[:, j] >= 0)
    return mask


def side_by_side(scheme: Scheme, coded: CodedScheme, gold: Gold, assisted_ids: dict[str, list[int]]) -> dict[str, Any]:
    """{"assisted"/"unassisted": {"values", "between_coders": {units, alpha, percent_agreement},
    "gold": {units, percent_agreement, alpha}}}, or a ``note`` when no value of the scheme was assisted."""
    mask = assisted_mask(coded, assisted_ids)
    present = coded.R >= 0
    if not mask.any():
        return {"note": f"No value of {scheme.title} was set with a suggestion on screen."}
    pairable = present.sum(axis=1) >= 2
    out: dict[str, Any] = {}
    for name, chosen, units in (("assisted", mask, pairable & (mask | ~present).all(axis=1)),
                                ("unassisted", present & ~mask, pairable & ~mask.any(axis=1))):
        f = figures_of(scheme, subset(coded, units)) if units.any() else None
        values = coded.R[chosen & (gold.code[:, None] >= 0)]
        golds = np.broadcast_to(gold.code[:, None], coded.R.shape)[chosen & (gold.code[:, None] >= 0)]
        out[name] = {
            "values": int(chosen.sum()),
            "between_coders": {"units": int(units.sum()), "alpha": f["alpha"] if f else None,
                               "percent_agreement": f["percent_agreement"] if f else None},
            "gold": pair_with_gold(scheme, values, golds, gold.categories),
        }
    return out
