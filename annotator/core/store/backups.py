"""A project's backups beside it: ``<db>.bak-<local timestamp>``, the newest ``KEEP_BACKUPS`` kept.

Taken before a merge that will change the project (``store.sync.backup``) and before a project
made by an older version is upgraded in place (``opening.prepare``): the two changes a coder
does not make key by key, and the only ones an undo cannot take back.
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import sqlite3
from datetime import datetime
from pathlib import Path

from annotator.core.errors import AnnotatorError

KEEP_BACKUPS = 3  # the newest three beside the project (README, "Backups")


def next_backup(path: Path) -> Path:
    """Where the next backup of the project at ``path`` goes, never over an earlier one."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    dest = path.with_name(f"{path.name}.bak-{stamp}")
    n = 1
    while dest.exists():
        dest = path.with_name(f"{path.name}.bak-{stamp}-{n}")
        n += 1
    return dest


def write_backup(conn: sqlite3.Connection, dest: Path) -> Path:
    """Copy the whole project open on ``conn`` to ``dest`` with SQLite's backup API (consistent
    even mid-WAL), atomically: the copy is written under a temporary name and renamed when
    complete, so a full disk leaves no partial or empty backup, only the error."""
    part = dest.with_name(f".{dest.name}.part")
    try:
        target = sqlite3.connect(str(part))
        try:
            conn.backup(target)
        finally:
            target.close()
        with open(part, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(part, dest)
    except (sqlite3.Error, OSError) as e:
        # A copy larger than SQLite's page cache spills into the file before it ends; a write that
        # fails then leaves the copy's rollback journal behind (hot, for a next opener that will
        # never come): it goes with the copy, and so would a WAL's files.
        for leftover in (part, *(part.with_name(part.name + end) for end in ("-journal", "-wal", "-shm"))):
            with contextlib.suppress(OSError):
                leftover.unlink()
        raise AnnotatorError(f"{dest}: cannot write the backup ({e}); nothing was changed") from None
    return dest


def backups(path: Path) -> list[Path]:
    """The backups of the project at ``path`` beside it, oldest first."""
    pattern = re.compile(re.escape(path.name) + r"\.bak-\d{8}-\d{6}(-\d+)?")
    found = [p for p in path.parent.glob(f"{glob.escape(path.name)}.bak-*") if pattern.fullmatch(p.name)]
    return sorted(found, key=lambda p: (p.stat().st_mtime_ns, p.name))


def prune_backups(path: Path) -> None:
    """All but the newest ``KEEP_BACKUPS`` deleted."""
    for old in backups(path)[:-KEEP_BACKUPS]:
        with contextlib.suppress(OSError):
            old.unlink()
