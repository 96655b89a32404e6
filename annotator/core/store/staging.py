"""``store.staging``: a label file merged set by set instead of line by line.

``annotator export --labels`` files hold a line per coder and item and one per history event:
900,000 labels and their history for three coders at 100,000 items. Building Python objects
per line and per label costs more than everything else a merge does, so the lines go into
TEMP tables as they are read (never held in Python), SQLite's JSON functions take them
apart, the checks of ``validate`` run once per *distinct* value (coders, fields, values,
times: a few thousand), and the merge's rule (``merge.plan``'s decision table) is applied by
set-based SQL here, in the file's one transaction. ``core.merge.bulk`` drives it and
falls back to the line-by-line reader for anything this path does not take (see there).

Every TEMP table is the connection's own: nothing of the project changes before ``apply``.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterable
from typing import Any

from annotator.core.store.part import Part
from annotator.core.store.tallies import recounted, worth_recounting

# Staging more than its cache holds (TEMP's cache is 64 MiB) asks for SQLite's largest page:
# see ``Staging.stage``.
LARGE_STAGING_BYTES = 64 << 20
TEMP_PAGE_SIZE = 65536

# What is taken out of each event line and each state line: (column, JSON text of the member;
# NULL: the member is missing).
_EVENT_COLUMNS = (
    ("item_t", "json_type(line, '$.uid')"), ("item", "line ->> '$.uid'"), ("etype", "json_type(line, '$.event')"),
    ("uid", "line -> '$.event.uid'"), ("coder", "line -> '$.event.coder'"), ("field", "line -> '$.event.field'"),
    ("before", "coalesce(line -> '$.event.before', 'null')"), ("after", "coalesce(line -> '$.event.after', 'null')"),
    ("action", "line -> '$.event.action'"),
    ("ref", "CASE WHEN json_type(line, '$.event.ref_uid') IS NOT NULL THEN line -> '$.event.ref_uid'"
            " ELSE line -> '$.event.ref' END"),
    ("at", "line -> '$.event.at'"), ("seconds", "line -> '$.event.seconds'"),
    ("operation", "line -> '$.event.operation'"), ("suggested", "line -> '$.event.suggested'"),
)
_STATE_COLUMNS = (
    ("item_t", "json_type(line, '$.uid')"), ("item", "line ->> '$.uid'"), ("coder", "line -> '$.coder'"),
    ("labels", "line -> '$.labels'"), ("note", "line -> '$.note'"), ("flag", "line -> '$.flag'"),
    ("done", "line -> '$.done'"), ("seconds", "line -> '$.seconds'"), ("updated_at", "line -> '$.updated_at'"),
)


# What a staged line is: not one JSON object ('bad'), a header, a correction of an item, a hand
# alignment or its change, a history event or a coder's state of an item. A line with both an
# alignment and an event is neither (as the line-by-line reader's order of tests has it).
_KIND = """CASE
    WHEN NOT json_valid(line) OR substr(ltrim(line), 1, 1) != '{' THEN 'bad'
    WHEN json_type(line, '$.annotator_labels') IS NOT NULL THEN 'header'
    WHEN json_type(line, '$.correction') IS NOT NULL THEN 'correction'
    WHEN json_type(line, '$.alignment') IS NOT NULL OR json_type(line, '$.alignment_event') IS NOT NULL
         THEN (CASE WHEN json_type(line, '$.event') IS NULL THEN 'alignment' ELSE 'neither' END)
    WHEN json_type(line, '$.event') IS NOT NULL THEN 'event'
    ELSE 'state' END"""


def _names(columns: tuple[tuple[str, str], ...]) -> str:
    return ", ".join(name for name, _sql in columns)


def _values(columns: tuple[tuple[str, str], ...]) -> str:
    return ", ".join(sql for _name, sql in columns)


# A label entry's value as JSON text (json_each gives text unquoted and true/false as 1/0).
_ENTRY_JSON = """CASE j.type WHEN 'text' THEN json_quote(j.value) WHEN 'null' THEN 'null' WHEN 'true' THEN 'true'
                 WHEN 'false' THEN 'false' ELSE CAST(j.value AS TEXT) END"""


def _temp_only(method: Callable[..., Any]) -> Callable[..., Any]:
    """Writes to TEMP tables only: Python's sqlite3 opens a transaction before them, which is
    ended here (committing nothing of the project) so that the merge's own transaction is the
    outermost one, not a savepoint of this."""

    @functools.wraps(method)
    def run(self: Staging, *args: Any, **kwargs: Any) -> Any:
        was = self._conn.in_transaction
        try:
            return method(self, *args, **kwargs)
        finally:
            if not was and self._conn.in_transaction:
                self._conn.commit()

    return run


class Staging(Part):
    """One label file at a time, under a number (``k``) so that several can be staged before
    the first is merged (a bad second file must stop the command before anything is written)."""

    @_temp_only
    def stage(self, k: int, lines: Iterable[tuple[int, str]], *, expected_bytes: int = 0) -> None:
        """The file's non-blank lines (number, text) into TEMP tables: its header lines, its
        event lines and its state lines, each member as JSON text. ``expected_bytes``: how much the
        merge may stage in all, which decides TEMP's page size if this file is its first."""
        q = self._conn.execute
        # Three label files of 100,000 items stage some 700 MB of TEMP rows, past any cache:
        # SQLite moves them to and from its temporary file a page at a time, a system call each.
        # 64 KiB pages instead of 4 KiB make a sixteenth of those calls, in less memory (merging
        # 900,000 labels, bench_commands' merge_cmd_s: 49.9 s, 165 MB -> 44.1 s, 137 MB).
        # A small merge keeps SQLite's pages: each TEMP table takes a page at least, and a
        # merge's two dozen of 64 KiB would make it need more room on the disk, for nothing.
        # SQLite takes the size only before the connection's TEMP database exists, and staging
        # makes its first table.
        if expected_bytes > LARGE_STAGING_BYTES:
            q(f"PRAGMA temp.page_size = {TEMP_PAGE_SIZE}")
        q("PRAGMA temp.cache_size = -65536")
        self.drop(k)
        q("DROP TABLE IF EXISTS temp.merge_lines")
        q("CREATE TEMP TABLE merge_lines(n INTEGER PRIMARY KEY, line TEXT NOT NULL)")
        self._conn.executemany("INSERT INTO temp.merge_lines(n, line) VALUES (?, ?)", lines)
        # What each line is, from one parse of it (SQLite keeps a statement's last few parses, so
        # the tests below read one parse; a line is parsed once more, by ``split``, for its members).
        q("DROP TABLE IF EXISTS temp.merge_kinds")
        q("CREATE TEMP TABLE merge_kinds(n INTEGER PRIMARY KEY, kind TEXT NOT NULL)")
        q(f"INSERT INTO temp.merge_kinds SELECT n, {_KIND} FROM temp.merge_lines")

    def first_unparsed(self) -> int | None:
        """The first staged line that is not one JSON object, or None (SQLite refuses, as Python's
        reader does, a raw control character in a string, NaN and Infinity)."""
        return self._conn.execute("SELECT min(n) FROM temp.merge_kinds WHERE kind = 'bad'").fetchone()[0]

    def holds_corrections(self) -> bool:
        """Whether a staged line is a correction of an item (a label file of format 3): such a file
        is for the line-by-line reader, which applies the corrections before the labels."""
        return self._conn.execute("SELECT 1 FROM temp.merge_kinds WHERE kind = 'correction' LIMIT 1").fetchone() is not None

    @_temp_only
    def split(self, k: int) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
        """The staged lines taken apart into ``merge_events_k`` and ``merge_states_k``; returns the
        header lines and the hand alignments' lines (number, text), few, which the caller reads."""
        q = self._conn.execute
        of_kind = "SELECT n, line FROM temp.merge_lines JOIN temp.merge_kinds USING (n) WHERE kind = ? ORDER BY n"
        headers, alignments = q(of_kind, ["header"]).fetchall(), q(of_kind, ["alignment"]).fetchall()
        # The line number is each table's rowid: apply joins and orders the events by it.
        q(f"CREATE TEMP TABLE merge_events_{k}(n INTEGER PRIMARY KEY, {_names(_EVENT_COLUMNS)})")
        q(f"""INSERT INTO temp.merge_events_{k} SELECT n, {_values(_EVENT_COLUMNS)}
              FROM temp.merge_lines JOIN temp.merge_kinds USING (n) WHERE kind = 'event'""")
        # A state line's item is looked up once, here (NULL: the project lacks it), not by each
        # query that reads its labels, fields and seconds.
        q(f"CREATE TEMP TABLE merge_states_{k}(n INTEGER PRIMARY KEY, {_names(_STATE_COLUMNS)}, item_id INT)")
        q(f"""INSERT INTO temp.merge_states_{k} SELECT n, {_values(_STATE_COLUMNS)}, i.id
              FROM temp.merge_lines JOIN temp.merge_kinds m USING (n) LEFT JOIN main.items i ON i.uid = line ->> '$.uid'
              WHERE m.kind = 'state'""")
        q("DROP TABLE temp.merge_kinds")
        q("DROP TABLE temp.merge_lines")
        return headers, alignments

    @_temp_only
    def drop(self, k: int) -> None:
        for name in ("events", "states", "entries", "times", "values", "suggested", "ev", "in_labels",
                     "in_ann", "in_seconds", "latest", "plan_labels", "plan_ann",
                     "theirs", "cmp", "out", "afield", "ataken", "newest",
                     "arows", "aevents"):
            self._conn.execute(f"DROP TABLE IF EXISTS temp.merge_{name}_{k}")

    # -- what is checked line by line elsewhere, here once per distinct value ------------------

    def first_misshapen(self, k: int) -> int | None:
        """The first line lacking what any record needs (a text item uid; an event object with
        uid, coder, field and at, its uid 1-200 characters; a state's coder), or None."""
        return self._conn.execute(f"""
            SELECT min(n) FROM (
              SELECT n FROM temp.merge_events_{k} WHERE item_t IS NOT 'text' OR etype IS NOT 'object'
                  OR uid IS NULL OR coder IS NULL OR field IS NULL OR at IS NULL OR json_type(uid) != 'text'
                  OR length(uid ->> '$') NOT BETWEEN 1 AND 200
                  OR coalesce(json_type(ref), 'null') NOT IN ('null', 'text')
                  OR coalesce(json_type(operation), 'null') NOT IN ('null', 'text')
              UNION ALL
              SELECT n FROM temp.merge_states_{k} WHERE item_t IS NOT 'text' OR coder IS NULL)""").fetchone()[0]

    def event_shapes(self, k: int) -> list[tuple[str, str, str, str, str | None, str | None]]:
        """Distinct (coder, field, before, after, action, seconds) of the events, as JSON texts."""
        return self._conn.execute(
            f"SELECT DISTINCT coder, field, before, after, action, seconds FROM temp.merge_events_{k}").fetchall()

    def state_shapes(self, k: int) -> list[tuple[Any, ...]]:
        """Distinct (coder, labels if not an object, note, flag, done, seconds) of the state lines."""
        return self._conn.execute(f"""
            SELECT DISTINCT coder, CASE WHEN json_type(labels) = 'object' THEN NULL ELSE labels END,
                   note, flag, done, seconds FROM temp.merge_states_{k}""").fetchall()

    @_temp_only
    def entries(self, k: int) -> list[tuple[str, str]]:
        """Distinct (scheme, value as JSON text) of the state lines' labels."""
        q = self._conn.execute
        q(f"""CREATE TEMP TABLE merge_entries_{k} AS
              SELECT s.n, s.item, s.item_id, s.coder ->> '$' AS coder, j.key AS scheme, {_ENTRY_JSON} AS raw
              FROM temp.merge_states_{k} s, json_each(s.labels) j WHERE json_type(s.labels) = 'object'""")
        return q(f"SELECT DISTINCT scheme, raw FROM temp.merge_entries_{k}").fetchall()

    def times(self, k: int) -> list[tuple[str, int]]:
        """Distinct times (JSON text), each with whether an event gives it (1) or state lines only
        (0): a time both give is checked once, as an event's (the stricter check; a time either
        check takes reads the same)."""
        return self._conn.execute(
            f"""SELECT j, max(from_event) FROM (SELECT at AS j, 1 AS from_event FROM temp.merge_events_{k} UNION ALL
                SELECT updated_at, 0 FROM temp.merge_states_{k} WHERE updated_at IS NOT NULL) GROUP BY j""").fetchall()

    def suggestions(self, k: int) -> list[str]:
        return [r[0] for r in self._conn.execute(
            f"SELECT DISTINCT suggested FROM temp.merge_events_{k} WHERE suggested IS NOT NULL AND suggested != 'null'")]

    @_temp_only
    def keep_maps(self, k: int, times: Iterable[tuple[str, str, str]], values: Iterable[tuple[str, str, str | None, str | None]],
                  suggested: Iterable[tuple[str, str]]) -> None:
        """What the checks made of each distinct value: a time's text and its sortable UTC key
        (``merge.state.ts``); a label value's stored form (``scheme, raw, canonical, comparable``; a
        history row's value under scheme ''); the suggestions' stored text."""
        q, ex = self._conn.execute, self._conn.executemany
        q(f"CREATE TEMP TABLE merge_times_{k}(j TEXT PRIMARY KEY, at TEXT, key TEXT) WITHOUT ROWID")
        ex(f"INSERT OR IGNORE INTO temp.merge_times_{k} VALUES (?, ?, ?)", times)
        q(f"CREATE TEMP TABLE merge_values_{k}(scheme TEXT, raw TEXT, canon TEXT, same TEXT, PRIMARY KEY (scheme, raw))"
          " WITHOUT ROWID")
        ex(f"INSERT OR REPLACE INTO temp.merge_values_{k} VALUES (?, ?, ?, ?)", values)
        q(f"CREATE TEMP TABLE merge_suggested_{k}(raw TEXT PRIMARY KEY, text TEXT) WITHOUT ROWID")
        ex(f"INSERT INTO temp.merge_suggested_{k} VALUES (?, ?)", suggested)

    @_temp_only
    def keep_alignments(self, k: int, rows: list[tuple[Any, ...]], events: list[tuple[Any, ...]]) -> None:
        """The file's hand alignments and their history, checked, for ``apply``."""
        self._conn.execute(f"CREATE TEMP TABLE merge_arows_{k}(english, chinese, coder, at)")
        self._conn.executemany(f"INSERT INTO temp.merge_arows_{k} VALUES (?, ?, ?, ?)", rows)
        self._conn.execute(f"CREATE TEMP TABLE merge_aevents_{k}(item_uid, before, after, coder, at)")
        self._conn.executemany(f"INSERT INTO temp.merge_aevents_{k} VALUES (?, ?, ?, ?, ?)", events)

    # -- the project against the file ---------------------------------------------------------

    @_temp_only
    def prepare(self, k: int) -> dict[str, Any]:
        """The file's states as ``merge.bulk`` reads the label file format (its last state record
        per field, each field's newest event), for the items the project has. Returns what the
        checks before the plan need: coders, matched and unmatched records, the first state
        without a history event, the incoming uids the project retired."""
        q = self._conn.execute
        # Declared as CREATE ... AS would (item_id INT, the times TEXT): the joins on them use indexes.
        q(f"CREATE TEMP TABLE merge_ev_{k}(n INTEGER PRIMARY KEY, item, item_id INT, coder, field, cleared, at TEXT, key TEXT)")
        q(f"""INSERT INTO temp.merge_ev_{k}
              SELECT e.n, e.item, i.id AS item_id, e.coder ->> '$' AS coder, e.field ->> '$' AS field,
                     e.after = 'null' AS cleared, t.at, t.key
              FROM temp.merge_events_{k} e JOIN temp.merge_times_{k} t ON t.j = e.at
              LEFT JOIN main.items i ON i.uid = e.item""")
        # Each field's newest event (later in the file on equal times, as the reader replays it):
        # the row of the largest (time, line), with max()'s bare columns.
        q(f"""CREATE TEMP TABLE merge_latest_{k} AS
              SELECT item, item_id, coder, field, cleared, at, key,
                     max(key || char(1) || printf('%012d', n)) AS newest
              FROM temp.merge_ev_{k} WHERE item_id IS NOT NULL GROUP BY item_id, coder, field""")
        q(f"CREATE UNIQUE INDEX temp.merge_latest_{k}_key ON merge_latest_{k}(item_id, coder, field)")
        # A label of a state record: the last record's value wins, a null is no state at all.
        q(f"""CREATE TEMP TABLE merge_in_labels_{k} AS
              SELECT x.item_id, x.coder, x.scheme, v.canon AS value, v.same, max(x.n) AS n
              FROM temp.merge_entries_{k} x JOIN temp.merge_values_{k} v ON v.scheme = x.scheme AND v.raw = x.raw
              WHERE x.item_id IS NOT NULL AND v.canon IS NOT NULL GROUP BY x.item_id, x.coder, x.scheme""")
        # An annotation field a state record gives (not null), the last record's, as the store
        # keeps it (text, 0/1); with the record's time.
        fields = " UNION ALL ".join(
            f"SELECT '@{name}' AS field, s.{name} AS j, s.n, s.item_id, s.coder, s.updated_at FROM temp.merge_states_{k} s"
            for name in ("note", "flag", "done"))
        q(f"""CREATE TEMP TABLE merge_in_ann_{k} AS
              SELECT f.item_id, f.coder ->> '$' AS coder, f.field,
                     CASE f.field WHEN '@note' THEN f.j ->> '$' ELSE f.j = 'true' END AS value,
                     coalesce(t.at, '') AS at, coalesce(t.key, '') AS key, max(f.n) AS n
              FROM ({fields}) f LEFT JOIN temp.merge_times_{k} t ON t.j = f.updated_at
              WHERE f.item_id IS NOT NULL AND f.j IS NOT NULL AND f.j != 'null'
              GROUP BY f.item_id, f.coder ->> '$', f.field""")
        q(f"""CREATE TEMP TABLE merge_in_seconds_{k} AS
              SELECT s.item_id, s.coder ->> '$' AS coder, CAST(s.seconds ->> '$' AS REAL) AS seconds, max(s.n)
              FROM temp.merge_states_{k} s
              WHERE s.item_id IS NOT NULL AND s.seconds IS NOT NULL AND s.seconds != 'null'
              GROUP BY s.item_id, s.coder ->> '$'""")
        counts = q(f"""SELECT
              (SELECT count(*) FROM temp.merge_ev_{k} WHERE item_id IS NULL)
              + (SELECT count(*) FROM temp.merge_states_{k} WHERE item_id IS NULL),
              (SELECT count(*) FROM temp.merge_ev_{k} WHERE item_id IS NOT NULL)
              + (SELECT count(*) FROM temp.merge_states_{k} WHERE item_id IS NOT NULL)""").fetchone()
        coders = {r[0] for r in q(f"""SELECT coder FROM temp.merge_ev_{k} WHERE item_id IS NOT NULL UNION
                                      SELECT coder ->> '$' FROM temp.merge_states_{k} WHERE item_id IS NOT NULL""")}
        unevented = q(f"""SELECT min(n) FROM (
              SELECT l.n FROM temp.merge_in_labels_{k} l WHERE NOT EXISTS (SELECT 1 FROM temp.merge_latest_{k} e
                  WHERE e.item_id = l.item_id AND e.coder = l.coder AND e.field = l.scheme)
              UNION ALL
              SELECT a.n FROM temp.merge_in_ann_{k} a
              WHERE a.value IS NOT (CASE a.field WHEN '@note' THEN '' ELSE 0 END) AND NOT EXISTS (
                  SELECT 1 FROM temp.merge_latest_{k} e
                  WHERE e.item_id = a.item_id AND e.coder = a.coder AND e.field = a.field))""").fetchone()[0]
        return {"unmatched": counts[0], "matched": counts[1], "coders": coders, "unevented": unevented}

    def names_retired(self, k: int) -> bool:
        """Whether a record of the file names an item a correction retired."""
        return bool(self._conn.execute(
            f"""SELECT EXISTS (SELECT 1 FROM temp.merge_events_{k} WHERE item IN (SELECT uid FROM main.retired_items))
                OR EXISTS (SELECT 1 FROM temp.merge_states_{k} WHERE item IN (SELECT uid FROM main.retired_items))"""
        ).fetchone()[0])

    def our_values(self, coders: Iterable[str]) -> list[tuple[str, str]]:
        """Distinct (scheme, value) of the project's labels of these coders."""
        args = sorted(coders)
        return self._conn.execute(
            f"SELECT DISTINCT scheme, value FROM labels WHERE coder IN ({', '.join('?' * len(args))})", args).fetchall()

    @_temp_only
    def plan(self, k: int, ours: Iterable[tuple[str, str, str]], ts_key: Callable[[str | None], str],
             merge_time: str) -> dict[str, int]:
        """``merge.plan``'s decision table over the staged file: the label rows and annotation
        rows to write into ``merge_plan_labels_k`` / ``merge_plan_ann_k``, and the counts.

        ``ours``: (scheme, stored value, its comparable form) of the project's values;
        ``ts_key``: a time as a sortable UTC key (the project's times, which may be in any ISO form).
        """
        q = self._conn.execute
        q("DROP TABLE IF EXISTS temp.merge_ours")
        q("CREATE TEMP TABLE merge_ours(scheme TEXT, value TEXT, same TEXT, PRIMARY KEY (scheme, value)) WITHOUT ROWID")
        self._conn.executemany("INSERT OR REPLACE INTO temp.merge_ours VALUES (?, ?, ?)", ours)
        self._conn.create_function("merge_ts_key", 1, ts_key, deterministic=True)
        # Their label states: a record's value (its time: the field's newest event), or
        # "no label since" where the newest event cleared a label no record gives.
        q(f"""CREATE TEMP TABLE merge_theirs_{k} AS
              SELECT l.item_id, l.coder, l.scheme, l.value, l.same, e.at, e.key
              FROM temp.merge_in_labels_{k} l JOIN temp.merge_latest_{k} e
                   ON e.item_id = l.item_id AND e.coder = l.coder AND e.field = l.scheme
              UNION ALL
              SELECT e.item_id, e.coder, e.field, NULL, NULL, e.at, e.key FROM temp.merge_latest_{k} e
              WHERE e.cleared AND e.field NOT LIKE '@%' AND NOT EXISTS (SELECT 1 FROM temp.merge_in_labels_{k} l
                  WHERE l.item_id = e.item_id AND l.coder = e.coder AND l.scheme = e.field)""")
        # Our side of each key: the label row, or our newest event where it cleared the label.
        q(f"""CREATE TEMP TABLE merge_cmp_{k} AS
              SELECT t.*, o.value AS mine, o.updated_at AS mine_at, os.same AS mine_same,
                     (SELECT e.after IS NULL FROM main.label_events e WHERE e.item_id = t.item_id
                      AND e.coder = t.coder AND e.field = t.scheme ORDER BY e.at DESC, e.id DESC LIMIT 1) AS our_cleared,
                     (SELECT e.at FROM main.label_events e WHERE e.item_id = t.item_id
                      AND e.coder = t.coder AND e.field = t.scheme ORDER BY e.at DESC, e.id DESC LIMIT 1) AS our_at
              FROM temp.merge_theirs_{k} t
              LEFT JOIN main.labels o ON o.item_id = t.item_id AND o.coder = t.coder AND o.scheme = t.scheme
              LEFT JOIN temp.merge_ours os ON os.scheme = o.scheme AND os.value = o.value""")
        # present: we have a label row, or our newest event cleared it ("no label since").
        q(f"""CREATE TEMP TABLE merge_out_{k} AS SELECT *,
              CASE
                WHEN mine IS NULL AND NOT coalesce(our_cleared, 0) THEN (CASE WHEN value IS NULL THEN 'none' ELSE 'added' END)
                WHEN mine IS NULL AND value IS NULL THEN 'none'
                WHEN mine IS NOT NULL AND value IS NOT NULL AND mine_same = same THEN 'unchanged'
                WHEN key > merge_ts_key(CASE WHEN mine IS NULL THEN our_at ELSE mine_at END)
                     THEN (CASE WHEN mine IS NULL THEN 'conflict-added' ELSE 'conflict-updated' END)
                ELSE 'conflict-kept' END AS outcome
              FROM temp.merge_cmp_{k}""")
        counts = dict(q(f"SELECT outcome, count(*) FROM temp.merge_out_{k} GROUP BY outcome").fetchall())
        q(f"""CREATE TEMP TABLE merge_plan_labels_{k} AS
              SELECT item_id, coder, scheme, value, at FROM temp.merge_out_{k}
              WHERE outcome IN ('added', 'conflict-added', 'conflict-updated')""")
        ann = self._plan_annotations(k, merge_time)
        q(f"DROP TABLE temp.merge_cmp_{k}")
        q(f"DROP TABLE temp.merge_out_{k}")
        q(f"DROP TABLE temp.merge_theirs_{k}")
        return {
            "labels_added": counts.get("added", 0) + counts.get("conflict-added", 0),
            "labels_updated": counts.get("conflict-updated", 0),
            "labels_unchanged": counts.get("unchanged", 0),
            "conflicts_resolved": sum(counts.get(o, 0) for o in ("conflict-added", "conflict-updated", "conflict-kept"))
            + ann["conflicts"],
            "annotations_changed": ann["changed"],
            # the file's hand alignments count only where taking them changes one: merged again,
            # a file finds them here already, and a merge that changes nothing takes no backup
            "writes": self._conn.execute(f"SELECT (SELECT count(*) FROM temp.merge_plan_labels_{k})"
                                         f" + (SELECT count(*) FROM temp.merge_plan_ann_{k})").fetchone()[0]
            + int(self._store.alignments.would_change(q(f"SELECT * FROM temp.merge_arows_{k}").fetchall(), ts_key)),
        }

    def _plan_annotations(self, k: int, merge_time: str) -> dict[str, int]:
        """The annotation half of the decision table: each field (``@note``, ``@flag``, ``@done``)
        compared with our row's, then one row per (item, coder) touched, and seconds spent."""
        q = self._conn.execute
        # Their field: the record's value, its time the field's newest event, else the record's.
        q(f"""CREATE TEMP TABLE merge_afield_{k} AS
              SELECT a.item_id, a.coder, a.field, a.value, coalesce(e.at, a.at) AS at, coalesce(e.key, a.key) AS key,
                     o.item_id IS NOT NULL AS has_row,
                     CASE a.field WHEN '@note' THEN o.note WHEN '@flag' THEN o.flag ELSE o.done END AS mine,
                     CASE a.field WHEN '@note' THEN '' ELSE 0 END AS dflt, o.updated_at AS row_at,
                     (SELECT x.at FROM main.label_events x WHERE x.item_id = a.item_id AND x.coder = a.coder
                      AND x.field = a.field ORDER BY x.at DESC, x.id DESC LIMIT 1) AS our_at
              FROM temp.merge_in_ann_{k} a
              LEFT JOIN temp.merge_latest_{k} e ON e.item_id = a.item_id AND e.coder = a.coder AND e.field = a.field
              LEFT JOIN main.annotations o ON o.item_id = a.item_id AND o.coder = a.coder""")
        q(f"""CREATE TEMP TABLE merge_ataken_{k} AS SELECT *, CASE
                WHEN NOT has_row THEN (CASE WHEN value = dflt THEN 'none'
                    -- no row, but our newest event set it back to nothing later: ours stands
                    WHEN our_at IS NULL OR key > merge_ts_key(our_at) THEN 'taken' ELSE 'kept' END)
                WHEN value = mine THEN 'none'
                WHEN key > merge_ts_key(coalesce(our_at, CASE WHEN mine = dflt THEN '' ELSE row_at END)) THEN 'taken'
                ELSE 'kept' END AS outcome,
                has_row AND mine != dflt AS conflict
              FROM temp.merge_afield_{k}""")
        conflicts = q(f"""SELECT count(*) FROM temp.merge_ataken_{k} WHERE outcome != 'none' AND conflict""").fetchone()[0]
        changed = q(f"SELECT count(*) FROM temp.merge_ataken_{k} WHERE outcome = 'taken'").fetchone()[0]
        q(f"""CREATE TEMP TABLE merge_newest_{k} AS SELECT item_id, coder, at, max(key) FROM temp.merge_ataken_{k}
              WHERE outcome = 'taken' GROUP BY item_id, coder""")
        q(f"CREATE UNIQUE INDEX temp.merge_newest_{k}_key ON merge_newest_{k}(item_id, coder)")
        # One row per (item, coder) touched: the fields taken, ours for the rest; the larger seconds;
        # the later of our row's time and the newest field taken.
        q(f"""CREATE TEMP TABLE merge_plan_ann_{k} AS
              SELECT t.item_id, t.coder,
                     coalesce(max(CASE WHEN t.field = '@note' THEN t.value END), o.note, '') AS note,
                     coalesce(max(CASE WHEN t.field = '@flag' THEN t.value END), o.flag, 0) AS flag,
                     coalesce(max(CASE WHEN t.field = '@done' THEN t.value END), o.done, 0) AS done,
                     max(coalesce(o.seconds, 0), coalesce(s.seconds, 0)) AS seconds,
                     o.updated_at AS row_at, n.at AS updated_at
              FROM temp.merge_ataken_{k} t
              JOIN temp.merge_newest_{k} n ON n.item_id = t.item_id AND n.coder = t.coder
              LEFT JOIN main.annotations o ON o.item_id = t.item_id AND o.coder = t.coder
              LEFT JOIN temp.merge_in_seconds_{k} s ON s.item_id = t.item_id AND s.coder = t.coder
              WHERE t.outcome = 'taken' GROUP BY t.item_id, t.coder""")
        q(f"CREATE UNIQUE INDEX temp.merge_plan_ann_{k}_key ON merge_plan_ann_{k}(item_id, coder)")
        # "latest or merge_time", then the later of that and our row's time.
        q(f"""UPDATE temp.merge_plan_ann_{k} SET updated_at = CASE
                  WHEN updated_at IS NULL OR updated_at = '' THEN ? ELSE updated_at END""", [merge_time])
        q(f"""UPDATE temp.merge_plan_ann_{k} SET updated_at = row_at
              WHERE row_at IS NOT NULL AND merge_ts_key(row_at) >= merge_ts_key(updated_at)""")
        # Seconds spent on an item whose fields did not change still count (the larger total).
        q(f"""INSERT INTO temp.merge_plan_ann_{k}(item_id, coder, note, flag, done, seconds, updated_at)
              SELECT s.item_id, s.coder, coalesce(o.note, ''), coalesce(o.flag, 0), coalesce(o.done, 0), s.seconds,
                     coalesce(o.updated_at, ?)
              FROM temp.merge_in_seconds_{k} s LEFT JOIN main.annotations o ON o.item_id = s.item_id AND o.coder = s.coder
              WHERE NOT EXISTS (SELECT 1 FROM temp.merge_plan_ann_{k} p WHERE p.item_id = s.item_id AND p.coder = s.coder)
                AND (CASE WHEN o.item_id IS NULL THEN s.seconds > 0 ELSE s.seconds > o.seconds END)""", [merge_time])
        q(f"DROP TABLE temp.merge_newest_{k}")
        q(f"DROP TABLE temp.merge_afield_{k}")
        q(f"DROP TABLE temp.merge_ataken_{k}")
        return {"conflicts": conflicts, "changed": changed}

    def _tallied(self, k: int) -> contextlib.AbstractContextManager[None]:
        """The writes of the planned rows with m017's tally triggers, or, for a write as large as
        what its coders hold already, with the tallies recounted once after (``store.tallies``)."""
        coders = [r[0] for r in self._conn.execute(
            f"SELECT coder FROM temp.merge_plan_labels_{k} UNION SELECT coder FROM temp.merge_plan_ann_{k}")]
        rows = self._conn.execute(f"SELECT (SELECT count(*) FROM temp.merge_plan_labels_{k})"
                                  f" + (SELECT count(*) FROM temp.merge_plan_ann_{k})").fetchone()[0]
        if not worth_recounting(self._conn, coders, rows):
            return contextlib.nullcontext()
        return recounted(self._conn, coders)

    def apply(self, k: int, when: Callable[[str], str]) -> tuple[int, int, int]:
        """Write the planned rows, every matched event of the file and its hand alignments
        (``store.alignments.take``; ``when``: a time made comparable), in ONE transaction; returns
        the history events new to the project (an event already there is skipped) and the hand
        alignments taken and not taken."""
        q = self._conn.execute
        refused = f"{self.path}: the merge would break the database's integrity ({{error}}); nothing was merged"
        with self._store.transaction(refused=refused):
            with self._tallied(k):
                q(f"""INSERT INTO labels(item_id, coder, scheme, value, created_at, updated_at)
                      SELECT item_id, coder, scheme, value, at, at FROM temp.merge_plan_labels_{k}
                      WHERE value IS NOT NULL ORDER BY item_id, coder, scheme
                      ON CONFLICT(item_id, coder, scheme) DO UPDATE SET value = excluded.value,
                      updated_at = excluded.updated_at""")
                q(f"""DELETE FROM labels WHERE (item_id, coder, scheme) IN
                      (SELECT item_id, coder, scheme FROM temp.merge_plan_labels_{k} WHERE value IS NULL)""")
                q(f"""INSERT INTO annotations(item_id, coder, note, flag, done, seconds, updated_at)
                      SELECT item_id, coder, note, flag, done, seconds, updated_at FROM temp.merge_plan_ann_{k}
                      WHERE true ORDER BY item_id, coder
                      ON CONFLICT(item_id, coder) DO UPDATE SET note = excluded.note, flag = excluded.flag,
                      done = excluded.done, seconds = excluded.seconds, updated_at = excluded.updated_at""")
            before = self._conn.total_changes
            q(f"""INSERT OR IGNORE INTO label_events(uid, item_id, coder, field, before, after, action, ref, at,
                                                     seconds, operation, suggested)
                  SELECT e.uid ->> '$', x.item_id, x.coder, x.field, vb.canon, va.canon,
                         coalesce(e.action ->> '$', 'set'), NULL, x.at,
                         CASE WHEN json_type(e.seconds) IN ('integer', 'real') THEN CAST(e.seconds ->> '$' AS REAL)
                              ELSE 0.0 END,
                         e.operation ->> '$', sg.text
                  FROM temp.merge_events_{k} e JOIN temp.merge_ev_{k} x ON x.n = e.n
                  JOIN temp.merge_values_{k} vb ON vb.scheme = '' AND vb.raw = e.before
                  JOIN temp.merge_values_{k} va ON va.scheme = '' AND va.raw = e.after
                  LEFT JOIN temp.merge_suggested_{k} sg ON sg.raw = e.suggested
                  WHERE x.item_id IS NOT NULL ORDER BY e.n""")
            events = self._conn.total_changes - before
            q(f"""UPDATE label_events SET ref = r.id
                  FROM temp.merge_events_{k} e JOIN temp.merge_ev_{k} x ON x.n = e.n
                  JOIN main.label_events r ON r.uid = e.ref ->> '$'
                  WHERE x.item_id IS NOT NULL AND json_type(e.ref) = 'text'
                    AND label_events.uid = e.uid ->> '$' AND label_events.ref IS NULL""")
            taken, kept = self._store.alignments.take(
                q(f"SELECT * FROM temp.merge_arows_{k}").fetchall(), q(f"SELECT * FROM temp.merge_aevents_{k}").fetchall(),
                when)
            self._store.corrections.look_again_after_merge(
                [c for (c,) in q(f"SELECT DISTINCT coder FROM temp.merge_plan_ann_{k}")], when)
        return events, taken, kept
