"""kill -9 in the middle of writing labels loses nothing whose call had returned."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from annotator.core.store import Store

WRITER = """
import sys
from annotator.core.store import Store
store = Store(sys.argv[1])
if sys.argv[3] == "background":  # the window's way: the WAL checkpointed on a thread of its own
    store.checkpoint_in_background()
k = int(sys.argv[2])
tones = ["firm", "warm", "neutral"]
while True:
    item = 2 + k % 4
    store.labels.set_note(item, "crash", f"note {k}")
    store.labels.toggle(item, "crash", "topics", "taiwan")
    store.labels.set(item, "crash", "tone", tones[k % 3])
    print(k, flush=True)  # printed only after all three writes returned
    k += 1
"""


@pytest.mark.slow
@pytest.mark.parametrize("checkpoints", ["in the commit", "background"])
def test_kill_9_while_writing_keeps_every_returned_label(project_path, checkpoints: str) -> None:
    rng = random.Random(7)
    start = 0
    for _round in range(4):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(project_path), str(start), checkpoints],
            stdout=subprocess.PIPE, text=True, cwd=os.getcwd(),
        )
        first = proc.stdout.readline()  # the kill timer starts once the writer is writing, however slow start-up is
        time.sleep(rng.random() * 0.8)
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        returned = [int(line) for line in (first + out).split()]
        assert returned, "the writer made no progress before it was killed"
        with Store(project_path) as store:
            assert store.integrity_check() == "ok"
            notes = {e["after"] for e in store.labels.history(coder="crash") if e["field"] == "@note"}
            missing = [k for k in returned if f"note {k}" not in notes]
            assert missing == []
            last = returned[-1]
            ann = store.labels.annotation(2 + last % 4, "crash")
            # the item's current state is at least as new as the last write that returned
            assert ann.note in (f"note {last}", f"note {last + 1}")
        start = returned[-1] + 2
