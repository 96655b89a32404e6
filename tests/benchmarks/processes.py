"""Running a whole command as a user does, for the benchmarks: a fresh process, timed from
outside, with the operating system's figure of its peak memory.

The peak is GNU time's (``/usr/bin/time -f %M``), not this process's ``wait4`` of the command:
Linux starts a forked child's peak at its parent's size and keeps it across ``exec``, so a
command started straight from a benchmark holding a few hundred megabytes would report at
least that much. Started from ``time`` (a few megabytes), it reports its own peak."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ANNOTATOR = str(Path(sys.executable).with_name("annotator"))  # the console script of this venv
PYTHON = sys.executable
GNU_TIME = "/usr/bin/time"


def run(argv: list[str], *, pin: bool = False, stdout: Path | None = None) -> tuple[float, float]:
    """(wall seconds, peak MB) of one process, started fresh and waited for; ``pin``: on one core."""
    if not os.access(GNU_TIME, os.X_OK):
        raise SystemExit(f"the benchmarks need GNU time at {GNU_TIME} for each command's own peak memory "
                         "(Debian/Ubuntu: apt-get install time)")
    with open(stdout or os.devnull, "wb") as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r") as peak:
        start = time.perf_counter()
        proc = subprocess.Popen([GNU_TIME, "-f", "%M", "-o", peak.name, *argv], stdout=out, stderr=err,
                                preexec_fn=(lambda: os.sched_setaffinity(0, {0})) if pin else None)
        proc.wait()
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            err.seek(0)
            raise SystemExit(f"{argv[:3]} failed ({proc.returncode}): {err.read().decode(errors='replace')[-500:]}")
        kb = peak.read().split()[-1]
    return wall, int(kb) / 1024
