"""Running a whole command as a user does, for the benchmarks: a fresh process, timed from
outside, with the operating system's figure of its peak memory."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ANNOTATOR = str(Path(sys.executable).with_name("annotator"))  # the console script of this venv
PYTHON = sys.executable


def run(argv: list[str], *, pin: bool = False, stdout: Path | None = None) -> tuple[float, float]:
    """(wall seconds, peak MB) of one process, started fresh and waited for; ``pin``: on one core."""
    with open(stdout or os.devnull, "wb") as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err,
                                preexec_fn=(lambda: os.sched_setaffinity(0, {0})) if pin else None)
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage: its peak, not the largest so far
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise SystemExit(f"{argv[:3]} failed ({proc.returncode}): {err.read().decode(errors='replace')[-500:]}")
    return wall, usage.ru_maxrss / 1024
