"""``store.corrections``: split, merge, move, edit and flag items, with history and undo.

The rules (what text goes where, what happens to labels) are in ``core/corrections.py``;
here they are written, each correction in one transaction with its ``corrections`` row.
Label changes a correction makes go through ``store.labels`` (action ``correct``, one
operation), so they are in ``label_events`` like any other.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from annotator.core import corrections as rules
from annotator.core.errors import AnnotatorError
from annotator.core.names import normalise_name
from annotator.core.records import ANNOTATION_FIELDS, history_field, now, validate_coder
from annotator.core.store.items import index_new_items
from annotator.core.store.part import Part

_ITEM_COLUMNS = ("uid", "kind", "source_id", "seq", "date", "outlet", "spokesperson", "outlet_norm",
                 "spokesperson_norm", "question", "answer", "follow_up_of", "meta")
_RECORD_COLUMNS = ("uid", "coder", "op", "item_uid", "args", "record", "ref", "at")
_GOLD_COLUMNS = ("scheme", "value", "decided_by", "decided_at", "reason", "method", "taken_from", "coder_values")


def look_again_sql(where: str = "1") -> str:
    """SELECT of (item_id, coder) to look at again: a split or merge cleared the coder's done
    mark on the item (``_look_again``), and the coder has not marked it done, or undone a done
    mark, since (the latest change of their done mark is the correction's). Computed from the
    history, not stored. ``where`` narrows the events ``e`` (``e.coder = ?``, ``e.item_id = i.id``);
    its arguments follow the done field's, which comes first (``history_field("done")``)."""
    return f"""SELECT e.item_id, e.coder FROM label_events e
               JOIN annotations a ON a.item_id = e.item_id AND a.coder = e.coder AND NOT a.done
               WHERE e.field = ? AND e.action = 'correct' AND {where}
                 AND e.id = (SELECT max(l.id) FROM label_events l
                             WHERE l.item_id = e.item_id AND l.coder = e.coder AND l.field = e.field)"""


class Corrections(Part):
    """Corrections of the importer's items, each an event with who and when, undoable."""

    # While ``take`` replays another copy's correction: (its time, the merge's time key), by which
    # ``_look_again`` leaves alone a done mark set after the correction was made. None otherwise.
    _since: tuple[str, Callable[[str], str]] | None = None

    # -- the corrections a coder makes ----------------------------------------------------------

    def split(self, item_id: int, coder: str, at: int) -> dict[str, Any]:
        """Split the item before its paragraph ``at`` (1-based)."""
        return self._new("split", item_id, coder, {"at": int(at)})

    def merge_next(self, item_id: int, coder: str) -> dict[str, Any]:
        """Merge the item with the next item of its conference."""
        return self._new("merge", item_id, coder, {})

    def move(self, item_id: int, coder: str, question: int) -> dict[str, Any]:
        """Make the first ``question`` paragraphs the question, the rest the answer."""
        return self._new("move", item_id, coder, {"question": int(question)})

    def edit(self, item_id: int, coder: str, **fields: str | None) -> dict[str, Any]:
        """Set the outlet, spokesperson or date ("" clears one)."""
        where = f"{self.path}: item {item_id}"
        return self._new("edit", item_id, coder, rules.check_edit(fields, where))

    def flag(self, item_id: int, coder: str, note: str) -> dict[str, Any]:
        """Say the import is wrong here (for the lead), changing nothing else."""
        if not note.strip():
            raise AnnotatorError(f"{self.path}: item {item_id}: say what is wrong (--note)")
        return self._new("flag", item_id, coder, {"note": note.strip()})

    def undo(self, coder: str) -> dict[str, Any] | None:
        """Undo this coder's latest correction still in effect; None when there is none."""
        coder = validate_coder(coder)
        row = self._conn.execute(
            """SELECT uid, item_uid FROM corrections c WHERE coder = ? AND op != 'undo'
                 AND NOT EXISTS (SELECT 1 FROM corrections u WHERE u.ref = c.uid)
               ORDER BY id DESC LIMIT 1""", [coder]).fetchone()
        if row is None:
            return None
        with self._store.transaction():
            return self._apply("undo", row[1], {"of": row[0]}, coder, self._fresh_uid("undo", row[1], {"of": row[0]}),
                               now(), ref=row[0])

    # -- reads --------------------------------------------------------------------------------

    def listing(self, *, op: str | None = None) -> list[dict[str, Any]]:
        """Every correction (or those of one ``op``, e.g. the flags), oldest first, with
        whether it was undone and the id of the item it concerns now."""
        where, args = ("WHERE c.op = ?", [op]) if op else ("", [])
        cur = self._conn.execute(
            f"""SELECT c.uid, c.coder, c.op, c.item_uid, c.args, c.record, c.ref, c.at,
                       EXISTS (SELECT 1 FROM corrections u WHERE u.ref = c.uid) AS undone
                FROM corrections c {where} ORDER BY c.id""", args)
        out = []
        for uid, coder, kind, item_uid, a, record, ref, at, undone in cur:
            current = self.current_uid(item_uid)
            out.append({
                "uid": uid, "coder": coder, "op": kind, "item_uid": item_uid, "args": json.loads(a),
                "record": json.loads(record) if record else None, "ref": ref, "at": at, "undone": bool(undone),
                "item_id": self._store.items.id_for_uid(current) if current else None,
            })
        return out

    def to_look_at(self) -> list[tuple[int, str]]:
        """(item id, coder): items a split or merge changed after the coder labelled them,
        not marked done since -- the coder's "look again" list (``look_again_sql``)."""
        return self._conn.execute(f"SELECT DISTINCT * FROM ({look_again_sql()}) ORDER BY 1, 2",
                                  [history_field("done")]).fetchall()

    def successors(self) -> dict[str, str]:
        """Every retired uid -> the uid of the item that holds its text now."""
        direct = dict(self._conn.execute("SELECT uid, successor FROM retired_items"))
        out = {}
        for uid in direct:
            seen, cur = {uid}, direct[uid]
            while cur in direct and cur not in seen:  # merged again later
                seen.add(cur)
                cur = direct[cur]
            out[uid] = cur
        return out

    def current_uid(self, uid: str) -> str | None:
        if self._store.items.id_for_uid(uid) is not None:
            return uid
        return self.successors().get(uid)

    def records(self) -> list[tuple[Any, ...]]:
        """Every correction row in order (``_RECORD_COLUMNS``), for a merge into another project."""
        return self._conn.execute(f"SELECT {', '.join(_RECORD_COLUMNS)} FROM corrections ORDER BY id").fetchall()

    def unknown(self, records: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """Those of another copy's correction rows (``records``) this project lacks, in order."""
        known = {r[0] for r in self._conn.execute("SELECT uid FROM corrections")}
        return [r for r in records if r[0] not in known]

    def take(self, records: list[tuple[Any, ...]], key: Callable[[str], str]) -> tuple[int, list[str]]:
        """Apply another copy's corrections that this project lacks, in their order (a merge).
        Returns how many were applied and one line for each that could not be (its item is
        not here, or no longer as it was). ``key``: a time made comparable (the merge's), by
        which a done mark set after the correction was made stands (``_look_again``)."""
        applied, skipped = 0, []
        for uid, coder, op, item_uid, args, _record, ref, at in self.unknown(records):
            try:
                with self._store.transaction():
                    self._since = (at, key)
                    try:
                        self._apply(op, item_uid, json.loads(args), coder, uid, at, ref=ref)
                    finally:
                        self._since = None
                applied += 1
            except AnnotatorError as e:
                skipped.append(f"correction {uid[:8]} ({op} by {coder}) not applied: {e}")
        return applied, skipped

    def look_again_after_merge(self, coders: Iterable[str], key: Callable[[str], str]) -> int:
        """Inside a merge's transaction, once it has written ``coders``' labels and marks: a done
        mark of theirs on an item that a split or merge in effect here changed after the mark was
        set -- they coded it on a copy that did not have the correction yet -- is taken back, as
        the correction did for every coder it found here when it was made (``_look_again``). So
        the coders to look again are the same whichever of the files came in first. ``key``: a
        time made comparable. Returns how many marks were taken back."""
        coders = sorted(set(coders))
        if not coders:
            return 0
        done = history_field("done")
        rows = self._conn.execute(
            """SELECT c.item_uid, c.at FROM corrections c
               WHERE c.op IN ('split', 'merge') AND NOT EXISTS (SELECT 1 FROM corrections u WHERE u.ref = c.uid)
               ORDER BY c.id""").fetchall()
        taken_back, operation = 0, uuid.uuid4().hex
        for item_uid, at in rows:
            current = self.current_uid(item_uid)
            item_id = self._store.items.id_for_uid(current) if current else None
            if item_id is None:
                continue
            marked = self._conn.execute(
                f"""SELECT coder FROM annotations WHERE item_id = ? AND done
                    AND coder IN ({', '.join('?' * len(coders))}) ORDER BY coder""", [item_id, *coders]).fetchall()
            for (coder,) in marked:
                if not self._marked_since(item_id, coder, at, key):
                    self._store.labels.correct(item_id, coder, done, False, operation, force=True)
                    taken_back += 1
        return taken_back

    def _marked_since(self, item_id: int, coder: str, at: str, key: Callable[[str], str]) -> bool:
        """Whether the coder changed their done mark on the item at or after ``at`` (the time of a
        correction): then they saw the item as corrected, and their mark stands. A correction's own
        changes of it (action ``correct``: a look again, an undo giving a mark back) are not the
        coder's, and are stamped with the time they were replayed, not made."""
        times = [t for (t,) in self._conn.execute(
            "SELECT at FROM label_events WHERE item_id = ? AND coder = ? AND field = ? AND action != 'correct'",
            [item_id, coder, history_field("done")])]
        return any(key(t) >= key(at) for t in times)

    # -- the write path ---------------------------------------------------------------------------

    def _new(self, op: str, item_id: int, coder: str, args: dict[str, Any]) -> dict[str, Any]:
        coder = validate_coder(coder)
        item = self._item(item_id)
        with self._store.transaction():
            return self._apply(op, item["uid"], args, coder, self._fresh_uid(op, item["uid"], args), now())

    def _fresh_uid(self, op: str, item_uid: str, args: dict[str, Any]) -> str:
        repeat = 0
        while True:
            uid = rules.correction_uid(op, item_uid, args, repeat)
            if not self._conn.execute("SELECT 1 FROM corrections WHERE uid = ?", [uid]).fetchone():
                return uid
            repeat += 1

    def _apply(self, op: str, item_uid: str, args: dict[str, Any], coder: str, uid: str, at: str,
               ref: str | None = None) -> dict[str, Any]:
        """Do one correction (new, or another copy's) and write its row; inside a transaction."""
        if op not in (*rules.OPS, "undo"):
            raise AnnotatorError(f"{self.path}: unknown correction {op!r}")
        if op == "undo":
            record = self._undo(ref or args["of"], coder)
            item_id = self._store.items.id_for_uid(record["item"])
        else:
            current = self.current_uid(item_uid)
            item_id = self._store.items.id_for_uid(current) if current else None
            if item_id is None:
                raise AnnotatorError(f"{self.path}: no item with uid {item_uid}")
            operation = uuid.uuid4().hex
            record = getattr(self, f"_{op}")(self._item(item_id), args, coder, uid, operation)
        self._conn.execute(
            f"INSERT INTO corrections({', '.join(_RECORD_COLUMNS)}) VALUES ({', '.join('?' * len(_RECORD_COLUMNS))})",
            [uid, coder, op, item_uid, json.dumps(args, ensure_ascii=False, sort_keys=True),
             json.dumps(record, ensure_ascii=False), ref, at],
        )
        return {"uid": uid, "op": op, "item_id": item_id, "new_item_id": record.get("new_item_id"),
                "line": record["line"]}

    def _split(self, item: dict[str, Any], args: dict[str, Any], coder: str, uid: str, operation: str) -> dict[str, Any]:
        where = f"{self.path}: item {item['id']}"
        first, second = rules.split_text(rules.Text.of(item["question"], item["answer"]), args["at"], item["kind"], where)
        self._set_text(item["id"], first)
        self._shift(item["source_id"], item["seq"], +1)
        new = {**{c: item[c] for c in _ITEM_COLUMNS}, "uid": rules.part_uid(item["uid"], uid), "seq": item["seq"] + 1,
               "follow_up_of": None, "meta": None}
        new["question"], new["answer"] = second.joined()
        new_id = self._insert(new)
        self._assign_like(new_id, item["id"])
        self._look_again(item["id"], operation)
        return {"item": item["uid"], "before": _row(item), "new": new["uid"], "new_item_id": new_id,
                "line": f"item {item['id']} split at paragraph {args['at']}: the second part is item {new_id}"}

    def _merge(self, item: dict[str, Any], args: dict[str, Any], coder: str, uid: str, operation: str) -> dict[str, Any]:
        nxt = self._conn.execute("SELECT id FROM items WHERE source_id = ? AND seq > ? ORDER BY seq LIMIT 1",
                                 [item["source_id"], item["seq"]]).fetchone()
        if nxt is None:
            raise AnnotatorError(f"{self.path}: item {item['id']} is the last of its conference: nothing to merge with")
        other = self._item(nxt[0])
        return self._absorb(item, other, operation, uid) | {
            "line": f"item {other['id']} merged into item {item['id']}"}

    def _absorb(self, item: dict[str, Any], other: dict[str, Any], operation: str, uid: str) -> dict[str, Any]:
        """``item`` takes ``other``'s text and, where it has none, its labels; ``other`` retires."""
        merged = rules.merge_text(rules.Text.of(item["question"], item["answer"]),
                                  rules.Text.of(other["question"], other["answer"]))
        carried, kept_aside = self._carry_over(other["id"], item["id"], operation)
        # both items' coders, which an undo gives back to each
        assigned, own_coders = ([list(r) for r in self._conn.execute(
            "SELECT coder, assigned_at FROM assignments WHERE item_id = ? ORDER BY coder", [i])]
            for i in (other["id"], item["id"]))
        self._look_again(item["id"], operation, also=other["id"])
        self._set_text(item["id"], merged)
        for table in ("label_events", "gold_events"):
            self._conn.execute(f"UPDATE {table} SET item_id = ? WHERE item_id = ?", [item["id"], other["id"]])
        self._assign_like(item["id"], other["id"])
        for table in ("assignments", "labels", "annotations", "gold"):
            self._conn.execute(f"DELETE FROM {table} WHERE item_id = ?", [other["id"]])
        self._conn.execute("UPDATE items SET follow_up_of = ? WHERE follow_up_of = ?", [item["uid"], other["uid"]])
        self._conn.execute("DELETE FROM items WHERE id = ?", [other["id"]])
        self._shift(item["source_id"], other["seq"], -1)
        self._conn.execute("INSERT OR REPLACE INTO retired_items(uid, successor, correction, row) VALUES (?, ?, ?, ?)",
                           [other["uid"], item["uid"], uid, json.dumps(_row(other), ensure_ascii=False)])
        own = {r[0] for r in item["gold"]}
        return {"item": item["uid"], "before": _row(item), "absorbed": _row(other), "carried": carried,
                "kept_aside": kept_aside, "gold_carried": [r for r in other["gold"] if r[0] not in own],
                "assigned": assigned, "item_assigned": [c for c, _at in own_coders]}

    def _move(self, item: dict[str, Any], args: dict[str, Any], coder: str, uid: str, operation: str) -> dict[str, Any]:
        where = f"{self.path}: item {item['id']}"
        text = rules.move_text(rules.Text.of(item["question"], item["answer"]), args["question"], where)
        self._set_text(item["id"], text)
        return {"item": item["uid"], "before": _row(item),
                "line": f"item {item['id']}: " + ("the first paragraph is the question" if args["question"] == 1
                                                    else f"the first {args['question']} paragraphs are the question")}

    def _edit(self, item: dict[str, Any], args: dict[str, Any], coder: str, uid: str, operation: str) -> dict[str, Any]:
        self._set_fields(item["id"], args)
        said = ", ".join(f"{k} {v!r}" if v else f"{k} cleared" for k, v in args.items())
        return {"item": item["uid"], "before": _row(item), "line": f"item {item['id']}: {said}"}

    def _flag(self, item: dict[str, Any], args: dict[str, Any], coder: str, uid: str, operation: str) -> dict[str, Any]:
        return {"item": item["uid"], "line": f"item {item['id']} flagged as an import problem: {args['note']}"}

    def _undo(self, of: str, coder: str) -> dict[str, Any]:
        row = self._conn.execute("SELECT op, record FROM corrections WHERE uid = ?", [of]).fetchone()
        if row is None:
            raise AnnotatorError(f"{self.path}: no correction {of} to undo")
        if self._conn.execute("SELECT 1 FROM corrections WHERE ref = ?", [of]).fetchone():
            raise AnnotatorError(f"{self.path}: correction {of[:8]} is undone already")
        op, record = row[0], json.loads(row[1])
        operation = uuid.uuid4().hex
        item_id = self._store.items.id_for_uid(record["item"])
        if item_id is None:
            raise AnnotatorError(f"{self.path}: the item of correction {of[:8]} is gone (merged since?): undo that first")
        before = record.get("before")
        if op == "split":
            part = self._store.items.id_for_uid(record["new"])
            if part is None:
                raise AnnotatorError(f"{self.path}: the part correction {of[:8]} made is gone (merged since?)")
            self._absorb(self._item(item_id), self._item(part), operation, of)
        elif op == "merge":
            self._unmerge(item_id, record, operation)
        if before is not None:
            self._set_fields(item_id, {k: before[k] for k in ("outlet", "spokesperson", "date")})
            self._set_text(item_id, rules.Text.of(before["question"], before["answer"]))
            if op in ("split", "merge"):
                self._put_back_done(item_id, before.get("coded", []), operation)
        return {"item": record["item"], "line": f"undid {op} of item {item_id}"}

    def _unmerge(self, item_id: int, record: dict[str, Any], operation: str) -> None:
        """Bring back the item a merge absorbed, with the labels it had."""
        item, gone = self._item(item_id), record["absorbed"]
        self._shift(item["source_id"], item["seq"], +1)
        restored = {**gone, "source_id": item["source_id"], "seq": item["seq"] + 1}
        new_id = self._insert({c: restored[c] for c in _ITEM_COLUMNS})
        if "assigned" in record:  # the coders each had; a record made before they were kept: the item's
            self._conn.executemany("INSERT OR IGNORE INTO assignments(item_id, coder, assigned_at) VALUES (?, ?, ?)",
                                   [(new_id, coder, at) for coder, at in record["assigned"]])
            self._conn.execute("DELETE FROM assignments WHERE item_id = ? AND coder NOT IN (SELECT value FROM json_each(?))",
                               [item_id, json.dumps(record["item_assigned"])])
        else:
            self._assign_like(new_id, item_id)
        self._conn.execute("DELETE FROM retired_items WHERE uid = ?", [gone["uid"]])
        labels = self._store.labels
        for coder, fld, value in gone.get("coded", []):
            labels.correct(new_id, coder, fld, value, operation)
        for coder, fld, value in record.get("carried", []):  # what the merge carried over goes back
            if labels.value_of(item_id, coder, fld) == value:
                labels.correct(item_id, coder, fld, None if not fld.startswith("@") else _default(fld), operation)
        self._put_back_gold(new_id, gone.get("gold", []))
        for scheme, value, *_rest in record.get("gold_carried", []):  # unless the lead decided it again since
            self._conn.execute("DELETE FROM gold WHERE item_id = ? AND scheme = ? AND value = ?",
                               [item_id, scheme, value])

    # -- helpers ----------------------------------------------------------------------------------

    def _item(self, item_id: int) -> dict[str, Any]:
        item = self._store.items.get(item_id)
        if item is None:
            raise AnnotatorError(f"{self.path}: no item with id {item_id}")
        item["coded"] = [  # each coder's labels and annotation, kept in the record (never lost)
            [c, s, json.loads(v)] for c, s, v in self._conn.execute(
                "SELECT coder, scheme, value FROM labels WHERE item_id = ? ORDER BY coder, scheme", [item_id])
        ] + [
            [c, history_field(name), value] for c, *values in self._conn.execute(
                f"SELECT coder, {', '.join(ANNOTATION_FIELDS)} FROM annotations WHERE item_id = ?", [item_id])
            for name, value in zip(ANNOTATION_FIELDS, values, strict=True)
            if value not in ("", 0)
        ]
        item["gold"] = [list(r) for r in self._conn.execute(  # and its gold, which an undo puts back
            f"SELECT {', '.join(_GOLD_COLUMNS)} FROM gold WHERE item_id = ? ORDER BY scheme", [item_id])]
        return item

    def _set_text(self, item_id: int, text: rules.Text) -> None:
        question, answer = text.joined()
        if not question and not answer:
            raise AnnotatorError(f"{self.path}: item {item_id}: the correction would leave an empty item")
        self._conn.execute("UPDATE items SET question = ?, answer = ? WHERE id = ?", [question, answer, item_id])

    def _set_fields(self, item_id: int, fields: dict[str, str | None]) -> None:
        for name, value in fields.items():
            extra = f", {name}_norm = ?" if name in ("outlet", "spokesperson") else ""
            args = [value, normalise_name(value)] if extra else [value]
            self._conn.execute(f"UPDATE items SET {name} = ?{extra} WHERE id = ?", [*args, item_id])

    def _shift(self, source_id: int, after_seq: int, delta: int) -> None:
        """Move the seqs after ``after_seq`` by ``delta``, through negatives (seq is unique)."""
        self._conn.execute("UPDATE items SET seq = -seq - 1 WHERE source_id = ? AND seq > ?", [source_id, after_seq])
        self._conn.execute("UPDATE items SET seq = -seq - 1 + ? WHERE source_id = ? AND seq < 0", [delta, source_id])

    def _assign_like(self, to_id: int, from_id: int) -> None:
        """``to_id`` goes to whoever ``from_id`` is assigned to as well: the item a split makes stays
        in its coder's list, J/K and Enter, and a part of the reliability sample stays in it (blind,
        and coded by both); a merged item keeps the coders of the one it absorbed."""
        self._conn.execute("INSERT OR IGNORE INTO assignments(item_id, coder, assigned_at) "
                           "SELECT ?, coder, assigned_at FROM assignments WHERE item_id = ?", [to_id, from_id])

    def _insert(self, row: dict[str, Any]) -> int:
        cols = ", ".join(row)
        cur = self._conn.execute(f"INSERT INTO items({cols}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
        index_new_items(self._conn, "id = ?", [cur.lastrowid])
        return cur.lastrowid

    def _carry_over(self, from_id: int, to_id: int, operation: str) -> tuple[list[list[Any]], list[list[Any]]]:
        """``from_id``'s labels and annotation onto ``to_id`` where it has none: returns what was
        carried and the values that differ from ``to_id``'s (kept in the correction's record)."""
        labels, aside = self._store.labels, []
        carried = []
        for coder, fld, value in self._item(from_id)["coded"]:
            mine = labels.value_of(to_id, coder, fld)
            if fld == history_field("note") and mine and value != mine:
                labels.correct(to_id, coder, fld, f"{mine}\n{value}", operation)
            elif fld == history_field("done"):
                continue  # the merged item is looked at again (``_look_again``)
            elif mine in (None, False, "") and value not in (None, False, ""):
                labels.correct(to_id, coder, fld, value, operation)
                carried.append([coder, fld, value])
            elif mine != value:
                aside.append([coder, fld, value])
        self._conn.execute(
            f"""INSERT INTO gold(item_id, {', '.join(_GOLD_COLUMNS)}) SELECT ?, {', '.join(_GOLD_COLUMNS)} FROM gold
                WHERE item_id = ? AND scheme NOT IN (SELECT scheme FROM gold WHERE item_id = ?)""",
            [to_id, from_id, to_id])
        return carried, aside

    def _put_back_gold(self, item_id: int, rows: list[list[Any]]) -> None:
        """``rows`` (an item's gold as its record kept it) on ``item_id`` again."""
        self._conn.executemany(
            f"INSERT OR REPLACE INTO gold(item_id, {', '.join(_GOLD_COLUMNS)}) "
            f"VALUES (?, {', '.join('?' * len(_GOLD_COLUMNS))})", [(item_id, *r) for r in rows])

    def _put_back_done(self, item_id: int, coded: list[list[Any]], operation: str) -> None:
        """The done marks ``coded`` (an item's labels as its record kept them) held, which the
        correction's "look again" took away: an undo gives the item back as it was."""
        done = history_field("done")
        labels = self._store.labels
        for coder, fld, value in coded:
            if fld == done and value and not labels.value_of(item_id, coder, done):
                labels.correct(item_id, coder, done, True, operation)

    def _look_again(self, item_id: int, operation: str, also: int | None = None) -> None:
        """Every coder who labelled the item (or ``also``) sees it as not done again -- but for a
        correction another copy made (``take``), a coder whose done mark here was set after it
        was made: they marked the corrected item done on that copy, and a merge bringing the
        correction later must not take their mark back."""
        ids = [item_id] if also is None else [item_id, also]
        coders = [r[0] for r in self._conn.execute(
            f"SELECT DISTINCT coder FROM labels WHERE item_id IN ({', '.join('?' * len(ids))}) ORDER BY 1", ids)]
        done = history_field("done")
        for coder in coders:
            if self._since is not None and self._store.labels.value_of(item_id, coder, done) and any(
                    self._marked_since(i, coder, *self._since) for i in ids):
                continue
            self._store.labels.correct(item_id, coder, done, False, operation, force=True)


def _row(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k != "id"}


def _default(fld: str) -> Any:
    return {"@note": "", "@flag": False, "@done": False}[fld]
