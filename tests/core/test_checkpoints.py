"""The WAL checkpointed on a thread of its own (the window's commits never run one)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from annotator.core.store import Store


def test_commits_leave_the_checkpoint_to_the_thread_and_it_runs_after_them(project_path: Path) -> None:
    store = Store(project_path)
    store.checkpoint_in_background()
    assert store.connection.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
    runs = store._checkpoints.runs
    for k in range(40):
        store.labels.set(2 + k % 4, "alice", "tone", ["firm", "warm", "neutral"][k % 3])
    deadline = time.monotonic() + 10
    while store._checkpoints.runs == runs and time.monotonic() < deadline:
        time.sleep(0.05)
    assert store._checkpoints.runs > runs, "no checkpoint ran after the commits"
    store.close()
    assert not any(t.name.startswith("checkpoints ") for t in threading.enumerate())  # ended with the store
    with Store(project_path, readonly=True) as again:
        assert again.labels.annotation(2 + 39 % 4, "alice").labels == {"tone": "firm"}
        assert again.integrity_check() == "ok"


def wal_size_after_bursts(path: Path, background: bool) -> int:
    """The WAL's size after five bursts of ten label writes, with a pause after each."""
    store = Store(path)
    if background:
        store.checkpoint_in_background()
    for burst in range(5):
        runs = store._checkpoints.runs if background else 0
        for k in range(10):
            store.labels.set(2 + k % 4, "alice", "tone", ["firm", "warm", "neutral"][(burst + k) % 3])
        deadline = time.monotonic() + 10
        while background and store._checkpoints.runs == runs and time.monotonic() < deadline:
            time.sleep(0.02)
    size = path.with_name(path.name + "-wal").stat().st_size
    store.close()
    return size


def test_the_wal_is_folded_in_after_each_burst_and_started_again_rather_than_grown(
        project_path: Path, tmp_path: Path) -> None:
    import shutil

    control = shutil.copy(project_path, tmp_path / "control.db")
    grown = wal_size_after_bursts(Path(control), background=False)  # 50 commits: under SQLite's 1000 pages
    kept = wal_size_after_bursts(project_path, background=True)
    assert kept * 3 < grown, (kept, grown)  # about one burst's pages, written over again


def test_stopped_the_connection_checkpoints_in_its_commits_again(project_path: Path) -> None:
    store = Store(project_path)
    store.checkpoint_in_background()
    store.stop_background_checkpoints()
    assert store.connection.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
    store.checkpoint_in_background()  # and again: one thread, however often asked
    store.checkpoint_in_background()
    assert sum(t.name.startswith("checkpoints ") for t in threading.enumerate()) == 1
    store.close()
