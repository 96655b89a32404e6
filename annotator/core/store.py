"""The project database: the one module that speaks SQL.

One project is one SQLite file in WAL mode (so sqlite3 and Datasette can read
it while the window is open), foreign keys on, schema from ``migrations.py``.
Every change a coder makes is one transaction that writes the current value
and appends its history row; ``Change`` says what a write did so views can
refresh from it.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import tempfile
import time
import uuid
from array import array
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from annotator.core.codebook import (
    Codebook, Scheme, default_codebook_path, load_codebook, orphans, parse_codebook, value_options,
)
from annotator.core.errors import AnnotatorError, NeedsUpgrade
from annotator.core.filters import Filter, fts_query
from annotator.core.items import ITEM_ROW_COLUMNS, PreparedSource, Source, prepare
from annotator.core.migrations import migrations
from annotator.core.records import (  # noqa: F401  (Annotation, Change: transitional, for the window)
    ANNOTATION_DEFAULTS, ANNOTATION_FIELDS, AddResult, Annotation, Change, LabelValue, annotation_field, dump_value,
    history_field, load_value, now, validate_coder,
)

BUSY_TIMEOUT_S = 5.0
# An item already present (same uid, brought in by a merge) is kept as it is; any other
# refusal (a CHECK, a NOT NULL) fails the file rather than dropping the item unseen.
_INSERT_ITEM = (
    f"INSERT INTO items({', '.join(ITEM_ROW_COLUMNS)}, source_id)"
    f" VALUES ({', '.join('?' * (len(ITEM_ROW_COLUMNS) + 1))}) ON CONFLICT(uid) DO NOTHING"
)


class Store:
    """An open project database."""

    def __init__(self, path: str | Path, *, create: bool = False, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self._conn = _connect(self.path, create=create, readonly=readonly)
        self.db = Database(self._conn)
        self._codebook: Codebook | None = None
        try:
            created = self._prepare(create)
            if created:
                # A new project keeps its own copy of the codebook, so a later release's
                # default can never change what its labels mean.
                text = default_codebook_path().read_text(encoding="utf-8")
                self.set_codebook(parse_codebook(text, str(default_codebook_path())), text)
        except BaseException:
            self._conn.close()
            raise
        self._bulk_indexed_to: int | None = None  # set while bulk_writes batches index their items
        st = os.stat(self.path)
        self._file_identity = (st.st_dev, st.st_ino)  # which file was opened, for ensure_present

    # -- opening ---------------------------------------------------------------

    def _prepare(self, create: bool) -> bool:
        """Check the file is a project this version can open, upgrade it; True if it was new."""
        try:
            self._conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            tables = {r[0] for r in self._conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        except sqlite3.DatabaseError as e:
            raise _database_error(self.path, e) from None
        if tables and "_sqlite_migrations" not in tables:
            raise AnnotatorError(f"{self.path}: an SQLite database, but not an annotator project")
        if not tables and not create:
            raise AnnotatorError(f"{self.path}: empty file, not an annotator project")
        known = {m.name for m in migrations._migrations}
        applied = [m.name for m in migrations.applied(self.db)] if tables else []
        unknown = [name for name in applied if name not in known]
        if unknown:
            raise AnnotatorError(
                f"{self.path}: made by a newer version of annotator (unknown schema step {unknown[0]}); upgrade annotator"
            )
        try:
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._conn.execute("PRAGMA synchronous = FULL")
            if not self.readonly:
                mode = self._conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if mode.lower() != "wal":
                    raise AnnotatorError(f"{self.path}: cannot switch the database to WAL mode (got {mode})")
                if migrations.pending(self.db):
                    migrations.apply(self.db)
            elif migrations.pending(self.db):
                raise NeedsUpgrade(f"{self.path}: read-only and made by an older version; open it once writable to upgrade")
        except sqlite3.OperationalError as e:
            raise _database_error(self.path, e) from None
        return not tables

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def bulk_writes(self, commit_every_s: float = 0.5) -> Iterator[Callable[[], None]]:
        """Many atomic writes in a row that can be redone (an import), committed in batches.

        Inside, each ``db.atomic()`` block (one file's ``add_source``) runs as a
        SAVEPOINT of an outer transaction: a failing file still rolls back alone,
        but the commit -- the costly part -- happens about every ``commit_every_s``
        rather than per file, so other programs wait at most that long. Yields
        ``commit_if_due``, to call between units of work. A crash loses at most
        the last batch, and importing it again is harmless; full durability and a
        checkpoint come back at the end.
        """
        conn = self._conn
        conn.execute("PRAGMA synchronous = NORMAL")
        # New items land all over the uid and full-text indexes: a 64 MB page cache
        # (instead of SQLite's 2 MB) keeps those pages in memory for the batch.
        cache_size = conn.execute("PRAGMA cache_size").fetchone()[0]
        conn.execute("PRAGMA cache_size = -65536")
        # Each file is a savepoint, and SQLite keeps a savepoint's undo copy of every page
        # it touches in a temporary file unless told to keep it in memory (writing
        # 100,000 pairs: 3.8 s with the file, 3.2 s without).
        temp_store = conn.execute("PRAGMA temp_store").fetchone()[0]
        conn.execute("PRAGMA temp_store = MEMORY")
        last = time.monotonic()

        def index_and_commit() -> None:
            # Items added in the batch join the full-text index in one statement, in the
            # same transaction: per file, FTS5 would flush tiny segments at every savepoint.
            if conn.in_transaction:
                self._index_new_items("id > ?", [self._bulk_indexed_to])
                conn.execute("COMMIT")
            self._bulk_indexed_to = conn.execute("SELECT coalesce(max(id), 0) FROM items").fetchone()[0]

        def commit_if_due() -> None:
            nonlocal last
            if time.monotonic() - last >= commit_every_s:
                index_and_commit()
                conn.execute("BEGIN")
                last = time.monotonic()

        def restore() -> None:
            # Always: a Store left with _bulk_indexed_to set would never index later imports.
            self._bulk_indexed_to = None
            conn.execute(f"PRAGMA cache_size = {int(cache_size)}")
            conn.execute(f"PRAGMA temp_store = {int(temp_store)}")
            conn.execute("PRAGMA synchronous = FULL")

        try:
            self._bulk_indexed_to = conn.execute("SELECT coalesce(max(id), 0) FROM items").fetchone()[0]
            # IMMEDIATE: a project another program is writing is refused here, before any work.
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as e:
            restore()
            raise _database_error(self.path, e) from None
        try:
            yield commit_if_due
        finally:
            try:
                # What is inside is whole files only, so it is kept even when the caller stops early.
                index_and_commit()
            except sqlite3.OperationalError as e:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise _database_error(self.path, e) from None
            finally:
                restore()
            self.checkpoint()

    def checkpoint(self) -> None:
        """Fold the WAL into the main file, e.g. before the file is copied or renamed."""
        self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def integrity_check(self) -> str:
        return self._conn.execute("PRAGMA integrity_check").fetchone()[0]

    # -- meta and codebook ---------------------------------------------------------

    def meta(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def _set_meta(self, key: str, value: str) -> None:
        self._conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", [key, value])

    def codebook(self) -> Codebook:
        """The codebook in force (the default one until a project sets its own)."""
        if self._codebook is None:
            text = self.meta("codebook")
            if text is None:  # a project made outside annotator (e.g. `sqlite-utils migrate`)
                self._codebook = load_codebook(default_codebook_path())
            else:
                self._codebook = Codebook.from_json(text)
        return self._codebook

    def codebook_toml(self) -> str | None:
        return self.meta("codebook_toml")

    def used_label_values(self) -> dict[tuple[str, str], int]:
        """How many labels use each (scheme, value), multi-choice lists counted per value."""
        used: dict[tuple[str, str], int] = {}
        for table in ("labels", "gold"):
            for scheme, value, n in self._conn.execute(f"SELECT scheme, value, count(*) FROM {table} GROUP BY 1, 2"):
                for one in value_options(json.loads(value)):
                    used[(scheme, one)] = used.get((scheme, one), 0) + n
        return used

    def set_codebook(self, codebook: Codebook, toml_text: str | None = None, *, force: bool = False) -> dict[tuple[str, str], int]:
        """Put ``codebook`` in force; refuse (listing them) if labels would be orphaned, unless ``force``.

        Orphaned: a value the new codebook lacks, or a value whose shape no longer fits
        its scheme (a list where the scheme became single-choice, or the reverse).
        """
        lost = orphans(codebook, self.used_label_values())
        lost.update(self._reshaped_labels(codebook))
        if lost and not force:
            listing = ", ".join(f"{s}={v} ({n})" for (s, v), n in lost.items())
            raise AnnotatorError(
                f"{self.path}: the new codebook would orphan labels: {listing}; use --force to set it anyway"
            )
        try:
            with self.db.atomic():
                self._set_meta("codebook", codebook.to_json())
                if toml_text is not None:
                    self._set_meta("codebook_toml", toml_text)
        except sqlite3.OperationalError as e:
            raise _database_error(self.path, e) from None
        self._codebook = codebook
        return lost

    def _reshaped_labels(self, codebook: Codebook) -> dict[tuple[str, str], int]:
        """Labels whose kind of value the new codebook's scheme no longer takes."""
        out: dict[tuple[str, str], int] = {}
        for table in ("labels", "gold"):
            for scheme, is_list, n in self._conn.execute(
                f"SELECT scheme, json_type(value) = 'array', count(*) FROM {table} GROUP BY 1, 2"
            ):
                sch = codebook.scheme(scheme)
                if sch is None or (sch.kind == "multi") == bool(is_list):
                    continue
                shape = "a list (now single-choice)" if is_list else "a single value (now multi-choice)"
                out[(scheme, shape)] = out.get((scheme, shape), 0) + n
        return out

    # -- sources and items -----------------------------------------------------------

    def add_source(self, source: Source | PreparedSource) -> AddResult:
        """Insert a source and its items in one transaction; a file already imported adds nothing."""
        prepared = source if isinstance(source, PreparedSource) else prepare(source)
        src = prepared.source
        row = self._conn.execute("SELECT id FROM sources WHERE sha256 = ?", [src.sha256]).fetchone()
        if row:
            return AddResult(source_id=row[0], added=0, duplicate=True)
        try:
            with self.db.atomic():
                cur = self._conn.execute(
                    "INSERT INTO sources(name, sha256, kind, title, date, imported_at) VALUES (?, ?, ?, ?, ?, ?)",
                    [src.name, src.sha256, src.kind, src.title, src.date, now()],
                )
                source_id = cur.lastrowid
                cur = self._conn.executemany(_INSERT_ITEM, [(*r, source_id) for r in prepared.rows])
                added = cur.rowcount
                if self._bulk_indexed_to is None:  # in bulk writes the batch indexes its items at commit
                    self._index_new_items("source_id = ?", [source_id])
        except sqlite3.IntegrityError as e:
            raise AnnotatorError(f"{src.name}: not written, an item was refused by the database ({e})") from None
        except sqlite3.OperationalError as e:
            raise _database_error(self.path, e) from None
        return AddResult(source_id=source_id, added=added, duplicate=False)

    def _index_new_items(self, where: str, args: list[Any]) -> None:
        """Add items just inserted to the full-text index: every path that inserts items must call this."""
        self._conn.execute(
            f"INSERT INTO items_fts(rowid, question, answer) SELECT id, question, answer FROM items WHERE {where}", args
        )

    def item_count(self) -> int:
        return self._conn.execute("SELECT count(*) FROM items").fetchone()[0]

    def item(self, item_id: int) -> dict[str, Any] | None:
        cur = self._conn.execute("SELECT * FROM items WHERE id = ?", [item_id])
        row = cur.fetchone()
        return dict(zip([d[0] for d in cur.description], row)) if row else None

    def item_id_for_uid(self, uid: str) -> int | None:
        row = self._conn.execute("SELECT id FROM items WHERE uid = ?", [uid]).fetchone()
        return row[0] if row else None

    def first_item_id(self) -> int | None:
        row = self._conn.execute("SELECT id FROM items ORDER BY id LIMIT 1").fetchone()
        return row[0] if row else None

    # -- labels ----------------------------------------------------------------------

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

    def set_label(self, item_id: int, coder: str, scheme: str, value: LabelValue, *, seconds: float = 0.0) -> Change | None:
        """Set one scheme's value (None clears it). Returns None when nothing changed."""
        value = self._check_value(scheme, value)
        return self._write(item_id, coder, scheme, value, action="set", seconds=seconds)

    def toggle_option(self, item_id: int, coder: str, scheme: str, option: str, *, seconds: float = 0.0) -> Change | None:
        """The coder pressed ``option``'s key: the value becomes what ``Scheme.toggle`` says
        (unticking the last option of a multi-choice scheme is no label again: the row goes)."""
        sch = self._scheme(scheme)
        with self.db.atomic():
            new = sch.toggle(self._current(item_id, coder, scheme), option)
            return self.set_label(item_id, coder, scheme, new, seconds=seconds)

    def set_note(self, item_id: int, coder: str, note: str, *, seconds: float = 0.0) -> Change | None:
        return self._write(item_id, coder, history_field("note"), note, action="set", seconds=seconds)

    def set_flag(self, item_id: int, coder: str, flag: bool, *, seconds: float = 0.0) -> Change | None:
        return self._write(item_id, coder, history_field("flag"), bool(flag), action="set", seconds=seconds)

    def set_done(self, item_id: int, coder: str, done: bool = True, *, seconds: float = 0.0) -> Change | None:
        return self._write(item_id, coder, history_field("done"), bool(done), action="set", seconds=seconds)

    def undo(self, coder: str) -> Change | None:
        """Restore the value before this coder's latest change that is still in effect."""
        row = self._conn.execute(
            """SELECT id, item_id, field, before FROM label_events e
               WHERE coder = ? AND action IN ('set', 'redo')
                 AND NOT EXISTS (SELECT 1 FROM label_events u WHERE u.ref = e.id AND u.action = 'undo')
               ORDER BY id DESC LIMIT 1""",
            [coder],
        ).fetchone()
        if row is None:
            return None
        event_id, item_id, fld, before = row
        return self._write(item_id, coder, fld, load_value(before), action="undo", ref=event_id, force=True)

    def redo(self, coder: str) -> Change | None:
        """Re-apply the change most recently undone, unless the coder has made a new change since."""
        row = self._conn.execute(
            """SELECT u.id, u.ref FROM label_events u
               WHERE u.coder = ? AND u.action = 'undo'
                 AND NOT EXISTS (SELECT 1 FROM label_events r WHERE r.ref = u.id AND r.action = 'redo')
                 AND NOT EXISTS (SELECT 1 FROM label_events s WHERE s.coder = u.coder AND s.id > u.id AND s.action = 'set')
               ORDER BY u.id DESC LIMIT 1""",
            [coder],
        ).fetchone()
        if row is None:
            return None
        undo_id, original_id = row
        item_id, fld, after = self._conn.execute(
            "SELECT item_id, field, after FROM label_events WHERE id = ?", [original_id]
        ).fetchone()
        return self._write(item_id, coder, fld, load_value(after), action="redo", ref=undo_id, force=True)

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
            event = dict(zip(names, row))
            event["before"], event["after"] = load_value(event["before"]), load_value(event["after"])
            out.append(event)
        return out

    def _scheme(self, scheme: str) -> Scheme:
        sch = self.codebook().scheme(scheme)
        if sch is None:
            raise AnnotatorError(f"{self.path}: the codebook has no scheme {scheme!r}")
        return sch

    def _check_value(self, scheme: str, value: LabelValue) -> LabelValue:
        return self._scheme(scheme).canonical(value)

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
        ref: int | None = None, seconds: float = 0.0, force: bool = False,
    ) -> Change | None:
        """The one write path: current value and history row in one transaction."""
        coder = validate_coder(coder)
        at = now()
        try:
            with self.db.atomic():
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
                    """INSERT INTO label_events(uid, item_id, coder, field, before, after, action, ref, at, seconds)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    [uuid.uuid4().hex, item_id, coder, fld, dump_value(before), dump_value(value), action, ref, at, seconds],
                )
        except sqlite3.IntegrityError:
            raise AnnotatorError(f"{self.path}: no item with id {item_id}") from None
        except sqlite3.OperationalError as e:
            raise _database_error(self.path, e) from None
        return Change(item_id, coder, fld, before, value, cur.lastrowid, action)

    def _add_seconds(self, item_id: int, coder: str, seconds: float, at: str) -> None:
        self._conn.execute(
            """INSERT INTO annotations(item_id, coder, seconds, updated_at) VALUES (?, ?, ?, ?)
               ON CONFLICT(item_id, coder) DO UPDATE SET seconds = seconds + excluded.seconds,
               updated_at = excluded.updated_at""",
            [item_id, coder, seconds, at],
        )

    # -- overview --------------------------------------------------------------------

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

    def coders(self) -> list[str]:
        return [
            r[0]
            for r in self._conn.execute(
                "SELECT coder FROM labels UNION SELECT coder FROM annotations ORDER BY 1"
            )
        ]

    def stats(self) -> dict[str, Any]:
        """Counts for ``annotator stats``: items by kind, sources, and labels per coder and scheme."""
        q = self._conn.execute
        per_coder: dict[str, dict[str, Any]] = {}
        for coder, scheme, n in q("SELECT coder, scheme, count(*) FROM labels GROUP BY coder, scheme ORDER BY 1, 2"):
            per_coder.setdefault(coder, {"items": 0, "done": 0, "flagged": 0, "schemes": {}})["schemes"][scheme] = n
        for coder, items, done, flagged in q(
            """SELECT coder, count(DISTINCT item_id), sum(done), sum(flag) FROM (
                   SELECT item_id, coder, 0 AS done, 0 AS flag FROM labels
                   UNION ALL SELECT item_id, coder, done, flag FROM annotations
                   WHERE done OR flag OR note != '')
               GROUP BY coder ORDER BY coder"""
        ):
            entry = per_coder.setdefault(coder, {"items": 0, "done": 0, "flagged": 0, "schemes": {}})
            entry.update(items=items, done=done or 0, flagged=flagged or 0)
        return {
            "items": q("SELECT count(*) FROM items").fetchone()[0],
            "items_by_kind": dict(q("SELECT kind, count(*) FROM items GROUP BY kind ORDER BY kind").fetchall()),
            "sources": q("SELECT count(*) FROM sources").fetchone()[0],
            "coders": per_coder,
            "gold": q("SELECT count(*) FROM gold").fetchone()[0],
        }


    # == coding window: item lists, filters, navigation, progress ======================

    def _filter_sql(self, flt: Filter, coder: str, *, unlabelled_only: bool = False) -> tuple[str, list[Any]]:
        """The WHERE clause (over ``items``) for one coder's filter; status and topic read only their labels."""
        where: list[str] = []
        args: list[Any] = []
        labelled = (
            "items.id IN (SELECT item_id FROM labels WHERE coder = ? "
            "UNION SELECT item_id FROM annotations WHERE coder = ? AND done)"
        )
        unlabelled = (
            "NOT EXISTS (SELECT 1 FROM labels l WHERE l.item_id = items.id AND l.coder = ?) "
            "AND NOT EXISTS (SELECT 1 FROM annotations a WHERE a.item_id = items.id AND a.coder = ? AND a.done)"
        )
        if flt.status == "labelled":
            where.append(labelled)
            args += [coder, coder]
        elif flt.status == "flagged":
            where.append("items.id IN (SELECT item_id FROM annotations WHERE coder = ? AND flag)")
            args.append(coder)
        if flt.status == "unlabelled" or unlabelled_only:
            where.append(unlabelled)
            args += [coder, coder]
        if flt.outlet:
            where.append("items.outlet_norm = ?")
            args.append(flt.outlet)
        if flt.spokesperson:
            where.append("items.spokesperson_norm = ?")
            args.append(flt.spokesperson)
        if flt.date_from:
            where.append("items.date >= ?")
            args.append(flt.date_from)
        if flt.date_to:
            # '2021-12' as an upper bound means the whole of December
            where.append("items.date <= ?")
            args.append(flt.date_to + "\uffff")
        if flt.topic:
            scheme, value = flt.topic.split(":", 1)
            where.append(
                "items.id IN (SELECT item_id FROM labels WHERE coder = ? AND scheme = ? "
                "AND EXISTS (SELECT 1 FROM json_each(labels.value) j WHERE j.value = ?))"
            )
            args += [coder, scheme, value]
        if flt.search:
            query = fts_query(flt.search)
            if query is not None:
                where.append("items.id IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ?)")
                args.append(query)
        if flt.assigned:
            where.append("items.id IN (SELECT item_id FROM assignments WHERE coder = ?)")
            args.append(coder)
        return (" AND ".join(where) or "1"), args

    def _query(self, sql: str, args: list[Any]) -> sqlite3.Cursor:
        try:
            return self._conn.execute(sql, args)
        except sqlite3.OperationalError as e:
            if "fts5" in str(e):
                raise AnnotatorError(f"search: cannot search for that ({e})") from None
            raise _database_error(self.path, e) from None

    def item_ids(self, flt: Filter, coder: str) -> Sequence[int]:
        """Ids of the items in ``flt``, ascending (import order: conference by conference).

        Never a list of a million Python ints: a ``range`` when the ids are one
        unbroken run (the whole of a project nobody has deleted from), else an
        ``array('q')`` at 8 bytes an id. "Unlabelled" is the rest of the filter
        minus this coder's labelled items, which are few, rather than a scan
        with two lookups per item.
        """
        if flt.status == "unlabelled":
            ids = self.item_ids(flt.without_status(), coder)
            done = {r[0] for r in self._query(
                "SELECT item_id FROM labels WHERE coder = ? UNION SELECT item_id FROM annotations WHERE coder = ? AND done",
                [coder, coder],
            )}
            return array("q", (i for i in ids if i not in done)) if done else ids
        if flt.is_empty:
            # three queries, not one: each alone is an index lookup, together a full scan
            low = self._query("SELECT min(id) FROM items", []).fetchone()[0]
            high = self._query("SELECT max(id) FROM items", []).fetchone()[0]
            n = self.item_count()
            if n == 0:
                return range(0)
            if high - low + 1 == n:
                return range(low, high + 1)
        where, args = self._filter_sql(flt, coder)
        cur = self._query(f"SELECT id FROM items WHERE {where} ORDER BY id", args)
        ids = array("q")
        while True:
            rows = cur.fetchmany(65536)
            if not rows:
                return ids
            ids.extend(r[0] for r in rows)

    def count_items(self, flt: Filter, coder: str) -> int:
        where, args = self._filter_sql(flt, coder)
        return self._query(f"SELECT count(*) FROM items WHERE {where}", args).fetchone()[0]

    def count_labelled(self, flt: Filter, coder: str) -> int:
        """Items in ``flt`` this coder has labelled or marked done; driven by the coder's own (small) label set."""
        where, args = self._filter_sql(flt, coder)
        return self._query(
            f"""SELECT count(*) FROM items WHERE items.id IN (
                    SELECT item_id FROM labels WHERE coder = ?
                    UNION SELECT item_id FROM annotations WHERE coder = ? AND done)
                AND {where}""",
            [coder, coder, *args],
        ).fetchone()[0]

    def next_unlabelled(self, flt: Filter, coder: str, after_id: int) -> int | None:
        """The first item after ``after_id`` in ``flt`` that this coder has not labelled, wrapping round once."""
        where, args = self._filter_sql(flt, coder, unlabelled_only=True)
        for clause, bound in (("items.id > ?", after_id), ("items.id < ?", after_id)):
            row = self._query(
                f"SELECT id FROM items WHERE {clause} AND {where} ORDER BY id LIMIT 1", [bound, *args]
            ).fetchone()
            if row:
                return row[0]
        return None

    def list_rows(self, ids: list[int], coder: str) -> dict[int, tuple[str, str, str, str]]:
        """Date, outlet, spokesperson and this coder's status for the item list, by id."""
        cur = self._query(
            """SELECT i.id, coalesce(i.date, ''), coalesce(i.outlet, ''), coalesce(i.spokesperson, ''),
                      EXISTS (SELECT 1 FROM labels l WHERE l.item_id = i.id AND l.coder = ?),
                      coalesce(a.done, 0), coalesce(a.flag, 0)
               FROM items i LEFT JOIN annotations a ON a.item_id = i.id AND a.coder = ?
               WHERE i.id IN (SELECT value FROM json_each(?))""",
            [coder, coder, json.dumps(list(ids))],
        )
        out = {}
        for item_id, date, outlet, spokesperson, has_labels, done, flag in cur:
            status = "done" if done else "labelled" if has_labels else ""
            if flag:
                status = f"{status}, unsure" if status else "unsure"
            out[item_id] = (date, outlet, spokesperson, status)
        return out

    def conference(self, source_id: int) -> dict[str, Any]:
        """A conference (one source): its title, file name, date and number of items."""
        row = self._query(
            "SELECT name, title, date, (SELECT count(*) FROM items WHERE source_id = sources.id) FROM sources WHERE id = ?",
            [source_id],
        ).fetchone()
        if row is None:
            return {"name": "", "title": None, "date": None, "items": 0}
        return {"name": row[0], "title": row[1], "date": row[2], "items": row[3]}

    def conference_position(self, item_id: int) -> tuple[int, int]:
        """(position, count): the item is the position-th (1-based) of count in its conference."""
        row = self._query(
            """SELECT (SELECT count(*) FROM items o WHERE o.source_id = i.source_id AND o.seq <= i.seq),
                      (SELECT count(*) FROM items o WHERE o.source_id = i.source_id)
               FROM items i WHERE i.id = ?""",
            [item_id],
        ).fetchone()
        return (row[0], row[1]) if row else (0, 0)

    def context(self, item_id: int, before: int = 2, after: int = 2) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The items just before and after ``item_id`` in the same conference, in order."""
        cols = "id, kind, seq, outlet, spokesperson, question, answer"
        names = cols.split(", ")
        ahead = self._query(
            f"""SELECT {cols} FROM items WHERE source_id = (SELECT source_id FROM items WHERE id = ?)
                AND seq < (SELECT seq FROM items WHERE id = ?) ORDER BY seq DESC LIMIT ?""",
            [item_id, item_id, before],
        ).fetchall()
        behind = self._query(
            f"""SELECT {cols} FROM items WHERE source_id = (SELECT source_id FROM items WHERE id = ?)
                AND seq > (SELECT seq FROM items WHERE id = ?) ORDER BY seq LIMIT ?""",
            [item_id, item_id, after],
        ).fetchall()
        return [dict(zip(names, r)) for r in reversed(ahead)], [dict(zip(names, r)) for r in behind]

    def progress(self, coder: str) -> dict[str, Any]:
        """This coder's own figures only: items labelled and seconds spent on items (the project's
        item count is ``item_count``, which a window reads once, not on every write)."""
        labelled = self._query(
            """SELECT count(*) FROM (SELECT item_id FROM labels WHERE coder = ?
                                      UNION SELECT item_id FROM annotations WHERE coder = ? AND done)""",
            [coder, coder],
        ).fetchone()[0]
        seconds = self._query("SELECT coalesce(sum(seconds), 0) FROM annotations WHERE coder = ?", [coder]).fetchone()[0]
        return {"labelled": labelled, "seconds": float(seconds)}

    def distinct_names(self, column: str) -> list[tuple[str, int]]:
        """Normalised outlets or spokespersons with their item counts, most frequent first."""
        if column not in ("outlet_norm", "spokesperson_norm"):
            raise ValueError(column)
        return self._query(
            f"SELECT {column}, count(*) FROM items WHERE {column} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1", []
        ).fetchall()

    def add_seconds(self, item_id: int, coder: str, seconds: float) -> None:
        """Credit time spent reading an item the coder left without changing anything."""
        coder = validate_coder(coder)
        self.ensure_present()
        try:
            with self.db.atomic():
                self._add_seconds(item_id, coder, seconds, now())
        except sqlite3.IntegrityError:
            raise AnnotatorError(f"{self.path}: no item with id {item_id}") from None
        except sqlite3.OperationalError as e:
            raise _database_error(self.path, e) from None

    def set_busy_timeout(self, seconds: float) -> None:
        """The window waits briefly for a lock, then queues the write rather than freezing."""
        self._conn.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")

    def ensure_present(self) -> None:
        """Refuse to write when the project file has been deleted or replaced since it was opened:
        SQLite would carry on writing into the vanished file and the labels would be lost."""
        try:
            st = os.stat(self.path)
        except OSError:
            raise AnnotatorError(f"{self.path}: the project file has vanished (moved or deleted)") from None
        if (st.st_dev, st.st_ino) != self._file_identity:
            raise AnnotatorError(f"{self.path}: the project file was replaced by another file")


    # == several coders: merge, assignment, gold, disagreements =========================

    def backup(self, dest: str | Path | None = None) -> Path:
        """Copy the whole project with SQLite's backup API (consistent even mid-WAL).

        The default name is ``<db>.bak-<local timestamp>``, never overwriting an earlier backup.
        """
        if dest is None:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            dest = self.path.with_name(f"{self.path.name}.bak-{stamp}")
            n = 1
            while dest.exists():
                dest = self.path.with_name(f"{self.path.name}.bak-{stamp}-{n}")
                n += 1
        dest = Path(dest)
        try:
            target = sqlite3.connect(str(dest))
        except sqlite3.Error as e:
            raise AnnotatorError(f"{dest}: cannot write the backup ({e})") from None
        try:
            self._conn.backup(target)
        except sqlite3.Error as e:
            raise AnnotatorError(f"{dest}: cannot write the backup ({e})") from None
        finally:
            target.close()
        return dest

    def merge_snapshot(self, *, full: bool) -> dict[str, Any]:
        """What a merge needs to know about this project, keyed by item uid (never by local ids).

        Always: ``uids``, ``coders``, ``labels`` {(uid, coder, scheme): (value JSON, created_at, updated_at)},
        ``annotations`` {(uid, coder): (note, flag, done, seconds, updated_at)} and ``latest``
        {(uid, coder, field): (after JSON, at)} -- the newest history event of each note/flag/done
        field, and of each label field whose newest event cleared it (when it was cleared). With ``full`` (the project merged *in*): also ``sources``,
        ``items`` and ``events`` rows ready for :meth:`apply_merge`.
        """
        q = self._conn.execute
        snap: dict[str, Any] = {
            "uids": {r[0] for r in q("SELECT uid FROM items")},
            "coders": set(self.coders()) | {r[0] for r in q("SELECT DISTINCT coder FROM label_events")},
            "labels": {
                (u, c, s): (v, ca, ua)
                for u, c, s, v, ca, ua in q(
                    """SELECT i.uid, l.coder, l.scheme, l.value, l.created_at, l.updated_at
                       FROM labels l JOIN items i ON i.id = l.item_id"""
                )
            },
            "annotations": {
                (u, c): (note, bool(flag), bool(done), sec, ua)
                for u, c, note, flag, done, sec, ua in q(
                    """SELECT i.uid, a.coder, a.note, a.flag, a.done, a.seconds, a.updated_at
                       FROM annotations a JOIN items i ON i.id = a.item_id"""
                )
            },
            # Newest by (at, id): events written in the same microsecond keep their history
            # order (max(at) with bare columns would take an arbitrary one of the tied rows).
            "latest": {
                (u, c, f): (after, at)
                for u, c, f, after, at in q(
                    """SELECT i.uid, e.coder, e.field, e.after, e.at FROM (
                           SELECT item_id, coder, field, after, at, row_number() OVER (
                               PARTITION BY item_id, coder, field ORDER BY at DESC, id DESC) AS n
                           FROM label_events) e JOIN items i ON i.id = e.item_id
                       WHERE e.n = 1 AND (e.after IS NULL OR e.field IN (?, ?, ?))""",
                    [history_field(name) for name in ANNOTATION_FIELDS],
                )
            },
        }
        if full:
            snap["sources"] = q("SELECT name, sha256, kind, title, date, imported_at FROM sources ORDER BY id").fetchall()
            snap["items"] = q(
                """SELECT i.uid, i.kind, s.sha256, i.seq, i.date, i.outlet, i.spokesperson, i.outlet_norm,
                          i.spokesperson_norm, i.question, i.answer, i.follow_up_of, i.meta
                   FROM items i JOIN sources s ON s.id = i.source_id ORDER BY i.id"""
            ).fetchall()
            snap["events"] = q(
                """SELECT e.uid, i.uid, e.coder, e.field, e.before, e.after, e.action, r.uid, e.at, e.seconds
                   FROM label_events e JOIN items i ON i.id = e.item_id
                   LEFT JOIN label_events r ON r.id = e.ref ORDER BY e.id"""
            ).fetchall()
        return snap

    def item_texts(self) -> list[tuple[str, str, str]]:
        """(uid, question, answer) of every item, for matching records that carry only text."""
        return self._conn.execute("SELECT uid, question, answer FROM items ORDER BY id").fetchall()

    def apply_merge(
        self,
        *,
        sources: list[tuple] = (),  # type: ignore[assignment]
        items: list[tuple] = (),  # type: ignore[assignment]
        label_upserts: list[tuple] = (),  # type: ignore[assignment]
        label_deletes: list[tuple] = (),  # type: ignore[assignment]
        annotation_rows: list[tuple] = (),  # type: ignore[assignment]
        events: list[tuple] = (),  # type: ignore[assignment]
    ) -> dict[str, int]:
        """Write one merged file in ONE transaction: a failure leaves the project as it was.

        Rows are keyed by uid (item uid, source sha256, event uid), as :meth:`merge_snapshot` gives them:
        sources (name, sha256, kind, title, date, imported_at); items (uid, kind, source sha256, seq, date,
        outlet, spokesperson, outlet_norm, spokesperson_norm, question, answer, follow_up_of, meta);
        label_upserts (item uid, coder, scheme, value JSON, created_at, updated_at); label_deletes
        (item uid, coder, scheme); annotation_rows (item uid, coder, note, flag, done, seconds, updated_at);
        events (uid, item uid, coder, field, before, after, action, ref event uid, at, seconds) in
        history order, so a ref always names an event written before it. Events already present
        (same uid) are skipped: merging a file twice adds nothing.
        """
        ex = self._conn.executemany
        counts = {"sources": 0, "items": 0, "events": 0}
        try:
            with self.db.atomic():
                counts["sources"] = ex(
                    "INSERT OR IGNORE INTO sources(name, sha256, kind, title, date, imported_at) VALUES (?, ?, ?, ?, ?, ?)",
                    sources,
                ).rowcount
                last_id = self._conn.execute("SELECT coalesce(max(id), 0) FROM items").fetchone()[0]
                counts["items"] = ex(
                    """INSERT OR IGNORE INTO items(uid, kind, source_id, seq, date, outlet, spokesperson,
                           outlet_norm, spokesperson_norm, question, answer, follow_up_of, meta)
                       SELECT ?1, ?2, s.id, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13
                       FROM sources s WHERE s.sha256 = ?3""",
                    items,
                ).rowcount
                self._index_new_items("id > ?", [last_id])
                # uid -> id once, then plain VALUES inserts: far quicker than a lookup per row.
                ids = dict(self._conn.execute("SELECT uid, id FROM items"))
                ex(
                    """INSERT INTO labels(item_id, coder, scheme, value, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
                       ON CONFLICT(item_id, coder, scheme) DO UPDATE SET value = excluded.value,
                       updated_at = excluded.updated_at""",
                    [(ids[r[0]],) + tuple(r[1:]) for r in label_upserts if r[0] in ids],
                )
                ex(
                    "DELETE FROM labels WHERE item_id = ? AND coder = ? AND scheme = ?",
                    [(ids[r[0]],) + tuple(r[1:]) for r in label_deletes if r[0] in ids],
                )
                ex(
                    """INSERT INTO annotations(item_id, coder, note, flag, done, seconds, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                       ON CONFLICT(item_id, coder) DO UPDATE SET note = excluded.note, flag = excluded.flag,
                       done = excluded.done, seconds = excluded.seconds, updated_at = excluded.updated_at""",
                    [(ids[r[0]],) + tuple(r[1:]) for r in annotation_rows if r[0] in ids],
                )
                # Refs are resolved after the rows are in: a SELECT over the table being inserted into
                # would make SQLite stage every row in a temporary table.
                counts["events"] = ex(
                    """INSERT OR IGNORE INTO label_events(uid, item_id, coder, field, before, after, action, ref, at, seconds)
                       VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)""",
                    [(e[0], ids[e[1]]) + tuple(e[2:7]) + tuple(e[8:]) for e in events if e[1] in ids],
                ).rowcount
                ex(
                    """UPDATE label_events SET ref = (SELECT r.id FROM label_events r WHERE r.uid = ?2)
                       WHERE uid = ?1 AND ref IS NULL""",
                    [(e[0], e[7]) for e in events if e[7] is not None],
                )
        except sqlite3.OperationalError as e:
            raise _database_error(self.path, e) from None
        except sqlite3.IntegrityError as e:
            raise AnnotatorError(f"{self.path}: the merge would break the database's integrity ({e}); nothing was merged") from None
        return counts

    # assignments: which coder codes which item; the coding window follows them.

    def item_strata(self) -> list[tuple[int, int]]:
        """(item id, source id) of every item, in id order: assignment stratifies by conference."""
        return self._conn.execute("SELECT id, source_id FROM items ORDER BY id").fetchall()

    def set_assignments(self, rows: list[tuple[int, str]], *, replace: bool = True) -> int:
        """Store (item id, coder) assignments in one transaction; ``replace`` drops all earlier ones first."""
        at = now()
        with self.db.atomic():
            if replace:
                self._conn.execute("DELETE FROM assignments")
            cur = self._conn.executemany(
                "INSERT OR IGNORE INTO assignments(item_id, coder, assigned_at) VALUES (?, ?, ?)",
                [(item_id, validate_coder(coder), at) for item_id, coder in rows],
            )
        return cur.rowcount

    def has_assignments(self, coder: str) -> bool:
        """True when ``coder`` has assigned items: the coding window's "next" then follows them."""
        return self._conn.execute("SELECT 1 FROM assignments WHERE coder = ? LIMIT 1", [coder]).fetchone() is not None

    def assigned_item_ids(self, coder: str) -> list[int]:
        """The items assigned to ``coder``, in item order (empty when the coder has no assignment)."""
        return [r[0] for r in self._conn.execute("SELECT item_id FROM assignments WHERE coder = ? ORDER BY item_id", [coder])]

    def next_assigned_item_id(self, coder: str, after: int | None = None, *, undone_only: bool = True) -> int | None:
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

    def assignment_counts(self) -> dict[str, int]:
        return dict(self._conn.execute("SELECT coder, count(*) FROM assignments GROUP BY coder ORDER BY coder").fetchall())

    # coders' labels side by side (agreement, review) and gold decisions.

    def coder_labels(self, scheme: str | None = None) -> list[tuple[int, str, str, str, Any]]:
        """(item id, uid, coder, scheme, value) of every coder label, optionally of one scheme."""
        sql = "SELECT l.item_id, i.uid, l.coder, l.scheme, l.value FROM labels l JOIN items i ON i.id = l.item_id"
        args: list[Any] = []
        if scheme is not None:
            sql += " WHERE l.scheme = ?"
            args.append(scheme)
        return [(a, u, c, s, json.loads(v)) for a, u, c, s, v in self._conn.execute(sql + " ORDER BY l.item_id", args)]

    def done_marks(self) -> list[tuple[int, str, str]]:
        """(item id, uid, coder) of every item a coder marked done."""
        return self._conn.execute(
            "SELECT a.item_id, i.uid, a.coder FROM annotations a JOIN items i ON i.id = a.item_id WHERE a.done"
        ).fetchall()

    def coder_annotations(self, item_id: int) -> dict[str, Annotation]:
        """Every coder's annotation of one item -- for the review mode only, never the coding window."""
        coders = [
            r[0]
            for r in self._conn.execute(
                "SELECT coder FROM labels WHERE item_id = ? UNION SELECT coder FROM annotations WHERE item_id = ? ORDER BY 1",
                [item_id, item_id],
            )
        ]
        return {c: self.annotation(item_id, c) for c in coders}

    def gold(self, item_id: int) -> dict[str, dict[str, Any]]:
        """The gold labels of one item: {scheme: {value, decided_by, decided_at, reason}}."""
        return {
            s: {"value": json.loads(v), "decided_by": by, "decided_at": at, "reason": why}
            for s, v, by, at, why in self._conn.execute(
                "SELECT scheme, value, decided_by, decided_at, reason FROM gold WHERE item_id = ?", [item_id]
            )
        }

    def gold_keys(self) -> set[tuple[int, str]]:
        return set(self._conn.execute("SELECT item_id, scheme FROM gold").fetchall())

    def gold_count(self) -> int:
        return self._conn.execute("SELECT count(*) FROM gold").fetchone()[0]

    def set_gold(self, item_id: int, scheme: str, value: LabelValue, decided_by: str, reason: str = "") -> int | None:
        """Decide the gold label of (item, scheme) -- None removes it -- with its gold_events row, in one
        transaction. Returns the event id, or None when nothing changed."""
        return self.set_gold_many([(item_id, scheme, value)], decided_by, reason)[0]

    def set_gold_many(
        self, decisions: list[tuple[int, str, LabelValue]], decided_by: str, reason: str = "", *, action: str = "set"
    ) -> list[int | None]:
        """Several gold decisions in ONE transaction (e.g. accepting every unanimous item)."""
        decided_by = validate_coder(decided_by)
        checked = [(i, s, self._check_value(s, v)) for i, s, v in decisions]
        at = now()
        ids: list[int | None] = []
        try:
            with self.db.atomic():
                for item_id, scheme, value in checked:
                    ids.append(self._write_gold(item_id, scheme, value, decided_by, reason, action, None, at))
        except sqlite3.IntegrityError:
            raise AnnotatorError(f"{self.path}: no item with id {checked[0][0] if checked else '?'}") from None
        except sqlite3.OperationalError as e:
            raise _database_error(self.path, e) from None
        return ids

    def undo_gold(self, decided_by: str) -> dict[str, Any] | None:
        """Restore the gold label before ``decided_by``'s latest decision still in effect; the undo is recorded."""
        row = self._conn.execute(
            """SELECT id, item_id, scheme, before FROM gold_events e
               WHERE decided_by = ? AND action IN ('set', 'accept')
                 AND NOT EXISTS (SELECT 1 FROM gold_events u WHERE u.ref = e.id AND u.action = 'undo')
               ORDER BY id DESC LIMIT 1""",
            [decided_by],
        ).fetchone()
        if row is None:
            return None
        event_id, item_id, scheme, before = row
        previous = self._conn.execute(
            """SELECT decided_by, reason, at FROM gold_events
               WHERE item_id = ? AND scheme = ? AND id < ? AND after IS NOT NULL ORDER BY id DESC LIMIT 1""",
            [item_id, scheme, event_id],
        ).fetchone()
        try:
            with self.db.atomic():
                self._write_gold(item_id, scheme, load_value(before), decided_by, "undo", "undo", event_id, now(), previous=previous)
        except sqlite3.OperationalError as e:
            raise _database_error(self.path, e) from None
        return {"item_id": item_id, "scheme": scheme, "value": load_value(before)}

    def _write_gold(
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


    # == export: streaming reads for the writers =======================================

    # One statement per stream: SQLite gives a statement one consistent snapshot,
    # and the cursor hands rows over as they are read, so memory stays flat.
    # Labels, annotations and gold come along as JSON arrays built by SQLite
    # (correlated subqueries on their primary keys), one row per item.
    _EXPORT_ITEMS_SQL = """
        SELECT i.id, i.uid, i.kind, i.date, i.outlet, i.spokesperson, i.question, i.answer,
               i.seq, i.source_id, s.name, s.sha256,
               (SELECT json_group_array(json_array(l.coder, l.scheme, json(l.value), l.updated_at))
                  FROM labels l WHERE l.item_id = i.id),
               (SELECT json_group_array(json_array(a.coder, a.note, a.flag, a.done, a.seconds, a.updated_at))
                  FROM annotations a WHERE a.item_id = i.id),
               (SELECT json_group_array(json_array(g.scheme, json(g.value), g.decided_by, g.decided_at))
                  FROM gold g WHERE g.item_id = i.id)
        FROM items i JOIN sources s ON s.id = i.source_id
        ORDER BY i.id"""

    def export_rows(self, batch: int = 2000) -> Iterator[tuple[Any, ...]]:
        """Every item in id order: (id, uid, kind, date, outlet, spokesperson, question, answer,
        seq, source_id, source_name, source_sha256, labels, annotations, gold), the last three
        JSON arrays of [coder, scheme, value, updated_at], [coder, note, flag, done, seconds,
        updated_at] and [scheme, value, decided_by, decided_at]."""
        cur = self._conn.execute(self._EXPORT_ITEMS_SQL)
        try:
            while rows := cur.fetchmany(batch):
                yield from rows
        except sqlite3.DatabaseError as e:
            raise _database_error(self.path, e) from None
        finally:
            cur.close()

    def export_sources(self) -> list[tuple[int, str, str | None, int]]:
        """(source id, sha256, date -- the source's own or its earliest item's --, item count)
        for every source: what a split needs to keep each conference in one piece."""
        return self._conn.execute(
            """SELECT s.id, s.sha256, coalesce(s.date, min(i.date)), count(i.id)
               FROM sources s LEFT JOIN items i ON i.source_id = s.id
               GROUP BY s.id ORDER BY s.id"""
        ).fetchall()

    def export_events(self, coder: str | None = None, batch: int = 2000) -> Iterator[tuple[Any, ...]]:
        """Label history in order: (item uid, event uid, coder, field, before JSON, after JSON,
        action, uid of the event it refers to, at, seconds), optionally for one coder."""
        cur = self._conn.execute(
            """SELECT i.uid, e.uid, e.coder, e.field, e.before, e.after, e.action, r.uid, e.at, e.seconds
               FROM label_events e JOIN items i ON i.id = e.item_id
               LEFT JOIN label_events r ON r.id = e.ref
               WHERE ?1 IS NULL OR e.coder = ?1
               ORDER BY e.id""",
            [coder],
        )
        try:
            while rows := cur.fetchmany(batch):
                yield from rows
        except sqlite3.DatabaseError as e:
            raise _database_error(self.path, e) from None
        finally:
            cur.close()



@contextlib.contextmanager
def reading(path: Path) -> Iterator[Store]:
    """Open a project to read without changing it, e.g. a coder's file being merged.

    A file made by an older version is read through an upgraded temporary copy
    (SQLite's backup API, so its WAL comes along): the coder's file stays as it was.
    """
    try:
        store = Store(path, readonly=True)
    except NeedsUpgrade:
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / path.name
            source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            target = sqlite3.connect(copy)
            try:
                source.backup(target)
            finally:
                source.close()
                target.close()
            with Store(copy) as upgraded:
                yield upgraded
        return
    with store:
        yield store


# -- helpers -----------------------------------------------------------------------

# What the CLI's last net catches (it must not import sqlite3): a failure no Store method named.
DatabaseFailure = sqlite3.Error



def _connect(path: Path, *, create: bool, readonly: bool) -> sqlite3.Connection:
    """Open the file, turning every environmental failure into one clear sentence."""
    if path.is_dir():
        raise AnnotatorError(f"{path}: is a folder, not a project database")
    exists = path.exists()
    if not exists and not create:
        raise AnnotatorError(f"{path}: no such project database (create one with 'annotator init {path}')")
    if exists and not os.access(path, os.R_OK):
        raise AnnotatorError(f"{path}: cannot read the project database (permission denied)")
    if not exists:
        parent = path.parent if str(path.parent) else Path(".")
        if not parent.is_dir():
            raise AnnotatorError(f"{path}: cannot create the project database (no folder {parent})")
        if not os.access(parent, os.W_OK):
            raise AnnotatorError(f"{path}: cannot create the project database (folder is read-only)")
    elif not readonly and not os.access(path, os.W_OK):
        raise AnnotatorError(f"{path}: the project database is read-only")
    if exists:
        with open(path, "rb") as f:
            head = f.read(16)
        if head and head != b"SQLite format 3\x00":
            raise AnnotatorError(f"{path}: not an SQLite database")
    try:
        writable = os.access(path, os.W_OK) and os.access(path.parent if str(path.parent) else Path("."), os.W_OK)
        if readonly and not writable:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S, check_same_thread=False)
        else:
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, check_same_thread=False)
            if readonly:
                # A read-write connection that refuses writes: unlike mode=ro it can tidy
                # the -wal and -shm files away on close instead of leaving them beside the project.
                conn.execute("PRAGMA query_only = ON")
    except sqlite3.Error as e:
        raise _database_error(path, e) from None
    return conn


def _database_error(path: Path, e: sqlite3.Error) -> AnnotatorError:
    msg = str(e)
    if "not a database" in msg:
        return AnnotatorError(f"{path}: not an SQLite database")
    if "malformed" in msg or "corrupt" in msg:
        return AnnotatorError(f"{path}: the database is corrupt ({msg})")
    if "locked" in msg or "busy" in msg:
        return AnnotatorError(f"{path}: the database is locked by another program; try again")
    if "readonly" in msg or "read-only" in msg:
        return AnnotatorError(f"{path}: the project database is read-only")
    if "unable to open" in msg:
        return AnnotatorError(f"{path}: cannot open the project database ({msg})")
    return AnnotatorError(f"{path}: database error: {msg}")
