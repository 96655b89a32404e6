"""Agreement figures of a project: build each scheme's ratings from the store, then measure.

The arithmetic lives in the rest of ``agreement/`` (pure, tested against
independent implementations); this module only gathers what each coder gave each item, by
the one rule of ``Scheme.given`` (a label row is the coder's value; a multi-choice
scheme without a row on an item the coder marked done is the empty set; anything
else without a row is missing), and hands it over as the metrics take it.
"""

from __future__ import annotations

from typing import Any

from annotator.core.agreement import scheme_agreement
from annotator.core.codebook import LabelValue, Scheme
from annotator.core.errors import AnnotatorError
from annotator.core.store import Store

# {item uid: {coder: value}}
Values = dict[str, dict[str, LabelValue]]
Ratings = dict[str, dict[str, Any]]


def done_marks(store: Store) -> dict[tuple[str, str], None]:
    """(item uid, coder) of every item a coder marked done, in the store's order (a dict used as
    an ordered set: the order of the units is the order the bootstrap resamples them in)."""
    return dict.fromkeys((mark.uid, mark.coder) for mark in store.labels.done_marks())


def coder_values(
    store: Store, scheme: Scheme, coders: list[str] | None = None, done: dict[tuple[str, str], None] | None = None
) -> Values:
    """{item uid: {coder: the value they gave}} of one scheme (``Scheme.given``), optionally for
    some coders only. ``done`` (from :func:`done_marks`) saves reading the marks once per scheme."""
    keep = set(coders) if coders else None
    done = done_marks(store) if done is None else done
    values: Values = {}
    for label in store.labels.rows(scheme.name):
        if keep is None or label.coder in keep:
            values.setdefault(label.uid, {})[label.coder] = scheme.given(label.value, done=(label.uid, label.coder) in done)
    for uid, coder in done:
        if (keep is None or coder in keep) and coder not in values.get(uid, {}):
            given = scheme.given(None, done=True)
            if given is not None:
                values.setdefault(uid, {})[coder] = given
    return values


def scheme_ratings(
    store: Store, scheme: Scheme, coders: list[str] | None = None, done: dict[tuple[str, str], None] | None = None
) -> Ratings:
    """{item uid: {coder: value}} of one scheme as the metrics take it: ``Scheme.category``,
    a frozenset for multi-choice, a string for single-choice."""
    return {
        uid: {coder: scheme.category(v) for coder, v in by_coder.items()}
        for uid, by_coder in coder_values(store, scheme, coders, done).items()
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
    """{scheme name: every figure of ``scheme_agreement``} for one scheme or all of them."""
    coders = check_coders(store, coders)
    out: dict[str, dict[str, Any]] = {}
    done = done_marks(store)
    for sch in select_schemes(store, scheme):
        ratings = scheme_ratings(store, sch, coders, done)
        out[sch.name] = scheme_agreement(
            ratings, kind=sch.kind, options=sch.values, ordered=sch.ordered,
            coders=coders, bootstrap=bootstrap, seed=seed,
        )
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
        extra = f"  AC2 {_fmt(r['gwet_ac2'])}" if r.get("gwet_ac2") is not None else ""
        lines.append(
            f"  alpha ({r['alpha_metric']}) {_fmt(r['alpha'])}{ci_text}  agreement {_fmt(r['percent_agreement'], True)}"
            f"  Fleiss {_fmt(r['fleiss_kappa'])}  AC1 {_fmt(r['gwet_ac1'])}{extra}"
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
