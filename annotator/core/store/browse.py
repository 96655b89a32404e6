"""One coder's view of the project for the coding window: filters, lists, counts, next.

Status and option filters read only this coder's own labels, never another
coder's (blind coding). Lists of a million items are never a list of a million
Python ints, and counts are driven by the coder's own (small) label set.

An item the coder marked done counts as done only while it is complete under the
codebook in force: a required scheme added later (``annotator codebook --set``)
reopens it -- status "incomplete", counted as not labelled, "next" comes back to
it -- until the coder gives that scheme a value and marks it done again. This is
computed from the codebook, not written: the coder's done mark stays as they
pressed it, and a codebook that drops the requirement again gives it back.
"""

from __future__ import annotations

import json
import sqlite3
from array import array
from bisect import bisect_left
from collections.abc import Callable, Sequence
from typing import Any

from annotator.core.codebook import Codebook
from annotator.core.errors import AnnotatorError
from annotator.core.filters import ORDERS, Filter, search_terms, status_rank
from annotator.core.name_groups import OUTLET, SPOKESPERSON
from annotator.core.records import ListRow, history_field
from annotator.core.store.corrections import look_again_sql
from annotator.core.store.errors import sql_errors
from annotator.core.store.orders import ColumnOrder, SortedIds, StatusOrder
from annotator.core.store.part import Part


def complete_sql(codebook: Codebook) -> str | None:
    """SQL that is true when annotation ``a`` of item ``i`` has a value for every required scheme
    that applies to the item's kind -- ``Scheme.satisfied`` for the list and counts; None when
    the codebook requires nothing. Scheme names and kinds are validated identifiers."""
    parts = []
    for s in codebook.schemes:
        if not s.required:
            continue
        kinds = ", ".join(f"'{k}'" for k in s.applies_to)
        nonempty = " AND l.value != '[]'" if s.multi else ""
        parts.append(
            f"(i.kind NOT IN ({kinds}) OR EXISTS (SELECT 1 FROM labels l WHERE l.item_id = a.item_id "
            f"AND l.coder = a.coder AND l.scheme = '{s.name}'{nonempty}))"
        )
    return " AND ".join(parts) or None


def incomplete_sql(codebook: Codebook) -> str | None:
    """SELECT of (item_id, coder) of every done mark that the codebook reopens (see the module)."""
    complete = complete_sql(codebook)
    if complete is None:
        return None
    return f"SELECT a.item_id, a.coder FROM annotations a JOIN items i ON i.id = a.item_id WHERE a.done AND NOT ({complete})"


def labelled_sql(codebook: Codebook, coder: str) -> tuple[str, list[Any]]:
    """The items this coder has labelled or marked done (and not reopened), as a subquery over
    their own rows, with its arguments."""
    sql = "SELECT item_id FROM labels WHERE coder = ? UNION SELECT item_id FROM annotations WHERE coder = ? AND done"
    args: list[Any] = [coder, coder]
    reopened = incomplete_sql(codebook)
    if reopened is not None:
        sql += f" EXCEPT SELECT item_id FROM ({reopened} AND a.coder = ?)"
        args.append(coder)
    return sql, args


def filter_sql(flt: Filter, coder: str, codebook: Codebook, spellings: Callable[[str, str], list[str]], *,
               unlabelled_only: bool = False) -> tuple[str, list[Any]]:
    """The WHERE clause (over ``items``) for one coder's filter; ``spellings(column, name)`` gives
    the values an outlet or spokesperson filter matches (``Items.spellings``)."""
    where: list[str] = []
    args: list[Any] = []
    labelled, labelled_args = labelled_sql(codebook, coder)
    if flt.status == "labelled":
        where.append(f"items.id IN ({labelled})")
        args += labelled_args
    elif flt.status == "flagged":
        where.append("items.id IN (SELECT item_id FROM annotations WHERE coder = ? AND flag)")
        args.append(coder)
    elif flt.status == "look again":
        where.append(f"items.id IN (SELECT item_id FROM ({look_again_sql('e.coder = ?')}))")
        args += [history_field("done"), coder]
    if flt.status == "unlabelled" or unlabelled_only:
        where.append(f"items.id NOT IN ({labelled})")
        args += labelled_args
    for column, name in ((OUTLET, flt.outlet), (SPOKESPERSON, flt.spokesperson)):
        if name:
            names = spellings(column, name)
            where.append(f"items.{column} IN ({', '.join('?' * len(names))})")
            args += names
    if flt.date_from:
        where.append("items.date >= ?")
        args.append(flt.date_from)
    if flt.date_to:
        # '2021-12' as an upper bound means the whole of December
        where.append("items.date <= ?")
        args.append(flt.date_to + "\uffff")
    if flt.option:
        scheme, value = flt.option.split(":", 1)
        where.append(
            "items.id IN (SELECT item_id FROM labels WHERE coder = ? AND scheme = ? "
            "AND EXISTS (SELECT 1 FROM json_each(labels.value) j WHERE j.value = ?))"
        )
        args += [coder, scheme, value]
    if flt.search:
        query, cjk = search_terms(flt.search)
        if query is not None:
            where.append("items.id IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ?)")
            args.append(query)
        for word in cjk:  # read from the item's text: no token of the index (``search_terms``)
            where.append("(instr(items.question, ?) OR instr(items.answer, ?))")
            args += [word, word]
    if flt.assigned:
        where.append("items.id IN (SELECT item_id FROM assignments WHERE coder = ?)")
        args.append(coder)
    return (" AND ".join(where) or "1"), args


SNIPPET_CHARS = 90  # of the question, for the item list (the row is one line; the rest is elided)
ORDER_COLUMNS = {"date": "date", "outlet": "outlet_norm", "spokesperson": "spokesperson_norm"}  # each indexed


def _in_ascending(ids: Sequence[int], item_id: int) -> bool:
    at = bisect_left(ids, item_id)
    return at < len(ids) and ids[at] == item_id


class Browse(Part):
    """``store.browse``: which items a coder walks through, how many, what comes next."""

    def _query(self, sql: str, args: list[Any]) -> sqlite3.Cursor:
        with sql_errors(self.path):
            try:
                return self._conn.execute(sql, args)
            except sqlite3.OperationalError as e:
                # A search the full-text index cannot parse is the coder's to rephrase, not a database failure.
                if "fts5" in str(e):
                    raise AnnotatorError(f"search: cannot search for that ({e})") from None
                raise

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
            done = {r[0] for r in self._query(*labelled_sql(self._store.codebook(), coder))}
            return array("q", (i for i in ids if i not in done)) if done else ids
        if flt.is_empty:
            # three queries, not one: each alone is an index lookup, together a full scan
            low = self._query("SELECT min(id) FROM items", []).fetchone()[0]
            high = self._query("SELECT max(id) FROM items", []).fetchone()[0]
            n = self._store.items.count()
            if n == 0:
                return range(0)
            if high - low + 1 == n:
                return range(low, high + 1)
        where, args = filter_sql(flt, coder, self._store.codebook(), self._store.items.spellings)
        cur = self._query(f"SELECT id FROM items WHERE {where} ORDER BY id", args)
        ids = array("q")
        while True:
            rows = cur.fetchmany(65536)
            if not rows:
                return ids
            ids.extend(r[0] for r in rows)

    def sorted_ids(self, flt: Filter, coder: str, order: str) -> SortedIds:
        """The items of ``flt`` in ``order`` (one of ``filters.ORDERS`` but "import"), read as they
        are shown (``store/orders.py``): a column order from the column's index a page at a time,
        its rows counted; "status" takes this coder's statuses as they are now (few items: the
        ones they touched), so the order stays the list's while they code on."""
        if order not in ORDERS or order == "import":
            raise ValueError(f"unknown order {order!r}")
        if order == "status":
            return self._by_status(coder, self.item_ids(flt, coder))
        where, args = filter_sql(flt, coder, self._store.codebook(), self._store.items.spellings)
        length = self._store.items.count() if flt.is_empty else self.count(flt, coder)
        return ColumnOrder(self._query, ORDER_COLUMNS[order], where, args, length)

    def _by_status(self, coder: str, ids: Sequence[int]) -> StatusOrder:
        touched = [r[0] for r in self._query(
            "SELECT item_id FROM labels WHERE coder = ? UNION SELECT item_id FROM annotations WHERE coder = ?",
            [coder, coder])]
        inside = [i for i in touched if _in_ascending(ids, i)]
        ranks = {i: r for i, row in self.list_rows(inside, coder).items() if (r := status_rank(row.status))}
        return StatusOrder(ids, ranks)

    def labelled_ids(self, coder: str) -> set[int]:
        """The items this coder has labelled or marked done (and not reopened): theirs, so few."""
        return {r[0] for r in self._query(*labelled_sql(self._store.codebook(), coder))}

    def count(self, flt: Filter, coder: str) -> int:
        where, args = filter_sql(flt, coder, self._store.codebook(), self._store.items.spellings)
        return self._query(f"SELECT count(*) FROM items WHERE {where}", args).fetchone()[0]

    def count_labelled(self, flt: Filter, coder: str) -> int:
        """Items in ``flt`` this coder has labelled or marked done; driven by the coder's own (small) label set."""
        codebook = self._store.codebook()
        where, args = filter_sql(flt, coder, codebook, self._store.items.spellings)
        labelled, labelled_args = labelled_sql(codebook, coder)
        return self._query(
            f"SELECT count(*) FROM items WHERE items.id IN ({labelled}) AND {where}", [*labelled_args, *args]
        ).fetchone()[0]

    def next_unlabelled(self, flt: Filter, coder: str, after_id: int) -> int | None:
        """The first item after ``after_id`` in ``flt`` that this coder has not labelled (or whose
        done mark a required scheme reopened), wrapping round once."""
        found = self.next_unlabelled_ids(flt, coder, after_id, 1)
        return found[0] if found else None

    def next_unlabelled_ids(self, flt: Filter, coder: str, after_id: int, limit: int) -> list[int]:
        """Up to ``limit`` of the items ``next_unlabelled`` would give one after the other: those
        after ``after_id``, then, wrapping round, those before it (what an active order chooses from)."""
        where, args = filter_sql(flt, coder, self._store.codebook(), self._store.items.spellings,
                                 unlabelled_only=True)
        out: list[int] = []
        for clause, bound in (("items.id > ?", after_id), ("items.id < ?", after_id)):
            if len(out) >= limit:
                break
            out.extend(r[0] for r in self._query(
                f"SELECT id FROM items WHERE {clause} AND {where} ORDER BY id LIMIT ?", [bound, *args, limit - len(out)]
            ))
        return out

    def list_rows(self, ids: list[int], coder: str) -> dict[int, ListRow]:
        """Date, outlet, spokesperson, this coder's status, the start of the question and this
        coder's own labels for the item list, by id. The status is "done", "incomplete" (done,
        but a required scheme added since has no value), "look again" (a split or merge changed
        it after the coder labelled it), "labelled", or ""."""
        complete = complete_sql(self._store.codebook()) or "1"
        wanted = json.dumps(list(ids))
        cur = self._query(
            f"""SELECT i.id, coalesce(i.date, ''), coalesce(i.outlet, ''), coalesce(i.spokesperson, ''),
                      EXISTS (SELECT 1 FROM labels l WHERE l.item_id = i.id AND l.coder = ?),
                      coalesce(a.done, 0), coalesce(a.flag, 0), coalesce(a.done AND {complete}, 0),
                      EXISTS ({look_again_sql('e.item_id = i.id AND e.coder = ?')}),
                      substr(coalesce(nullif(i.question, ''), i.answer, ''), 1, {SNIPPET_CHARS})
               FROM items i LEFT JOIN annotations a ON a.item_id = i.id AND a.coder = ?
               WHERE i.id IN (SELECT value FROM json_each(?))""",
            [coder, history_field("done"), coder, coder, wanted],
        )
        labels: dict[int, list[tuple[str, Any]]] = {}
        for item_id, scheme, value in self._query(
            "SELECT item_id, scheme, value FROM labels WHERE coder = ? AND item_id IN (SELECT value FROM json_each(?))",
            [coder, wanted],
        ):
            labels.setdefault(item_id, []).append((scheme, json.loads(value)))
        out = {}
        for item_id, date, outlet, spokesperson, has_labels, done, flag, complete_done, again, question in cur:
            status = ("done" if complete_done else "incomplete" if done else "look again" if again
                      else "labelled" if has_labels else "")
            if flag:
                status = f"{status}, unsure" if status else "unsure"
            snippet = " ".join(question.split())
            out[item_id] = ListRow(date, outlet, spokesperson, status, snippet, tuple(labels.get(item_id, ())))
        return out

    def progress(self, coder: str) -> dict[str, Any]:
        """This coder's own figures only: items labelled and seconds spent on items (the project's
        item count is ``store.items.count()``, which a window reads once, not on every write)."""
        sql, args = labelled_sql(self._store.codebook(), coder)
        labelled = self._query(f"SELECT count(*) FROM ({sql})", args).fetchone()[0]
        seconds = self._query("SELECT coalesce(sum(seconds), 0) FROM annotations WHERE coder = ?", [coder]).fetchone()[0]
        return {"labelled": labelled, "seconds": float(seconds)}

    def finished_since(self, coder: str, since: str) -> int:
        """Items this coder marked done at or after ``since`` (a ``records.now()`` timestamp) and
        still done: read from the label history, so the count is what was done, never a counter."""
        return self._query(
            """SELECT count(DISTINCT e.item_id) FROM label_events e
               JOIN annotations a ON a.item_id = e.item_id AND a.coder = e.coder AND a.done = 1
               WHERE e.coder = ? AND e.field = ? AND e.after = 'true' AND e.at >= ?""",
            [coder, history_field("done"), since],
        ).fetchone()[0]

    def reopened_by(self, codebook: Codebook) -> dict[str, int]:
        """{coder: how many of their done items} putting ``codebook`` in force would reopen: done
        and complete under the codebook in force, but a required scheme of ``codebook`` that
        applies has no value there. Nothing is written: see the module's docstring."""
        new = incomplete_sql(codebook)
        if new is None:
            return {}
        old = incomplete_sql(self._store.codebook())
        sql = new if old is None else f"{new} EXCEPT {old}"
        return dict(self._query(f"SELECT coder, count(*) FROM ({sql}) GROUP BY coder ORDER BY coder", []).fetchall())

    def stats(self) -> dict[str, Any]:
        """Counts for ``annotator stats``: items by kind, sources, and per coder the items they
        touched (a label, or a done mark, flag or note), marked done and flagged, and their labels
        per scheme.

        The per-coder counts are the tallies the triggers of m017 keep in every write's own
        transaction (a few rows, however many labels; ``recount_stats`` counts them afresh);
        items by kind read the ``items_kind`` index, never the items' text."""
        q = self._conn.execute
        per_coder = {
            name: {"items": touched, "done": done, "flagged": flagged, "schemes": {}}
            for name, touched, done, flagged in q(
                "SELECT coder, touched, done, flagged FROM coder_tallies WHERE touched > 0 ORDER BY coder")
        }
        for name, scheme, n in q("SELECT coder, scheme, n FROM label_tallies WHERE n > 0 ORDER BY coder, scheme"):
            per_coder[name]["schemes"][scheme] = n
        return self._with_items(per_coder)

    def recount_stats(self) -> dict[str, Any]:
        """``stats`` counted afresh from the label and annotation rows, not from the tallies:
        what the tallies must always equal (the tests hold them to it after every kind of write).
        Reads every label's index entry: seconds at a million items."""
        q = self._conn.execute
        per_coder: dict[str, dict[str, Any]] = {}

        def coder(name: str) -> dict[str, Any]:
            return per_coder.setdefault(name, {"items": 0, "done": 0, "flagged": 0, "schemes": {}})

        for name, scheme, n in q("SELECT coder, scheme, count(*) FROM labels GROUP BY coder, scheme ORDER BY 1, 2"):
            coder(name)["schemes"][scheme] = n
        for name, done, flagged in q(
            "SELECT coder, sum(done != 0), sum(flag != 0) FROM annotations WHERE done OR flag OR note != '' "
            "GROUP BY coder ORDER BY coder"
        ):
            coder(name).update(done=done, flagged=flagged)
        names = sorted(per_coder)
        if names:
            touched = q(
                f"SELECT {', '.join('sum(coder = ?)' for _ in names)} FROM ("
                "SELECT item_id, coder FROM labels UNION "
                "SELECT item_id, coder FROM annotations WHERE done OR flag OR note != '' ORDER BY item_id, coder)",
                names,
            ).fetchone()
            for name, n in zip(names, touched, strict=True):
                per_coder[name]["items"] = n
        return self._with_items({name: per_coder[name] for name in names})

    def _with_items(self, per_coder: dict[str, dict[str, Any]]) -> dict[str, Any]:
        q = self._conn.execute
        by_kind = dict(q("SELECT kind, count(*) FROM items GROUP BY kind ORDER BY kind").fetchall())
        return {
            "items": sum(by_kind.values()),
            "items_by_kind": by_kind,
            "sources": q("SELECT count(*) FROM sources").fetchone()[0],
            "coders": per_coder,
            "gold": q("SELECT count(*) FROM gold").fetchone()[0],
        }
