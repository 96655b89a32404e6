"""The counts ``annotator stats`` reads (``label_tallies``, ``coder_tallies``; m017) kept right
by a bulk write without paying for them row by row.

m017's triggers keep the tallies in every write's transaction: per label row an upsert of two
tally rows and two index probes to decide whether the coder's item was touched before. That is
right for the window's single writes, and a third of the time of a merge that writes 900,000
labels. ``recounted`` sets the triggers aside for a bulk write inside its transaction and
counts the tallies of the coders written afresh from their rows before the transaction ends,
then puts the triggers back exactly as they were (their SQL as stored): all in the one
transaction, so another program sees the triggers and right tallies before and after, never
the gap, and a failure rolls all of it back. A recount reads every row of those coders, so it
is only worth it when the write is large next to what they have already (``worth_recounting``).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Iterator

# Whether an annotation says something (done, flagged or a note): m017's "touched" rule.
_ANNOTATED = "(a.done != 0 OR a.flag != 0 OR a.note != '')"


def worth_recounting(conn: sqlite3.Connection, coders: Iterable[str], rows: int) -> bool:
    """Whether writing ``rows`` label and annotation rows of ``coders`` is cheaper with a recount
    than with the triggers: a recount reads each of the coders' labels once (a covering index
    entry), the triggers probe two indexes per row written, so a write of at least as many rows
    as the coders hold (their tallies say how many) is."""
    names = sorted(set(coders))
    if rows == 0 or not names:
        return False
    held = conn.execute(f"SELECT coalesce(sum(n), 0) FROM label_tallies WHERE coder IN ({_marks(names)})",
                        names).fetchone()[0]
    return rows >= held


@contextlib.contextmanager
def recounted(conn: sqlite3.Connection, coders: Iterable[str]) -> Iterator[None]:
    """Inside an open transaction: the tally triggers away for the writes inside, which must
    touch only labels and annotations of ``coders``; their tallies recounted after."""
    if not conn.in_transaction:
        raise RuntimeError("tallies.recounted needs the write's own transaction")
    names = sorted(set(coders))
    triggers = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('labels', 'annotations')"
        " AND name LIKE '%\\_tally\\_%' ESCAPE '\\' ORDER BY name").fetchall()
    for name, _sql in triggers:
        conn.execute(f'DROP TRIGGER "{name}"')
    yield
    recount(conn, names)
    for _name, sql in triggers:
        conn.execute(sql)


def recount(conn: sqlite3.Connection, coders: list[str]) -> None:
    """The tallies of ``coders`` counted afresh from their label and annotation rows (as m017
    first filled them)."""
    if not coders:
        return
    marks = _marks(coders)
    q = conn.execute
    q(f"DELETE FROM label_tallies WHERE coder IN ({marks})", coders)
    q(f"""INSERT INTO label_tallies(coder, scheme, n)
          SELECT coder, scheme, count(*) FROM labels WHERE coder IN ({marks}) GROUP BY coder, scheme""", coders)
    q(f"DELETE FROM coder_tallies WHERE coder IN ({marks})", coders)
    q(f"""INSERT INTO coder_tallies(coder, touched, done, flagged)
          SELECT coder, count(*), 0, 0 FROM (
              SELECT item_id, coder FROM labels WHERE coder IN ({marks}) UNION
              SELECT item_id, coder FROM annotations a WHERE coder IN ({marks}) AND {_ANNOTATED})
          GROUP BY coder""", coders + coders)
    q(f"""INSERT INTO coder_tallies(coder, touched, done, flagged)
          SELECT coder, 0, sum(done != 0), sum(flag != 0) FROM annotations WHERE coder IN ({marks}) GROUP BY coder
          ON CONFLICT(coder) DO UPDATE SET done = excluded.done, flagged = excluded.flagged""", coders)


def _marks(names: list[str]) -> str:
    return ", ".join("?" * len(names))
