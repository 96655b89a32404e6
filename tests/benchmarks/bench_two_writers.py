"""two_writers_refused: the soak of tests/core/test_two_writers.py -- two processes writing
5,000 labels each to one project at once, through the store; refusals counted, and every
acknowledged write looked for afterwards (the benchmark fails if one is missing).

Baseline, same file, same run: the same two writers doing what the store did before issue 18,
a deferred transaction (``BEGIN``) that reads the current value first, then writes; in WAL mode
SQLite refuses its first write at once, despite the busy timeout, whenever the other
connection wrote in between. Goal: 0 refused, 0 lost.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from annotator.core.store import Store
from tests.helpers import conference_sources, new_project

WRITES = 5000

STORE_WRITER = """
import sys
from annotator.core.errors import AnnotatorError
from annotator.core.store import Store
path, coder, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
tones = ["firm", "warm", "neutral"]
refused = 0
with Store(path) as store:
    items = [r[0] for r in store.db.execute("SELECT id FROM items ORDER BY id")]
    print("ready", flush=True)
    sys.stdin.readline()
    for k in range(n):
        try:
            store.labels.set(items[k % len(items)], coder, "tone", tones[k % 3])
        except AnnotatorError as e:
            refused += 1
            if refused <= 3:
                print(f"{coder}: refused: {e}", file=sys.stderr)
print(refused, flush=True)
"""

# What labels.set did before: a deferred transaction that reads, then writes the row and its event.
DEFERRED_WRITER = """
import json, sqlite3, sys, uuid
path, coder, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
conn = sqlite3.connect(path, timeout=5.0, isolation_level=None)
conn.execute("PRAGMA busy_timeout = 5000")
items = [r[0] for r in conn.execute("SELECT id FROM items ORDER BY id")]
tones = ["firm", "warm", "neutral"]
refused = 0
print("ready", flush=True)
sys.stdin.readline()
for k in range(n):
    item, value = items[k % len(items)], json.dumps(tones[k % 3])
    try:
        conn.execute("BEGIN")
        row = conn.execute("SELECT value FROM labels WHERE item_id = ? AND coder = ? AND scheme = 'tone'",
                           [item, coder]).fetchone()
        conn.execute("INSERT INTO labels(item_id, coder, scheme, value, created_at, updated_at) "
                     "VALUES (?, ?, 'tone', ?, '2024-01-01', '2024-01-01') ON CONFLICT(item_id, coder, scheme) "
                     "DO UPDATE SET value = excluded.value", [item, coder, value])
        conn.execute("INSERT INTO label_events(uid, item_id, coder, field, before, after, action, at) "
                     "VALUES (?, ?, ?, 'tone', ?, ?, 'set', '2024-01-01')",
                     [uuid.uuid4().hex, item, coder, row[0] if row else None, value])
        conn.execute("COMMIT")
    except sqlite3.OperationalError:
        refused += 1
        if conn.in_transaction:
            conn.execute("ROLLBACK")
print(refused, flush=True)
"""


def race(path: Path, script: str) -> tuple[int, int]:
    """Two writers at once; (refused, lost): lost = acknowledged writes missing from the history."""
    procs = []
    for coder in ("alice", "bob"):
        p = subprocess.Popen([sys.executable, "-c", script, str(path), coder, str(WRITES)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
        assert p.stdout.readline().strip() == "ready"
        procs.append(p)
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    refused = [int(p.communicate()[0].split()[-1]) for p in procs]
    lost = 0
    with Store(path, readonly=True) as store:
        for coder, n in zip(("alice", "bob"), refused, strict=True):
            events = store.db.execute("SELECT count(*) FROM label_events WHERE coder = ? AND field = 'tone'",
                                      [coder]).fetchone()[0]
            lost += (WRITES - n) - events
    return sum(refused), lost


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        template = new_project(Path(tmp) / "template.db", conference_sources())
        ours, theirs = Path(tmp) / "store.db", Path(tmp) / "deferred.db"
        shutil.copy(template, ours)
        shutil.copy(template, theirs)
        refused, lost = race(ours, STORE_WRITER)
        base_refused, _ = race(theirs, DEFERRED_WRITER)
    if lost:
        sys.exit(f"two_writers: {lost} acknowledged writes are missing from the history")
    print(json.dumps({"name": "two_writers_refused", "value": refused, "unit": f"of {2 * WRITES} writes",
                      "baseline": base_refused, "ratio": round(refused / base_refused, 3) if base_refused else 0.0}))


if __name__ == "__main__":
    main()
