"""The one translation of SQLite's failures into what a user can act on.

A failure of the environment -- the file locked by another program, read-only,
corrupt, not a database at all -- becomes one ``AnnotatorError`` naming the
file. A row the schema refuses becomes the sentence the caller gives for it. A
misuse of the API (``ProgrammingError``, ``InterfaceError``) is a bug and keeps
its traceback.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from annotator.core.errors import AnnotatorError

# What the CLI's last net catches (it must not import sqlite3): a failure no store call named.
DatabaseFailure = sqlite3.Error


# The command line's advice on a lock, the end of its line; a window retrying by itself leaves it
# off (CodingSession): a coder who pressed a label's key again queued its removal.
TRY_AGAIN = "; try again"


def database_error(path: Path, e: sqlite3.Error) -> AnnotatorError:
    """One clear sentence for what SQLite said, naming the project file."""
    msg = str(e)
    if "not a database" in msg:
        return AnnotatorError(f"{path}: not an SQLite database")
    if "malformed" in msg or "corrupt" in msg:
        return AnnotatorError(f"{path}: the database is corrupt ({msg})")
    if "locked" in msg or "busy" in msg:
        return AnnotatorError(f"{path}: the database is locked by another program{TRY_AGAIN}")
    if "readonly" in msg or "read-only" in msg:
        return AnnotatorError(f"{path}: the project database is read-only")
    if "unable to open" in msg:
        return AnnotatorError(f"{path}: cannot open the project database ({msg})")
    return AnnotatorError(f"{path}: database error: {msg}")


@contextlib.contextmanager
def sql_errors(path: Path, *, refused: str | None = None) -> Iterator[None]:
    """Inside, SQLite's failures become AnnotatorError (see the module's docstring).

    ``refused`` is the sentence for a row the schema refuses (an ``IntegrityError``),
    ``{error}`` in it standing for SQLite's own words; without it such a refusal is a
    bug and propagates.
    """
    try:
        yield
    except sqlite3.IntegrityError as e:
        if refused is None:
            raise
        raise AnnotatorError(refused.replace("{error}", str(e))) from None
    except sqlite3.DatabaseError as e:
        # OperationalError (locked, read-only, I/O) and the plain DatabaseError of a file
        # that is corrupt or no database; the other subclasses are mistakes in our SQL.
        if not isinstance(e, sqlite3.OperationalError) and type(e) is not sqlite3.DatabaseError:
            raise
        raise database_error(path, e) from None
