"""The open project: the one object a caller opens and closes, and the parts it hands out.

One project is one SQLite file in WAL mode (so sqlite3 and Datasette can read it
while the window is open), foreign keys on, schema from ``migrations.py``. The
``Store`` owns the connection, the codebook in force and the transactions; what is
done with the project lives in parts that share its connection, the way Anki's
collection hands out ``col.decks``::

    store.items        sources and items            store.gold      gold decisions
    store.labels       labels, undo, history        store.sync      merge in, backup
    store.browse       filters, lists, counts       store.exports   reads for export
    store.assignments  who codes what               store.models    suggestion models, their settings
    store.conferences  briefings and their sources
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from annotator.core.codebook import (
    Codebook,
    Scheme,
    default_codebook_path,
    load_codebook,
    orphans,
    parse_codebook,
    value_options,
)
from annotator.core.errors import AnnotatorError, NeedsUpgrade
from annotator.core.items import KINDS as ITEM_KINDS
from annotator.core.store.alignments import Alignments
from annotator.core.store.assignments import Assignments
from annotator.core.store.browse import Browse
from annotator.core.store.checkpoints import BackgroundCheckpoints
from annotator.core.store.conferences import Conferences
from annotator.core.store.corrections import Corrections
from annotator.core.store.errors import sql_errors
from annotator.core.store.exports import Exports
from annotator.core.store.gold import Gold
from annotator.core.store.items import Items, index_new_items
from annotator.core.store.labels import Labels
from annotator.core.store.models import Models
from annotator.core.store.opening import connect, prepare
from annotator.core.store.schema import check_schema
from annotator.core.store.staging import Staging
from annotator.core.store.structure import check_structure
from annotator.core.store.sync import Sync


class Store:
    """An open project database."""

    def __init__(self, path: str | Path, *, create: bool = False, readonly: bool = False,
                 upgrading: Callable[[list[str], Path | None], None] | None = None, back_up: bool = True) -> None:
        """A project made by an older version opened to write is upgraded in place, backed up
        beside itself first (``back_up``: False for a file that is itself a copy); ``upgrading`` is
        called before either with the names of the steps it lacks and the backup's path (None when
        none is taken): at a million items they take a while, so say so."""
        self.path = Path(path)
        self.readonly = readonly
        self.connection = connect(self.path, create=create, readonly=readonly)
        self.db = Database(self.connection)
        self._codebook: Codebook | None = None
        self._codebook_seen: int | None = None  # data_version when ``codebook_now`` last looked
        self._checkpoints: BackgroundCheckpoints | None = None  # see checkpoint_in_background
        try:
            created = prepare(self.connection, self.db, self.path, create=create, readonly=readonly,
                              upgrading=upgrading, back_up=back_up)
            if created:
                # A new project keeps its own copy of the codebook, so a later release's
                # default can never change what its labels mean.
                text = default_codebook_path().read_text(encoding="utf-8")
                self.set_codebook(parse_codebook(text, str(default_codebook_path())), text)
        except BaseException:
            self.connection.close()
            raise
        self._bulk_indexed_to: int | None = None  # set while bulk_writes batches index their items
        self._data_version = self._read_data_version()  # see others_committed
        st = os.stat(self.path)
        self._file_identity = (st.st_dev, st.st_ino)  # which file was opened, for ensure_present
        self.items = Items(self)
        self.labels = Labels(self)
        self.browse = Browse(self)
        self.assignments = Assignments(self)
        self.gold = Gold(self)
        self.sync = Sync(self)
        self.staging = Staging(self)
        self.exports = Exports(self)
        self.corrections = Corrections(self)
        self.models = Models(self)
        self.alignments = Alignments(self)
        self.conferences = Conferences(self)

    def close(self) -> None:
        self.stop_background_checkpoints()
        self.connection.close()

    def checkpoint_in_background(self) -> None:
        """Checkpoint the WAL on a thread of its own instead of inside a commit (``checkpoints.py``):
        for the window, whose commits a coder waits on. Every commit stays durable as it returns."""
        if self.readonly or self._checkpoints is not None:
            return
        with sql_errors(self.path):
            self.connection.execute("PRAGMA wal_autocheckpoint = 0")
        self._checkpoints = BackgroundCheckpoints(self.path)

    def stop_background_checkpoints(self) -> None:
        """Back to SQLite's checkpoint inside the commit; the thread ended (closing the window)."""
        if self._checkpoints is None:
            return
        self._checkpoints.stop()
        self._checkpoints = None
        with contextlib.suppress(sqlite3.Error):
            self.connection.execute("PRAGMA wal_autocheckpoint = 1000")

    def _committed(self) -> None:
        if self._checkpoints is not None:
            self._checkpoints.due()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions and errors -----------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self, *, refused: str | None = None) -> Iterator[None]:
        """One logical change, all or nothing (a SAVEPOINT when nested), its failures one clear
        line: ``refused`` is the sentence for a row the schema refuses (``errors.sql_errors``).

        The outermost one takes the write lock as it begins (``BEGIN IMMEDIATE``), waiting up to
        the busy timeout for another writer to finish. A deferred transaction that reads first
        would be refused at its first write, at once and without waiting, whenever another
        connection wrote in between (WAL mode cannot let it write on an older snapshot).
        """
        with sql_errors(self.path, refused=refused):
            if self.connection.in_transaction:
                with self._savepoint():  # inside the transaction already begun
                    yield
                return
            self.connection.execute("BEGIN" if self.readonly else "BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                if self.connection.in_transaction:  # a failure may have rolled it back already
                    self.connection.execute("ROLLBACK")
                raise
            try:
                self.connection.execute("COMMIT")
            except BaseException:
                if self.connection.in_transaction:
                    self.connection.execute("ROLLBACK")
                raise
            self._committed()

    @contextlib.contextmanager
    def one_snapshot(self) -> Iterator[None]:
        """Every read inside sees the project as it was at the first of them (a deferred BEGIN:
        no write lock, so the window or a merge beside it is not kept waiting): for what reads a
        file its coder may be writing to, in several queries that must agree -- a merge's reading
        of a coder's file, a label file's states and history. Inside a transaction already, that one."""
        with sql_errors(self.path):
            if self.connection.in_transaction:
                yield
                return
            self.connection.execute("BEGIN")
            try:
                yield
            finally:
                if self.connection.in_transaction:
                    self.connection.execute("COMMIT")

    @contextlib.contextmanager
    def _savepoint(self) -> Iterator[None]:
        """A SAVEPOINT of one name, so each statement is compiled once: a nested one with the same
        name is the one that ROLLBACK TO and RELEASE name. (sqlite-utils' ``atomic`` names each
        savepoint anew, and an import opens one per file.)"""
        conn = self.connection
        conn.execute("SAVEPOINT annotator_write")
        try:
            yield
        except BaseException:
            # A failure such as a RAISE(ROLLBACK) may have ended the whole transaction already.
            if conn.in_transaction:
                conn.execute("ROLLBACK TO SAVEPOINT annotator_write")
                conn.execute("RELEASE SAVEPOINT annotator_write")
            raise
        conn.execute("RELEASE SAVEPOINT annotator_write")

    def errors(self) -> contextlib.AbstractContextManager[None]:
        """SQLite's failures inside as one clear line naming this project (reads)."""
        return sql_errors(self.path)

    def query(self, sql: str, args: list[Any]) -> sqlite3.Cursor:
        """One read whose failure is one clear line naming the project."""
        with sql_errors(self.path):
            return self.connection.execute(sql, args)

    @contextlib.contextmanager
    def bulk_writes(self, commit_every_s: float = 0.5) -> Iterator[Callable[[], None]]:
        """Many atomic writes in a row that can be redone (an import), committed in batches.

        Inside, each transaction (one file's ``items.add_source``) runs as a SAVEPOINT of
        an outer transaction: a failing file still rolls back alone, but the commit -- the
        costly part -- happens about every ``commit_every_s`` rather than per file, so
        other programs wait at most that long. Yields ``commit_if_due``, to call between
        units of work. A killed program loses at most the batch being written, a crash of the
        machine the batches not yet flushed: whole files, which import again by sha256. At the end
        the WAL is flushed (``_flush_wal``) and ``synchronous = FULL`` is back.
        """
        conn = self.connection
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
                index_new_items(conn, "id > ?", [self._bulk_indexed_to])
                conn.execute("COMMIT")
                self._committed()
            self._bulk_indexed_to = conn.execute("SELECT coalesce(max(id), 0) FROM items").fetchone()[0]

        def commit_if_due() -> None:
            nonlocal last
            if time.monotonic() - last >= commit_every_s:
                index_and_commit()
                conn.execute("BEGIN IMMEDIATE")  # the lock first, as in transaction(): see there
                last = time.monotonic()

        def restore() -> None:
            # Always: a Store left with _bulk_indexed_to set would never index later imports.
            self._bulk_indexed_to = None
            conn.execute(f"PRAGMA cache_size = {int(cache_size)}")
            conn.execute(f"PRAGMA temp_store = {int(temp_store)}")
            conn.execute("PRAGMA synchronous = FULL")

        try:
            with sql_errors(self.path):
                self._bulk_indexed_to = conn.execute("SELECT coalesce(max(id), 0) FROM items").fetchone()[0]
                # IMMEDIATE: a project another program is writing is refused here, before any work.
                conn.execute("BEGIN IMMEDIATE")
        except AnnotatorError:
            restore()
            raise
        try:
            yield commit_if_due
        finally:
            try:
                with sql_errors(self.path):
                    try:
                        # What is inside is whole files only, so it is kept even when the caller stops early.
                        index_and_commit()
                    except sqlite3.OperationalError:
                        if conn.in_transaction:
                            conn.execute("ROLLBACK")
                        raise
            finally:
                restore()
            self._flush_wal()

    def _flush_wal(self) -> None:
        """The end of ``bulk_writes``: what its batches committed without a flush goes to the disk.

        The checkpoint flushes the WAL before it folds frames into the file, but when another
        program's older snapshot leaves it nothing to fold it flushes nothing: then the WAL file
        itself is flushed, so a finished import is durable whoever is reading."""
        busy, log, folded = self.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        wal = self.path.with_name(self.path.name + "-wal")
        if (busy or folded < log) and wal.exists():
            fd = os.open(wal, os.O_RDWR)  # write access: Windows' fsync asks for it
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

    @property
    def indexing_in_bulk(self) -> bool:
        """Inside ``bulk_writes``, whose batches add their items to the full-text index at commit."""
        return self._bulk_indexed_to is not None

    def checkpoint(self) -> None:
        """Fold the WAL into the main file, e.g. before the file is copied or renamed."""
        self.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def check(self) -> None:
        """The whole structural check of every page, whatever the size, and of the schema
        (``annotator check``)."""
        with sql_errors(self.path):
            check_structure(self.connection, self.path, full=True)
            check_schema(self.connection, self.path)

    def integrity_check(self) -> str:
        return self.connection.execute("PRAGMA integrity_check").fetchone()[0]

    def is_this_file(self, path: str | Path) -> bool:
        """Whether ``path`` is this project's file, under any name: another path to it, a symbolic
        or a hard link. Reading it as another file would close a descriptor of it, which drops
        every lock this process's connection holds on it (SQLite's locks are POSIX ones)."""
        try:
            return os.path.samefile(path, self.path)
        except OSError:
            return False  # no such file: the caller says so in its own words

    def others_committed(self) -> bool:
        """Whether another connection (a merge, another window, sqlite3 by hand) has committed to
        the project since this was last asked, or since it was opened: SQLite's own counter, which
        this connection's commits leave alone."""
        now = self._read_data_version()
        changed, self._data_version = now != self._data_version, now
        return changed

    def _read_data_version(self) -> int:
        with sql_errors(self.path):
            return self.connection.execute("PRAGMA data_version").fetchone()[0]

    def set_busy_timeout(self, seconds: float) -> None:
        """The window waits briefly for a lock, then queues the write rather than freezing."""
        self.connection.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")

    def ensure_present(self) -> None:
        """Refuse to write when the project file has been deleted or replaced since it was opened:
        SQLite would carry on writing into the vanished file and the labels would be lost."""
        try:
            st = os.stat(self.path)
        except OSError:
            raise AnnotatorError(f"{self.path}: the project file has vanished (moved or deleted)") from None
        if (st.st_dev, st.st_ino) != self._file_identity:
            raise AnnotatorError(f"{self.path}: the project file was replaced by another file")

    # -- meta and the codebook in force ---------------------------------------------------------

    def meta(self, key: str) -> str | None:
        row = self.connection.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def _set_meta(self, key: str, value: str) -> None:
        self.connection.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", [key, value])

    def codebook(self) -> Codebook:
        """The codebook in force (the default one until a project sets its own)."""
        if self._codebook is None:
            text = self.meta("codebook")
            if text is None:  # a project made outside annotator (e.g. `sqlite-utils migrate`)
                self._codebook = load_codebook(default_codebook_path())
            else:
                self._codebook = Codebook.from_json(text)
        return self._codebook

    def codebook_now(self) -> Codebook:
        """The codebook in force as the file holds it now: read again when another connection has
        committed since this one last looked (SQLite's data_version; one PRAGMA otherwise). A window
        open while ``codebook --set`` replaced the codebook went on writing by the old one -- a value
        the new codebook lacks, orphaned without any ``--force``. The window's write paths ask this
        inside their transaction; loops over many labels read ``codebook()``."""
        seen = self._read_data_version()
        if seen != self._codebook_seen:
            text = self.meta("codebook")
            if text is not None and (self._codebook is None or text != self._codebook.to_json()):
                self._codebook = Codebook.from_json(text)
            self._codebook_seen = seen
        return self.codebook()

    def scheme(self, name: str) -> Scheme:
        """A scheme of the codebook in force, or one clear error naming it."""
        sch = self.codebook().scheme(name)
        if sch is None:
            raise AnnotatorError(f"{self.path}: the codebook has no scheme {name!r}")
        return sch

    def codebook_toml(self) -> str | None:
        return self.meta("codebook_toml")

    def used_label_values(self) -> dict[tuple[str, str], int]:
        """How many labels use each (scheme, value), multi-choice lists counted per value."""
        used: dict[tuple[str, str], int] = {}
        for table in ("labels", "gold"):
            for scheme, value, n in self.connection.execute(f"SELECT scheme, value, count(*) FROM {table} GROUP BY 1, 2"):
                for one in value_options(json.loads(value)):
                    used[(scheme, one)] = used.get((scheme, one), 0) + n
        return used

    def set_codebook(self, codebook: Codebook, toml_text: str | None = None, *, force: bool = False) -> dict[tuple[str, str], int]:
        """Put ``codebook`` in force; refuse (listing them) if labels would be orphaned, unless ``force``.

        Orphaned: a value the new codebook lacks, or a value whose shape no longer fits
        its scheme (a list where the scheme became single-choice, or the reverse), an empty
        set ("none of these") of a scheme it drops, or any label on an item of a kind its
        scheme would no longer apply to (``Scheme.given`` would read it as not applicable:
        gone from agreement, review, gold and every export, though the row is kept).
        """
        lost = orphans(codebook, self.used_label_values())
        lost.update(self._reshaped_labels(codebook))
        lost.update(self._unread_labels(codebook))
        if lost and not force:
            listing = ", ".join(f"{s}={v} ({n})" for (s, v), n in lost.items())
            raise AnnotatorError(
                f"{self.path}: the new codebook would orphan labels: {listing}; use --force to set it anyway"
            )
        with self.transaction():
            self._set_meta("codebook", codebook.to_json())
            if toml_text is not None:
                self._set_meta("codebook_toml", toml_text)
        self._codebook = codebook
        return lost

    def _unread_labels(self, codebook: Codebook) -> dict[tuple[str, str], int]:
        """Labels that hold no option yet say something the new codebook would no longer read:
        the empty sets of a scheme it drops, and every label on an item of a kind its scheme
        would no longer apply to (one the codebook in force reads). Only the schemes so narrowed
        are joined with their items."""
        out: dict[tuple[str, str], int] = {}
        for table in ("labels", "gold"):
            for scheme, n in self.connection.execute(f"SELECT scheme, count(*) FROM {table} WHERE value = '[]' GROUP BY 1"):
                if codebook.scheme(scheme) is None:
                    out[(scheme, "[] (none of these)")] = out.get((scheme, "[] (none of these)"), 0) + n
            for (scheme, kind), n in self.unasked_labels(codebook, table).items():
                before = self.codebook().scheme(scheme)
                if before is None or not before.applies(kind):
                    continue  # not read before either (a merge or an earlier --force): nothing changes
                key = (scheme, f"any value on {kind} items (it would no longer apply to them)")
                out[key] = out.get(key, 0) + n
        return out

    def unasked_labels(self, codebook: Codebook | None = None, table: str = "labels") -> dict[tuple[str, str], int]:
        """{(scheme, item kind): rows} of ``table`` (labels or gold) on items of a kind their scheme
        of ``codebook`` (None: the one in force) does not apply to: kept, but read as not applicable
        everywhere (``Scheme.given``). Read from the items of those kinds (``items_kind``), then each
        item's rows, so a scheme asked of most items costs only the few it is not asked of."""
        codebook = codebook or self.codebook()
        out: dict[tuple[str, str], int] = {}
        for sch in codebook.schemes:
            unasked = [k for k in ITEM_KINDS if not sch.applies(k)]
            if not unasked:
                continue
            for kind, n in self.connection.execute(
                f"""SELECT i.kind, count(*) FROM items i CROSS JOIN {table} l ON l.item_id = i.id AND l.scheme = ?
                    WHERE i.kind IN ({", ".join("?" for _ in unasked)}) GROUP BY 1""",
                [sch.name, *unasked],
            ):
                out[(sch.name, kind)] = n
        return out

    def _reshaped_labels(self, codebook: Codebook) -> dict[tuple[str, str], int]:
        """Labels whose kind of value the new codebook's scheme no longer takes."""
        out: dict[tuple[str, str], int] = {}
        for table in ("labels", "gold"):
            for scheme, is_list, n in self.connection.execute(
                f"SELECT scheme, json_type(value) = 'array', count(*) FROM {table} GROUP BY 1, 2"
            ):
                sch = codebook.scheme(scheme)
                if sch is None or sch.multi == bool(is_list):
                    continue
                shape = "a list (now single-choice)" if is_list else "a single value (now multi-choice)"
                out[(scheme, shape)] = out.get((scheme, shape), 0) + n
        return out


def steps_to_upgrade(path: Path) -> list[str]:
    """The schema steps a project made by an older version lacks, in the order they would run
    (none for a project at this version's); found by a read-only open, so nothing is written."""
    try:
        with Store(path, readonly=True):
            return []
    except NeedsUpgrade as older:
        return older.steps


@contextlib.contextmanager
def reading(path: Path, *, copying: Callable[[], None] | None = None) -> Iterator[Store]:
    """Open a project to read without changing it, e.g. a coder's file being merged.

    A file made by an older version is read through an upgraded temporary copy
    (SQLite's backup API, so its WAL comes along): the coder's file stays as it was.
    ``copying`` is called before such a copy is made: at a million items it is gigabytes,
    made again by every reading until the file itself is upgraded, which a caller may say.
    """
    try:
        store = Store(path, readonly=True)
    except NeedsUpgrade:
        if copying is not None:
            copying()
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / path.name
            source = connect(path, create=False, readonly=True)  # leaves no -wal or -shm beside the file
            target = sqlite3.connect(copy)
            try:
                source.backup(target)
            finally:
                source.close()
                target.close()
            try:
                with Store(copy, back_up=False) as upgraded:  # the copy is one already
                    yield upgraded
            except AnnotatorError as e:
                # The copy is a temporary file the user never named: the line names theirs.
                e.args = tuple(a.replace(str(copy), str(path)) if isinstance(a, str) else a for a in e.args)
                raise
        return
    with store:
        yield store
