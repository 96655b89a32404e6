"""Whole commands as a lead runs them: the real ``annotator`` process, cold, the median of three.

Plain script: ``python tests/benchmarks/bench_commands.py [COMMAND ...]`` prints one JSON line per figure
(of every command, or of those named: version stats agreement merge import export),
{"name", "value", "unit", "baseline", "ratio"}, each baseline measured in the same run by a
plain process doing the least the command must do (its floor). Every run is a fresh process
(start-up, imports and opening the project included), started after the previous one ended;
"cold" is a new process, not an empty page cache. Peak memory is the operating system's
figure for that one process (``wait4``). The package's bytecode is compiled first, as pip does
when it installs annotator: a checkout installed in place (``pip install -e``) under
``PYTHONDONTWRITEBYTECODE=1`` would otherwise compile every module it imports on every run.

At 100,000 items x 3 coders (``bigproject.coded_project``: 900,000 labels, 300,000 done marks):

- version_cmd_s: ``annotator --version``; floor: ``python -c pass``.
- stats_cmd_s: ``annotator stats``; floor: the sqlite3 shell counting labels per coder and scheme.
  stats_cmd_s@1000000: the same at 1,000,000 items (9,000,000 labels).
- agreement_cmd_s / agreement_cmd_mb: ``annotator agreement`` (every scheme, bootstrap 1000);
  floor: the sqlite3 shell reading the same label rows with their items' kinds, nothing else.
- merge_cmd_s / merge_cmd_mb: ``annotator merge`` of the three coders' label files into the
  project without labels; floor: a process that reads the same files line by line
  (``json.loads``) and inserts their labels, done marks and history with sqlite3's
  ``executemany`` in one transaction -- no checks, no plan, no backup.
- import_cmd_s: ``annotator import`` of 100,000 generated pairs (5,000 files) into a new project;
  floor: a process splitting the files on speaker lines and ``insert_all`` (bench_import's baseline).
  import_cmd_one_core_s: both pinned to one core (``taskset -c 0``).
- export_cmd_s: ``annotator export`` (native JSONL, every coder); floor: sqlite3's own
  ``json_object`` over the same join (bench_export's baseline).
"""

from __future__ import annotations

import compileall
import json
import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tests.benchmarks.bigproject import CACHE, EXPORT_FLOOR_SQL, big_project, coded_project, corpus, label_files
from tests.benchmarks.processes import ANNOTATOR, PYTHON, run

N_ITEMS = 100_000
RUNS = 3

COUNTS = "SELECT coder, scheme, count(*) FROM labels GROUP BY coder, scheme"
READ_LABELS = "SELECT l.item_id, l.coder, l.scheme, l.value, i.kind FROM labels l JOIN items i ON i.id = l.item_id"
SQLITE_ROWS = """
import sqlite3, sys
conn = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
rows = conn.execute(sys.argv[2]).fetchall()
"""
# The least a merge of label files does: read each line, insert what it says.
PLAIN_MERGE = """
import json, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
ids = dict(conn.execute("SELECT uid, id FROM items"))
with conn:
    for path in sys.argv[2:]:
        labels, done, events = [], [], []
        with open(path, encoding="utf-8") as f:
            next(f)
            for line in f:
                r = json.loads(line)
                item = ids[r["uid"]]
                if "event" in r:
                    e = r["event"]
                    before, after = (None if v is None else json.dumps(v) for v in (e["before"], e["after"]))
                    events.append((e["uid"], item, e["coder"], e["field"], before, after, e["action"], e["at"],
                                   e["seconds"]))
                    continue
                for scheme, value in r["labels"].items():
                    labels.append((item, r["coder"], scheme, json.dumps(value), r["updated_at"], r["updated_at"]))
                done.append((item, r["coder"], r["note"], int(r["flag"]), int(r["done"]), r["seconds"], r["updated_at"]))
        conn.executemany("INSERT INTO labels VALUES (?, ?, ?, ?, ?, ?)", labels)
        conn.executemany("INSERT INTO annotations(item_id, coder, note, flag, done, seconds, updated_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?)", done)
        conn.executemany("INSERT INTO label_events(uid, item_id, coder, field, before, after, action, at, seconds) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", events)
"""
PLAIN_IMPORT = """
import sys
sys.path.insert(0, sys.argv[3])
from pathlib import Path
from tests.benchmarks.bigproject import split_and_insert
split_and_insert(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def sqlite_reads(db: str, sql: str) -> list[str]:
    """A process that runs ``sql`` over ``db`` and does nothing else: the sqlite3 shell, else Python's sqlite3."""
    sqlite = shutil.which("sqlite3")
    return [sqlite, "-readonly", db, sql] if sqlite else [PYTHON, "-c", SQLITE_ROWS, db, sql]


def paired(ours: Callable[[], tuple[float, float]], floor: Callable[[], tuple[float, float]],
           setup: Callable[[], None] = lambda: None) -> tuple[tuple[float, float], tuple[float, float]]:
    """Medians (seconds, MB) of RUNS runs of each, alternating (a drifting machine hits both alike)."""
    a, b = [], []
    for _ in range(RUNS):
        setup()
        a.append(ours())
        setup()
        b.append(floor())
    med = lambda runs: (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs))  # noqa: E731
    return med(a), med(b)


def line(name: str, value: float, unit: str, baseline: float) -> None:
    print(json.dumps({"name": name, "value": round(value, 3), "unit": unit, "baseline": round(baseline, 3),
                      "ratio": round(value / baseline, 2) if baseline else None}), flush=True)


COMMANDS = ("version", "stats", "agreement", "merge", "import", "export")


def main(commands: list[str]) -> None:
    """Every figure, or only those of the commands named (``bench_commands.py import export``)."""
    unknown = sorted(set(commands) - set(COMMANDS))
    if unknown:
        raise SystemExit(f"bench_commands: no command {unknown[0]!r} (commands: {', '.join(COMMANDS)})")
    want = set(commands or COMMANDS)
    compileall.compile_dir(ROOT / "annotator", quiet=1)  # as an installed package has it (see the module)
    coded = str(coded_project(N_ITEMS))
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
        work = Path(tmp)
        target = work / "project.db"

        if "version" in want:
            (s, _), (b, _) = paired(lambda: run([ANNOTATOR, "--version"]), lambda: run([PYTHON, "-c", "pass"]))
            line("version_cmd_s", s, "s", b)

        if "stats" in want:
            (s, _), (b, _) = paired(lambda: run([ANNOTATOR, "stats", coded]),
                                    lambda: run(sqlite_reads(coded, COUNTS)))
            line("stats_cmd_s", s, "s", b)
            big = str(coded_project(1_000_000))
            (s, _), (b, _) = paired(lambda: run([ANNOTATOR, "stats", big]), lambda: run(sqlite_reads(big, COUNTS)))
            line("stats_cmd_s@1000000", s, "s", b)

        if "agreement" in want:
            (s, mb), (b, bmb) = paired(lambda: run([ANNOTATOR, "agreement", coded]),
                                       lambda: run(sqlite_reads(coded, READ_LABELS)))
            line("agreement_cmd_s", s, "s", b)
            line("agreement_cmd_mb", mb, "MB", bmb)

        if "merge" in want:
            merge(work, target)
        if "import" in want:
            import_(work, target)
        if "export" in want:
            out = work / "export.jsonl"
            (s, _), (b, _) = paired(lambda: run([ANNOTATOR, "export", coded, "-o", str(out)]),
                                    lambda: run(sqlite_reads(coded, EXPORT_FLOOR_SQL), stdout=out))
            line("export_cmd_s", s, "s", b)


def merge(work: Path, target: Path) -> None:
    files = [str(p) for p in label_files(N_ITEMS)]
    plain = big_project(N_ITEMS)

    def fresh() -> None:
        for p in work.glob("project.db*"):
            p.unlink()
        shutil.copy(plain, target)

    (s, mb), (b, bmb) = paired(lambda: run([ANNOTATOR, "merge", str(target), *files]),
                               lambda: run([PYTHON, "-c", PLAIN_MERGE, str(target), *files]), fresh)
    line("merge_cmd_s", s, "s", b)
    line("merge_cmd_mb", mb, "MB", bmb)


def import_(work: Path, target: Path) -> None:
    pairs = corpus(N_ITEMS)

    def new_db() -> None:
        for p in work.glob("project.db*"):
            p.unlink()

    for pin, name in ((False, "import_cmd_s"), (True, "import_cmd_one_core_s")):
        (s, _), (b, _) = paired(
            lambda pin=pin: run([ANNOTATOR, "import", str(target), str(pairs)], pin=pin),
            lambda pin=pin: run([PYTHON, "-c", PLAIN_IMPORT, str(pairs), str(target), str(ROOT)], pin=pin),
            new_db,
        )
        line(name, s, "s", b)


if __name__ == "__main__":
    main(sys.argv[1:])
