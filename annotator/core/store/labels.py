"""What coders say about items: label rows, note, flag, done, seconds, and their history.

Every change is one transaction that writes the current value and appends its
history row (``label_events``); undo and redo are history rows too, so a coder's
whole session can be replayed and merged. A coder only ever reads their own
annotation here, except through the reads for agreement and review at the end.

Marking an item done is the coder's word that it is coded as the window shows it:
refused while a required scheme that applies has no value, and in the same
transaction every multi-choice scheme that applies with no row gets an explicit
``[]`` ("none of these"). The rows one call writes share an ``operation``, and undo
and redo take an operation back whole: one key press, one undo step.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from annotator.core import validate
from annotator.core.codebook import LabelValue
from annotator.core.errors import AnnotatorError, CodebookRefuses, Incomplete, ItemGone, NotApplicable
from annotator.core.records import (
    ANNOTATION_DEFAULTS,
    Annotation,
    Change,
    CoderLabel,
    DoneMark,
    annotation_field,
    dump_value,
    history_field,
    load_value,
    now,
    validate_coder,
)
from annotator.core.store.errors import sql_errors
from annotator.core.store.history import latest_in_effect
from annotator.core.store.part import Part
from annotator.core.validate import located


def _said(shown: tuple[int, str] | None) -> Callable[[int], str | None]:
    """What an undo or redo of a change to ``item_id`` records as suggested: the suggestions on
    screen when that item is the one shown, else none."""
    return lambda item_id: shown[1] if shown is not None and shown[0] == item_id else None


class Labels(Part):
    """``store.labels``: one coder's labels and annotation of an item, written with history."""

    def annotation(self, item_id: int, coder: str) -> Annotation:
        """One coder's labels, note, flag and done mark for one item (never another coder's)."""
        ann = Annotation()
        for scheme, value in self._conn.execute(
            "SELECT scheme, value FROM labels WHERE item_id = ? AND coder = ?", [item_id, coder]
        ):
            ann.labels[scheme] = json.loads(value)
        row = self._conn.execute(
            "SELECT note, flag, done, seconds, updated_at FROM annotations WHERE item_id = ? AND coder = ?",
            [item_id, coder],
        ).fetchone()
        if row:
            ann.note, ann.flag, ann.done, ann.seconds, ann.updated_at = row[0], bool(row[1]), bool(row[2]), row[3], row[4]
        return ann

    # -- writes -------------------------------------------------------------------------

    def set(self, item_id: int, coder: str, scheme: str, value: LabelValue, *, seconds: float = 0.0,
            suggested: str | None = None, operation: str | None = None) -> Change | None:
        """Set one scheme's value (None clears it). Returns None when nothing changed. A value for
        a scheme that does not apply to the item's kind is refused (clearing one is not).
        ``suggested``: the suggestions on screen as the coder made the change (``model.as_record``;
        None: none were shown), kept on its history row."""
        with self._store.transaction(refused=f"{self.path}: no item with id {item_id}"):
            # Under the write lock, by the codebook the file holds now: one set since this store
            # read it (a window open meanwhile) decides, and what it refuses is dropped, not retried.
            self._store.codebook_now()
            try:
                sch = self._store.scheme(scheme)
                value = sch.canonical(value)
            except CodebookRefuses:
                raise
            except AnnotatorError as e:
                raise CodebookRefuses(str(e)) from None
            if value is not None:
                kind = self._kind(item_id)
                if kind is not None and not sch.applies(kind):
                    raise NotApplicable(
                        f"{self.path}: scheme '{scheme}' does not apply to {kind} items (item {item_id}); "
                        f"it applies to {', '.join(sch.applies_to)}"
                    )
            return self._write(item_id, coder, scheme, value, action="set", seconds=seconds, suggested=suggested,
                               operation=operation)

    def set_many(self, item_id: int, coder: str, values: dict[str, LabelValue], *, seconds: float = 0.0,
                 suggested: str | None = None) -> Change | None:
        """Set several schemes' values of one item in one transaction and one operation (one key
        press, one undo step: accepting the suggestions shown). Returns the first change (None:
        nothing changed)."""
        first = None
        operation = uuid.uuid4().hex if len(values) > 1 else None
        with self._store.transaction(refused=f"{self.path}: no item with id {item_id}"):
            for n, (scheme, value) in enumerate(values.items()):
                change = self.set(item_id, coder, scheme, value, seconds=0.0 if n else seconds,  # counted once
                                  suggested=suggested, operation=operation)
                first = first or change
        return first

    def toggle(self, item_id: int, coder: str, scheme: str, option: str, *, seconds: float = 0.0) -> Change | None:
        """The coder pressed ``option``'s key: the value becomes what ``Scheme.toggle`` says
        (unticking the last option of a multi-choice scheme is no label again: the row goes)."""
        with self._store.transaction():
            self._store.codebook_now()  # the option's codebook is the one the file holds now (``set``)
            try:
                new = self._store.scheme(scheme).toggle(self._current(item_id, coder, scheme), option)
            except AnnotatorError as e:
                raise CodebookRefuses(str(e)) from None
            return self.set(item_id, coder, scheme, new, seconds=seconds)

    def set_note(self, item_id: int, coder: str, note: str, *, seconds: float = 0.0,
                 suggested: str | None = None) -> Change | None:
        with located(str(self.path)):
            note = validate.note(note)
        return self._write(item_id, coder, history_field("note"), note, action="set", seconds=seconds,
                           suggested=suggested)

    def set_flag(self, item_id: int, coder: str, flag: bool, *, seconds: float = 0.0,
                 suggested: str | None = None) -> Change | None:
        return self._write(item_id, coder, history_field("flag"), bool(flag), action="set", seconds=seconds,
                           suggested=suggested)

    def set_done(self, item_id: int, coder: str, done: bool = True, *, seconds: float = 0.0,
                 suggested: str | None = None) -> Change | None:
        """Mark the item done (or not done again). Marking it done is refused (``Incomplete``, one
        line) while a required scheme that applies to it has no value (``Codebook.unmet``); in
        the same transaction each multi-choice scheme that applies and has no row gets an
        explicit ``[]`` with its history row -- the schemes the window shows for the item, left
        unticked: "none of these". Marking an item done again writes the ``[]`` of a scheme
        added since. Returns the done mark's change (or the last ``[]`` written; None: nothing)."""
        fld = history_field("done")
        if not done:
            return self._write(item_id, coder, fld, False, action="set", seconds=seconds, suggested=suggested)
        with self._store.transaction(refused=f"{self.path}: no item with id {item_id}"):
            codebook = self._store.codebook_now()  # a required scheme set meanwhile counts (``set``)
            kind = self._kind(item_id)
            rows = self._rows(item_id, validate_coder(coder))
            unmet = codebook.unmet(kind, rows) if kind is not None else []
            if unmet:
                names = ", ".join(f"{s.title} ('{s.name}')" for s in unmet)
                raise Incomplete(f"{self.path}: item {item_id} cannot be marked done: {names} "
                                 f"{'needs' if len(unmet) == 1 else 'need'} a value", unmet[0].name)
            empty = [s.name for s in codebook.applying(kind) if s.multi and s.name not in rows] if kind else []
            operation = uuid.uuid4().hex if empty else None
            # the seconds go with the mark (or, already done, to the annotation alone): once
            change = self._write(item_id, coder, fld, True, action="set", seconds=seconds, operation=operation,
                                 suggested=suggested)
            for name in empty:
                written = self._write(item_id, coder, name, [], action="set", operation=operation, suggested=suggested)
                change = change or written
        return change

    def correct(self, item_id: int, coder: str, fld: str, value: Any, operation: str, *,
                force: bool = False) -> Change | None:
        """A change a correction of the item makes (``store.corrections``): history action
        ``correct``, in the correction's operation; a coder's undo never takes it back alone."""
        return self._write(item_id, coder, fld, value, action="correct", operation=operation, force=force)

    def value_of(self, item_id: int, coder: str, fld: str) -> Any:
        """One coder's current value of one field (a scheme, or ``@note``/``@flag``/``@done``)."""
        with sql_errors(self.path):
            return self._current(item_id, coder, fld)

    def add_seconds(self, item_id: int, coder: str, seconds: float) -> None:
        """Credit time spent reading an item the coder left without changing anything."""
        coder = validate_coder(coder)
        self._store.ensure_present()
        with self._store.transaction(refused=f"{self.path}: no item with id {item_id}"):
            self._present(item_id)
            self._add_seconds(item_id, coder, seconds, now())

    # -- undo, redo, history ------------------------------------------------------------

    def undo(self, coder: str, *, shown: tuple[int, str] | None = None) -> Change | None:
        """Restore the value before this coder's latest change that is still in effect -- every
        change of its operation (one key press), in one transaction. Returns the change to the
        operation's first event (a done mark's, for Enter). ``shown``: (the item on screen, the
        suggestions on it): an undo of that item's change keeps them on its history row."""
        said = _said(shown)
        # A change the field no longer holds is not taken back: a correction merged its item into
        # another, which kept its own value (the change kept aside), or a merge brought a later one.
        # Writing its "before" would undo something else.
        row = latest_in_effect(self._conn, "label_events", coder, ("set", "redo"),
                               ("id", "item_id", "field", "before", "operation", "after"),
                               holds=lambda r: self._current(r[1], coder, r[2]) == load_value(r[5]))
        if row is None:
            return None
        event_id, item_id, fld, before, operation, _after = row
        if operation is None:
            return self._write(item_id, coder, fld, load_value(before), action="undo", ref=event_id, force=True,
                               suggested=said(item_id))
        members = self._conn.execute(
            """SELECT id, item_id, field, before, after FROM label_events e
               WHERE coder = ? AND operation = ? AND action IN ('set', 'redo')
                 AND NOT EXISTS (SELECT 1 FROM label_events u WHERE u.ref = e.id AND u.action = 'undo')
               ORDER BY id DESC""",
            [coder, operation],
        ).fetchall()
        undo_operation = uuid.uuid4().hex
        change = None
        with self._store.transaction():
            for member_id, member_item, member_field, member_before, member_after in members:  # newest first
                # the same rule as for the change chosen above, for each of the key press's others:
                # a field a later change holds now (a merge of the coder's other machine) keeps it
                if self._current(member_item, coder, member_field) != load_value(member_after):
                    continue
                change = self._write(member_item, coder, member_field, load_value(member_before), action="undo",
                                     ref=member_id, force=True, operation=undo_operation, suggested=said(member_item))
        return change

    def redo(self, coder: str, *, shown: tuple[int, str] | None = None) -> Change | None:
        """Re-apply the change most recently undone (its whole operation), unless the coder has
        made a new change since (``shown`` as for ``undo``)."""
        said = _said(shown)
        row = self._conn.execute(
            """SELECT u.id, u.ref, u.operation FROM label_events u
               WHERE u.coder = ? AND u.action = 'undo'
                 AND NOT EXISTS (SELECT 1 FROM label_events r WHERE r.ref = u.id AND r.action = 'redo')
                 AND NOT EXISTS (SELECT 1 FROM label_events s WHERE s.coder = u.coder AND s.id > u.id AND s.action = 'set')
               ORDER BY u.id DESC LIMIT 1""",
            [coder],
        ).fetchone()
        if row is None:
            return None
        undo_id, original_id, operation = row
        undone = self._conn.execute(
            """SELECT u.id, u.ref, u.after FROM label_events u
               WHERE u.coder = ? AND u.action = 'undo' AND (u.id = ? OR u.operation = ?)
                 AND NOT EXISTS (SELECT 1 FROM label_events r WHERE r.ref = u.id AND r.action = 'redo')
               ORDER BY u.ref""",
            [coder, undo_id, operation],
        ).fetchall()
        redo_operation = uuid.uuid4().hex if operation is not None else None
        first = None
        with self._store.transaction():
            for member_undo, member_original, undo_wrote in undone:  # in the order they were first made
                item_id, fld, after = self._conn.execute(
                    "SELECT item_id, field, after FROM label_events WHERE id = ?", [member_original]
                ).fetchone()
                # a field changed since the undo (a merge of the coder's other machine) keeps the later
                # value: the redo would write over a change the coder never saw in this window
                if self._current(item_id, coder, fld) != load_value(undo_wrote):
                    continue
                change = self._write(item_id, coder, fld, load_value(after), action="redo", ref=member_undo,
                                     force=True, operation=redo_operation, suggested=said(item_id))
                first = first or change
        return first

    def history(self, *, item_id: int | None = None, coder: str | None = None) -> list[dict[str, Any]]:
        """Label events, oldest first, optionally for one item and/or coder."""
        where, args = [], []
        if item_id is not None:
            where.append("item_id = ?")
            args.append(item_id)
        if coder is not None:
            where.append("coder = ?")
            args.append(coder)
        sql = "SELECT * FROM label_events" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id"
        cur = self._conn.execute(sql, args)
        names = [d[0] for d in cur.description]
        out = []
        for row in cur:
            event = dict(zip(names, row, strict=True))
            event["before"], event["after"] = load_value(event["before"]), load_value(event["after"])
            out.append(event)
        return out

    # -- the one write path ---------------------------------------------------------------

    def _present(self, item_id: int) -> None:
        """Refuse a write for an item that is gone, as one to drop rather than retry (``ItemGone``):
        the window may queue one -- the time read on an item -- just before a correction merges it
        away, and a write retried for ever would hold back every change queued behind it."""
        if self._kind(item_id) is None:
            raise ItemGone(f"{self.path}: no item with id {item_id}")

    def _kind(self, item_id: int) -> str | None:
        row = self._conn.execute("SELECT kind FROM items WHERE id = ?", [item_id]).fetchone()
        return row[0] if row else None

    def _rows(self, item_id: int, coder: str) -> dict[str, LabelValue]:
        return {
            scheme: json.loads(value) for scheme, value in self._conn.execute(
                "SELECT scheme, value FROM labels WHERE item_id = ? AND coder = ?", [item_id, coder]
            )
        }

    def _current(self, item_id: int, coder: str, fld: str) -> Any:
        column = annotation_field(fld)
        if column is not None:
            row = self._conn.execute(
                f"SELECT {column} FROM annotations WHERE item_id = ? AND coder = ?", [item_id, coder]
            ).fetchone()
            if row is None:
                return ANNOTATION_DEFAULTS[column]
            return row[0] if column == "note" else bool(row[0])
        row = self._conn.execute(
            "SELECT value FROM labels WHERE item_id = ? AND coder = ? AND scheme = ?", [item_id, coder, fld]
        ).fetchone()
        return json.loads(row[0]) if row else None

    def _write(
        self, item_id: int, coder: str, fld: str, value: Any, *, action: str,
        ref: int | None = None, seconds: float = 0.0, force: bool = False, operation: str | None = None,
        suggested: str | None = None,
    ) -> Change | None:
        """The one write path: current value and history row in one transaction."""
        coder = validate_coder(coder)
        at = now()
        with self._store.transaction(refused=f"{self.path}: no item with id {item_id}"):
            self._present(item_id)
            before = self._current(item_id, coder, fld)
            if before == value and not force:
                if seconds:
                    self._add_seconds(item_id, coder, seconds, at)
                return None
            column = annotation_field(fld)
            if column is not None:
                self._conn.execute(
                    f"""INSERT INTO annotations(item_id, coder, {column}, updated_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT(item_id, coder) DO UPDATE SET {column} = excluded.{column},
                        updated_at = excluded.updated_at""",
                    [item_id, coder, value if column == "note" else int(value), at],
                )
            elif value is None:
                self._conn.execute(
                    "DELETE FROM labels WHERE item_id = ? AND coder = ? AND scheme = ?", [item_id, coder, fld]
                )
            else:
                self._conn.execute(
                    """INSERT INTO labels(item_id, coder, scheme, value, created_at, updated_at)
                       VALUES (?, ?, ?, ?, ?, ?)
                       ON CONFLICT(item_id, coder, scheme) DO UPDATE SET value = excluded.value,
                       updated_at = excluded.updated_at""",
                    [item_id, coder, fld, json.dumps(value, ensure_ascii=False), at, at],
                )
            self._add_seconds(item_id, coder, seconds, at)
            cur = self._conn.execute(
                """INSERT INTO label_events(uid, item_id, coder, field, before, after, action, ref, at, seconds, operation,
                                           suggested)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [uuid.uuid4().hex, item_id, coder, fld, dump_value(before), dump_value(value), action, ref, at, seconds,
                 operation, suggested],
            )
        return Change(item_id, coder, fld, before, value, cur.lastrowid, action)

    def _add_seconds(self, item_id: int, coder: str, seconds: float, at: str) -> None:
        self._conn.execute(
            """INSERT INTO annotations(item_id, coder, seconds, updated_at) VALUES (?, ?, ?, ?)
               ON CONFLICT(item_id, coder) DO UPDATE SET seconds = seconds + excluded.seconds,
               updated_at = excluded.updated_at""",
            [item_id, coder, seconds, at],
        )

    # -- the coders, and every coder's labels side by side (agreement, review) ------------

    def coders(self) -> list[str]:
        """Every coder who has a label or an annotation in the project, by name."""
        return [
            r[0]
            for r in self._conn.execute(
                "SELECT coder FROM labels UNION SELECT coder FROM annotations ORDER BY 1"
            )
        ]

    def check_coder_name(self, coder: str) -> None:
        """Refuse a coder new to this project whose name differs from one of its coders only
        in case: "Alice" next to "alice" would count as a second coder in agreement and gold."""
        known = self._conn.execute(  # two index lookups: the common case, a coder opening again
            "SELECT EXISTS (SELECT 1 FROM labels WHERE coder = ?) OR EXISTS (SELECT 1 FROM annotations WHERE coder = ?)",
            [coder, coder],
        ).fetchone()[0]
        if known:
            return
        for other in self.coders():
            if other.casefold() == coder.casefold():
                raise AnnotatorError(
                    f"{self.path}: coder '{coder}' differs only in case from '{other}', who already codes "
                    f"this project; open it as '{other}' or choose another name"
                )

    def rows(self, scheme: str | None = None) -> Iterator[CoderLabel]:
        """Every coder's label rows, optionally of one scheme, in item order, with the item's
        kind (streamed: a project's labels are read once, never held as a list)."""
        sql = "SELECT l.item_id, i.uid, l.coder, l.scheme, l.value, i.kind FROM labels l JOIN items i ON i.id = l.item_id"
        args: list[Any] = []
        if scheme is not None:
            sql += " WHERE l.scheme = ?"
            args.append(scheme)
        for a, u, c, s, v, k in self._conn.execute(sql + " ORDER BY l.item_id", args):
            yield CoderLabel(a, u, c, s, json.loads(v), k)

    def days(self, scheme: str | None = None) -> Iterator[tuple[str, str, list[int], list[int]]]:
        """(scheme, coder, item ids, the day each of those labels was last changed) per coder and
        scheme (every scheme, or one): days since 1970-01-01, UTC, the report's weeks of coding.
        One pass over the ``labels_coder`` index alone (it holds each label's time: m019), like
        ``value_groups``; the lists run in step. Streamed, so a caller keeps each pair of lists in
        its own compact form instead of every scheme's as Python lists at once."""
        where, args = _one_scheme(scheme)
        for coder, name, ids, day in self._conn.execute(
            "SELECT coder, scheme, json_group_array(item_id), "
            "json_group_array(CAST(julianday(substr(updated_at, 1, 10)) - 2440587.5 AS INTEGER)) "
            f"FROM labels INDEXED BY labels_coder {where}GROUP BY coder, scheme", args,
        ):
            yield name, coder, json.loads(ids), json.loads(day)

    def value_groups(self, scheme: str | None = None) -> dict[str, dict[str, list[tuple[str, list[int]]]]]:
        """{scheme: {coder: [(a stored value's JSON text, the ids of the items they gave it, ascending)]}}
        of every label row (or one scheme's), read in bulk from the ``labels_coder`` index alone
        (coder, scheme, value, item id: m017), in its order, so SQLite neither sorts nor visits the
        table: a project's labels cross into Python as one list of ids per distinct value, and a
        caller gives each value its meaning once (``agreement.project``), not once per row."""
        where, args = _one_scheme(scheme)
        groups: dict[str, dict[str, list[tuple[str, list[int]]]]] = {}
        for coder, name, value, ids in self._conn.execute(
            f"SELECT coder, scheme, value, json_group_array(item_id) FROM labels INDEXED BY labels_coder {where}"
            "GROUP BY coder, scheme, value", args,
        ):
            groups.setdefault(name, {}).setdefault(coder, []).append((value, json.loads(ids)))
        return groups

    def done_columns(self) -> dict[str, list[int]]:
        """{coder: the ids of the items they marked done}, in bulk like ``value_groups``."""
        return {
            coder: json.loads(ids) for coder, ids in self._conn.execute(
                "SELECT coder, json_group_array(item_id) FROM annotations WHERE done GROUP BY coder")
        }

    def suggestions_seen(self, scheme: str) -> dict[tuple[int, str], Any]:
        """{(item id, coder): the suggestion of ``scheme`` they last had on screen as they changed
        the item} -- the ``{"model", "value", "p"}`` of ``label_events.suggested`` -- for every
        coder who ever saw one on that item (read through the partial index of those rows)."""
        path = '$."' + scheme.replace('"', '""') + '"'
        rows = self._conn.execute(
            "SELECT item_id, coder, json_extract(suggested, ?) FROM label_events INDEXED BY label_events_suggested "
            "WHERE suggested IS NOT NULL ORDER BY id", [path])
        return {(item_id, coder): json.loads(said) for item_id, coder, said in rows if said is not None}

    def any_suggested(self) -> bool:
        """Whether any change in the project was made with suggestions on screen."""
        return bool(self._conn.execute(
            "SELECT EXISTS (SELECT 1 FROM label_events INDEXED BY label_events_suggested WHERE suggested IS NOT NULL)"
        ).fetchone()[0])

    def done_marks(self) -> list[DoneMark]:
        """Every item a coder marked done."""
        return [
            DoneMark(*r) for r in self._conn.execute(
                "SELECT a.item_id, i.uid, a.coder FROM annotations a JOIN items i ON i.id = a.item_id WHERE a.done"
            )
        ]

    def annotations_of(self, item_id: int) -> dict[str, Annotation]:
        """Every coder's annotation of one item -- for the review mode only, never the coding window."""
        coders = [
            r[0]
            for r in self._conn.execute(
                "SELECT coder FROM labels WHERE item_id = ? UNION SELECT coder FROM annotations WHERE item_id = ? ORDER BY 1",
                [item_id, item_id],
            )
        ]
        return {c: self.annotation(item_id, c) for c in coders}


def _one_scheme(scheme: str | None) -> tuple[str, list[str]]:
    """The WHERE clause (and its argument) of a read of every scheme's labels (None) or of one's."""
    return ("WHERE scheme = ? ", [scheme]) if scheme is not None else ("", [])
