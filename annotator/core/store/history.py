"""The shape both undo histories share (a coder's labels, a reviewer's gold decisions).

A history table is append-only: an ``undo`` row refers (``ref``) to the event it
undid, a ``redo`` row to the undo it reverted. What undo takes back is the author's
latest event of a doing kind that no undo refers to yet.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

# label_events as records.HistoryEvent: every id replaced by a uid (item, event, the event
# referred to), what a merge and the label file carry from one project to another.
EVENTS_BY_UID = """SELECT e.uid, i.uid, e.coder, e.field, e.before, e.after, e.action, r.uid, e.at, e.seconds,
                          e.operation, e.suggested
                   FROM label_events e JOIN items i ON i.id = e.item_id
                   LEFT JOIN label_events r ON r.id = e.ref"""
_TABLES = {"label_events": "coder", "gold_events": "decided_by"}  # table -> its author column


def latest_in_effect(
    conn: sqlite3.Connection, table: str, author: str, actions: Sequence[str], columns: Sequence[str],
    holds: Callable[[tuple[Any, ...]], bool] = lambda row: True,
) -> tuple[Any, ...] | None:
    """``columns`` of ``author``'s latest event in ``table`` whose action is one of
    ``actions``, that no ``undo`` event refers to yet, and whose change ``holds`` still (the
    field has its value yet); None when there is none."""
    who = _TABLES[table]
    marks = ", ".join("?" * len(actions))
    rows = conn.execute(
        f"""SELECT {", ".join(columns)} FROM {table} e
            WHERE {who} = ? AND action IN ({marks})
              AND NOT EXISTS (SELECT 1 FROM {table} u WHERE u.ref = e.id AND u.action = 'undo')
            ORDER BY id DESC""",
        [author, *actions],
    )
    try:
        return next((row for row in rows if holds(row)), None)
    finally:
        rows.close()  # read no further: the caller writes next
