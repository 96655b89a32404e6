"""Benchmark: merge a coder's database holding 100,000 labels into the project.

Plain script: ``python tests/benchmarks/bench_merge.py`` prints one JSON line
{"name": "merge_s", "value": <s>, "unit": "s", "baseline": <s>, "ratio": value/baseline}.
``value`` is ``annotator merge`` end to end (backup, reading OTHER, every check, the
later-wins plan and the one-transaction write of labels, annotations and history).
The baseline, measured in the same run on a fresh copy of the same project, is the least
any merge must do: a plain sqlite3 ``ATTACH`` and ``INSERT OR IGNORE ... SELECT`` of the
same label and history rows. Target from the issue: value < 10 s.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from annotator.core.codebook import default_codebook_path, load_codebook
from annotator.core.items import Item
from annotator.core.merge import merge_files
from annotator.core.records import HistoryEvent, LabelUpsert, MergePlan
from annotator.core.store import Store
from tests.helpers import new_project, source

N_ITEMS = 50_000  # x 2 schemes = 100,000 labels
SEED = 7


def build(folder: Path) -> tuple[Path, Path]:
    cb = default_codebook_path()
    items = [Item("qa", i, f"Question {i} about trade?", f"Answer {i}: China opposes this.", "Reuters", "Wang Wenbin",
                  "2021-12-09") for i in range(N_ITEMS)]
    project = new_project(folder / "project.db", [source("big.txt", items, sha256="a" * 64)])
    other = folder / "alice.db"
    shutil.copy(project, other)
    rng = random.Random(SEED)
    codebook = load_codebook(cb)
    tones = codebook.scheme("tone").values
    topics = codebook.scheme("topics").values
    with Store(other) as store:
        uids = sorted(store.sync.snapshot(full=False).uids)
        labels, events = [], []
        for n, uid in enumerate(uids):
            at = f"2026-01-01T09:{n // 60_000 % 60:02d}:{n // 1000 % 60:02d}.{n % 1000:03d}000Z"
            for scheme, value in (("tone", rng.choice(tones)), ("topics", rng.sample(topics, rng.randint(0, 3)))):
                text = json.dumps(value)
                labels.append(LabelUpsert(uid, "alice", scheme, text, at, at))
                events.append(HistoryEvent(f"{uid}-{scheme}", uid, "alice", scheme, None, text, "set", None, at, 1.5))
        # sync.apply is the store's bulk writer: the quickest honest way to fill a coder's file
        store.sync.apply(MergePlan(label_upserts=labels, events=events))
        store.checkpoint()
    return project, other


def baseline(project: Path, other: Path) -> float:
    conn = sqlite3.connect(project)
    start = time.perf_counter()
    conn.execute("ATTACH DATABASE ? AS other", [str(other)])
    with conn:
        conn.execute("INSERT OR IGNORE INTO labels SELECT * FROM other.labels")
        conn.execute(
            """INSERT OR IGNORE INTO label_events(uid, item_id, coder, field, before, after, action, ref, at, seconds)
               SELECT uid, item_id, coder, field, before, after, action, ref, at, seconds FROM other.label_events"""
        )
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        project, other = build(folder)
        plain = folder / "plain.db"
        shutil.copy(project, plain)
        base = baseline(plain, other)
        start = time.perf_counter()
        with Store(project) as store:
            _bak, (summary,) = merge_files(store, [other])
        value = time.perf_counter() - start
        if summary.labels_added != 2 * N_ITEMS:
            raise SystemExit(f"merge added {summary.labels_added} labels, expected {2 * N_ITEMS}")
    print(json.dumps({"name": "merge_s", "value": round(value, 3), "unit": "s", "baseline": round(base, 3),
                      "ratio": round(value / base, 2) if base else None}))


if __name__ == "__main__":
    main()
