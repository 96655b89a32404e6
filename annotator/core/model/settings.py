"""The lead's model settings for a project: which sources train it, the seed, which schemes
show suggestions, and how "next" orders a coder's assignment.

Kept in the project file (``store.models.settings``), so the copy a coder gets behaves as
the lead set it. Suggestions are off for every scheme until the lead turns them on.
"""

from __future__ import annotations

from typing import Any

from annotator.core.agreement.project import select_schemes
from annotator.core.errors import AnnotatorError
from annotator.core.model.records import DEFAULT_SOURCES, SOURCES
from annotator.core.store import Store

ORDERS = ("document", "uncertain", "mixed")  # what "next" follows in a coder's assignment (``ordering.py``)
DEFAULTS: dict[str, Any] = {"sources": list(DEFAULT_SOURCES), "seed": 0, "suggest": [], "order": "document"}


def read(store: Store) -> dict[str, Any]:
    """The settings in force: what the project keeps, over the defaults; anything that does not
    fit (a hand-edited file) falls back to its default rather than stopping the window."""
    kept = store.models.settings()
    out = dict(DEFAULTS)
    if isinstance(kept.get("sources"), list) and kept["sources"] and all(s in SOURCES for s in kept["sources"]):
        out["sources"] = [s for s in SOURCES if s in kept["sources"]]
    if isinstance(kept.get("seed"), int):
        out["seed"] = kept["seed"]
    if isinstance(kept.get("suggest"), list):
        names = {s.name for s in store.codebook().schemes}
        out["suggest"] = [s for s in kept["suggest"] if s in names]
    if kept.get("order") in ORDERS:
        out["order"] = kept["order"]
    return out


def check_order(order: str) -> None:
    if order not in ORDERS:
        raise AnnotatorError(f"order: no order {order!r} (orders: {', '.join(ORDERS)})")


def update(store: Store, *, suggest_on: list[str] = (), suggest_off: list[str] = (), order: str | None = None,
           sources: tuple[str, ...] | None = None, seed: int | None = None) -> dict[str, Any]:
    """Change some settings (unknown schemes and orders refused in one line); returns them all."""
    settings = read(store)
    for name in [*suggest_on, *suggest_off]:
        select_schemes(store, name)  # one line naming an unknown scheme
    if order is not None:
        check_order(order)
    on = set(settings["suggest"]) | set(suggest_on)
    on -= set(suggest_off)
    settings["suggest"] = [s.name for s in store.codebook().schemes if s.name in on]
    if order is not None:
        settings["order"] = order
    if sources is not None:
        settings["sources"] = list(sources)
    if seed is not None:
        settings["seed"] = seed
    store.models.set_settings(settings)
    return settings
