"""Drift: alpha over the coding period, one point per week of coding, month of the conferences'
dates, or conference, with the units behind each point; a period with too few units is named
in words instead of drawn."""

from __future__ import annotations

import datetime
from typing import Any

import numpy as np

from annotator.core.agreement.coded import CodedScheme
from annotator.core.agreement.project import figures_of
from annotator.core.codebook import Scheme
from annotator.core.report.reliability import subset
from annotator.core.report.verdict import FEW_UNITS
from annotator.core.store import Store

BY = ("coder-week", "month", "conference")
MIN_UNITS = FEW_UNITS  # fewer units than this in a period: its alpha is too unsure to draw

BY_WORDS = {
    "coder-week": "week of coding (the week a unit's last value was given)",
    "month": "month of the conference's date",
    "conference": "conference, in order of date",
}


class Periods:
    """What every item's period is, read once: under ``--by coder-week`` the day each label was
    last changed, every scheme's (or the one reported on, ``scheme``) in one pass; under ``--by month`` or ``--by conference`` each
    item's date or conference."""

    def __init__(self, store: Store, by: str, scheme: str | None = None) -> None:
        self.by = by
        if by == "coder-week":
            self.days: dict[str, dict[str, tuple[np.ndarray, np.ndarray]]] = {}
            for name, coder, ids, days in store.labels.days(scheme):
                self.days.setdefault(name, {})[coder] = (np.array(ids, np.int64), np.array(days, np.int64))
            return
        ids, dates, sources = store.items.periods()
        self.ids = np.array(ids, dtype=np.int64)
        if by == "month":
            keys = [d[:7] if d else None for d in dates]
            self.names = {k: k for k in set(keys) if k}
        else:
            conferences = store.items.conferences()
            keys = [str(s) for s in sources]
            self.names = {str(s): (f"{d} {t}" if d else t) for s, (d, t) in conferences.items()}
            self.order = {str(s): (d or "9999", s) for s, (d, _) in conferences.items()}
        self.keys = np.array(keys, dtype=object)

    def of(self, scheme: Scheme, coded: CodedScheme) -> np.ndarray:
        """Each unit's period key (None where it has none: an undated item)."""
        if self.by != "coder-week":
            return self.keys[np.searchsorted(self.ids, coded.item_ids)]
        return self._weeks(coded, self.days.get(scheme.name, {}))

    @staticmethod
    def _weeks(coded: CodedScheme, labels: dict[str, tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
        """The Monday of the week in which each unit's last value was given."""
        last = np.full(len(coded.item_ids), -(2**62), dtype=np.int64)
        for coder, (ids_a, days_a) in labels.items():
            if coder not in coded.coders:
                continue
            rows = np.searchsorted(coded.item_ids, ids_a)
            inside = rows < len(coded.item_ids)
            inside[inside] = coded.item_ids[rows[inside]] == ids_a[inside]  # a value, not "not applicable"
            np.maximum.at(last, rows[inside], days_a[inside])
        monday = (last - (last + 3) % 7).astype("datetime64[D]")  # 1970-01-01 was a Thursday
        weeks, which = np.unique(monday, return_inverse=True)
        return np.array([str(w) for w in weeks], dtype=object)[which]

    def name(self, key: str) -> str:
        if self.by == "coder-week":
            year, week, _ = datetime.date.fromisoformat(key).isocalendar()
            return f"{year}-W{week:02d}"
        return self.names.get(key, key)

    def sort_key(self, key: str) -> Any:
        return self.order.get(key, ("9999", 0)) if self.by == "conference" else key


def drift(scheme: Scheme, coded: CodedScheme, periods: Periods) -> dict[str, Any]:
    """{"by", "min_units", "points": [{"period", "units", "alpha"}] in order, "few": periods left
    out for too few units, "undated": units without a period, "note": words when nothing is drawn}."""
    pairable = (coded.R >= 0).sum(axis=1) >= 2
    keys = periods.of(scheme, coded)[pairable]
    comparable = subset(coded, pairable)
    undated = int(sum(k is None for k in keys))
    points, few = [], []
    for key in sorted({k for k in keys if k is not None}, key=periods.sort_key):
        rows = keys == key
        n = int(rows.sum())
        if n < MIN_UNITS:
            few.append({"period": periods.name(key), "units": n})
            continue
        points.append({"period": periods.name(key), "units": n, "alpha": figures_of(scheme, comparable, rows)["alpha"]})
    drawn = [p for p in points if p["alpha"] is not None]
    note = None
    if not pairable.any():
        note = f"No unit of {scheme.title} has two values yet: there is no agreement to follow over time."
    elif len(drawn) < 2:
        periods_seen = len(points) + len(few)
        if periods_seen <= 1:
            note = (f"Every unit of {scheme.title} falls in one {periods.by.replace('coder-', '')}"
                    f"{' (' + (points or few)[0]['period'] + ')' if periods_seen else ''}: there is no drift to draw.")
        else:
            note = (f"{periods_seen} periods, but fewer than two have {MIN_UNITS} units or more with a defined "
                    "alpha: there is no drift to draw.")
    return {"by": periods.by, "min_units": MIN_UNITS, "points": points, "few": few, "undated": undated, "note": note}
