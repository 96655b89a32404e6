"""Gold: the adjudicated label of an (item, scheme), who decided it, when, why, and from what.

Every decision is a ``gold_events`` row beside the current ``gold`` row, in one
transaction; an undo puts back the decision before it with its own author, time,
reason and provenance. A decision's provenance is written by the store itself, at
the moment of deciding, so no path can leave it out: ``coder_values`` (the value each
coder had given the item's scheme then, by ``Scheme.given``), ``method`` -- ``coder``
(``taken_from`` names whose value was taken), ``hand`` (set by hand) or
``unanimous`` (accepted because every coder gave the same value) -- beside
``decided_by``, ``decided_at`` and ``reason``.
"""

from __future__ import annotations

import json
from typing import Any

from annotator.core.codebook import LabelValue
from annotator.core.errors import AnnotatorError
from annotator.core.records import GoldValue, dump_value, load_value, now, validate_coder
from annotator.core.store.history import latest_in_effect
from annotator.core.store.part import Part

METHODS = ("coder", "hand", "unanimous")


class Gold(Part):
    """``store.gold``: the gold labels of the project."""

    def of(self, item_id: int) -> dict[str, dict[str, Any]]:
        """The gold labels of one item: {scheme: {value, decided_by, decided_at, reason, method,
        taken_from, coder_values}} (``method`` and ``coder_values`` None for a decision made
        before annotator kept them)."""
        return {
            s: {"value": json.loads(v), "decided_by": by, "decided_at": at, "reason": why,
                "method": method, "taken_from": taken, "coder_values": load_value(coders)}
            for s, v, by, at, why, method, taken, coders in self._conn.execute(
                """SELECT scheme, value, decided_by, decided_at, reason, method, taken_from, coder_values
                   FROM gold WHERE item_id = ?""", [item_id]
            )
        }

    def history(self, item_id: int) -> list[dict[str, Any]]:
        """Every gold decision on one item, oldest first, undos included, with its provenance."""
        cur = self._conn.execute("SELECT * FROM gold_events WHERE item_id = ? ORDER BY id", [item_id])
        names = [d[0] for d in cur.description]
        out = []
        for row in cur:
            event = dict(zip(names, row, strict=True))
            for key in ("before", "after", "coder_values"):
                event[key] = load_value(event[key])
            out.append(event)
        return out

    def decided(self) -> set[tuple[int, str]]:
        """(item id, scheme) of every gold label."""
        return set(self._conn.execute("SELECT item_id, scheme FROM gold").fetchall())

    def values(self, scheme: str) -> list[GoldValue]:
        """Every gold label of one scheme, in item order, with the item's uid and kind."""
        # One JSON array read at once, not a parse a row: a model's training reads every gold
        # label of every scheme (400,000 on a project of 100,000 items).
        row = self._conn.execute(
            "SELECT json_group_array(json_array(item_id, uid, kind, json(value))) FROM"
            " (SELECT g.item_id, i.uid, i.kind, g.value FROM gold g JOIN items i ON i.id = g.item_id"
            "  WHERE g.scheme = ? ORDER BY g.item_id)", [scheme]).fetchone()
        return list(map(GoldValue._make, json.loads(row[0])))

    def columns(self, scheme: str) -> tuple[list[int], list[str], list[str | None]]:
        """(item ids ascending, values' JSON text, methods) of one scheme's gold labels, in bulk
        like ``store.labels.value_groups``; a method is None for a decision older than provenance."""
        row = self._conn.execute(
            "SELECT json_group_array(item_id), json_group_array(value), json_group_array(method) "
            "FROM (SELECT item_id, value, method FROM gold WHERE scheme = ? ORDER BY item_id)", [scheme]
        ).fetchone()
        return json.loads(row[0]), json.loads(row[1]), json.loads(row[2])

    def count(self) -> int:
        return self._conn.execute("SELECT count(*) FROM gold").fetchone()[0]

    def set(self, item_id: int, scheme: str, value: LabelValue, decided_by: str, reason: str = "", *,
            method: str = "hand", taken_from: str | None = None) -> int | None:
        """Decide the gold label of (item, scheme) -- None removes it -- with its gold_events row, in one
        transaction. ``method``: "coder" (``taken_from`` is the coder whose value it is), "hand"
        or "unanimous". Returns the event id, or None when nothing changed."""
        return self.set_many([(item_id, scheme, value)], decided_by, reason, method=method, taken_from=taken_from)[0]

    def set_many(
        self, decisions: list[tuple[int, str, LabelValue]], decided_by: str, reason: str = "", *,
        action: str = "set", method: str = "hand", taken_from: str | None = None,
    ) -> list[int | None]:
        """Several gold decisions in ONE transaction (e.g. accepting every unanimous item)."""
        decided_by = validate_coder(decided_by)
        if method not in METHODS:
            raise AnnotatorError(f"gold: unknown method {method!r} (use {', '.join(METHODS)})")
        if (method == "coder") != (taken_from is not None):
            raise AnnotatorError("gold: a value taken from a coder names that coder, and only then")
        checked = [(i, s, self._store.scheme(s).canonical(v)) for i, s, v in decisions]
        at = now()
        ids: list[int | None] = []
        with self._store.transaction(refused=f"{self.path}: no item with id {checked[0][0] if checked else '?'}"):
            for item_id, scheme, value in checked:
                coders = self._coder_values(item_id, scheme) if value is not None else {}
                if method == "coder" and value is not None and not self._store.scheme(scheme).same(
                        coders.get(taken_from), value):  # type: ignore[arg-type]
                    raise AnnotatorError(
                        f"{self.path}: item {item_id}, scheme '{scheme}': coder {taken_from!r} did not give that value"
                    )
                provenance = (method, taken_from, dump_value(coders))
                ids.append(self._write(item_id, scheme, value, decided_by, reason, action, None, at, provenance))
        return ids

    def set_reason(self, item_id: int, scheme: str, decided_by: str, reason: str) -> bool:
        """The reason for a decision already made (a reviewer who decides, then says why): the gold
        row takes it and a "reason" event records it, in one transaction. Undo takes back decisions,
        not reasons: undoing the decision restores the one before with its own reason.
        False when (item, scheme) has no gold label."""
        decided_by = validate_coder(decided_by)
        with self._store.transaction():
            row = self._conn.execute(
                "SELECT value, method, taken_from, coder_values FROM gold WHERE item_id = ? AND scheme = ?",
                [item_id, scheme],
            ).fetchone()
            if row is None:
                return False
            value, method, taken_from, coder_values = row
            self._conn.execute("UPDATE gold SET reason = ? WHERE item_id = ? AND scheme = ?", [reason, item_id, scheme])
            self._conn.execute(
                """INSERT INTO gold_events(item_id, scheme, before, after, decided_by, reason, action, ref, at,
                                           method, taken_from, coder_values)
                   VALUES (?, ?, ?, ?, ?, ?, 'reason', NULL, ?, ?, ?, ?)""",
                [item_id, scheme, value, value, decided_by, reason, now(), method, taken_from, coder_values],
            )
        return True

    def undo(self, decided_by: str) -> dict[str, Any] | None:
        """Restore the gold label before ``decided_by``'s latest decision still in effect; the undo is recorded."""
        row = latest_in_effect(
            self._conn, "gold_events", decided_by, ("set", "accept"), ("id", "item_id", "scheme", "before")
        )
        if row is None:
            return None
        event_id, item_id, scheme, before = row
        previous = self._conn.execute(
            """SELECT decided_by, reason, at, method, taken_from, coder_values FROM gold_events
               WHERE item_id = ? AND scheme = ? AND id < ? AND after IS NOT NULL ORDER BY id DESC LIMIT 1""",
            [item_id, scheme, event_id],
        ).fetchone()
        restored = previous[3:] if previous and before is not None else (None, None, None)
        with self._store.transaction():
            self._write(item_id, scheme, load_value(before), decided_by, "undo", "undo", event_id, now(), restored,
                        previous=previous[:3] if previous else None)
        return {"item_id": item_id, "scheme": scheme, "value": load_value(before)}

    def _coder_values(self, item_id: int, scheme: str) -> dict[str, LabelValue]:
        """{coder: the value they gave} of one item's scheme now, by ``Scheme.given``."""
        sch = self._store.scheme(scheme)
        row = self._conn.execute("SELECT kind FROM items WHERE id = ?", [item_id]).fetchone()
        if row is None:
            return {}
        if not sch.applies(row[0]):
            raise AnnotatorError(f"{self.path}: scheme '{scheme}' does not apply to {row[0]} items (item {item_id}); "
                                 "it has no gold label there")
        out = {}
        for coder, value in self._conn.execute(
            "SELECT coder, value FROM labels WHERE item_id = ? AND scheme = ? ORDER BY coder", [item_id, scheme]
        ):
            given = sch.given(json.loads(value), kind=row[0])
            if given is not None:
                out[coder] = given
        return out

    def _write(
        self, item_id: int, scheme: str, value: LabelValue, decided_by: str, reason: str, action: str,
        ref: int | None, at: str, provenance: tuple[Any, Any, Any], previous: tuple | None = None,
    ) -> int | None:
        row = self._conn.execute("SELECT value FROM gold WHERE item_id = ? AND scheme = ?", [item_id, scheme]).fetchone()
        before = json.loads(row[0]) if row else None
        if before == value and action != "undo":
            return None
        method, taken_from, coder_values = provenance
        if value is None:
            self._conn.execute("DELETE FROM gold WHERE item_id = ? AND scheme = ?", [item_id, scheme])
        else:
            # An undo puts back the earlier decision with its own author, time and reason.
            by, why, when = previous if previous else (decided_by, reason, at)
            self._conn.execute(
                """INSERT INTO gold(item_id, scheme, value, decided_by, decided_at, reason, method, taken_from, coder_values)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT(item_id, scheme) DO UPDATE SET value = excluded.value, decided_by = excluded.decided_by,
                   decided_at = excluded.decided_at, reason = excluded.reason, method = excluded.method,
                   taken_from = excluded.taken_from, coder_values = excluded.coder_values""",
                [item_id, scheme, dump_value(value), by, when, why, method, taken_from, coder_values],
            )
        return self._conn.execute(
            """INSERT INTO gold_events(item_id, scheme, before, after, decided_by, reason, action, ref, at,
                                       method, taken_from, coder_values)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [item_id, scheme, dump_value(before), dump_value(value), decided_by, reason, action, ref, at,
             method, taken_from, coder_values],
        ).lastrowid
