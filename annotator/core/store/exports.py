"""Streaming reads for the export writers: one statement per stream.

SQLite gives a statement one consistent snapshot, and the cursor hands rows over
as they are read, so memory stays flat however large the project. Labels,
annotations and gold come along as JSON arrays built by SQLite (correlated
subqueries on their primary keys), one row per item. A label's value comes as
its stored JSON text (a string in the array): the writers decode each distinct
text once (``export.rows.Values``), not once per label.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any, TypeVar

from annotator.core.records import ExportRow, HistoryEvent
from annotator.core.store.history import EVENTS_BY_UID
from annotator.core.store.part import Part

T = TypeVar("T")
_ITEMS = """
    SELECT i.id, i.uid, i.kind, i.date, i.outlet, i.spokesperson, i.question, i.answer,
           i.seq, i.source_id, s.name, s.sha256, s.language, i.follow_up_of, i.meta,
           (SELECT json_group_array(json_array(l.coder, l.scheme, l.value, l.updated_at))
              FROM labels l WHERE l.item_id = i.id),
           (SELECT json_group_array(json_array(a.coder, a.note, a.flag, a.done, a.seconds, a.updated_at))
              FROM annotations a WHERE a.item_id = i.id),
           (SELECT json_group_array(json_array(g.scheme, json(g.value), g.decided_by, g.decided_at, g.reason,
                                               g.method, g.taken_from, json(g.coder_values)))
              FROM gold g WHERE g.item_id = i.id)
    FROM items i JOIN sources s ON s.id = i.source_id
    ORDER BY i.id"""


def _named(cls: type[T]) -> Callable[[Any], T]:
    """A row as ``cls`` (a NamedTuple of the query's columns), made by tuple.__new__ itself:
    no Python frame per row, which a million-item export feels."""
    return partial(tuple.__new__, cls)  # type: ignore[return-value]


class Exports(Part):
    """``store.exports``: what the export writers read."""

    def rows(self, batch: int = 2000) -> Iterator[ExportRow]:
        """Every item in id order with everyone's labels, annotations and gold (``records.ExportRow``)."""
        return self._stream(_ITEMS, [], _named(ExportRow), batch)

    def source_conferences(self) -> dict[int, tuple[str, str | None]]:
        """{source id: (its conference's id, the conference's date or else the source's)}, for a
        split that keeps every conference in one piece."""
        return {sid: (cid, date) for sid, cid, date in self._conn.execute(
            """SELECT s.id, s.conference_id, coalesce(c.date, s.date)
               FROM sources s JOIN conferences c ON c.id = s.conference_id""")}

    def events(self, coder: str | None = None, batch: int = 2000) -> Iterator[HistoryEvent]:
        """Label history in order, keyed by uids, optionally for one coder."""
        return self._stream(EVENTS_BY_UID + " WHERE ?1 IS NULL OR e.coder = ?1 ORDER BY e.id", [coder],
                            _named(HistoryEvent), batch)

    def _stream(self, sql: str, args: list[Any], make: Callable[[Any], T], batch: int) -> Iterator[T]:
        with self._store.errors():
            cur = self._conn.execute(sql, args)
            try:
                while rows := cur.fetchmany(batch):
                    yield from map(make, rows)
            finally:
                # a stream left unfinished by a failed write is closed when collected, maybe after
                # its store: its cursor then has nothing left to close
                with contextlib.suppress(sqlite3.ProgrammingError):
                    cur.close()
