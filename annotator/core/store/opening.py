"""Opening a project file: every environmental failure one clear sentence, then the schema.

A file is refused before SQLite touches it when it is a folder, missing, unreadable,
or not SQLite at all; then its structure is checked (``structure.py``: a damaged file is
refused naming it, before anything is written); then it must be an annotator project this version knows (a
schema step it has never heard of means a newer annotator made it), and is upgraded
in place unless opened read-only.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from sqlite_utils import Database

from annotator.core.errors import AnnotatorError, NeedsUpgrade
from annotator.core.migrations import migrations
from annotator.core.store.backups import next_backup, prune_backups, write_backup
from annotator.core.store.errors import sql_errors
from annotator.core.store.structure import check_structure
from annotator.core.validate import check_regular_file

BUSY_TIMEOUT_S = 5.0


def connect(path: Path, *, create: bool, readonly: bool) -> sqlite3.Connection:
    """Open the file, turning every environmental failure into one clear sentence."""
    if path.is_dir():
        raise AnnotatorError(f"{path}: is a folder, not a project database")
    check_regular_file(path, "a project database")
    exists = path.exists()
    if not exists and not create:
        raise AnnotatorError(f"{path}: no such project database (create one with 'annotator init {path}')")
    if exists and not os.access(path, os.R_OK):
        raise AnnotatorError(f"{path}: cannot read the project database (permission denied)")
    if not exists:
        parent = path.parent if str(path.parent) else Path(".")
        if not parent.is_dir():
            raise AnnotatorError(f"{path}: cannot create the project database (no folder {parent})")
        if not os.access(parent, os.W_OK):
            raise AnnotatorError(f"{path}: cannot create the project database (folder is read-only)")
    elif not readonly and not os.access(path, os.W_OK):
        raise AnnotatorError(f"{path}: the project database is read-only")
    if exists and not readonly:
        # SQLite makes these with the project's mode: a read while it was read-only leaves them so.
        # (Never advise removing them: a -wal can hold committed changes.)
        stuck = [j.name for j in (Path(f"{path}-wal"), Path(f"{path}-shm")) if j.exists() and not os.access(j, os.W_OK)]
        if stuck:
            it = ("it", "is") if len(stuck) == 1 else ("them", "are")
            raise AnnotatorError(f"{path}: {' and '.join(stuck)} beside it {it[1]} read-only (left by a program that "
                                 f"read the project while it was read-only); make {it[0]} writable as the project is")
    # A file that is no SQLite database is refused by SQLite's own first read ("file is not a
    # database", ``database_error``), not by reading its header here: closing a descriptor of the
    # file, as a plain open() does, drops every POSIX lock this process holds on it -- those of a
    # connection already open on the project (a window, a notebook) among them -- and another
    # program closing the project then took itself for its last user and deleted the WAL under
    # that connection, whose later writes went to the deleted file.
    with sql_errors(path):
        folder_writable = os.access(path.parent if str(path.parent) else Path("."), os.W_OK)
        writable = os.access(path, os.W_OK) and folder_writable
        if readonly and not writable:
            # In a read-only folder (a shared drive) SQLite can make no -shm to read a WAL project
            # by, and the open failed. With no WAL there, the file holds every change and no
            # program can change it (its journal could not be made either): read it as immutable.
            immutable = "&immutable=1" if not folder_writable and not os.path.exists(f"{path}-wal") else ""
            return sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro{immutable}", uri=True, timeout=BUSY_TIMEOUT_S,
                check_same_thread=False,
            )
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, check_same_thread=False)
        if readonly:
            # A read-write connection that refuses writes: unlike mode=ro it can tidy
            # the -wal and -shm files away on close instead of leaving them beside the project.
            conn.execute("PRAGMA query_only = ON")
        return conn


def prepare(conn: sqlite3.Connection, db: Database, path: Path, *, create: bool, readonly: bool,
            upgrading: Callable[[list[str], Path | None], None] | None = None, back_up: bool = True) -> bool:
    """Check the file is a project this version can open, upgrade it; True if it was new.

    An older project is backed up beside itself before its steps run (``back_up``: False for a
    file that is a copy already), and ``upgrading`` is told first, with the names of the steps
    it lacks and where its backup goes: at a million items the two take a while."""
    with sql_errors(path):
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if tables and "_sqlite_migrations" not in tables:
        raise AnnotatorError(f"{path}: an SQLite database, but not an annotator project")
    if not tables and not create:
        raise AnnotatorError(f"{path}: empty file, not an annotator project")
    if tables:
        with sql_errors(path):
            check_structure(conn, path)  # before any schema step, backup or write
    known = {m.name for m in migrations._migrations}
    applied = [m.name for m in migrations.applied(db)] if tables else []
    unknown = [name for name in applied if name not in known]
    if unknown:
        raise AnnotatorError(
            f"{path}: made by a newer version of annotator (unknown schema step {unknown[0]}); upgrade annotator"
        )
    with sql_errors(path):
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = FULL")
        if not readonly:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise AnnotatorError(f"{path}: cannot switch the database to WAL mode (got {mode})")
            if pending := migrations.pending(db):
                if tables:  # a new file's steps are its making, not an upgrade
                    kept = next_backup(path) if back_up else None
                    if upgrading is not None:
                        upgrading([m.name for m in pending], kept)
                    if kept is not None:  # a step can be undone by no key: the file as it was stays beside it
                        write_backup(conn, kept)
                        prune_backups(path)
                migrations.apply(db)
        elif pending := migrations.pending(db):
            raise NeedsUpgrade(f"{path}: read-only and made by an older version; open it once writable to upgrade",
                               [m.name for m in pending])
    return not tables
