"""export_records_per_s: native JSONL export of 1,000,000 labelled items (two coders).

Baseline, same file, same run: sqlite3's own JSON output of the same columns --
``json_object(...)`` over the same join, labels aggregated per item -- written to a
file by the sqlite3 shell (or Python's sqlite3 if the shell is missing). Goal: within
3x of it. Second line, export_rss_mb: peak RSS of the exporting process next to the
same process's RSS with the project open and nothing exported, to show memory stays
flat however many items go out.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tests.benchmarks.bigproject import CACHE, EXPORT_FLOOR_SQL, big_project, upgraded

N_ITEMS = 1_000_000


CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from annotator.core.store import Store
from annotator.core.export import ExportOptions, export
with Store({db!r}, readonly=True) as store:
    store.items.count()
    idle = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.perf_counter()
    summary = export(store, ExportOptions(), {out!r})
    elapsed = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"elapsed": elapsed, "written": summary.written, "idle_kb": idle, "peak_kb": peak}}))
"""


def labelled_project() -> Path:
    """The shared 1M-item project with two coders' labels, bulk-inserted once and cached."""
    path = CACHE / f"export-labelled-{N_ITEMS}.db"
    if path.exists():
        return upgraded(path)
    tmp = CACHE / f"export-labelled-{N_ITEMS}.building.db"
    shutil.copy(big_project(N_ITEMS), tmp)
    conn = sqlite3.connect(tmp)
    # A fixture built in bulk, not user work: the Store's one-change-per-transaction
    # write path would take hours for 3,000,000 labels.
    conn.executescript("""
        PRAGMA synchronous = OFF;
        BEGIN;
        INSERT INTO labels(item_id, coder, scheme, value, created_at, updated_at)
          SELECT id, 'alice', 'topics',
                 CASE id % 4 WHEN 0 THEN '["taiwan"]' WHEN 1 THEN '["trade_sanctions","technology"]'
                             WHEN 2 THEN '[]' ELSE '["us_relations"]' END,
                 '2026-01-01T09:30:00.000000Z', '2026-01-01T09:30:00.000000Z' FROM items;
        INSERT INTO labels(item_id, coder, scheme, value, created_at, updated_at)
          SELECT id, 'alice', 'tone', CASE id % 3 WHEN 0 THEN '"firm"' ELSE '"neutral"' END,
                 '2026-01-01T09:30:00.000000Z', '2026-01-01T09:30:00.000000Z' FROM items;
        INSERT INTO labels(item_id, coder, scheme, value, created_at, updated_at)
          SELECT id, 'bob', 'tone', CASE id % 5 WHEN 0 THEN '"warm"' ELSE '"firm"' END,
                 '2026-01-02T10:00:00.000000Z', '2026-01-02T10:00:00.000000Z' FROM items WHERE id % 2 = 0;
        INSERT INTO annotations(item_id, coder, note, flag, done, seconds, updated_at)
          SELECT id, 'alice', '', 0, 1, 4.5, '2026-01-01T09:30:00.000000Z' FROM items;
        COMMIT;
    """)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    shutil.move(tmp, path)
    return path


def baseline(db: Path, out: Path) -> float:
    sqlite = shutil.which("sqlite3")
    t = time.perf_counter()
    if sqlite:
        with open(out, "wb") as f:
            subprocess.run([sqlite, "-readonly", str(db), EXPORT_FLOOR_SQL], stdout=f, check=True)
    else:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        with open(out, "w", encoding="utf-8") as f:
            for (line,) in conn.execute(EXPORT_FLOOR_SQL):
                f.write(line)
                f.write("\n")
        conn.close()
    return time.perf_counter() - t


def main() -> None:
    db = labelled_project()
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
        base_out, our_out = Path(tmp) / "baseline.jsonl", Path(tmp) / "export.jsonl"
        base_s = baseline(db, base_out)
        base_out.unlink()
        child = subprocess.run(
            [sys.executable, "-c", CHILD.format(root=str(ROOT), db=str(db), out=str(our_out))],
            capture_output=True, text=True, check=True,
        )
        result = json.loads(child.stdout.strip().splitlines()[-1])
    assert result["written"] == N_ITEMS, result
    ours = N_ITEMS / result["elapsed"]
    base = N_ITEMS / base_s
    print(json.dumps({"name": "export_records_per_s", "value": round(ours), "unit": "records/s",
                      "baseline": round(base), "ratio": round(base / ours, 2)}))
    peak, idle = result["peak_kb"] / 1024, result["idle_kb"] / 1024
    print(json.dumps({"name": "export_rss_mb", "value": round(peak, 1), "unit": "MB",
                      "baseline": round(idle, 1), "ratio": round(peak / idle, 2)}))


if __name__ == "__main__":
    main()
