"""The hand-made truth of ``import_truth.json`` and how an import is scored against it.

Shared by ``test_importer_truth.py`` and ``tests/benchmarks/bench_import_truth.py`` (a
helper, not a test). A found pair matches a true pair when its question opens with the
true question's opening and its answer with the true answer's, whitespace aside and
allowing a short label the importer may have kept in front ("A:", "耿爽表示，"). Each true
pair matches at most one found pair, in page order.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.items import Item
from annotator.core.names import normalise_name

TRUTH = Path(__file__).with_name("import_truth.json")
_WS = re.compile(r"\s+")
# How far into an item's text the true opening may start: room for a label left in front.
_SLACK = 16


@dataclass
class Score:
    pages: int = 0
    true_pairs: int = 0
    found_pairs: int = 0
    matched: int = 0
    outlets_right: int = 0
    speakers_right: int = 0
    dated_right: int = 0
    misses: list[str] = field(default_factory=list)  # true pairs not found, then found pairs not true

    @property
    def precision(self) -> float:
        return self.matched / self.found_pairs if self.found_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.true_pairs if self.true_pairs else 1.0


def load() -> list[dict]:
    return json.loads(TRUTH.read_text(encoding="utf-8"))["pages"]


def _norm(text: str) -> str:
    return _WS.sub("", text)


def _opens_with(text: str, opening: str) -> bool:
    at = _norm(text).find(_norm(opening))
    return 0 <= at <= _SLACK


def score_page(page: dict, items: Iterable[Item], date: str | None, into: Score) -> None:
    found = [i for i in items if i.kind == "qa"]
    into.pages += 1
    into.true_pairs += len(page["pairs"])
    into.found_pairs += len(found)
    into.dated_right += date == page["date"]
    used: set[int] = set()
    for pair in page["pairs"]:
        hit = next((n for n, item in enumerate(found) if n not in used
                    and _opens_with(item.question, pair["q"]) and _opens_with(item.answer, pair["a"])), None)
        if hit is None:
            into.misses.append(f"{page['file']}: not found: {pair['q']!r} / {pair['a']!r}")
            continue
        used.add(hit)
        into.matched += 1
        item = found[hit]
        into.outlets_right += normalise_name(item.outlet) == normalise_name(pair["outlet"])
        into.speakers_right += item.spokesperson == page["spokesperson"]
    for n, item in enumerate(found):
        if n not in used:
            into.misses.append(f"{page['file']}: not true: {item.question[:40]!r} / {item.answer[:40]!r}")
