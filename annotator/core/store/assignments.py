"""Who codes what: the lead's assignments, which the coding window's "next" follows."""

from __future__ import annotations

from annotator.core.records import now, validate_coder
from annotator.core.store.part import Part


class Assignments(Part):
    """``store.assignments``: which coder codes which item."""

    def strata(self) -> list[tuple[int, str]]:
        """(item id, conference id) of every item, in id order: assignment keeps a conference
        whole and draws the reliability sample from every one."""
        return self._conn.execute(
            "SELECT i.id, s.conference_id FROM items i JOIN sources s ON s.id = i.source_id ORDER BY i.id").fetchall()

    def set(self, rows: list[tuple[int, str]], *, replace: bool = True) -> int:
        """Store (item id, coder) assignments in one transaction; ``replace`` drops all earlier ones first."""
        at = now()
        with self._store.transaction():
            if replace:
                self._conn.execute("DELETE FROM assignments")
            cur = self._conn.executemany(
                "INSERT OR IGNORE INTO assignments(item_id, coder, assigned_at) VALUES (?, ?, ?)",
                [(item_id, validate_coder(coder), at) for item_id, coder in rows],
            )
        return cur.rowcount

    def has(self, coder: str) -> bool:
        """True when ``coder`` has assigned items: the coding window's "next" then follows them."""
        return self._conn.execute("SELECT 1 FROM assignments WHERE coder = ? LIMIT 1", [coder]).fetchone() is not None

    def item_ids(self, coder: str) -> list[int]:
        """The items assigned to ``coder``, in item order (empty when the coder has no assignment)."""
        return [r[0] for r in self._conn.execute("SELECT item_id FROM assignments WHERE coder = ? ORDER BY item_id", [coder])]

    def next_item(self, coder: str, after: int | None = None, *, undone_only: bool = True) -> int | None:
        """The first item assigned to ``coder`` after item id ``after`` (None: from the start),
        skipping items the coder marked done unless ``undone_only`` is False."""
        row = self._conn.execute(
            """SELECT a.item_id FROM assignments a
               LEFT JOIN annotations n ON n.item_id = a.item_id AND n.coder = a.coder
               WHERE a.coder = ? AND a.item_id > ? AND (? = 0 OR coalesce(n.done, 0) = 0)
               ORDER BY a.item_id LIMIT 1""",
            [coder, -1 if after is None else after, int(undone_only)],
        ).fetchone()
        return row[0] if row else None

    def in_overlap(self, item_id: int) -> bool:
        """Whether the item is in the reliability sample: assigned to two or more coders."""
        return self._conn.execute(
            "SELECT count(*) >= 2 FROM assignments WHERE item_id = ?", [item_id]).fetchone()[0] == 1

    def overlap(self) -> set[int]:
        """Every item assigned to two or more coders (the reliability sample)."""
        return {r[0] for r in self._conn.execute(
            "SELECT item_id FROM assignments GROUP BY item_id HAVING count(*) >= 2")}

    def counts(self) -> dict[str, int]:
        """How many items each coder is assigned."""
        return dict(self._conn.execute("SELECT coder, count(*) FROM assignments GROUP BY coder ORDER BY coder").fetchall())
