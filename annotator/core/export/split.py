"""Train/dev/test splits that never cut a conference in two.

Whole sources (one press conference each) go to one split. All sources are laid end
to end in ONE pass, ordered by year and, within a year, by SHA-256 of (seed, source
hash): systematic sampling over a year-ordered list. Each source goes to the split
furthest behind its share of the items laid so far (its fraction of the running total,
counted to the source's middle, minus what it already has), the running totals
starting from one seeded offset. So at every point of the list -- and hence over the
whole export, and over each year, a stretch of it -- every split holds its fraction of
the items to within about one conference; a split of fraction 0 gets nothing. The same
seed gives the same split on any machine: nothing depends on Python's hash or set order.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from annotator.core.records import SourceExtent


def _unit(*parts: object) -> float:
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def year_of(date: str | None) -> str:
    return date[:4] if date and len(date) >= 4 and date[:4].isdigit() else "unknown"


def assign_sources(sources: list[SourceExtent], fractions: dict[str, float], seed: int) -> dict[int, str]:
    """{source id: split name} for ``sources`` as given by ``store.exports.sources()``."""
    names = list(fractions)
    ordered = sorted(
        (year_of(s.date), _unit(seed, s.sha256), s.sha256, s.id, max(s.items, 1)) for s in sources
    )
    if not ordered:
        return {}
    # The seeded start point: the running totals begin as if this many items had been laid
    # before the first source, so the seed moves every split's boundaries, not only the order.
    laid = _unit(seed, "start") * sum(o[4] for o in ordered) / len(ordered)
    given = dict.fromkeys(names, 0.0)
    out: dict[int, str] = {}
    for _year, _u, _sha, sid, weight in ordered:
        middle = laid + weight / 2
        # Largest shortfall wins; ties go to the split named first. The shortfalls sum to
        # middle - sum(given) > 0, so a split of fraction 0 (shortfall <= 0) is never chosen.
        name = max(names, key=lambda nm: (fractions[nm] * middle - given[nm], -names.index(nm)))
        out[sid] = name
        given[name] += weight
        laid += weight
    return out


def split_path(path: Path, name: str) -> Path:
    """``data.jsonl`` -> ``data.train.jsonl``; a name without extension gets ``.train``."""
    if path.suffix:
        return path.with_name(f"{path.stem}.{name}{path.suffix}")
    return path.with_name(f"{path.name}.{name}")
