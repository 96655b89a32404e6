"""alignment_{precision,recall}: aligned English-Chinese pairs against the hand-made truth of
twelve dates of both eras (tests/core/alignment_truth/, read page by page).

Baseline, same pages, same run: zip by position (the k-th question-answer pair of the English
page with the k-th of the Chinese). Issue 12's goal is 0.95 for both; ``ratio`` is value /
baseline.

Plain script: ``python tests/benchmarks/bench_alignment.py`` prints one JSON line per figure.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from annotator.core.alignment import align  # noqa: E402
from tests.core.alignment import truth  # noqa: E402

REAL = ROOT.parent / "shared" / "corpus" / "real"


def _line(name: str, value: float, unit: str, baseline: float) -> None:
    print(json.dumps({"name": name, "value": round(value, 4), "unit": unit, "baseline": round(baseline, 4),
                      "ratio": round(value / baseline, 3) if baseline else None}))


def main() -> None:
    ours, naive = truth.Score(), truth.Score()
    for page in truth.load():
        english, chinese = truth.pairs(REAL, page)
        found = align(english, chinese)
        ours.add(page["links"], {(english[k.english].seq, chinese[k.chinese].seq) for k in found.links})
        naive.add(page["links"], truth.zip_by_position(english, chinese))
    _line("alignment_precision", ours.precision, "ratio", naive.precision)
    _line("alignment_recall", ours.recall, "ratio", naive.recall)


if __name__ == "__main__":
    main()
