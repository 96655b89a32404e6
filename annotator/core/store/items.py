"""Sources and the items they hold: adding a source, reading items, an item's conference."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from annotator.core.items import ITEM_ROW_COLUMNS, PreparedSource, Source
from annotator.core.name_groups import OUTLET, SPOKESPERSON, NameGroup, grouped, spellings_of
from annotator.core.records import AddResult, ModelText, now
from annotator.core.store.part import Part
from annotator.core.validate import storable

# An item already present (same uid, brought in by a merge) is kept as it is; any other
# refusal (a CHECK, a NOT NULL) fails the file rather than dropping the item unseen.
_INSERT_ITEM = (
    f"INSERT INTO items({', '.join(ITEM_ROW_COLUMNS)}, source_id)"
    f" VALUES ({', '.join('?' * (len(ITEM_ROW_COLUMNS) + 1))}) ON CONFLICT(uid) DO NOTHING"
)
_CONTEXT_COLUMNS = ("id", "kind", "seq", "outlet", "spokesperson", "question", "answer", "meta")


def index_new_items(conn: sqlite3.Connection, where: str, args: list[Any]) -> None:
    """Add items just inserted to the full-text index: every path that inserts items must call this."""
    conn.execute(
        f"INSERT INTO items_fts(rowid, question, answer) SELECT id, question, answer FROM items WHERE {where}", args
    )


class Items(Part):
    """``store.items``: the project's sources and items."""

    def add_source(self, source: Source | PreparedSource, *, allow_copies: bool = False) -> AddResult:
        """Insert a source and its items in one transaction; a file already imported adds nothing.

        The source joins the conference its page names (``store.conferences.claim``); a copy of a
        source already here (the same pairs' text) joins that one's conference and adds no items,
        unless ``allow_copies``. A page claiming a conference another briefing holds is refused.
        """
        if isinstance(source, PreparedSource):
            prepared = source
        else:  # imported here: the importers cost every command that opens a project 0.1 s of start-up
            from annotator.core.importers.prepared import prepare

            prepared = prepare(source)
        src = prepared.source
        row = self._conn.execute("SELECT id, conference_id FROM sources WHERE sha256 = ?", [src.sha256]).fetchone()
        if row:
            return AddResult(source_id=row[0], added=0, duplicate=True, conference_id=row[1])
        conferences = self._store.conferences
        cid, copy_of, known = conferences.claim(prepared, allow_copies=allow_copies)
        with self._store.transaction(refused=f"{src.name}: not written, an item was refused by the database ({{error}})"):
            if not known:  # most files of an import join a conference an earlier file made
                conferences.ensure(cid, prepared.conference)
            cur = self._conn.execute(
                """INSERT INTO sources(name, sha256, kind, title, date, imported_at, conference_id, language,
                                       pairs_sha256, copy_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [src.name, src.sha256, src.kind, src.title, src.date, now(), cid, prepared.language,
                 prepared.fingerprint, copy_of],
            )
            source_id = cur.lastrowid
            if copy_of is not None:  # its pairs are in the project already: no second set of items
                original = self._conn.execute("SELECT name FROM sources WHERE sha256 = ?", [copy_of]).fetchone()[0]
                return AddResult(source_id=source_id, added=0, duplicate=False, conference_id=cid, copy_of=original)
            cur = self._conn.executemany(_INSERT_ITEM, [(*r, source_id) for r in prepared.rows])
            added = cur.rowcount
            if not self._store.indexing_in_bulk:  # in bulk writes the batch indexes its items at commit
                index_new_items(self._conn, "source_id = ?", [source_id])
        return AddResult(source_id=source_id, added=added, duplicate=False, conference_id=cid)

    def count(self) -> int:
        return self._conn.execute("SELECT count(*) FROM items").fetchone()[0]

    def ids_by_kind(self) -> dict[str, list[int]]:
        """{kind: the ids of its items}, read from the ``items_kind`` index alone."""
        return {kind: json.loads(ids) for kind, ids in self._conn.execute(
            "SELECT kind, json_group_array(id) FROM items GROUP BY kind ORDER BY kind")}

    def periods(self) -> tuple[list[int], list[str | None], list[int]]:
        """(item ids ascending, each item's date, its source -- the conference) in bulk: what
        the report groups units by for ``--by month`` and ``--by conference``."""
        row = self._conn.execute(
            "SELECT json_group_array(id), json_group_array(date), json_group_array(source_id) "
            "FROM (SELECT id, date, source_id FROM items ORDER BY id)"
        ).fetchone()
        return json.loads(row[0]), json.loads(row[1]), json.loads(row[2])

    def conferences(self) -> dict[int, tuple[str | None, str]]:
        """{source id: (its date, its title or file name)}: a conference as the report names it."""
        return {i: (d, t or n) for i, d, t, n in self._conn.execute("SELECT id, date, title, name FROM sources")}

    def get(self, item_id: int) -> dict[str, Any] | None:
        """Every column of one item, or None when there is no such item."""
        if not storable(item_id):
            return None
        cur = self._conn.execute("SELECT * FROM items WHERE id = ?", [item_id])
        row = cur.fetchone()
        return dict(zip([d[0] for d in cur.description], row, strict=True)) if row else None

    def id_for_uid(self, uid: str) -> int | None:
        row = self._conn.execute("SELECT id FROM items WHERE uid = ?", [uid]).fetchone()
        return row[0] if row else None

    def at_position(self, source_id: int, position: int) -> int | None:
        """The ``position``-th item (1-based, as ``position`` counts) of the conference of
        ``source_id`` in that source's language, or None."""
        if position < 1 or not storable(position) or not storable(source_id):
            return None
        row = self._conn.execute(
            """SELECT o.id FROM items o JOIN sources so ON so.id = o.source_id, sources me
               WHERE me.id = ? AND so.conference_id = me.conference_id AND so.language IS me.language
               ORDER BY o.source_id, o.seq LIMIT 1 OFFSET ?""", [source_id, position - 1]).fetchone()
        return row[0] if row else None

    def first_id(self) -> int | None:
        row = self._conn.execute("SELECT id FROM items ORDER BY id LIMIT 1").fetchone()
        return row[0] if row else None

    def texts(self) -> list[tuple[str, str, str]]:
        """(uid, question, answer) of every item, for matching records that carry only text."""
        return self._conn.execute("SELECT uid, question, answer FROM items ORDER BY id").fetchall()

    def model_texts(self, item_ids: list[int] | None = None) -> list[ModelText]:
        """What the suggestion model reads of the items ``item_ids`` (None: every item), in item
        order; outlet and spokesperson in their normalised form, so one outlet is one feature."""
        sql = ("SELECT id, uid, source_id, kind, question, answer, outlet_norm, spokesperson_norm FROM items")
        if item_ids is None:
            return list(map(ModelText._make, self._conn.execute(sql + " ORDER BY id")))
        if len(item_ids) == 1:  # the next item's suggestions: one index lookup
            return list(map(ModelText._make, self._conn.execute(sql + " WHERE id = ?", item_ids)))
        wanted = ",".join(str(int(i)) for i in item_ids)
        return list(map(ModelText._make, self._conn.execute(sql + f" WHERE id IN ({wanted}) ORDER BY id")))

    def names(self, column: str) -> list[NameGroup]:
        """The outlets or spokespersons (``name_groups.OUTLET``/``SPOKESPERSON``), each once
        whatever its spellings, with their item counts, most frequent first."""
        if column not in (OUTLET, SPOKESPERSON):
            raise ValueError(column)
        return grouped(column, self._store.query(
            f"SELECT {column}, count(*) FROM items WHERE {column} IS NOT NULL GROUP BY 1", []
        ))

    def spellings(self, column: str, name: str) -> list[str]:
        """The values of ``column`` a filter on ``name`` matches: every spelling of its group."""
        if column not in (OUTLET, SPOKESPERSON):
            raise ValueError(column)
        # The column's distinct values, one index seek each: a project has a few hundred names
        # among a million items, and a filter asks on every count and every "next".
        present, last = [], ""
        while (last := self._store.query(f"SELECT min({column}) FROM items WHERE {column} > ?",
                                         [last]).fetchone()[0]) is not None:
            present.append(last)
        return spellings_of(column, name, present)

    # -- an item's conference -----------------------------------------------------------

    def conference(self, source_id: int) -> dict[str, Any]:
        """A conference (one source): its title, file name, date and number of items."""
        row = self._store.query(
            "SELECT name, title, date, (SELECT count(*) FROM items WHERE source_id = sources.id) FROM sources WHERE id = ?",
            [source_id],
        ).fetchone()
        if row is None:
            return {"name": "", "title": None, "date": None, "items": 0}
        return {"name": row[0], "title": row[1], "date": row[2], "items": row[3]}

    # An item's place is counted among the items of its conference in its language -- every
    # source of that briefing in that language (the Chinese page of it has its own count), in
    # the order they came in, each in page order -- the conference a coder reads, not a file.
    _VERSION = """
        FROM items o JOIN sources so ON so.id = o.source_id,
             (SELECT i.seq, i.source_id, s.conference_id, s.language FROM items i JOIN sources s ON s.id = i.source_id
              WHERE i.id = ?) me
        WHERE so.conference_id = me.conference_id"""

    def position(self, item_id: int) -> tuple[int, int]:
        """(position, count): the item is the position-th (1-based) of count in its conference, in
        its language (see ``_VERSION``)."""
        row = self._store.query(
            "SELECT count(*) FILTER (WHERE o.source_id < me.source_id OR (o.source_id = me.source_id AND o.seq <= me.seq)),"
            " count(*)" + self._VERSION + " AND so.language IS me.language", [item_id]).fetchone()
        return (row[0], row[1]) if row and row[1] else (0, 0)

    def versions(self, item_id: int) -> tuple[str | None, list[tuple[str | None, int]]]:
        """(the item's language, [(language, items)] of its conference in every other language)."""
        rows = self._store.query(
            "SELECT so.language, count(*), so.language IS me.language" + self._VERSION +
            " GROUP BY so.language ORDER BY so.language", [item_id]).fetchall()
        mine = next((lang for lang, _n, same in rows if same), None)
        return mine, [(lang, n) for lang, n, same in rows if not same]

    def context(self, item_id: int, before: int = 2, after: int = 2) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The items just before and after ``item_id`` in the same conference, in order."""
        cols = ", ".join(_CONTEXT_COLUMNS)
        ahead = self._store.query(
            f"""SELECT {cols} FROM items WHERE source_id = (SELECT source_id FROM items WHERE id = ?)
                AND seq < (SELECT seq FROM items WHERE id = ?) ORDER BY seq DESC LIMIT ?""",
            [item_id, item_id, before],
        ).fetchall()
        behind = self._store.query(
            f"""SELECT {cols} FROM items WHERE source_id = (SELECT source_id FROM items WHERE id = ?)
                AND seq > (SELECT seq FROM items WHERE id = ?) ORDER BY seq LIMIT ?""",
            [item_id, item_id, after],
        ).fetchall()
        return (
            [dict(zip(_CONTEXT_COLUMNS, r, strict=True)) for r in reversed(ahead)],
            [dict(zip(_CONTEXT_COLUMNS, r, strict=True)) for r in behind],
        )
