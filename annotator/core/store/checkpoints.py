"""Folding the WAL into the project file on a thread of its own, off the window's key path.

Every commit is durable when it returns: with ``synchronous = FULL`` the WAL is synced
at each commit, and a checkpoint only copies pages that are already safe there into the
main file. SQLite's own checkpoint runs inside the commit that takes the WAL past 1000
pages: on a project of 1,000,000 items that commit took 0.3 to 1.6 s (scattered pages of a
1.8 GB file written and synced), a frozen window every hundred-odd labels. And a WAL that
is never reset only grows, so each commit's sync also carries the file's new size.

``BackgroundCheckpoints`` turns the connection's automatic checkpoint off and runs a
PASSIVE checkpoint from a second connection a moment after writes stop coming (or every
``DELAY_S`` while they keep coming). PASSIVE never waits for a reader or writer and never
blocks one, so the window's next commit goes ahead meanwhile; once every frame is copied,
the next commit starts the WAL again from its beginning, overwriting what is there instead
of growing the file.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

DELAY_S = 0.25  # writes in a burst (a coder's keys on one item) are checkpointed together
STOP_WAIT_S = 5.0  # at most this long for a checkpoint under way when the project closes


class BackgroundCheckpoints:
    """A thread that checkpoints ``path``'s WAL when told writes were committed (``due``)."""

    def __init__(self, path: Path, delay_s: float = DELAY_S) -> None:
        self.path = path
        self.delay_s = delay_s
        self.runs = 0  # checkpoints run (tests read it)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"checkpoints {path.name}", daemon=True)
        self._thread.start()

    def due(self) -> None:
        """A commit landed: checkpoint after the delay (several commits meanwhile, once)."""
        self._wake.set()

    def stop(self) -> None:
        """End the thread (its connection closed) before the project is closed."""
        self._stop.set()
        self._wake.set()
        self._thread.join(STOP_WAIT_S)

    def _run(self) -> None:
        try:
            conn = sqlite3.connect(f"file:{self.path}?mode=rw", uri=True, isolation_level=None,
                                   check_same_thread=True)
        except sqlite3.Error:
            return  # the window's own connection reports what is wrong with the file
        try:
            conn.execute("PRAGMA synchronous = FULL")
            while True:
                self._wake.wait()
                if self._stop.wait(self.delay_s):
                    return
                self._wake.clear()
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                    self.runs += 1
                except sqlite3.Error:
                    pass  # the file gone or locked: the next commit asks again, and close checkpoints
        finally:
            conn.close()
