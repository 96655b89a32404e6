"""Benchmark: ``annotator report`` on 100,000 items x 3 coders x the four default schemes.

Plain script: ``python tests/benchmarks/bench_report.py`` prints one JSON line per figure,
{"name", "value", "unit", "baseline", "ratio"}. Both commands run as a lead runs them -- a
fresh ``annotator`` process each, the median of three, alternating -- on the same cached
project (``bigproject.coded_project``: 900,000 labels, 300,000 done marks, their history).

- report_s: ``annotator report DB -o report.html`` (every scheme, bootstrap 1000, drift by
  week of coding, every picture); baseline: ``annotator agreement DB`` (every scheme,
  bootstrap 1000) in the same run. Goal from the issue: ratio < 3.
- report_md_s: ``annotator report DB -o table.md`` (the same figures, no pictures drawn).
- report_mb: the HTML report's peak memory; baseline: ``annotator agreement``'s.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tests.benchmarks.bigproject import CACHE, coded_project
from tests.benchmarks.processes import ANNOTATOR, run

N_ITEMS = 100_000
RUNS = 3


def line(name: str, value: float, unit: str, baseline: float) -> None:
    print(json.dumps({"name": name, "value": round(value, 3), "unit": unit, "baseline": round(baseline, 3),
                      "ratio": round(value / baseline, 2) if baseline else None}), flush=True)


def main() -> None:
    coded = str(coded_project(N_ITEMS))
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
        html, md = Path(tmp) / "report.html", Path(tmp) / "table.md"
        runs: dict[str, list[tuple[float, float]]] = {"html": [], "md": [], "agreement": []}
        for _ in range(RUNS):  # alternating: a drifting machine hits all three alike
            runs["agreement"].append(run([ANNOTATOR, "agreement", coded]))
            runs["html"].append(run([ANNOTATOR, "report", coded, "-o", str(html)]))
            runs["md"].append(run([ANNOTATOR, "report", coded, "-o", str(md)]))
        seconds = {k: statistics.median(r[0] for r in v) for k, v in runs.items()}
        mb = {k: statistics.median(r[1] for r in v) for k, v in runs.items()}
        line("report_s", seconds["html"], "s", seconds["agreement"])
        line("report_md_s", seconds["md"], "s", seconds["agreement"])
        line("report_mb", mb["html"], "MB", mb["agreement"])


if __name__ == "__main__":
    main()
