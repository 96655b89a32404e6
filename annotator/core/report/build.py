"""The report's figures from a project: one pass per scheme over the coded ratings that
``annotator agreement`` measures (``agreement.project.scheme_figures``), into one plain,
JSON-serialisable dict that every format -- JSON, Markdown, LaTeX, HTML -- and the review
window's agreement panel read."""

from __future__ import annotations

from typing import Any

import numpy as np

from annotator.core.agreement.assisted import assistance
from annotator.core.agreement.project import Groups, Kinds, scheme_figures, select_schemes, worked_on_items
from annotator.core.codebook import Scheme
from annotator.core.errors import AnnotatorError
from annotator.core.report.drift import BY, BY_WORDS, Periods, drift
from annotator.core.report.outcomes import Gold, against_gold, outcomes
from annotator.core.report.reliability import confusion, pairwise, per_option, table_row
from annotator.core.store import Store

INTERVAL = "percentile bootstrap over units"
NONE_YET = ("No label in this project was set while a suggestion was on screen (label_events.suggested is "
            "empty): there is no assisted coding to compare yet. Once coders work with suggestions "
            "('annotator model DB train'), this section sets assisted and unassisted coding side by side.")


def project_note(coders: list[str]) -> str | None:
    """Words for a project whose agreement cannot be measured at all, else None."""
    if not coders:
        return "No coder has labelled this project yet: there is no agreement to report."
    if len(coders) == 1:
        return (f"Only one coder ({coders[0]}) has labelled this project: agreement needs two or more coders "
                "on the same items (merge the other coders' files with 'annotator merge').")
    return None


def build_report(store: Store, *, scheme: str | None = None, by: str = "coder-week", bootstrap: int = 1000,
                 seed: int = 0, details: bool = True) -> dict[str, Any]:
    """Every figure of the report. ``details=False`` keeps only the table's rows, the options and
    the disagreements' outcomes: what the review window's agreement panel shows, read by the
    same code, so the panel and the report never disagree."""
    if by not in BY:
        raise AnnotatorError(f"--by: {by!r} is not one of {', '.join(BY)}")
    schemes = select_schemes(store, scheme)
    kinds = Kinds(store)
    groups = store.labels.value_groups()  # every scheme's labels in one pass over one index
    worked_on = worked_on_items(store, groups)
    coders = store.labels.coders()
    assisted = details and store.labels.any_suggested()
    periods = Periods(store, by, scheme) if details else None
    out: dict[str, Any] = {
        "project": store.path.name,
        "coders": coders,
        "note": project_note(coders),
        "interval": {"method": INTERVAL, "resamples": bootstrap, "seed": seed, "level": 0.95},
        "by": by,
        "by_words": BY_WORDS[by],
        "assisted_note": None if assisted or not details else NONE_YET,
        "schemes": {},
    }
    for sch in schemes:
        out["schemes"][sch.name] = scheme_report(store, sch, kinds, worked_on, groups.get(sch.name, {}), periods,
                                                 assisted, bootstrap=bootstrap, seed=seed, details=details)
    return out


def scheme_report(store: Store, scheme: Scheme, kinds: Kinds, worked_on: dict[str, np.ndarray], groups: Groups,
                  periods: Periods | None, assisted: bool, *, bootstrap: int, seed: int,
                  details: bool) -> dict[str, Any]:
    coded, figures = scheme_figures(store, scheme, kinds, worked_on, bootstrap=bootstrap, seed=seed, groups=groups)
    gold = Gold(store, scheme, coded, kinds)
    out: dict[str, Any] = {"row": table_row(scheme, coded, figures), "disagreements": outcomes(coded, gold),
                           "per_option": per_option(scheme, coded, figures)}
    if not details:
        return out
    out["pairwise"] = pairwise(scheme, coded)
    out["confusion"] = confusion(scheme, coded, figures)
    out["drift"] = drift(scheme, coded, periods)
    out["gold"] = against_gold(scheme, coded, gold)
    # the same figures, by the same rule, as ``annotator agreement``'s section (agreement/assisted.py)
    out["assisted"] = assistance(store, scheme, coded, kinds.names, kinds.of) if assisted else None
    return out
