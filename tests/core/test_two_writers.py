"""Two programs writing one project wait for each other: none of their writes is refused or lost,
and a merge run while they write succeeds (issue 18: a transaction that began by reading was
refused at its first write, at once, whenever the other had written in between)."""

from __future__ import annotations

import subprocess
import sys

from annotator.core.store import Store
from tests.helpers import coder_label_file, copy_project, read_jsonl

WRITES = 1500  # per writer: enough that the two collide hundreds of times

WRITER = """
import sys
from annotator.core.errors import AnnotatorError
from annotator.core.store import Store

path, coder, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
tones = ["firm", "warm", "neutral"]
refused = 0
with Store(path) as store:
    items = [r[0] for r in store.db.execute("SELECT id FROM items ORDER BY id")]
    print("ready", flush=True)
    sys.stdin.readline()  # both start together
    for k in range(n):
        try:
            store.labels.set(items[k % len(items)], coder, "tone", tones[k % 3])
        except AnnotatorError as e:
            refused += 1
            print("refused", e, file=sys.stderr)
print(refused, flush=True)
"""


def start_writer(path, coder: str, n: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path), coder, str(n)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    return proc


def test_two_writers_and_a_merge_on_one_file_refuse_nothing_and_lose_nothing(project_path, tmp_path) -> None:
    other = coder_label_file(copy_project(project_path, tmp_path / "template.db"), tmp_path / "erin.jsonl")
    writers = [start_writer(project_path, coder, WRITES) for coder in ("alice", "bob")]
    for w in writers:
        w.stdin.write("go\n")
        w.stdin.flush()
    merge = subprocess.run([sys.executable, "-m", "annotator.cli", "merge", str(project_path), str(other)],
                           capture_output=True, text=True)
    outs = [w.communicate(timeout=600) for w in writers]
    assert merge.returncode == 0, merge.stderr
    for (out, err), w in zip(outs, writers, strict=True):
        assert w.returncode == 0, err
        assert out.split() == ["0"], err.splitlines()[:3]  # zero refusals
    with Store(project_path) as store:
        for coder in ("alice", "bob"):
            events = store.db.execute("SELECT count(*) FROM label_events WHERE coder = ? AND field = 'tone'",
                                      [coder]).fetchone()[0]
            assert events == WRITES  # every write is in the history: none lost
            labelled = store.db.execute("SELECT count(*) FROM labels WHERE coder = ?", [coder]).fetchone()[0]
            assert labelled == store.items.count()
        merged = sum(len(r["labels"]) for r in read_jsonl(other) if r.get("coder") == "erin" and "labels" in r)
        assert store.db.execute("SELECT count(*) FROM labels WHERE coder = 'erin'").fetchone()[0] == merged == 5
        assert store.integrity_check() == "ok"
