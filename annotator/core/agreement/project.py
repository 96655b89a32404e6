"""Agreement figures of a project: build each scheme's ratings from the store, then measure.

The arithmetic lives in the rest of ``agreement/`` (pure, tested against
independent implementations); this module only gathers what each coder gave each item, by
the one rule of ``Scheme.given`` (a label row is the coder's value, an explicit ``[]``
included; no row is missing; a scheme that does not apply to the item's kind is not
applicable), hands it over as the metrics take it, and says what was counted
(``coverage``): the units compared, how many were not applicable, how many values
were missing and whose, and how many compared units were empty sets on every side.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from annotator.core.agreement._scheme import agreement_from_codes, categories_of
from annotator.core.agreement.assisted import assistance
from annotator.core.agreement.coded import CodedScheme
from annotator.core.agreement.why import why_no_alpha
from annotator.core.codebook import EMPTY, NOT_APPLICABLE, LabelValue, Scheme
from annotator.core.errors import AnnotatorError
from annotator.core.store import Store
from annotator.core.wording import plural

# {item uid: {coder: value}}
Values = dict[str, dict[str, LabelValue]]
Ratings = dict[str, dict[str, Any]]


def coder_values(store: Store, scheme: Scheme, coders: list[str] | None = None) -> Values:
    """{item uid: {coder: the value they gave}} of one scheme (``Scheme.given``), optionally for
    some coders only, in item order (the order the bootstrap resamples the units in). A coder
    without a value on an item is absent from it: missing, or the scheme does not apply."""
    keep = set(coders) if coders else None
    values: Values = {}
    for label in store.labels.rows(scheme.name):
        if keep is None or label.coder in keep:
            given = scheme.given(label.value, kind=label.kind)
            if given is not None:
                values.setdefault(label.uid, {})[label.coder] = given
    return values


def scheme_ratings(store: Store, scheme: Scheme, coders: list[str] | None = None) -> Ratings:
    """{item uid: {coder: value}} of one scheme as the metrics take it: ``Scheme.category``,
    a frozenset for multi-choice, a string for single-choice."""
    return _ratings(scheme, coder_values(store, scheme, coders))


def _ratings(scheme: Scheme, values: Values) -> Ratings:
    return {uid: {coder: scheme.category(v) for coder, v in by_coder.items()} for uid, by_coder in values.items()}


class Kinds:
    """Every item's kind as a small code, to look up by item id in bulk."""

    def __init__(self, store: Store) -> None:
        by_kind = store.items.ids_by_kind()
        self.names = list(by_kind)
        top = max((max(ids) for ids in by_kind.values() if ids), default=0)
        self.of = np.full(top + 1, -1, dtype=np.int8)
        for code, ids in enumerate(by_kind.values()):
            self.of[ids] = code


Groups = dict[str, list[tuple[str, list[int]]]]  # {coder: [(stored JSON text, item ids)]}: store.labels.value_groups


def code_scheme(store: Store, scheme: Scheme, kinds: Kinds, coders: list[str] | None = None,
                groups: Groups | None = None) -> CodedScheme:
    """The ratings of ``scheme_ratings`` already coded, read in bulk: the scheme's
    ``store.labels.value_groups`` (or the ``groups`` a caller read with it).

    The same rule as ``coder_values``: ``Scheme.given`` and ``Scheme.category`` decide each
    value, applied once per distinct (stored value, item kind) instead of once per label row.
    """
    texts: dict[str, int] = {}  # each distinct stored value, numbered
    per_coder = {}
    if groups is None:
        groups = store.labels.value_groups(scheme.name).get(scheme.name, {})
    for coder, by_value in groups.items():
        for text, _ in by_value:
            texts.setdefault(text, len(texts))
        ids = np.concatenate([np.array(i, dtype=np.int64) for _, i in by_value])
        codes = np.repeat([texts[t] for t, _ in by_value], [len(i) for _, i in by_value])
        per_coder[coder] = (ids, codes)
    if coders is not None:
        per_coder = {c: per_coder[c] for c in coders if c in per_coder}
    per_coder = {c: (ids, codes * len(kinds.names) + kinds.of[ids]) for c, (ids, codes) in per_coder.items()}
    # What each distinct (value, kind) means: Scheme.given, then the category it counts as.
    decoded = [json.loads(t) for t in texts]
    pairs = np.unique(np.concatenate([p for _, p in per_coder.values()])) if per_coder else np.zeros(0, np.int64)
    given = {int(p): scheme.given(decoded[p // len(kinds.names)], kind=kinds.names[p % len(kinds.names)]) for p in pairs}
    seen = {scheme.category(v) for v in given.values() if v is not None}
    if scheme.ordered and not scheme.multi:
        _check_ordered(store, scheme, seen, given, per_coder)
    categories = categories_of(seen, scheme.values, scheme.multi, scheme.ordered and not scheme.multi)
    index = {c: k for k, c in enumerate(categories)}
    lookup = np.full(max(given, default=0) + 1, -1, dtype=np.int64)
    is_empty = np.zeros(len(lookup), dtype=bool)
    for p, v in given.items():
        if v is not None:
            lookup[p] = index[scheme.category(v)]
            is_empty[p] = scheme.meaning(v, kind=kinds.names[p % len(kinds.names)]) == EMPTY
    if coders is None:  # everyone who gave this scheme a value
        coders = [c for c, (_, p) in per_coder.items() if (lookup[p] >= 0).any()]
    item_ids = np.unique(np.concatenate(
        [ids[lookup[p] >= 0] for c, (ids, p) in per_coder.items() if c in coders] or [np.zeros(0, np.int64)]
    ))
    R = np.full((len(item_ids), len(coders)), -1, dtype=np.int64)
    empty = np.zeros(R.shape, dtype=bool)
    for j, coder in enumerate(coders):
        if coder not in per_coder:
            continue
        ids, p = per_coder[coder]
        has = lookup[p] >= 0
        rows = np.searchsorted(item_ids, ids[has])
        R[rows, j] = lookup[p[has]]
        empty[rows, j] = is_empty[p[has]]
    return CodedScheme(R, categories, coders, item_ids, empty)


def _check_ordered(store: Store, scheme: Scheme, seen: set, given: dict[int, LabelValue],
                   per_coder: dict[str, tuple[np.ndarray, np.ndarray]]) -> None:
    """Refuse, naming the project, the scheme, the values and how many labels carry them, an
    ordered scheme whose labels hold values its codebook lacks (``codebook --set --force`` or a
    forced merge leaves them): the ordinal metric needs every value's place in the order, and
    without the scheme's name the lead cannot tell which scheme stops the command, nor that
    ``--scheme`` still measures the others."""
    unknown = sorted(map(str, seen - set(scheme.values)))
    if not unknown:
        return
    bad = np.array([p for p, v in given.items() if v is not None and str(scheme.category(v)) in unknown])
    n = sum(int(np.isin(p, bad).sum()) for _, p in per_coder.values())
    raise AnnotatorError(
        f"{store.path}: {plural(n, 'label')} of the ordered scheme '{scheme.name}' "
        f"{'use' if n != 1 else 'uses'} {', '.join(repr(u) for u in unknown)}, which its codebook lacks: "
        "its ordinal alpha needs each value's place in the order (put the option back with "
        "'annotator codebook DB --set FILE', or measure the other schemes with --scheme)")


def worked_on_items(store: Store, groups: dict[str, Groups] | None = None) -> dict[str, np.ndarray]:
    """{coder: the ids of the items they worked on, ascending}: a label row of any scheme (a
    scheme the codebook no longer has included), or marked done -- where a scheme without their
    value is missing (or not applicable). ``groups``: every scheme's ``store.labels.value_groups()``
    if the caller read them already."""
    if groups is None:
        groups = store.labels.value_groups()
    ids: dict[str, list] = {}
    for by_coder in groups.values():
        for coder, by_value in by_coder.items():
            ids.setdefault(coder, []).extend(np.array(i, dtype=np.int64) for _, i in by_value)
    for coder, done in store.labels.done_columns().items():
        ids.setdefault(coder, []).append(np.array(done, dtype=np.int64))
    return {coder: np.unique(np.concatenate(parts)) for coder, parts in sorted(ids.items())}


def units(scheme: Scheme, coded: CodedScheme, worked_on: dict[str, np.ndarray], kinds: Kinds,
          coders: list[str] | None = None) -> dict[str, Any]:
    """What the figures of one scheme count, over the items the coders worked on
    (``worked_on``: ``worked_on_items``): ``compared`` units (two or more values),
    ``not_applicable`` items (the scheme does not apply to their kind), ``missing`` values (a
    coder worked on the item, the scheme applies, they gave it none) in all and
    ``missing_by_coder``, and for a multi-choice scheme ``empty_on_every_side``: compared units
    where every value was the empty set. (``Scheme.meaning`` of no value says, per kind, which
    of not applicable and missing an item without one is.)"""
    present = coded.R >= 0
    compared = present.sum(axis=1) >= 2
    inapplicable = np.array([scheme.meaning(None, kind=k) == NOT_APPLICABLE for k in kinds.names] + [False])
    not_applicable: list[np.ndarray] = []
    missing: dict[str, int] = {}
    for coder, ids in worked_on.items():
        if coders is not None and coder not in coders:
            continue
        ids_a = np.array(ids, dtype=np.int64)
        na = inapplicable[kinds.of[ids_a]]
        not_applicable.append(ids_a[na])
        gave = coded.item_ids[present[:, coded.coders.index(coder)]] if coder in coded.coders else np.zeros(0)
        n = int((~na & ~np.isin(ids_a, gave, assume_unique=True)).sum())
        if n:
            missing[coder] = n
    every_side_empty = compared & (coded.empty | ~present).all(axis=1)
    return {
        "compared": int(compared.sum()),
        "not_applicable": len(np.unique(np.concatenate(not_applicable))) if not_applicable else 0,
        "missing": sum(missing.values()),
        "missing_by_coder": dict(sorted(missing.items())),
        "empty_on_every_side": int(every_side_empty.sum()) if scheme.multi else None,
    }


def select_schemes(store: Store, scheme: str | None) -> list[Scheme]:
    codebook = store.codebook()
    if scheme is None:
        return list(codebook.schemes)
    sch = codebook.scheme(scheme)
    if sch is None:
        names = ", ".join(s.name for s in codebook.schemes)
        raise AnnotatorError(f"{store.path}: the codebook has no scheme {scheme!r} (schemes: {names})")
    return [sch]


def check_coders(store: Store, coders: list[str] | None) -> list[str] | None:
    if coders is None:
        return None
    coders = [c.strip() for c in coders if c.strip()]
    known = set(store.labels.coders())
    unknown = [c for c in coders if c not in known]
    if unknown:
        listing = ", ".join(sorted(known)) or "none yet"
        raise AnnotatorError(f"{store.path}: no coder named {unknown[0]!r} (coders: {listing})")
    twice = [c for i, c in enumerate(coders) if c in coders[:i]]
    if twice:
        raise AnnotatorError(f"--coders: {twice[0]!r} is named more than once")
    if len(coders) < 2:
        raise AnnotatorError("--coders: name at least two coders, e.g. --coders alice,bob")
    return coders


def project_agreement(
    store: Store, *, scheme: str | None = None, coders: list[str] | None = None, bootstrap: int = 1000, seed: int = 0
) -> dict[str, dict[str, Any]]:
    """{scheme name: every figure of ``scheme_agreement``, ``units``: what they count
    (``coverage``), and ``why_no_alpha``: the words in place of alpha where there is none (None
    where there is)} for one scheme or all of them; in a project where changes were made with
    suggestions on screen, also ``suggestions``: assisted against unassisted coding
    (``agreement/assisted.py``)."""
    coders = check_coders(store, coders)
    kinds = Kinds(store)
    groups = store.labels.value_groups()  # every scheme's labels in one pass over one index
    worked_on = worked_on_items(store, groups)
    assisted = store.labels.any_suggested()
    out: dict[str, dict[str, Any]] = {}
    for sch in select_schemes(store, scheme):
        coded, figures = scheme_figures(store, sch, kinds, worked_on, coders, bootstrap=bootstrap, seed=seed,
                                        groups=groups.get(sch.name, {}))
        if assisted:
            figures["suggestions"] = assistance(store, sch, coded, kinds.names, kinds.of)
        figures["why_no_alpha"] = why_no_alpha(sch, coded, figures)  # as the report words it
        out[sch.name] = figures
    return out


def scheme_figures(store: Store, scheme: Scheme, kinds: Kinds, worked_on: dict[str, np.ndarray],
                   coders: list[str] | None = None, *, bootstrap: int = 1000, seed: int = 0,
                   groups: Groups | None = None) -> tuple[CodedScheme, dict[str, Any]]:
    """One scheme's coded ratings and every figure of ``project_agreement`` on them (``units``
    included): the one reading that ``annotator agreement`` and the report share."""
    coded = code_scheme(store, scheme, kinds, coders, groups)
    figures = figures_of(scheme, coded, bootstrap=bootstrap, seed=seed)
    figures["units"] = units(scheme, coded, worked_on, kinds, coders)
    return coded, figures


def figures_of(scheme: Scheme, coded: CodedScheme, rows: np.ndarray | None = None, *, bootstrap: int = 0,
               seed: int = 0) -> dict[str, Any]:
    """``agreement_from_codes`` of a scheme's coded ratings, or of some of its units (``rows``:
    a mask or indices into ``coded.R``)."""
    R = coded.R if rows is None else coded.R[rows]
    return agreement_from_codes(
        R, coded.categories, kind=scheme.kind, options=scheme.values, ordered=scheme.ordered,
        coders=coded.coders, bootstrap=bootstrap, seed=seed,
    )


GROUPINGS = ("conference", "year")


def grouped_agreement(store: Store, by: str, *, scheme: str | None = None, coders: list[str] | None = None,
                      bootstrap: int = 0, seed: int = 0) -> dict[str, dict[str, dict[str, Any]]]:
    """{scheme: {group: figures}}: agreement within each conference (``by="conference"``) or each
    year of the conferences' dates (``by="year"``), so a lead sees where disagreement clusters.

    Each group's figures are ``agreement_from_codes`` over the units of its items, the same coded
    ratings as ``project_agreement`` (one rule for what a value means); a group with no unit two
    coders rated is left out. ``bootstrap`` 0 by default: a conference has a few dozen units.
    """
    if by not in GROUPINGS:
        raise AnnotatorError(f"--by {by!r}: group by one of {', '.join(GROUPINGS)}")
    coders = check_coders(store, coders)
    kinds = Kinds(store)
    conference_of = store.conferences.by_item()
    if by == "year":
        dates = {c.id: c.date for c in store.conferences.listing()}
        group_of = {i: (dates.get(cid) or "unknown")[:4] for i, cid in conference_of.items()}
    else:
        group_of = conference_of
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for sch in select_schemes(store, scheme):
        coded = code_scheme(store, sch, kinds, coders)
        groups = np.array([group_of.get(int(i), "unknown") for i in coded.item_ids], dtype=object)
        rated = (coded.R >= 0).sum(axis=1) >= 2
        out[sch.name] = {}
        for group in sorted(set(groups[rated])):
            rows = groups == group
            figures = agreement_from_codes(
                coded.R[rows], coded.categories, kind=sch.kind, options=sch.values, ordered=sch.ordered,
                coders=coded.coders, bootstrap=bootstrap, seed=seed)
            out[sch.name][group] = {k: figures[k] for k in ("items", "alpha", "alpha_metric", "percent_agreement")}
    return out


def grouped_table(results: dict[str, dict[str, dict[str, Any]]], by: str) -> str:
    """Per scheme, one line per conference (or year): units, alpha, percent agreement."""
    lines: list[str] = []
    for name, groups in results.items():
        lines.append(f"{name}: agreement by {by} ({len(groups)} with units two coders rated)")
        width = max([len(by)] + [len(g) for g in groups])
        lines.append(f"  {by:<{width}}  {'units':>5}  {'alpha':>6}  {'agreement':>9}")
        for group, r in groups.items():
            lines.append(f"  {group:<{width}}  {r['items']:>5}  {_fmt(r['alpha']):>6}  {_fmt(r['percent_agreement'], True):>9}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _fmt(x: float | None, pct: bool = False) -> str:
    if x is None:
        return "-"
    return f"{100 * x:.1f}%" if pct else f"{x:.3f}"


def _confusion_lines(pair: str, matrix: dict[str, dict[str, int]], options: list[str]) -> list[str]:
    """One coder's values down the side, the other's across the top, for items both labelled."""
    first, second = pair.split("|", 1)
    used = [o for o in options if any(matrix.get(o, {}).values()) or any(matrix.get(a, {}).get(o) for a in matrix)]
    if not used:
        return []
    width = max([len(first) + 2] + [len(o) for o in used])
    cell = max(5, *(len(o[:12]) for o in used))
    out = [f"  confusion {first} (rows) x {second} (columns):",
           f"    {'':<{width}}  " + "  ".join(f"{o[:12]:>{cell}}" for o in used)]
    for a in used:
        out.append(f"    {a:<{width}}  " + "  ".join(f"{matrix.get(a, {}).get(b, 0):>{cell}}" for b in used))
    return out


def units_line(units: dict[str, Any]) -> str:
    """What one scheme's figures count, in one line: "12 units compared (3 empty sets on every
    side), 4 not applicable, 5 missing (alice 2, bob 3)"."""
    empty = units.get("empty_on_every_side")
    parts = [plural(units["compared"], "unit") + " compared"
             + (f" ({plural(empty, 'empty set')} on every side)" if empty else "")]
    parts.append(f"{units['not_applicable']:,} not applicable")
    by = ", ".join(f"{c} {n:,}" for c, n in units["missing_by_coder"].items())
    parts.append(f"{units['missing']:,} missing" + (f" ({by})" if by else ""))
    return ", ".join(parts)


def agreement_table(results: dict[str, dict[str, Any]]) -> str:
    """A compact human table per scheme, for the terminal."""
    lines: list[str] = []
    for name, r in results.items():
        ci = r.get("alpha_ci95")
        ci_text = f" [{_fmt(ci[0])}, {_fmt(ci[1])}]" if ci else ""
        lines.append(
            f"{name} ({r['kind']}{', ordered' if r['ordered'] else ''}): {plural(r['items'], 'item')} with 2+ coders, "
            f"coders {', '.join(r['coders']) or 'none'}"
        )
        units = r.get("units")
        if units is not None:
            lines.append("  " + units_line(units))
        if r.get("why_no_alpha"):
            lines.append("  " + r["why_no_alpha"])
        extra = f"  AC2 {_fmt(r['gwet_ac2'])}" if r.get("gwet_ac2") is not None else ""
        empty = units.get("empty_on_every_side") if units else None
        # "100 %" on units where everyone ticked nothing is agreement on "none of these": said so
        on_empty = f" ({empty} of {units['compared']} compared: empty sets on every side)" if empty else ""
        lines.append(
            f"  alpha ({r['alpha_metric']}) {_fmt(r['alpha'])}{ci_text}  agreement {_fmt(r['percent_agreement'], True)}"
            f"{on_empty}  Fleiss {_fmt(r['fleiss_kappa'])}  AC1 {_fmt(r['gwet_ac1'])}{extra}"
        )
        if r["cohen_kappa"]:
            lines.append("  Cohen " + "  ".join(f"{pair} {_fmt(k)}" for pair, k in r["cohen_kappa"].items()))
        coders = r["coders"]
        width = max([6] + [len(o) for o in r["per_option"]])
        lines.append(f"  {'option':<{width}}  {'alpha':>6}  " + "  ".join(f"{c[:10]:>10}" for c in coders))
        for option, po in r["per_option"].items():
            used = "  ".join(f"{po['usage'].get(c, 0):>10}" for c in coders)
            lines.append(f"  {option:<{width}}  {_fmt(po['alpha']):>6}  {used}")
        for pair, matrix in (r.get("confusion") or {}).items():
            lines.extend(_confusion_lines(pair, matrix, list(r["per_option"])))
        if r.get("suggestions"):
            from annotator.core.agreement.assisted import assistance_lines

            lines.extend(assistance_lines(r["suggestions"]))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
