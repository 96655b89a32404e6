"""Gold: the adjudicated label of an (item, scheme), who decided it, when and why.

Every decision is a ``gold_events`` row beside the current ``gold`` row, in one
transaction; an undo puts back the decision before it with its own author, time
and reason.
"""

from __future__ import annotations

import json
from typing import Any

from annotator.core.codebook import LabelValue
from annotator.core.records import dump_value, load_value, now, validate_coder
from annotator.core.store.history import latest_in_effect
from annotator.core.store.part import Part


class Gold(Part):
    """``store.gold``: the gold labels of the project."""

    def of(self, item_id: int) -> dict[str, dict[str, Any]]:
        """The gold labels of one item: {scheme: {value, decided_by, decided_at, reason}}."""
        return {
            s: {"value": json.loads(v), "decided_by": by, "decided_at": at, "reason": why}
            for s, v, by, at, why in self._conn.execute(
                "SELECT scheme, value, decided_by, decided_at, reason FROM gold WHERE item_id = ?", [item_id]
            )
        }

    def decided(self) -> set[tuple[int, str]]:
        """(item id, scheme) of every gold label."""
        return set(self._conn.execute("SELECT item_id, scheme FROM gold").fetchall())

    def count(self) -> int:
        return self._conn.execute("SELECT count(*) FROM gold").fetchone()[0]

    def set(self, item_id: int, scheme: str, value: LabelValue, decided_by: str, reason: str = "") -> int | None:
        """Decide the gold label of (item, scheme) -- None removes it -- with its gold_events row, in one
        transaction. Returns the event id, or None when nothing changed."""
        return self.set_many([(item_id, scheme, value)], decided_by, reason)[0]

    def set_many(
        self, decisions: list[tuple[int, str, LabelValue]], decided_by: str, reason: str = "", *, action: str = "set"
    ) -> list[int | None]:
        """Several gold decisions in ONE transaction (e.g. accepting every unanimous item)."""
        decided_by = validate_coder(decided_by)
        checked = [(i, s, self._store.scheme(s).canonical(v)) for i, s, v in decisions]
        at = now()
        ids: list[int | None] = []
        with self._store.transaction(refused=f"{self.path}: no item with id {checked[0][0] if checked else '?'}"):
            for item_id, scheme, value in checked:
                ids.append(self._write(item_id, scheme, value, decided_by, reason, action, None, at))
        return ids

    def undo(self, decided_by: str) -> dict[str, Any] | None:
        """Restore the gold label before ``decided_by``'s latest decision still in effect; the undo is recorded."""
        row = latest_in_effect(
            self._conn, "gold_events", decided_by, ("set", "accept"), ("id", "item_id", "scheme", "before")
        )
        if row is None:
            return None
        event_id, item_id, scheme, before = row
        previous = self._conn.execute(
            """SELECT decided_by, reason, at FROM gold_events
               WHERE item_id = ? AND scheme = ? AND id < ? AND after IS NOT NULL ORDER BY id DESC LIMIT 1""",
            [item_id, scheme, event_id],
        ).fetchone()
        with self._store.transaction():
            self._write(item_id, scheme, load_value(before), decided_by, "undo", "undo", event_id, now(), previous=previous)
        return {"item_id": item_id, "scheme": scheme, "value": load_value(before)}

    def _write(
        self, item_id: int, scheme: str, value: LabelValue, decided_by: str, reason: str, action: str,
        ref: int | None, at: str, previous: tuple | None = None,
    ) -> int | None:
        row = self._conn.execute("SELECT value FROM gold WHERE item_id = ? AND scheme = ?", [item_id, scheme]).fetchone()
        before = json.loads(row[0]) if row else None
        if before == value and action != "undo":
            return None
        if value is None:
            self._conn.execute("DELETE FROM gold WHERE item_id = ? AND scheme = ?", [item_id, scheme])
        else:
            # An undo puts back the earlier decision with its own author, time and reason.
            by, why, when = previous if previous else (decided_by, reason, at)
            self._conn.execute(
                """INSERT INTO gold(item_id, scheme, value, decided_by, decided_at, reason) VALUES (?, ?, ?, ?, ?, ?)
                   ON CONFLICT(item_id, scheme) DO UPDATE SET value = excluded.value, decided_by = excluded.decided_by,
                   decided_at = excluded.decided_at, reason = excluded.reason""",
                [item_id, scheme, dump_value(value), by, when, why],
            )
        return self._conn.execute(
            """INSERT INTO gold_events(item_id, scheme, before, after, decided_by, reason, action, ref, at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [item_id, scheme, dump_value(before), dump_value(value), decided_by, reason, action, ref, at],
        ).lastrowid
