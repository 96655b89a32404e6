"""Train/dev/test splits that never cut a conference in two.

Whole conferences go to one split -- every source of one, its languages and its copies
(``conferences``): the English version of a press conference in train and its Chinese one in
test would leak the answer. Each conference weighs the records the export actually writes of
it (counted in a first pass), so the shares are shares of the export, not of the items.
All conferences are laid end to end in ONE pass, ordered by year and, within a year, by
SHA-256 of (seed, conference id): systematic sampling over a year-ordered list. Each goes to
the split furthest behind its share of the records laid so far (its fraction of the running
total, counted to the conference's middle, minus what it already has), the running totals
starting from one seeded offset. So at every point of the list -- and hence over the whole
export, and over each year, a stretch of it -- every split holds its fraction of the records
to within about one conference; a split of fraction 0 gets nothing. The same seed gives the
same split on any machine and any Python: conference ids are made of the briefings' facts,
and nothing depends on Python's hash or set order. ``share_warnings`` says where whole
conferences could not come within 5 points of a share.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from annotator.core.records import ConferenceExtent
from annotator.core.wording import plural

# A split further than this from its share (or empty) is said on stderr.
SHARE_TOLERANCE = 0.05


def _unit(*parts: object) -> float:
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def year_of(date: str | None) -> str:
    return date[:4] if date and len(date) >= 4 and date[:4].isdigit() else "unknown"


def assign_conferences(extents: list[ConferenceExtent], fractions: dict[str, float], seed: int) -> dict[str, str]:
    """{conference id: split name} for the conferences with a record to export."""
    names = list(fractions)
    ordered = sorted((year_of(c.date), _unit(seed, c.id), c.id, c.records) for c in extents if c.records > 0)
    if not ordered:
        return {}
    # The seeded start point: the running totals begin as if this many records had been laid
    # before the first conference, so the seed moves every split's boundaries, not only the order.
    laid = _unit(seed, "start") * sum(o[3] for o in ordered) / len(ordered)
    given = dict.fromkeys(names, 0.0)
    out: dict[str, str] = {}
    for _year, _u, cid, weight in ordered:
        middle = laid + weight / 2
        # Largest shortfall wins; ties go to the split named first. The shortfalls sum to
        # middle - sum(given) > 0, so a split of fraction 0 (shortfall <= 0) is never chosen.
        name = max(names, key=lambda nm: (fractions[nm] * middle - given[nm], -names.index(nm)))
        out[cid] = name
        given[name] += weight
        laid += weight
    return out


def share_warnings(extents: list[ConferenceExtent], where: dict[str, str], fractions: dict[str, float]) -> list[str]:
    """One line per split of a non-zero share that came out empty or more than 5 points off it."""
    total = sum(c.records for c in extents if c.id in where)
    had = sum(1 for c in extents if c.id in where)
    out = []
    for name, frac in fractions.items():
        if frac <= 0:
            continue
        got = sum(c.records for c in extents if where.get(c.id) == name)
        n = sum(1 for c in extents if where.get(c.id) == name)
        share = got / total if total else 0.0
        if got == 0 or abs(share - frac) > SHARE_TOLERANCE:
            state = ("is empty" if got == 0
                     else f"has {plural(got, 'record')} in {plural(n, 'conference')}, {share:.1%} of the export")
            out.append(f"split {name} {state}, not its {frac:.0%}: {plural(total, 'record')} in {plural(had, 'conference')} "
                       "to share out, and a conference is never cut")
    return out


def split_path(path: Path, name: str) -> Path:
    """``data.jsonl`` -> ``data.train.jsonl``; a name without extension gets ``.train``."""
    if path.suffix:
        return path.with_name(f"{path.stem}.{name}{path.suffix}")
    return path.with_name(f"{path.name}.{name}")
