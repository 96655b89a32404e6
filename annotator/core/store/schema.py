"""Is a file's schema this version's: every table, column, index and trigger a new project has.

The page check (``structure.py``) cannot see a table or a column dropped by another program:
the pages left are sound. Such a file opened, took writes and failed later with "no such
table". ``annotator check`` compares the file with a project made new in memory, by the same
schema steps (``migrations``), so there is no second copy of the schema to keep true; it costs
a tenth of a second, which is why opening does not. A table another tool added is no fault.
"""

from __future__ import annotations

import functools
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from annotator.core.errors import AnnotatorError
from annotator.core.migrations import migrations

Shape = dict[str, set[str]]  # {"table gold": {its columns}, "index labels_coder": set(), ...}


def shape(conn: sqlite3.Connection) -> Shape:
    """Every table with its columns, and every index and trigger, of the database on ``conn``."""
    out: Shape = {}
    for kind, name in conn.execute("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'index', 'trigger')"):
        quoted = '"' + name.replace('"', '""') + '"'
        columns = {r[1] for r in conn.execute(f"PRAGMA table_info({quoted})")} if kind == "table" else set()
        out[f"{kind} {name}"] = columns
    return out


@functools.cache
def expected() -> Shape:
    """This version's schema: that of a project made new (in memory)."""
    db = Database(memory=True)
    migrations.apply(db)
    return shape(db.conn)


def check_schema(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse, in one line, a project (at this version's schema steps) lacking part of its schema."""
    have = shape(conn)
    for thing, columns in expected().items():
        if thing not in have:
            missing = thing
        elif lacking := sorted(columns - have[thing]):
            missing = f"column {thing.split(' ', 1)[1]}.{lacking[0]}"
        else:
            continue
        raise AnnotatorError(f"{path}: {missing} is missing from the project (changed by another program?); "
                             "nothing was changed: restore a backup (README, 'Backups')")
