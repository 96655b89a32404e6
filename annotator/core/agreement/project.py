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

from collections import Counter
from typing import Any

from annotator.core.agreement import scheme_agreement
from annotator.core.codebook import MISSING, NOT_APPLICABLE, LabelValue, Scheme
from annotator.core.errors import AnnotatorError
from annotator.core.records import CodedItem
from annotator.core.store import Store

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


def coverage(scheme: Scheme, values: Values, coded: list[CodedItem], coders: list[str] | None = None) -> dict[str, Any]:
    """What the figures of one scheme count, over the items the coders worked on (``coded``:
    ``store.labels.coded()``): ``compared`` units (two or more values), ``not_applicable``
    items (the scheme does not apply to their kind), ``missing`` values (a coder worked on the
    item, the scheme applies, they gave it none) in all and ``missing_by_coder``, and for a
    multi-choice scheme ``empty_on_every_side``: compared units where every value was the empty set."""
    keep = set(coders) if coders else None
    not_applicable: set[str] = set()
    missing: Counter[str] = Counter()
    for item in coded:
        if keep is not None and item.coder not in keep:
            continue
        meaning = scheme.meaning(values.get(item.uid, {}).get(item.coder), kind=item.kind)
        if meaning == NOT_APPLICABLE:
            not_applicable.add(item.uid)
        elif meaning == MISSING:
            missing[item.coder] += 1
    compared = [by_coder for by_coder in values.values() if len(by_coder) >= 2]
    return {
        "compared": len(compared),
        "not_applicable": len(not_applicable),
        "missing": sum(missing.values()),
        "missing_by_coder": dict(sorted(missing.items())),
        "empty_on_every_side": sum(all(v == [] for v in by.values()) for by in compared) if scheme.multi else None,
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
    """{scheme name: every figure of ``scheme_agreement``, and ``units``: what they count
    (``coverage``)} for one scheme or all of them."""
    coders = check_coders(store, coders)
    out: dict[str, dict[str, Any]] = {}
    coded = store.labels.coded()
    for sch in select_schemes(store, scheme):
        values = coder_values(store, sch, coders)
        out[sch.name] = scheme_agreement(
            _ratings(sch, values), kind=sch.kind, options=sch.values, ordered=sch.ordered,
            coders=coders, bootstrap=bootstrap, seed=seed,
        )
        out[sch.name]["units"] = coverage(sch, values, coded, coders)
    return out


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
    parts = [f"{units['compared']} units compared" + (f" ({empty} empty sets on every side)" if empty else "")]
    parts.append(f"{units['not_applicable']} not applicable")
    by = ", ".join(f"{c} {n}" for c, n in units["missing_by_coder"].items())
    parts.append(f"{units['missing']} missing" + (f" ({by})" if by else ""))
    return ", ".join(parts)


def agreement_table(results: dict[str, dict[str, Any]]) -> str:
    """A compact human table per scheme, for the terminal."""
    lines: list[str] = []
    for name, r in results.items():
        ci = r.get("alpha_ci95")
        ci_text = f" [{_fmt(ci[0])}, {_fmt(ci[1])}]" if ci else ""
        lines.append(
            f"{name} ({r['kind']}{', ordered' if r['ordered'] else ''}): {r['items']} items with 2+ coders, "
            f"coders {', '.join(r['coders']) or 'none'}"
        )
        units = r.get("units")
        if units is not None:
            lines.append("  " + units_line(units))
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
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
