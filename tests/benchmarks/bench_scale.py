"""How the lead's commands grow with the study: import, export, agreement and merge at 10,000,
100,000 and 1,000,000 items (3 coders), one run each, the whole ``annotator`` process.

Plain script: ``python tests/benchmarks/bench_scale.py`` prints one JSON line per command and
size, e.g. {"name": "agreement_cmd_s@1000000", "value": <s>, "unit": "s", "baseline": <s>,
"ratio": ...}. The baseline is linear growth measured in the same run: the command's time at
the size ten times smaller, times ten (none at the smallest size). A ratio above 1 grows
faster than linearly; below 1, a fixed cost (start-up, opening, the codebook) still weighs.

The projects are ``bigproject.coded_project`` (three labels and a done mark per item and
coder), the label files each coder's ``export --labels``, the import corpus ``bigproject.corpus``
(20 pairs a file); all are built once and cached, which takes several minutes at 1,000,000.
"""

from __future__ import annotations

import compileall
import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tests.benchmarks.bigproject import CACHE, big_project, coded_project, corpus, label_files
from tests.benchmarks.processes import ANNOTATOR, run

SIZES = (10_000, 100_000, 1_000_000)


def main() -> None:
    compileall.compile_dir(ROOT / "annotator", quiet=1)  # as an installed package has it (bench_commands)
    previous: dict[str, float] = {}
    for n in SIZES:
        coded = str(coded_project(n))
        files = [str(p) for p in label_files(n)]
        pairs = str(corpus(n))
        with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
            work = Path(tmp)
            target = work / "project.db"
            shutil.copy(big_project(n), target)
            commands = {
                "agreement": [ANNOTATOR, "agreement", coded],
                "export": [ANNOTATOR, "export", coded, "-o", str(work / "out.jsonl")],
                "merge": [ANNOTATOR, "merge", str(target), *files],
                "import": [ANNOTATOR, "import", str(work / "new.db"), pairs],
            }
            for command, argv in commands.items():
                seconds, _mb = run(argv)
                name = f"{command}_cmd_s@{n}"
                linear = previous[command] * 10 if command in previous else None
                print(json.dumps({"name": name, "value": round(seconds, 3), "unit": "s",
                                  "baseline": None if linear is None else round(linear, 3),
                                  "ratio": None if linear is None else round(seconds / linear, 2)}), flush=True)
                previous[command] = seconds


if __name__ == "__main__":
    main()
