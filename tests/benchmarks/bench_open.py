"""open_s and open_check_s: what opening a 1,000,000-item project costs with its structural check.

* ``open_s``: ``Store(path, readonly=True)`` opened and closed (the header, the structural check
  of ``store/structure.py``, the schema steps), median of 5 opens. Baseline, same file, same
  run: a bare ``sqlite3`` connection reading the schema. Goal: under 0.25 s, so the window's
  first item (goal 1.5 s) keeps its margin.
* ``open_check_s``: the structural check alone, as opening runs it on a file this size (the
  affordable check). Baseline: the whole ``PRAGMA quick_check`` of the same file, what every
  open would pay if it checked every page; ratio < 1 is what the cheaper check saves.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from annotator.core.store import Store, structure
from tests.benchmarks.bigproject import fresh_copy

N_ITEMS = 1_000_000
ROUNDS = 5


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def bare_open(path: Path) -> None:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    conn.close()


def store_open(path: Path) -> None:
    structure._checked.clear()  # each open checks, as a new process would
    Store(path, readonly=True).close()


def check_only(path: Path) -> None:
    structure._checked.clear()
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    structure.check_structure(conn, path)
    conn.close()


def whole_check(path: Path) -> None:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    conn.close()


def median(fn, path: Path, rounds: int = ROUNDS) -> float:
    fn(path)  # the file into the page cache, as a second open finds it
    return statistics.median(timed(lambda: fn(path)) for _ in range(rounds))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = fresh_copy(N_ITEMS, Path(tmp) / "p.db")
        opened, bare = median(store_open, path), median(bare_open, path)
        checked, whole = median(check_only, path), median(whole_check, path, rounds=1)
    for name, value, baseline in [("open_s", opened, bare), ("open_check_s", checked, whole)]:
        print(json.dumps({"name": name, "value": round(value, 4), "unit": "s", "baseline": round(baseline, 4),
                          "ratio": round(value / baseline, 3)}))


if __name__ == "__main__":
    main()
