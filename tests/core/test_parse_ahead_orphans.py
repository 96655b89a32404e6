"""kill -9 of ``annotator import`` leaves no process behind: the parse-ahead workers, and the
resource tracker they keep alive, end with it (issue 18: still running 19 minutes later)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.core.parse_ahead import PARENT_POLL_S, usable_cores


def children(pid: int) -> dict[int, str]:
    """The processes whose parent is ``pid``, with their command lines (Linux's /proc)."""
    out = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            out[int(entry.name)] = cmdline
    return out


def alive(pid: int) -> bool:
    """Running, not a zombie waiting for a parent (a container's init may never reap it)."""
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists() or usable_cores() < 2,
                    reason="needs Linux's /proc and a second core (one core parses without workers)")
def test_kill_9_of_an_import_leaves_no_worker_running(tmp_path: Path, corpus: Path) -> None:
    folder = corpus / "real" / "mfa-zh-more"  # 919 pages: the import is still parsing when killed
    proc = subprocess.Popen([sys.executable, "-m", "annotator.cli", "import", str(tmp_path / "p.db"), str(folder)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        workers: dict[int, str] = {}
        while time.monotonic() < deadline and proc.poll() is None:
            workers = {p: c for p, c in children(proc.pid).items() if "multiprocessing" in c}
            if any("spawn_main" in c for c in workers.values()):
                break
            time.sleep(0.05)
        assert any("spawn_main" in c for c in workers.values()), "the import started no parse-ahead worker"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        gone_by = time.monotonic() + 10 * PARENT_POLL_S + 5
        while time.monotonic() < gone_by and any(alive(p) for p in workers):
            time.sleep(0.05)
        left = {p: c for p, c in workers.items() if alive(p)}
        assert left == {}, f"still running after the import was killed: {left}"
    finally:
        if proc.poll() is None:
            proc.kill()
