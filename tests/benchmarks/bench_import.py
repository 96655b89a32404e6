"""import_pairs_per_s: import a generated corpus of 100,000 question-answer pairs.

Baseline, same files, same run: a plain script that splits each file on speaker
lines and inserts the rows with sqlite-utils ``insert_all`` in one transaction.
Both run three times, alternating; each side's median time gives its rate.
The importer does more (furniture, dates, names, uids, provenance, full-text
index, a transaction per file); the goal is to stay within 3x of the baseline.
"""

from __future__ import annotations

import json
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from annotator.launch import skip_unused_imports

# As the `annotator` command does, before anything imports sqlite-utils. It matters
# here because the importer's worker process re-runs this module's imports, as
# Python's spawn start method does with every main module.
skip_unused_imports()

import sqlite_utils

from annotator.core.import_run import import_paths
from annotator.core.store import Store
from tests.benchmarks.bigproject import CACHE, OUTLETS, SPOKESPEOPLE, WORDS

N_PAIRS = 100_000
PER_FILE = 20
ROUNDS = 3
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]


def corpus() -> Path:
    folder = CACHE / f"corpus-{N_PAIRS}"
    if folder.is_dir():
        return folder
    tmp = CACHE / f"corpus-{N_PAIRS}.building"
    tmp.mkdir(parents=True, exist_ok=True)
    rng = random.Random(5)
    for f in range(N_PAIRS // PER_FILE):
        speaker = SPOKESPEOPLE[f % len(SPOKESPEOPLE)]
        year, month, day = 2015 + f % 10, f % 12, 1 + f % 28
        lines = [f"Foreign Ministry Spokesperson {speaker}'s Regular Press Conference on {MONTHS[month]} {day}, {year}", ""]
        for _ in range(PER_FILE):
            lines += [f"{rng.choice(OUTLETS)}: " + " ".join(rng.choices(WORDS, k=30)) + "?", ""]
            for _ in range(rng.randint(1, 3)):
                lines += [f"{speaker}: " + " ".join(rng.choices(WORDS, k=60)) + ".", ""]
        (tmp / f"{year}-{month + 1:02d}-{day:02d}_{f:05d}.txt").write_text("\n".join(lines), encoding="utf-8")
    tmp.rename(folder)
    return folder


SPEAKER = re.compile(r"^([A-Z][\w .'-]{1,40}): (.*)$")


def baseline(folder: Path, db_path: Path) -> int:
    """Split on speaker lines, pair questions with answers, insert_all in one transaction."""
    db = sqlite_utils.Database(db_path)
    rows = []
    for path in sorted(folder.iterdir()):
        question = None
        for line in path.read_text(encoding="utf-8").split("\n"):
            m = SPEAKER.match(line)
            if not m:
                continue
            if m.group(2).endswith("?"):
                question = {"file": path.name, "outlet": m.group(1), "question": m.group(2), "answer": ""}
                rows.append(question)
            elif question is not None:
                question["answer"] += m.group(2) + "\n\n"
    with db.conn:
        db["items"].insert_all(rows, batch_size=1000)
    n = db["items"].count
    db.close()
    return n


def timed_import(folder: Path, db_path: Path) -> float:
    t = time.perf_counter()
    with Store(db_path, create=True) as store:
        summary = import_paths(store, [folder])
    took = time.perf_counter() - t
    assert summary.items_by_kind["qa"] == N_PAIRS and not summary.failed, summary.line()
    return took


def timed_baseline(folder: Path, db_path: Path) -> float:
    t = time.perf_counter()
    n = baseline(folder, db_path)
    took = time.perf_counter() - t
    assert n == N_PAIRS, n
    return took


def main() -> None:
    folder = corpus()
    ours, base = [], []
    # Rounds alternate the two and each side reports its median: on a shared machine
    # one run of either can be 20% off, and a single pair would decide the ratio by luck.
    for _ in range(ROUNDS):
        with tempfile.TemporaryDirectory() as tmp:
            ours.append(timed_import(folder, Path(tmp) / "p.db"))
            base.append(timed_baseline(folder, Path(tmp) / "b.db"))
    value, base_rate = N_PAIRS / statistics.median(ours), N_PAIRS / statistics.median(base)
    print(json.dumps({"name": "import_pairs_per_s", "value": round(value), "unit": "pairs/s",
                      "baseline": round(base_rate), "ratio": round(base_rate / value, 2)}))


if __name__ == "__main__":
    main()
