"""Train/dev/test splits that never cut a conference in two.

Whole sources (one press conference each) go to one split. Within each year the
sources are put in an order given by SHA-256 of (seed, source hash) and laid end to
end by item count from a start point also drawn from the seed; each split takes the
stretch its fraction asks for and a source goes where its middle falls. Each year is
thus split in proportion as nearly as whole conferences allow, and the same seed gives
the same split on any machine: nothing depends on Python's hash or set order.
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def _unit(*parts: object) -> float:
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def year_of(date: str | None) -> str:
    return date[:4] if date and len(date) >= 4 and date[:4].isdigit() else "unknown"


def assign_sources(
    sources: list[tuple[int, str, str | None, int]], fractions: dict[str, float], seed: int
) -> dict[int, str]:
    """{source id: split name} for ``sources`` as given by ``Store.export_sources``."""
    names = list(fractions)
    bounds, acc = [], 0.0
    for name in names:
        acc += fractions[name]
        bounds.append(acc)
    strata: dict[str, list[tuple[int, str, int]]] = {}
    for sid, sha, date, n in sources:
        strata.setdefault(year_of(date), []).append((sid, sha, n))
    out: dict[int, str] = {}
    for year, members in strata.items():
        members.sort(key=lambda m: (_unit(seed, m[1]), m[1]))
        total = sum(max(n, 1) for _, _, n in members)
        pos = _unit(seed, "start", year) * total
        for sid, _sha, n in members:
            weight = max(n, 1)
            mid = ((pos + weight / 2) / total) % 1.0
            out[sid] = next((nm for nm, b in zip(names, bounds) if mid < b), names[-1])
            pos += weight
    return out


def split_path(path: Path, name: str) -> Path:
    """``data.jsonl`` -> ``data.train.jsonl``; a name without extension gets ``.train``."""
    if path.suffix:
        return path.with_name(f"{path.stem}.{name}{path.suffix}")
    return path.with_name(f"{path.name}.{name}")
