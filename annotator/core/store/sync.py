"""Several coders' files: what a merge reads of a project, the one transaction that writes
a merged file, and the backup taken before.

Everything is keyed by uids (item uid, source sha256, event uid), never by one
file's local ids, so two coders' copies of a project line up without a server.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

from annotator.core.records import (
    ANNOTATION_FIELDS,
    AnnotationState,
    HistoryEvent,
    ItemRow,
    LabelState,
    LatestEvent,
    MergeCounts,
    MergePlan,
    Snapshot,
    SourceRow,
    history_field,
)
from annotator.core.store.backups import backups, next_backup, prune_backups, write_backup
from annotator.core.store.errors import sql_errors
from annotator.core.store.history import EVENTS_BY_UID
from annotator.core.store.items import index_new_items
from annotator.core.store.part import Part


class Sync(Part):
    """``store.sync``: merging coders' files in, and the backup before."""

    def backup(self, dest: str | Path | None = None, *, prune: bool = True) -> Path:
        """Copy the whole project (``backups.write_backup``); by default to the next
        ``<db>.bak-<local timestamp>`` beside it, of which the newest ``KEEP_BACKUPS`` are kept
        (``prune=False``: not yet; ``prune_backups`` once the change it guards is written)."""
        with self._source() as conn:
            if dest is not None:
                return write_backup(conn, Path(dest))
            written = write_backup(conn, next_backup(self.path))
        if prune:
            self.prune_backups()
        return written

    @contextlib.contextmanager
    def _source(self) -> Iterator[sqlite3.Connection]:
        """The connection to copy the project from: this one, or -- inside the transaction a merge
        holds the write lock in from its plan to its write, before it has written -- a reader of
        its own, which reads the project as last committed: SQLite's backup refuses a source that
        is in a write transaction (SQLITE_LOCKED, which Python's backup retries without end)."""
        if not self._conn.in_transaction:
            yield self._conn
            return
        with sql_errors(self.path):
            reader = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            yield reader
        finally:
            reader.close()

    def prune_backups(self) -> None:
        """Delete all but the newest ``KEEP_BACKUPS`` of this project's backups."""
        prune_backups(self.path)

    def backups(self) -> list[Path]:
        """This project's backups beside it, oldest first."""
        return backups(self.path)

    def snapshot(self, *, full: bool, coders: set[str] | None = None) -> Snapshot:
        """What a merge needs to know about this project (``records.Snapshot``); ``full`` for
        the project merged *in*, which brings its sources, items and history too. ``coders``:
        only their labels, annotations and latest events (a merge compares a file with the
        project's rows of the coders the file names, never another coder's); every item uid
        and coder name still. A failure names this file: a merge reads several.

        The file merged in (``full``) is read in one read transaction: its coder may be coding in it
        as it is read, and a change landing between two of the reads (a note typed after the
        annotations were read, before the latest events) made a snapshot whose stale note carried
        the new one's time, which then won in the project for good."""
        with sql_errors(self.path):
            if not full:
                return self._snapshot(full, coders)
            with self._store.one_snapshot():
                return self._snapshot(full, coders)

    def _snapshot(self, full: bool, coders: set[str] | None) -> Snapshot:
        q = self._conn.execute
        mine = ""  # every coder's rows, or those of `coders` only
        args: list[str] = []
        if coders is not None:
            args = sorted(coders)
            mine = f" WHERE coder IN ({', '.join('?' * len(args))})"
        snap = Snapshot(
            uids={r[0] for r in q("SELECT uid FROM items")},
            coders=set(self._store.labels.coders()) | {r[0] for r in q("SELECT DISTINCT coder FROM label_events")},
            labels={
                (u, c, s): LabelState(v, ca, ua)
                for u, c, s, v, ca, ua in q(
                    f"""SELECT i.uid, l.coder, l.scheme, l.value, l.created_at, l.updated_at
                       FROM (SELECT * FROM labels{mine}) l JOIN items i ON i.id = l.item_id""",
                    args,
                )
            },
            annotations={
                (u, c): AnnotationState(note, bool(flag), bool(done), sec, ua)
                for u, c, note, flag, done, sec, ua in q(
                    f"""SELECT i.uid, a.coder, a.note, a.flag, a.done, a.seconds, a.updated_at
                       FROM (SELECT * FROM annotations{mine}) a JOIN items i ON i.id = a.item_id""",
                    args,
                )
            },
            # Newest by (at, id): events written in the same microsecond keep their history
            # order (max(at) with bare columns would take an arbitrary one of the tied rows).
            latest={
                (u, c, f): LatestEvent(after, at)
                for u, c, f, after, at in q(
                    f"""SELECT i.uid, e.coder, e.field, e.after, e.at FROM (
                           SELECT item_id, coder, field, after, at, row_number() OVER (
                               PARTITION BY item_id, coder, field ORDER BY at DESC, id DESC) AS n
                           FROM label_events{mine}) e JOIN items i ON i.id = e.item_id
                       WHERE e.n = 1 AND (e.after IS NULL OR e.field IN (?, ?, ?))""",
                    [*args, *(history_field(name) for name in ANNOTATION_FIELDS)],
                )
            },
            source_shas={r[0] for r in q("SELECT sha256 FROM sources")},
            conference_event_uids={r[0] for r in q("SELECT uid FROM conference_events")},
        )
        if full:
            snap.sources = list(map(SourceRow._make, q(
                """SELECT name, sha256, kind, title, date, imported_at, conference_id, language, pairs_sha256, copy_of
                   FROM sources ORDER BY id"""
            )))
            snap.conferences = q(
                "SELECT id, body, date, kind, spokespersons, speaker, subject FROM conferences ORDER BY id").fetchall()
            snap.conference_events = self._store.conferences.events()
            snap.items = list(map(ItemRow._make, q(
                    """SELECT i.uid, i.kind, s.sha256, i.seq, i.date, i.outlet, i.spokesperson, i.outlet_norm,
                              i.spokesperson_norm, i.question, i.answer, i.follow_up_of, i.meta
                       FROM items i JOIN sources s ON s.id = i.source_id ORDER BY i.id"""
            )))
            snap.events = list(map(HistoryEvent._make, q(EVENTS_BY_UID + " ORDER BY e.id")))
            snap.corrections = self._store.corrections.records()
            snap.alignments = self._store.alignments.hand_rows()
            snap.alignment_events = self._store.alignments.event_rows()
        return snap

    def apply(self, plan: MergePlan, when: Callable[[str], str] = str) -> MergeCounts:
        """Write one merged file in ONE transaction: a failure leaves the project as it was.

        Rows name their item by uid and their source by sha256; events already present
        (same uid) are skipped, so merging a file twice adds nothing. ``when``: a time made
        comparable (hand alignments: the later decision wins).
        """
        ex = self._conn.executemany
        refused = f"{self.path}: the merge would break the database's integrity ({{error}}); nothing was merged"
        with self._store.transaction(refused=refused):
            # Conferences are named by their facts, so a row of the same id here is the same briefing.
            ex("""INSERT OR IGNORE INTO conferences(id, body, date, kind, spokespersons, speaker, subject)
                  VALUES (?, ?, ?, ?, ?, ?, ?)""", plan.conferences)
            sources = ex(
                """INSERT OR IGNORE INTO sources(name, sha256, kind, title, date, imported_at, conference_id, language,
                                                 pairs_sha256, copy_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                plan.sources,
            ).rowcount
            last_id = self._conn.execute("SELECT coalesce(max(id), 0) FROM items").fetchone()[0]
            items = ex(
                """INSERT OR IGNORE INTO items(uid, kind, source_id, seq, date, outlet, spokesperson,
                       outlet_norm, spokesperson_norm, question, answer, follow_up_of, meta)
                   SELECT ?1, ?2, s.id, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13
                   FROM sources s WHERE s.sha256 = ?3""",
                plan.items,
            ).rowcount
            index_new_items(self._conn, "id > ?", [last_id])
            # uid -> id once, then plain VALUES inserts: far quicker than a lookup per row.
            ids = dict(self._conn.execute("SELECT uid, id FROM items"))
            ex(
                """INSERT INTO labels(item_id, coder, scheme, value, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
                   ON CONFLICT(item_id, coder, scheme) DO UPDATE SET value = excluded.value,
                   updated_at = excluded.updated_at""",
                [(ids[r.item_uid], r.coder, r.scheme, r.value, r.created_at, r.updated_at)
                 for r in plan.label_upserts if r.item_uid in ids],
            )
            ex(
                "DELETE FROM labels WHERE item_id = ? AND coder = ? AND scheme = ?",
                [(ids[r.item_uid], r.coder, r.scheme) for r in plan.label_deletes if r.item_uid in ids],
            )
            ex(
                """INSERT INTO annotations(item_id, coder, note, flag, done, seconds, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT(item_id, coder) DO UPDATE SET note = excluded.note, flag = excluded.flag,
                   done = excluded.done, seconds = excluded.seconds, updated_at = excluded.updated_at""",
                [(ids[r.item_uid], r.coder, r.note, r.flag, r.done, r.seconds, r.updated_at)
                 for r in plan.annotation_rows if r.item_uid in ids],
            )
            # Refs are resolved after the rows are in: a SELECT over the table being inserted into
            # would make SQLite stage every row in a temporary table.
            events = ex(
                """INSERT OR IGNORE INTO label_events(uid, item_id, coder, field, before, after, action, ref, at, seconds,
                                                      operation, suggested)
                   VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)""",
                [(e.uid, ids[e.item_uid], e.coder, e.field, e.before, e.after, e.action, e.at, e.seconds, e.operation,
                  e.suggested)
                 for e in plan.events if e.item_uid in ids],
            ).rowcount
            ex(
                """UPDATE label_events SET ref = (SELECT r.id FROM label_events r WHERE r.uid = ?2)
                   WHERE uid = ?1 AND ref IS NULL""",
                [(e.uid, e.ref_uid) for e in plan.events if e.ref_uid is not None],
            )
            # The lead's corrections of conferences: each source moved goes where its latest one says.
            ex("""INSERT OR IGNORE INTO conference_events(uid, source_sha256, before, after, action, coder, at)
                  VALUES (?, ?, ?, ?, ?, ?, ?)""", plan.conference_events)
            # Sources that came in or moved: their conferences are to be aligned again (the caller
            # does, in its transaction: ``relinking.realign``).
            moved = {s.conference_id for s in plan.sources if s.conference_id} if sources else set()
            if plan.conference_events:
                moved |= self._store.conferences.replay({e.source_sha256 for e in plan.conference_events})
            taken, kept = self._store.alignments.take(plan.alignments, plan.alignment_events, when)
            self._store.corrections.look_again_after_merge({r.coder for r in plan.annotation_rows}, when)
        return MergeCounts(sources, items, events, taken, kept, frozenset(moved))
