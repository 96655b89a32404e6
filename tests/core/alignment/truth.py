"""The hand-made alignment truth (``tests/core/alignment_truth/*.json``) and how an alignment is
scored against it.

Shared by ``test_alignment_truth.py`` and ``tests/benchmarks/bench_alignment.py`` (a helper, not a
test). Each file is one date read by hand: the English and the Chinese page, the links between
their question-answer items (by the items' ``seq`` as the importer numbers them), the items one
version leaves out, and the opening of each linked item's question, so a change in the importer
that renumbers the items shows as a broken truth rather than as a worse score.

An aligned pair is one (English item, Chinese item) link; a merge of two English items into one
Chinese item is two links. Precision is the share of the links found that are true, recall the
share of the true links found.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from annotator.core.alignment import ALIGNED_KINDS
from annotator.core.importers import parse_file
from annotator.core.items import Item

TRUTH = Path(__file__).resolve().parents[1] / "alignment_truth"


def load() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(TRUTH.glob("*.json"))]


def pairs(real: Path, page: dict) -> tuple[list[Item], list[Item]]:
    """The English and the Chinese question-answer items of a truth page, as the importer reads them."""
    english = [i for i in parse_file(real / page["english"]).items if i.kind in ALIGNED_KINDS]
    chinese = [i for i in parse_file(real / page["chinese"]).items if i.kind in ALIGNED_KINDS]
    return english, chinese


def zip_by_position(english: list[Item], chinese: list[Item]) -> set[tuple[int, int]]:
    """The naive alignment: the k-th pair of one version with the k-th of the other."""
    return {(e.seq, z.seq) for e, z in zip(english, chinese, strict=False)}


@dataclass
class Score:
    true_links: int = 0
    found_links: int = 0
    right: int = 0

    def add(self, truth: Iterable[tuple[int, int]], found: Iterable[tuple[int, int]]) -> None:
        truth, found = set(map(tuple, truth)), set(found)
        self.true_links += len(truth)
        self.found_links += len(found)
        self.right += len(truth & found)

    @property
    def precision(self) -> float:
        return self.right / self.found_links if self.found_links else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.true_links if self.true_links else 1.0
