"""Ordered schema steps for a project database (sqlite-utils ``Migrations``).

Each step runs in one transaction with its record in ``_sqlite_migrations``, so
a database is always at a known step. ``sqlite-utils migrate project.db
annotator/core/migrations.py`` can apply them too. Never edit a step that has
shipped: add a new one.
"""

from __future__ import annotations

import json
import sqlite3

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("annotator")


def _run(db: Database, script: str) -> None:
    """Run a script statement by statement.

    ``executescript`` would COMMIT first and break the step's atomicity with its
    record, so statements (triggers included) are split with SQLite's own test.
    """
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement in migration: {statement!r}")


@migrations()
def m001_core_tables(db: Database) -> None:
    _run(db,
        """
        CREATE TABLE meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            sha256 TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            title TEXT,
            date TEXT,
            imported_at TEXT NOT NULL
        );
        CREATE TABLE items (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('qa', 'statement', 'reported')),
            source_id INTEGER NOT NULL REFERENCES sources(id),
            seq INTEGER NOT NULL,
            date TEXT,
            outlet TEXT,
            spokesperson TEXT,
            outlet_norm TEXT,
            spokesperson_norm TEXT,
            question TEXT NOT NULL DEFAULT '',
            answer TEXT NOT NULL DEFAULT '',
            follow_up_of TEXT,
            meta TEXT
        );
        CREATE UNIQUE INDEX items_source_seq ON items(source_id, seq);
        CREATE INDEX items_date ON items(date);
        CREATE INDEX items_outlet ON items(outlet_norm);
        CREATE INDEX items_spokesperson ON items(spokesperson_norm);

        -- The current value of one scheme for one item by one coder.
        CREATE TABLE labels (
            item_id INTEGER NOT NULL REFERENCES items(id),
            coder TEXT NOT NULL,
            scheme TEXT NOT NULL,
            value TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (item_id, coder, scheme)
        );
        CREATE INDEX labels_coder ON labels(coder, scheme);

        -- What one coder says about one item beyond the schemes: note, unsure flag,
        -- done, and the seconds they spent on it.
        CREATE TABLE annotations (
            item_id INTEGER NOT NULL REFERENCES items(id),
            coder TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            flag INTEGER NOT NULL DEFAULT 0,
            done INTEGER NOT NULL DEFAULT 0,
            seconds REAL NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (item_id, coder)
        );
        CREATE INDEX annotations_coder ON annotations(coder, done);

        -- Append-only history: every change to a label, note, flag or done mark.
        -- field is a scheme name, or @note, @flag, @done.
        CREATE TABLE label_events (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            item_id INTEGER NOT NULL REFERENCES items(id),
            coder TEXT NOT NULL,
            field TEXT NOT NULL,
            before TEXT,
            after TEXT,
            action TEXT NOT NULL,
            ref INTEGER REFERENCES label_events(id),
            at TEXT NOT NULL,
            seconds REAL NOT NULL DEFAULT 0
        );
        CREATE INDEX label_events_coder ON label_events(coder, id);
        CREATE INDEX label_events_item ON label_events(item_id);
        CREATE INDEX label_events_ref ON label_events(ref);

        -- The adjudicated label of one scheme for one item.
        CREATE TABLE gold (
            item_id INTEGER NOT NULL REFERENCES items(id),
            scheme TEXT NOT NULL,
            value TEXT NOT NULL,
            decided_by TEXT NOT NULL,
            decided_at TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (item_id, scheme)
        );
        CREATE TABLE gold_events (
            id INTEGER PRIMARY KEY,
            item_id INTEGER NOT NULL REFERENCES items(id),
            scheme TEXT NOT NULL,
            before TEXT,
            after TEXT,
            decided_by TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            action TEXT NOT NULL,
            ref INTEGER REFERENCES gold_events(id),
            at TEXT NOT NULL
        );
        """
    )


@migrations()
def m002_full_text_search(db: Database) -> None:
    # External-content FTS5 over items; triggers keep it in step with every write.
    _run(db,
        """
        CREATE VIRTUAL TABLE items_fts USING fts5(
            question, answer, content='items', content_rowid='id'
        );
        CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN
            INSERT INTO items_fts(rowid, question, answer) VALUES (new.id, new.question, new.answer);
        END;
        CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN
            INSERT INTO items_fts(items_fts, rowid, question, answer)
            VALUES ('delete', old.id, old.question, old.answer);
        END;
        CREATE TRIGGER items_fts_update AFTER UPDATE OF question, answer ON items BEGIN
            INSERT INTO items_fts(items_fts, rowid, question, answer)
            VALUES ('delete', old.id, old.question, old.answer);
            INSERT INTO items_fts(rowid, question, answer) VALUES (new.id, new.question, new.answer);
        END;
        INSERT INTO items_fts(items_fts) VALUES ('rebuild');
        """
    )


@migrations()
def m003_assignments(db: Database) -> None:
    _run(db,
        """
        CREATE TABLE assignments (
            item_id INTEGER NOT NULL REFERENCES items(id),
            coder TEXT NOT NULL,
            assigned_at TEXT NOT NULL,
            PRIMARY KEY (item_id, coder)
        );
        CREATE INDEX assignments_coder ON assignments(coder, item_id);
        """
    )


@migrations()
def m004_index_items_per_write(db: Database) -> None:
    # A trigger fired per inserted row made imports ~2.5x slower than one
    # INSERT ... SELECT per write; the store now indexes new items itself
    # (Store._index_new_items). Update and delete triggers stay.
    _run(db, "DROP TRIGGER items_fts_insert;")


@migrations()
def m005_event_operations(db: Database) -> None:
    # One key press can write several history rows (Enter: the done mark and an explicit
    # "none of these" for each untouched multi-choice scheme on screen); they share an
    # ``operation`` so that one undo takes them all back. NULL: an event on its own.
    _run(db,
        """
        ALTER TABLE label_events ADD COLUMN operation TEXT;
        CREATE INDEX label_events_operation ON label_events(operation) WHERE operation IS NOT NULL;
        """
    )


@migrations()
def m006_gold_provenance(db: Database) -> None:
    # Where a gold value came from: ``method`` coder (``taken_from`` names them), hand or
    # unanimous; ``coder_values`` the JSON object {coder: value} of the values the coders had
    # given when it was decided. Decisions made before this step kept none of it (NULL),
    # except that an accepted unanimous one says so.
    _run(db,
        """
        ALTER TABLE gold ADD COLUMN method TEXT;
        ALTER TABLE gold ADD COLUMN taken_from TEXT;
        ALTER TABLE gold ADD COLUMN coder_values TEXT;
        ALTER TABLE gold_events ADD COLUMN method TEXT;
        ALTER TABLE gold_events ADD COLUMN taken_from TEXT;
        ALTER TABLE gold_events ADD COLUMN coder_values TEXT;
        UPDATE gold_events SET method = 'unanimous' WHERE action = 'accept';
        UPDATE gold SET method = 'unanimous' WHERE (
            SELECT e.action FROM gold_events e
            WHERE e.item_id = gold.item_id AND e.scheme = gold.scheme AND e.after IS NOT NULL
            ORDER BY e.id DESC LIMIT 1) = 'accept';
        """
    )


MIGRATE_EMPTY_SETS = "m007_explicit_empty_sets"


@migrations(name=MIGRATE_EMPTY_SETS)
def m007_explicit_empty_sets(db: Database) -> None:
    """Until this step a done item's multi-choice scheme without a label row counted as the
    empty set; from now on only a row that says ``[]`` does, and no row is missing.

    So that an older project keeps its meaning where the coder was coding the scheme, a done
    item's multi-choice scheme without a row becomes an explicit ``[]`` where that coder gave
    the scheme a value on at least one other item of the project (evidence they were coding
    it); otherwise it stays without a row: missing, never agreed on. Each ``[]`` row gets a
    history row (action ``migrate``) at the time the item was marked done, whose uid is made
    from (item uid, coder, scheme, this step's name), so two coders' copies migrated apart
    merge without duplicates.
    """
    import hashlib

    from annotator.core.codebook import Codebook, default_codebook_path, load_codebook

    conn = db.conn
    stored = conn.execute("SELECT value FROM meta WHERE key = 'codebook'").fetchone()
    codebook = Codebook.from_json(stored[0]) if stored else load_codebook(default_codebook_path())
    rows: list[tuple[int, str, str, str, str, str]] = []
    for scheme in codebook.schemes:
        if not scheme.multi:
            continue
        for item_id, uid, kind, coder, at in conn.execute(
            """SELECT a.item_id, i.uid, i.kind, a.coder, coalesce(
                      (SELECT max(e.at) FROM label_events e WHERE e.item_id = a.item_id AND e.coder = a.coder
                         AND e.field = '@done' AND e.after = 'true'), a.updated_at)
               FROM annotations a JOIN items i ON i.id = a.item_id
               WHERE a.done
                 AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.item_id = a.item_id AND l.coder = a.coder AND l.scheme = ?1)
                 AND EXISTS (SELECT 1 FROM labels o WHERE o.coder = a.coder AND o.scheme = ?1 AND o.item_id != a.item_id)
               ORDER BY a.item_id, a.coder""",
            [scheme.name],
        ):
            if scheme.applies(kind):
                digest = hashlib.sha256(
                    json.dumps([uid, coder, scheme.name, MIGRATE_EMPTY_SETS], ensure_ascii=False).encode("utf-8")
                ).hexdigest()[:32]
                rows.append((item_id, coder, scheme.name, at, digest, uid))
    # Gathered first, written after: a row written here is never the evidence for another.
    conn.executemany(
        "INSERT INTO labels(item_id, coder, scheme, value, created_at, updated_at) VALUES (?, ?, ?, '[]', ?, ?)",
        [(item_id, coder, scheme, at, at) for item_id, coder, scheme, at, _uid, _item in rows],
    )
    conn.executemany(
        """INSERT OR IGNORE INTO label_events(uid, item_id, coder, field, before, after, action, ref, at, seconds)
           VALUES (?, ?, ?, ?, NULL, '[]', 'migrate', NULL, ?, 0)""",
        [(uid, item_id, coder, scheme, at) for item_id, coder, scheme, at, uid, _item in rows],
    )


@migrations()
def m009_corrections(db: Database) -> None:
    # Corrections of the importer's work (``core/corrections.py``): one row per correction or
    # undo, named by a uid made from what it does, so two copies that make the same one agree
    # and a merge applies it once. ``args`` is what was asked, ``record`` what it changed
    # (the items before and after, the labels carried over or kept aside). An item a merge
    # absorbed leaves the items table; ``retired_items`` keeps its uid and the item that
    # holds its text now, so a label file made before the correction still finds it.
    _run(db,
        """
        CREATE TABLE corrections (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            coder TEXT NOT NULL,
            op TEXT NOT NULL,
            item_uid TEXT NOT NULL,
            args TEXT NOT NULL,
            record TEXT,
            ref TEXT,
            at TEXT NOT NULL
        );
        CREATE INDEX corrections_item ON corrections(item_uid);
        CREATE TABLE retired_items (
            uid TEXT PRIMARY KEY,
            successor TEXT NOT NULL,
            correction TEXT NOT NULL,
            row TEXT NOT NULL
        );
        """
    )


@migrations()
def m010_models(db: Database) -> None:
    # The suggestion model travels inside the project file, so a copy carries it to the coder's
    # laptop. Never a pickle: settings and vocabularies as JSON, numbers as raw little-endian
    # arrays whose dtype is one of a few plain ones (core/model/storage.py refuses any other).
    # A feature space (vocabularies, idf) is shared by the schemes trained with it; each
    # scheme's model names its own. ``label_events.suggested``: the suggestions on screen
    # when the change was made (JSON: model version and the suggested values), NULL when none.
    _run(db,
        """
        CREATE TABLE model_features (
            id TEXT PRIMARY KEY,
            meta TEXT NOT NULL
        );
        CREATE TABLE models (
            scheme TEXT PRIMARY KEY,
            features TEXT NOT NULL REFERENCES model_features(id),
            meta TEXT NOT NULL,
            trained_at TEXT NOT NULL
        );
        CREATE TABLE model_arrays (
            owner TEXT NOT NULL,
            name TEXT NOT NULL,
            dtype TEXT NOT NULL,
            shape TEXT NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (owner, name)
        );
        ALTER TABLE label_events ADD COLUMN suggested TEXT;
        """
    )


@migrations()
def m012_index_items_by_kind(db: Database) -> None:
    # Counts by kind (``annotator stats``) and every kind's item ids (agreement's not-applicable
    # items) read this index alone, instead of every item's text: at a million items the
    # table is gigabytes, the index a few megabytes.
    db.execute("CREATE INDEX IF NOT EXISTS items_kind ON items(kind)")


@migrations()
def m013_conferences(db: Database) -> None:
    """One row per briefing (``core/conferences.py``), which every source joins: the English and
    Chinese pages of one press conference, a copy of a page in another format. ``sources`` learn
    their conference, their language, the fingerprint of their pairs' text (a copy has the same)
    and, for a copy, the sha256 of the source whose pairs it repeats (it brought no items of its
    own). ``conference_events`` is the history of the lead's corrections (link, unlink): who,
    when, from which conference to which, keyed by the file's sha256 so a merge carries it.

    An older project's sources get the conference their stored title, date and items name, as
    the importer would give them now; none is taken for a copy (each keeps its items).
    """
    from annotator.core.conferences import CONFERENCE_KINDS, conference_id, language_of, pairs_fingerprint
    from annotator.core.importers.conference import read_conference
    from annotator.core.items import Item, Source

    kinds = ", ".join(f"'{k}'" for k in CONFERENCE_KINDS)
    _run(db,
        f"""
        CREATE TABLE conferences (
            id TEXT PRIMARY KEY,
            body TEXT NOT NULL,
            date TEXT,
            kind TEXT NOT NULL CHECK (kind IN ({kinds})),
            spokespersons TEXT NOT NULL DEFAULT '[]',
            speaker TEXT NOT NULL DEFAULT '',
            subject TEXT NOT NULL DEFAULT ''
        );
        ALTER TABLE sources ADD COLUMN conference_id TEXT REFERENCES conferences(id);
        ALTER TABLE sources ADD COLUMN language TEXT;
        ALTER TABLE sources ADD COLUMN pairs_sha256 TEXT;
        ALTER TABLE sources ADD COLUMN copy_of TEXT;
        CREATE INDEX sources_conference ON sources(conference_id);
        CREATE INDEX sources_pairs ON sources(pairs_sha256);
        CREATE TABLE conference_events (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            source_sha256 TEXT NOT NULL,
            before TEXT,
            after TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('link', 'unlink')),
            coder TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX conference_events_source ON conference_events(source_sha256, at);
        """
    )
    conn = db.conn
    for source_id, name, sha, kind, title, date in conn.execute(
            "SELECT id, name, sha256, kind, title, date FROM sources ORDER BY id").fetchall():
        items = [Item(kind=k, seq=seq, question=q, answer=a, spokesperson=sp, date=d)
                 for k, seq, q, a, sp, d in conn.execute(
                     "SELECT kind, seq, question, answer, spokesperson, date FROM items WHERE source_id = ? ORDER BY seq",
                     [source_id])]
        facts = read_conference(Source(name=name, sha256=sha, kind=kind, title=title, date=date, items=items))
        cid = conference_id(facts)
        conn.execute(
            """INSERT OR IGNORE INTO conferences(id, body, date, kind, spokespersons, speaker, subject)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            [cid, facts.body, facts.date, facts.kind, json.dumps(list(facts.spokespersons), ensure_ascii=False),
             facts.speaker, facts.subject],
        )
        conn.execute(
            "UPDATE sources SET conference_id = ?, language = ?, pairs_sha256 = ? WHERE id = ?",
            [cid, language_of([it.question + it.answer for it in items[:20]]),
             pairs_fingerprint((it.question, it.answer) for it in items), source_id],
        )


@migrations()
def m014_index_suggested_events(db: Database) -> None:
    # ``annotator agreement`` separates assisted from unassisted coding by the history rows made
    # with suggestions on screen: a partial index holds only those rows, so a project that never
    # showed one answers at once, and one that did reads a few rows instead of its whole history.
    db.execute("CREATE INDEX IF NOT EXISTS label_events_suggested ON label_events(coder, item_id) "
               "WHERE suggested IS NOT NULL")


@migrations()
def m015_alignments(db: Database) -> None:
    # The English and Chinese versions of one conference, pair by pair (core/alignment/). A row
    # links an English item to a Chinese one: ``method`` 'auto' as the aligner found it at import,
    # with its confidence; 'hand' as a coder set it (``annotator align``), with who and when. A hand
    # row with one side NULL says that item has no counterpart. An item in a merge (two English
    # turns for one Chinese) has several rows. A hand row replaces every row of its item and the
    # aligner never overwrites it; ``alignment_events`` keeps each hand change's before and after
    # (item uids). Items leave with their rows (a merged-away item).
    _run(db,
        """
        CREATE TABLE alignments (
            id INTEGER PRIMARY KEY,
            english_id INTEGER REFERENCES items(id) ON DELETE CASCADE,
            chinese_id INTEGER REFERENCES items(id) ON DELETE CASCADE,
            confidence REAL NOT NULL CHECK (confidence BETWEEN 0 AND 1),
            method TEXT NOT NULL CHECK (method IN ('auto', 'hand')),
            decided_by TEXT,
            decided_at TEXT NOT NULL,
            CHECK (english_id IS NOT NULL OR chinese_id IS NOT NULL),
            CHECK (method = 'hand' OR (english_id IS NOT NULL AND chinese_id IS NOT NULL))
        );
        CREATE INDEX alignments_english ON alignments(english_id);
        CREATE INDEX alignments_chinese ON alignments(chinese_id);
        CREATE TABLE alignment_events (
            id INTEGER PRIMARY KEY,
            item_uid TEXT NOT NULL,
            before TEXT NOT NULL,
            after TEXT NOT NULL,
            coder TEXT NOT NULL,
            at TEXT NOT NULL
        );
        """
    )


# Whether a coder worked on an item (``annotator stats``' "items touched"): a label of theirs,
# or their annotation says something (done, flagged or a note).
_ANNOTATED = "({row}.done != 0 OR {row}.flag != 0 OR {row}.note != '')"
_NO_LABEL = "NOT EXISTS (SELECT 1 FROM labels l WHERE l.item_id = {row}.item_id AND l.coder = {row}.coder{other})"
_NOT_ANNOTATED = ("NOT EXISTS (SELECT 1 FROM annotations a WHERE a.item_id = {row}.item_id AND a.coder = {row}.coder "
                  "AND (a.done != 0 OR a.flag != 0 OR a.note != ''))")


@migrations()
def m017_stats_tallies(db: Database) -> None:
    """Counts that ``annotator stats`` reads instead of counting: labels per coder and scheme
    (``label_tallies``); per coder the items they touched, marked done and flagged
    (``coder_tallies``). Triggers keep them in the transaction of every write to ``labels``
    and ``annotations`` -- the window's, undo's, a merge's, a correction's, any program's --
    so they cannot drift from a recount; the step fills them with one. At a million items a
    recount reads millions of index entries (seconds); the tallies are a few rows.

    Items touched: the delta of "a label of theirs, or an annotation saying something" on the
    one (item, coder) a row change concerns, decided by the other rows of that pair. A label
    moved (an UPDATE of its item, coder or scheme) counts as leaving its old place and arriving
    at the new one. ``labels_coder`` grows to cover each label's value and item: agreement reads
    a project's labels grouped by coder, scheme and value from this index alone.
    """
    label_arrives = f"({_NO_LABEL.format(row='NEW', other=' AND l.scheme != NEW.scheme')} AND {_NOT_ANNOTATED.format(row='NEW')})"
    label_leaves = f"({_NO_LABEL.format(row='OLD', other='')} AND {_NOT_ANNOTATED.format(row='OLD')})"
    same_pair = "(OLD.item_id = NEW.item_id AND OLD.coder = NEW.coder)"
    note_new = f"({_ANNOTATED.format(row='NEW')} AND {_NO_LABEL.format(row='NEW', other='')})"
    note_old = f"({_ANNOTATED.format(row='OLD')} AND {_NO_LABEL.format(row='OLD', other='')})"

    def tally(coder: str, touched: str, done: str = "0", flagged: str = "0") -> str:
        return (f"INSERT INTO coder_tallies(coder, touched, done, flagged) VALUES ({coder}, {touched}, {done}, {flagged}) "
                "ON CONFLICT(coder) DO UPDATE SET touched = touched + excluded.touched, "
                "done = done + excluded.done, flagged = flagged + excluded.flagged;")

    def labels(coder: str, scheme: str, delta: str) -> str:
        return (f"INSERT INTO label_tallies(coder, scheme, n) VALUES ({coder}, {scheme}, {delta}) "
                "ON CONFLICT(coder, scheme) DO UPDATE SET n = n + excluded.n;")

    _run(db,
        f"""
        CREATE TABLE label_tallies (
            coder TEXT NOT NULL,
            scheme TEXT NOT NULL,
            n INTEGER NOT NULL,
            PRIMARY KEY (coder, scheme)
        ) WITHOUT ROWID;
        CREATE TABLE coder_tallies (
            coder TEXT PRIMARY KEY,
            touched INTEGER NOT NULL,
            done INTEGER NOT NULL,
            flagged INTEGER NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO label_tallies SELECT coder, scheme, count(*) FROM labels GROUP BY coder, scheme;
        INSERT INTO coder_tallies
            SELECT coder, count(*), 0, 0 FROM (
                SELECT item_id, coder FROM labels UNION
                SELECT item_id, coder FROM annotations a WHERE {_ANNOTATED.format(row='a')})
            GROUP BY coder;
        INSERT INTO coder_tallies(coder, touched, done, flagged)
            SELECT coder, 0, sum(done != 0), sum(flag != 0) FROM annotations GROUP BY coder
            ON CONFLICT(coder) DO UPDATE SET done = excluded.done, flagged = excluded.flagged;

        CREATE TRIGGER labels_tally_insert AFTER INSERT ON labels BEGIN
            {labels('NEW.coder', 'NEW.scheme', '1')}
            {tally('NEW.coder', label_arrives)}
        END;
        CREATE TRIGGER labels_tally_delete AFTER DELETE ON labels BEGIN
            {labels('OLD.coder', 'OLD.scheme', '-1')}
            {tally('OLD.coder', f'-{label_leaves}')}
        END;
        CREATE TRIGGER labels_tally_move AFTER UPDATE OF item_id, coder, scheme ON labels BEGIN
            {labels('OLD.coder', 'OLD.scheme', '-1')}
            {labels('NEW.coder', 'NEW.scheme', '1')}
            {tally('OLD.coder', f'-(NOT {same_pair} AND {label_leaves})')}
            {tally('NEW.coder', f'NOT {same_pair} AND {label_arrives}')}
        END;
        CREATE TRIGGER annotations_tally_insert AFTER INSERT ON annotations BEGIN
            {tally('NEW.coder', note_new, 'NEW.done != 0', 'NEW.flag != 0')}
        END;
        CREATE TRIGGER annotations_tally_delete AFTER DELETE ON annotations BEGIN
            {tally('OLD.coder', f'-{note_old}', '-(OLD.done != 0)', '-(OLD.flag != 0)')}
        END;
        CREATE TRIGGER annotations_tally_update AFTER UPDATE ON annotations BEGIN
            {tally('OLD.coder', f'-{note_old}', '-(OLD.done != 0)', '-(OLD.flag != 0)')}
            {tally('NEW.coder', note_new, 'NEW.done != 0', 'NEW.flag != 0')}
        END;

        DROP INDEX labels_coder;
        CREATE INDEX labels_coder ON labels(coder, scheme, value, item_id);
        """
    )


@migrations()
def m018_statements_in_the_spokespersons_voice(db: Database) -> None:
    """A statement nobody answered in, on a page whose title names no body, is the Foreign
    Ministry's when its opening words are the spokesperson's ("外交部发言人耿爽宣布："): the
    importer reads that now, and names the conference by those facts. A project imported
    before kept such a page in a conference of an unknown body, under another id; two machines
    would not agree. Here each such conference gets the id and facts the importer gives it now.

    Only a plain rename, and only where nothing else depends on the old name: ids are facts, and
    only ``sources.conference_id`` and the lead's ``conference_events`` name a conference (labels,
    gold and alignments are of items; an assignment is made per item). A conference is left as it
    is when a lead's correction names it (a source linked in or out by hand: the lead decided
    where it belongs), when its sources are no longer all of one reading (each would go
    elsewhere), or when the new id is held already (joining another conference would need its
    pairs aligned again, which is the aligner's, not a schema step's: ``annotator align --all``).
    """
    from annotator.core.conferences import FOREIGN_MINISTRY, STATEMENT, UNKNOWN_BODY, conference_id
    from annotator.core.importers.conference import read_conference
    from annotator.core.items import Item, Source

    conn = db.conn
    unknown = conn.execute(
        """SELECT id, date FROM conferences WHERE body = ? AND kind = ? AND id NOT IN (
               SELECT before FROM conference_events WHERE before IS NOT NULL UNION SELECT after FROM conference_events)""",
        [UNKNOWN_BODY, STATEMENT]).fetchall()
    for old, date in unknown:
        readings = set()
        for source_id, name, sha, kind, title, source_date in conn.execute(
                "SELECT id, name, sha256, kind, title, date FROM sources WHERE conference_id = ? AND copy_of IS NULL",
                [old]).fetchall():
            items = [Item(kind=k, seq=seq, question=q, answer=a, spokesperson=sp, date=d)
                     for k, seq, q, a, sp, d in conn.execute(
                         "SELECT kind, seq, question, answer, spokesperson, date FROM items WHERE source_id = ? ORDER BY seq",
                         [source_id])]
            readings.add(read_conference(Source(name=name, sha256=sha, kind=kind, title=title, date=source_date,
                                                items=items)))
        if len(readings) != 1:
            continue
        facts = readings.pop()
        new = conference_id(facts)
        if (facts.body, facts.kind, facts.date) != (FOREIGN_MINISTRY, STATEMENT, date) or new == old:
            continue  # read as before (a page that names no voice), or more changed than the voice
        if conn.execute("SELECT 1 FROM conferences WHERE id = ?", [new]).fetchone():
            continue
        conn.execute(
            """INSERT INTO conferences(id, body, date, kind, spokespersons, speaker, subject)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            [new, facts.body, facts.date, facts.kind, json.dumps(list(facts.spokespersons), ensure_ascii=False),
             facts.speaker, facts.subject])
        conn.execute("UPDATE sources SET conference_id = ? WHERE conference_id = ?", [new, old])  # copies too
        conn.execute("DELETE FROM conferences WHERE id = ?", [old])


@migrations()
def m019_label_times_in_the_coder_index(db: Database) -> None:
    """``labels_coder`` holds each label's time of last change too: the report's weeks of
    coding (the week each unit's last value was given) then read every label from the index
    alone, as agreement reads its values, instead of visiting the table once per label -- at
    100,000 items x 3 coders that visit was half of ``annotator report``. The time goes last,
    so the index keeps its order by coder, scheme, value and item for every reader before."""
    _run(db,
        """
        DROP INDEX labels_coder;
        CREATE INDEX labels_coder ON labels(coder, scheme, value, item_id, updated_at);
        """
    )
