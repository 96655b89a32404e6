"""label_write_p95_ms: one label change committed with its history row, on a 1,000,000-item project.

Baseline, same file, same run: a bare sqlite3 upsert of one row and COMMIT
(what any SQLite app pays for a durable write), so the ratio is the price of
validation, history and the annotation row.
"""

from __future__ import annotations

import json
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from annotator.core.store import Store
from tests.benchmarks.bigproject import fresh_copy

N_ITEMS = 1_000_000
N_WRITES = 2000


def p95(samples: list[float]) -> float:
    samples = sorted(samples)
    return samples[int(0.95 * (len(samples) - 1))]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = fresh_copy(N_ITEMS, Path(tmp) / "p.db")
        rng = random.Random(3)
        options = ["taiwan", "us_relations", "trade_sanctions", "technology", "covid"]
        times = []
        with Store(path) as store:
            for _ in range(N_WRITES):
                item = rng.randrange(1, N_ITEMS + 1)
                t = time.perf_counter()
                store.labels.toggle(item, "bench", "topics", rng.choice(options), seconds=1.0)
                times.append((time.perf_counter() - t) * 1000)
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("CREATE TABLE bare (k INTEGER PRIMARY KEY, v TEXT)")
        base = []
        for _ in range(N_WRITES):
            k = rng.randrange(1, N_ITEMS + 1)
            t = time.perf_counter()
            conn.execute("BEGIN")
            conn.execute("INSERT INTO bare(k, v) VALUES (?, ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v", [k, "x"])
            conn.execute("COMMIT")
            base.append((time.perf_counter() - t) * 1000)
        conn.close()
    value, baseline = p95(times), p95(base)
    print(json.dumps({"name": "label_write_p95_ms", "value": round(value, 3), "unit": "ms",
                      "baseline": round(baseline, 3), "ratio": round(value / baseline, 2)}))


if __name__ == "__main__":
    main()
