"""The structural check of a project file before anything trusts it (``opening.prepare`` runs it).

A file with a damaged page opens without complaint: SQLite finds the damage only when a
query reads that page, and a command that writes first and reads later (``codebook --set``,
``gold``) would change a corrupt file. So every open checks the file first, and a damaged
one is refused in one line naming it, before any backup or write.

``PRAGMA quick_check`` reads every page and decodes every row: 6.6 s for a 1,000,000-item
project (1.8 GB, ``bench_open``), far too slow for opening a large project. So:

* a file up to ``FULL_CHECK_BYTES`` gets the whole ``quick_check``;
* a larger one gets the parts a quick check can afford: the header against the file's size
  (a file cut off), the schema, every table's first and last rows (the paths from the root
  down both edges, where an overwritten file shows), and the whole ``quick_check`` of every small
  table (the codebook, the sources, gold, assignments, ...). Damage inside a large table's
  middle is found when a command reads it, still one line naming the file, and
  ``annotator check DB`` runs the whole check on any size.

A file checked once in this process and unchanged since (same inode, size and time) is not
checked again: ``annotator gui`` opens the project to vet it, then the window opens it.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from annotator.core.errors import AnnotatorError
from annotator.core.validate import short
from annotator.core.wording import plural

FULL_CHECK_BYTES = 64 << 20  # a quarter to half a second of quick_check, from the disk cache
SMALL_TABLE_ROWS = 20_000  # a table of at most this many rows is checked whole (~50 ms)

_checked: set[tuple[int, int, int, int, int]] = set()


def corrupt(path: Path, why: str) -> AnnotatorError:
    """The one line of a damaged file."""
    return AnnotatorError(
        f"{path}: the database is corrupt ({why}); nothing was changed: restore a backup (README, 'Backups')"
    )


def _identity(path: Path) -> tuple[int, int, int, int, int] | None:
    try:
        st = os.stat(path)
        wal = os.stat(f"{path}-wal").st_size if os.path.exists(f"{path}-wal") else 0
    except OSError:
        return None
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, wal


def check_structure(conn: sqlite3.Connection, path: Path, *, full: bool = False) -> None:
    """Refuse a damaged file in one line naming it (``full``: the whole check, whatever the size)."""
    identity = _identity(path)
    if identity is not None and identity in _checked and not full:
        return
    size = identity[2] if identity is not None else 0
    try:
        problems = _whole(conn) if full or size <= FULL_CHECK_BYTES else _affordable(conn, path, size)
    except sqlite3.OperationalError:
        raise  # locked, unreadable: not damage (the caller's sql_errors says which)
    except sqlite3.DatabaseError as e:  # a page so damaged that the check itself cannot read it
        raise corrupt(path, str(e)) from None
    if problems:
        first = " ".join(problems[0].replace("*** in database main ***", "").split())  # one line
        more = f", and {plural(len(problems) - 1, 'more problem')}" if len(problems) > 1 else ""
        raise corrupt(path, f"{short(first, 120)}{more}")  # a cut said as one ("..."), not a word broken off
    if identity is not None:
        _checked.add(identity)


def _whole(conn: sqlite3.Connection) -> list[str]:
    rows = [r[0] for r in conn.execute("PRAGMA quick_check(20)")]
    return [] if rows == ["ok"] else rows


def _affordable(conn: sqlite3.Connection, path: Path, size: int) -> list[str]:
    """A large file's check: the header against the size, the schema, both edges of every table
    (the root-to-leaf paths of its first and last rows), and the whole of every small table."""
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    if size % page_size:
        return [f"the file is {size:,} bytes, not a whole number of {page_size}-byte pages"]
    short = _cut_off(conn, path, page_size)
    if short is not None and _cut_off(conn, path, page_size) is not None:
        # Asked twice: another program's checkpoint may have moved pages from the WAL into the
        # file between one look at the file and the other.
        return [short]
    problems: list[str] = []
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND rootpage > 0 ORDER BY rootpage"
    )]
    # A full-text index's shadow tables hold few rows of large blobs, and what they hold is
    # derived from the items (rebuilt by 'rebuild'): their edges are read, not the whole.
    derived = tuple(f"{r[0]}_" for r in conn.execute("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL%'"))
    for table in tables:
        name = _quote(table)
        try:
            # One aggregate each: SQLite answers a lone min() or max() from one edge of the b-tree.
            first = conn.execute(f"SELECT min(rowid) FROM {name}").fetchone()[0]
            last = conn.execute(f"SELECT max(rowid) FROM {name}").fetchone()[0]
            # At most this many rows, known without reading them (rowids may have gaps: never fewer).
            rows = 0 if first is None else last - first + 1
        except sqlite3.OperationalError:  # a WITHOUT ROWID table: its first row, from the root down
            conn.execute(f"SELECT * FROM {name} LIMIT 1").fetchall()
            rows = conn.execute(f"SELECT count(*) FROM (SELECT 1 FROM {name} LIMIT {SMALL_TABLE_ROWS + 1})").fetchone()[0]
        if rows <= SMALL_TABLE_ROWS and not table.startswith(derived):
            problems += [r[0] for r in conn.execute(f"PRAGMA quick_check({name})") if r[0] != "ok"]
    return problems


def _cut_off(conn: sqlite3.Connection, path: Path, page_size: int) -> str | None:
    """Why the file holds fewer pages than its header says, when no WAL holds the rest."""
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    try:
        wal = os.stat(f"{path}-wal").st_size if os.path.exists(f"{path}-wal") else 0
        held = os.stat(path).st_size // page_size
    except OSError:
        return None
    if wal == 0 and held < pages:
        return f"the file holds {held:,} pages, its header says {pages:,}: it was cut off"
    return None


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
