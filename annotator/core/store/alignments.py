"""``store.alignments``: which English item and which Chinese item are one exchange.

Rows of ``alignments`` (migration m015): the aligner's links ('auto', with a confidence), and
a coder's ('hand': a link, or an item marked as having no counterpart). The rules of what is
aligned with what are in ``core/alignment/`` and ``core/aligning.py``; here they are written.
Nothing here touches an item or a label.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from annotator.core.records import now
from annotator.core.store.part import Part

LANGUAGE_COLUMNS = {"en": ("english_id", "chinese_id"), "zh": ("chinese_id", "english_id")}
_OTHER_COLUMNS = ("id", "uid", "kind", "seq", "source_id", "outlet", "spokesperson", "question", "answer")


class Exchange(NamedTuple):
    """An item as the aligner reads it (``core.alignment.Exchange``), with its row id."""

    id: int
    seq: int
    question: str
    answer: str
    outlet: str | None


class Alignments(Part):
    def exchanges(self, source_id: int, kinds: Iterable[str]) -> list[Exchange]:
        """The source's items of these kinds, in page order."""
        return [Exchange(*r) for r in self._conn.execute(
            "SELECT id, seq, question, answer, outlet FROM items WHERE source_id = ?"
            " AND kind IN (SELECT value FROM json_each(?)) ORDER BY seq", [source_id, json.dumps(list(kinds))])]

    def item_ids(self, source_ids: Iterable[int], kinds: Iterable[str]) -> list[int]:
        """The ids of these sources' items of these kinds, without their text."""
        # "+kind": found through the sources' index; the planner would otherwise walk
        # items_kind, every item of the project, once per conference.
        return [r[0] for r in self._conn.execute(
            "SELECT id FROM items WHERE source_id IN (SELECT value FROM json_each(?))"
            " AND +kind IN (SELECT value FROM json_each(?))", [json.dumps(list(source_ids)), json.dumps(list(kinds))])]

    def any_auto(self) -> bool:
        """Whether the project holds any link of the aligner's."""
        return self._conn.execute("SELECT 1 FROM alignments WHERE method = 'auto' LIMIT 1").fetchone() is not None

    def replace_auto(self, english_ids: Iterable[int], chinese_ids: Iterable[int],
                     links: Iterable[tuple[int, int, float]]) -> int:
        """Put the aligner's ``links`` (English id, Chinese id, confidence) in place of its earlier
        rows among these items, in one transaction. An item a coder aligned by hand keeps the
        coder's rows and gets none of the aligner's. Returns the links written."""
        english_ids, chinese_ids = list(english_ids), list(chinese_ids)
        with self._store.transaction():
            self._conn.execute(
                "DELETE FROM alignments WHERE method = 'auto' AND (english_id IN (SELECT value FROM json_each(?))"
                " OR chinese_id IN (SELECT value FROM json_each(?)))",
                [json.dumps(english_ids), json.dumps(chinese_ids)])
            by_hand = self._by_hand(english_ids + chinese_ids)
            rows = [(e, z, min(1.0, max(0.0, float(c))), now()) for e, z, c in links
                    if e not in by_hand and z not in by_hand]
            self._conn.executemany(
                "INSERT INTO alignments(english_id, chinese_id, confidence, method, decided_at)"
                " VALUES (?, ?, ?, 'auto', ?)", rows)
        return len(rows)

    def never_aligned(self, conference_ids: Iterable[str]) -> set[str]:
        """Those of these conferences holding pages of both languages with no alignment row at
        all: an import stopped after writing them and before its aligning at the end."""
        return {r[0] for r in self._conn.execute(
            """SELECT s.conference_id FROM sources s
               WHERE s.conference_id IN (SELECT value FROM json_each(?)) AND s.copy_of IS NULL
               GROUP BY s.conference_id HAVING count(DISTINCT s.language) = 2
               AND NOT EXISTS (SELECT 1 FROM sources e JOIN items i ON i.source_id = e.id
                               JOIN alignments a ON a.english_id = i.id
                               WHERE e.conference_id = s.conference_id AND e.language = 'en')""",
            [json.dumps(sorted(set(conference_ids)))])}

    def _by_hand(self, item_ids: list[int]) -> set[int]:
        found = self._conn.execute(
            "SELECT english_id, chinese_id FROM alignments WHERE method = 'hand' AND"
            " (english_id IN (SELECT value FROM json_each(?1)) OR chinese_id IN (SELECT value FROM json_each(?1)))",
            [json.dumps(item_ids)])
        wanted = set(item_ids)
        return {i for row in found for i in row if i in wanted}

    def hand_across(self, conference_ids: Iterable[str]) -> int:
        """Coders' links of an item of these conferences with an item of another conference (a
        source moved after a coder aligned it: the coder's link is kept, never undone here)."""
        return self._conn.execute(
            """SELECT count(*) FROM alignments a
               JOIN items e ON e.id = a.english_id JOIN sources se ON se.id = e.source_id
               JOIN items z ON z.id = a.chinese_id JOIN sources sz ON sz.id = z.source_id
               WHERE a.method = 'hand' AND se.conference_id != sz.conference_id
               AND (se.conference_id IN (SELECT value FROM json_each(?1))
                    OR sz.conference_id IN (SELECT value FROM json_each(?1)))""",
            [json.dumps(sorted(set(conference_ids)))]).fetchone()[0]

    def rows_of(self, item_id: int, language: str) -> list[dict[str, Any]]:
        """The item's rows, each with the other item's columns (None for a 'no counterpart' row)."""
        mine, theirs = LANGUAGE_COLUMNS[language]
        cols = ", ".join(f"o.{c}" for c in _OTHER_COLUMNS)
        cur = self._conn.execute(
            f"SELECT a.confidence, a.method, a.decided_by, a.decided_at, {cols} FROM alignments a"
            f" LEFT JOIN items o ON o.id = a.{theirs} WHERE a.{mine} = ? ORDER BY o.seq", [item_id])
        out = []
        for confidence, method, by, at, *other in cur:
            item = dict(zip(_OTHER_COLUMNS, other, strict=True)) if other[0] is not None else None
            out.append({"confidence": confidence, "method": method, "decided_by": by, "decided_at": at,
                        "item": item})
        return out

    def set_by_hand(self, item_id: int, language: str, other_id: int | None, coder: str) -> dict[str, Any]:
        """Make ``other_id`` the item's one counterpart (None: it has none), as ``coder`` decided,
        in place of every row the item had; the change's before and after go to ``alignment_events``.

        A hand link decides for both its items: the aligner's links of ``other_id`` go too (a
        coder's stay, so a second ``--to`` onto the same item makes a merge), and ``replace_auto``
        gives neither item a link of its own again."""
        mine, theirs = LANGUAGE_COLUMNS[language]
        before = [r["item"]["uid"] if r["item"] else None for r in self.rows_of(item_id, language)]
        uid = self._conn.execute("SELECT uid FROM items WHERE id = ?", [item_id]).fetchone()[0]
        after_uid = (self._conn.execute("SELECT uid FROM items WHERE id = ?", [other_id]).fetchone()[0]
                     if other_id is not None else None)
        at = now()
        with self._store.transaction():
            self._conn.execute(f"DELETE FROM alignments WHERE {mine} = ?", [item_id])
            if other_id is not None:
                self._conn.execute(f"DELETE FROM alignments WHERE {theirs} = ? AND method = 'auto'", [other_id])
            self._conn.execute(
                f"INSERT INTO alignments({mine}, {theirs}, confidence, method, decided_by, decided_at)"
                " VALUES (?, ?, 1.0, 'hand', ?, ?)", [item_id, other_id, coder, at])
            self._conn.execute(
                "INSERT INTO alignment_events(item_uid, before, after, coder, at) VALUES (?, ?, ?, ?, ?)",
                [uid, json.dumps(before), json.dumps([after_uid]), coder, at])
        return {"item_uid": uid, "before": before, "after": [after_uid], "coder": coder, "at": at}

    def translations(self) -> dict[int, list[dict[str, Any]]]:
        """{item id: its counterparts} for every aligned item, both ways, for an export: each
        counterpart's uid, language, outlet, question, answer, confidence and method, in page order.
        An item a coder said has none maps to an empty list."""
        out: dict[int, list[dict[str, Any]]] = {}
        for mine, theirs, language in (("english_id", "chinese_id", "zh"), ("chinese_id", "english_id", "en")):
            cur = self._conn.execute(
                f"SELECT a.{mine}, o.uid, o.outlet, o.question, o.answer, a.confidence, a.method"
                f" FROM alignments a LEFT JOIN items o ON o.id = a.{theirs}"
                f" WHERE a.{mine} IS NOT NULL ORDER BY a.{mine}, o.seq")
            for item_id, uid, outlet, question, answer, confidence, method in cur:
                found = out.setdefault(item_id, [])
                if uid is not None:
                    found.append({"uid": uid, "language": language, "outlet": outlet, "question": question,
                                  "answer": answer, "confidence": round(confidence, 4), "method": method})
        return out

    def events(self) -> list[dict[str, Any]]:
        cur = self._conn.execute("SELECT item_uid, before, after, coder, at FROM alignment_events ORDER BY id")
        return [{"item_uid": u, "before": json.loads(b), "after": json.loads(a), "coder": c, "at": at}
                for u, b, a, c, at in cur]

    def hand_rows(self) -> list[tuple[str | None, str | None, str, str]]:
        """Every hand row as (English item uid, Chinese item uid, coder, when): what a merge carries."""
        return self._conn.execute(
            "SELECT e.uid, z.uid, a.decided_by, a.decided_at FROM alignments a"
            " LEFT JOIN items e ON e.id = a.english_id LEFT JOIN items z ON z.id = a.chinese_id"
            " WHERE a.method = 'hand' ORDER BY a.id").fetchall()

    def event_rows(self) -> list[tuple[str, str, str, str, str]]:
        """Every hand change as (item uid, before, after, coder, at), before and after as JSON text."""
        return self._conn.execute(
            "SELECT item_uid, before, after, coder, at FROM alignment_events ORDER BY id").fetchall()

    def take(self, rows: Iterable[tuple[str | None, str | None, str, str]],
             events: Iterable[tuple[str, str, str, str, str]], key: Callable[[str], str]) -> tuple[int, int]:
        """Another copy's hand rows (``hand_rows``) and their history (``event_rows``), inside the
        merge's transaction, by the merge's rule (``_decide``). Events already here are not
        written again. Returns (rows taken, rows not taken)."""
        rows, events = list(rows), list(events)
        if not rows and not events:
            return 0, 0
        new, doomed, kept = self._decide(rows, key)
        self._conn.execute("DELETE FROM alignments WHERE id IN (SELECT value FROM json_each(?))",
                           [json.dumps(sorted(doomed))])
        self._conn.executemany(
            "INSERT INTO alignments(english_id, chinese_id, confidence, method, decided_by, decided_at)"
            " VALUES (?, ?, 1.0, 'hand', ?, ?)", new)
        self._conn.executemany(
            "INSERT INTO alignment_events(item_uid, before, after, coder, at) SELECT ?1, ?2, ?3, ?4, ?5"
            " WHERE NOT EXISTS (SELECT 1 FROM alignment_events WHERE item_uid = ?1 AND before = ?2 AND after = ?3"
            " AND coder = ?4 AND at = ?5)", events)
        return len(new), kept

    def would_change(self, rows: Iterable[tuple[str | None, str | None, str, str]],
                     key: Callable[[str], str]) -> bool:
        """Whether ``take`` would change an alignment (history rows alone change none): a merge
        backs the project up only then, so merging a coder's file again takes no backup (and
        prunes none of the older ones) for hand rows the project holds already."""
        rows = list(rows)
        return bool(rows) and bool(self._decide(rows, key)[0])

    def _decide(self, rows: list[tuple[str | None, str | None, str, str]], key: Callable[[str], str]
                ) -> tuple[list[tuple[int | None, int | None, str, str]], set[int], int]:
        """The merge's rule for another copy's hand rows: a row is taken unless an item it names
        has a hand row of another coder here (never over another coder's) or one of the same coder
        as late or later (``key``: a time made comparable; ties keep ours); a row taken replaces
        the aligner's rows and the coder's older ones of its items. A row naming an item the
        project lacks is not taken, and one here already is neither. Returns (the rows to insert,
        the ids of the rows they replace, how many were not taken)."""
        uids = sorted({u for r in rows for u in r[:2] if u is not None})
        ids = dict(self._conn.execute("SELECT uid, id FROM items WHERE uid IN (SELECT value FROM json_each(?))",
                                      [json.dumps(uids)]))
        wanted = sorted(ids.values())
        here = self._conn.execute(
            "SELECT id, english_id, chinese_id, method, decided_by, decided_at FROM alignments"
            " WHERE english_id IN (SELECT value FROM json_each(?1)) OR chinese_id IN (SELECT value FROM json_each(?1))",
            [json.dumps(wanted)]).fetchall()
        theirs = {(ids.get(e) if e else None, ids.get(z) if z else None, by, at) for e, z, by, at in rows}
        doomed: set[int] = set()
        new: list[tuple[int | None, int | None, str, str]] = []
        kept = 0
        for e_uid, z_uid, by, at in rows:
            e, z = (ids.get(e_uid) if e_uid else None), (ids.get(z_uid) if z_uid else None)
            if (e_uid and e is None) or (z_uid and z is None):
                kept += 1
                continue
            touching = [r for r in here if (e is not None and r[1] == e) or (z is not None and r[2] == z)]
            if any(r[1:] == (e, z, "hand", by, at) for r in touching):
                continue  # already here
            hands = [r for r in touching if r[3] == "hand" and (r[1], r[2], r[4], r[5]) not in theirs]
            if any(r[4] != by or key(r[5]) >= key(at) for r in hands):
                kept += 1
                continue
            doomed |= {r[0] for r in touching if (r[1], r[2], r[4], r[5]) not in theirs}
            new.append((e, z, by, at))
        return new, doomed, kept

    def counts(self) -> dict[str, int]:
        """Rows by method ('auto', 'hand')."""
        return dict(self._conn.execute("SELECT method, count(*) FROM alignments GROUP BY method").fetchall())
