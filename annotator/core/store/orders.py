"""The item list in an order other than import order, as sequences of ids that read what is
shown when it is shown: a million items are never a million ids in memory.

``SortedIds`` is what ``store.browse.sorted_ids`` gives: a sequence of ids that also says where an
id sits in it (``insertion_row``), which a list in import order answers by a binary search on the
id. ``ColumnOrder`` reads a column's index a page at a time; ``StatusOrder`` puts the few items
this coder touched after the rest by the status they had when it was made.
"""

from __future__ import annotations

import sqlite3
from abc import abstractmethod
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from typing import Any, overload

ROWS_PER_READ = 200  # a column order reads this many ids at a time (the item list's page)
READS_KEPT = 64  # and keeps this many pages of them (12,800 ids)
SAMPLES = 32  # items read by id to judge which side of a key to count

Query = Callable[[str, list[Any]], sqlite3.Cursor]


class SortedIds(Sequence[int]):
    """The ids of a list in an order of their own: what an id's row is, or would be."""

    @abstractmethod
    def insertion_row(self, item_id: int) -> int:
        """The rows before ``item_id``'s place in this order: its row when it is in the list,
        else where it would be (next and previous step from there)."""

    @overload
    def __getitem__(self, at: int) -> int: ...

    @overload
    def __getitem__(self, at: slice) -> list[int]: ...

    def __getitem__(self, at: int | slice) -> int | list[int]:
        if isinstance(at, slice):
            return [self.at(i) for i in range(*at.indices(len(self)))]
        row = at + len(self) if at < 0 else at
        if not 0 <= row < len(self):
            raise IndexError("row out of range")
        return self.at(row)

    @abstractmethod
    def at(self, row: int) -> int:
        """The id in ``row`` (0 <= row < len)."""


class ColumnOrder(SortedIds):
    """The ids of one coder's filter in a column's order, then import order, as SQLite sorts it
    (the items without a value first, by id): read from the column's index a page at a time.

    The length is counted when it is made; a page is an offset into the index from whichever end
    is nearer; an item's row is a count of the rows before its key, or known from a page read.
    The order is the project's as the rows are read: the window sorts again after what moves items
    (an import, a correction); a row past what the file holds by then reads as id 0 (no item)."""

    def __init__(self, query: Query, column: str, where: str, args: list[Any], length: int) -> None:
        self._query = query
        self._column = column  # a column of items with an index (store.browse's ORDER_COLUMNS)
        self._where = where  # filter_sql's clause over items, and its arguments
        self._args = args
        self._length = length
        self._nulls = self._count(f"{column} IS NULL", [])
        self._pages: OrderedDict[int, list[int]] = OrderedDict()
        self._rows: dict[int, int] = {}  # id -> row, for the ids on the pages kept

    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> Iterator[int]:
        for page in range((self._length + ROWS_PER_READ - 1) // ROWS_PER_READ):
            yield from self._page(page)

    def __contains__(self, item_id: object) -> bool:
        if not isinstance(item_id, int):
            return False
        return bool(self._query(f"SELECT EXISTS (SELECT 1 FROM items WHERE items.id = ? AND {self._where})",
                                [item_id, *self._args]).fetchone()[0])

    def at(self, row: int) -> int:
        return self._page(row // ROWS_PER_READ)[row % ROWS_PER_READ]

    def insertion_row(self, item_id: int) -> int:
        row = self._rows.get(item_id)
        if row is not None:
            return row
        found = self._query(f"SELECT {self._column} FROM items WHERE id = ?", [item_id]).fetchone()
        value = found[0] if found else None  # an item gone sorts as one without a value
        col = self._column
        if value is None:
            return self._count(f"{col} IS NULL AND items.id < ?", [item_id])
        # A count walks the index row by row: the rows before the key or, where a few items read
        # by id say those are the more, the rows from it on taken from the length. Two counts,
        # not one over (column, id): each is a plain range of the index.
        if self._mostly_before(value):
            return self._length - self._count(f"{col} > ?", [value]) - self._count(
                f"{col} = ? AND items.id >= ?", [value, item_id])
        return self._nulls + self._count(f"{col} < ?", [value]) + self._count(
            f"{col} = ? AND items.id < ?", [value, item_id])

    def _mostly_before(self, value: Any) -> bool:
        """Whether most items of the project have a value below ``value``, judged from SAMPLES
        items spread over the ids (each read by id)."""
        # two queries: min and max in one is a scan of the table, each alone one step of the key
        low = self._query("SELECT min(id) FROM items", []).fetchone()[0]
        high = self._query("SELECT max(id) FROM items", []).fetchone()[0]
        if low is None:
            return False
        ids = sorted({low + (high - low) * n // SAMPLES for n in range(SAMPLES + 1)})
        below, valued = self._query(
            f"SELECT total({self._column} < ?), count({self._column}) FROM items "
            f"WHERE id IN ({', '.join('?' * len(ids))})", [value, *ids]).fetchone()
        return below * 2 > valued

    def _count(self, condition: str, args: list[Any]) -> int:
        return self._query(f"SELECT count(*) FROM items WHERE {condition} AND {self._where}",
                           [*args, *self._args]).fetchone()[0]

    def _page(self, page: int) -> list[int]:
        ids = self._pages.get(page)
        if ids is not None:
            self._pages.move_to_end(page)
            return ids
        start = page * ROWS_PER_READ
        wanted = min(ROWS_PER_READ, self._length - start)
        ids = []
        if start < self._nulls:
            ids = [r[0] for r in self._query(
                f"SELECT id FROM items WHERE {self._column} IS NULL AND {self._where} ORDER BY id LIMIT ? OFFSET ?",
                [*self._args, wanted, start])]
        if len(ids) < wanted:
            ids += self._valued(start + len(ids) - self._nulls, wanted - len(ids))
        ids += [0] * (wanted - len(ids))
        self._pages[page] = ids
        self._rows.update((item_id, start + n) for n, item_id in enumerate(ids))
        while len(self._pages) > READS_KEPT:
            for item_id in self._pages.popitem(last=False)[1]:
                self._rows.pop(item_id, None)
        return ids

    def _valued(self, offset: int, limit: int) -> list[int]:
        """``limit`` ids from ``offset`` into the items that have a value, read from the nearer
        end of the index (an offset is a walk along it)."""
        col = self._column
        after = self._length - self._nulls - offset - limit  # the rows after those wanted
        if offset <= after:
            tail, args = f"ORDER BY {col}, id LIMIT ? OFFSET ?", [limit, offset]
        else:
            tail, args = f"ORDER BY {col} DESC, id DESC LIMIT ? OFFSET ?", [limit, max(after, 0)]
        ids = [r[0] for r in self._query(f"SELECT id FROM items WHERE {col} IS NOT NULL AND {self._where} {tail}",
                                         [*self._args, *args])]
        return ids if offset <= after else ids[::-1]


class StatusOrder(SortedIds):
    """A list's ids (``ids``, ascending) with the ones ``ranks`` names (the items this coder
    touched, by ``filters.status_rank`` when the list was sorted) moved to the end, by rank then
    id; the rest keep their order. Nothing is copied: a row among the rest is found by bisecting
    the few moved ids' places."""

    def __init__(self, ids: Sequence[int], ranks: dict[int, int]) -> None:
        self._ids = ids
        self._ranks = ranks
        self._moved = sorted(ranks, key=lambda i: (ranks[i], i))
        self._keys = [(ranks[i], i) for i in self._moved]
        self._places = sorted(bisect_left(ids, i) for i in ranks)  # where the moved ids are in ``ids``
        self._rest = len(ids) - len(ranks)

    def __len__(self) -> int:
        return len(self._ids)

    def at(self, row: int) -> int:
        if row >= self._rest:
            return self._moved[row - self._rest]
        # the row-th id of ``ids`` that did not move: the least place p with p - (moved at or before p) == row
        place = row
        while (nxt := row + bisect_right(self._places, place)) != place:
            place = nxt
        return self._ids[place]

    def insertion_row(self, item_id: int) -> int:
        rank = self._ranks.get(item_id, 0)
        if rank:
            return self._rest + bisect_left(self._keys, (rank, item_id))
        place = bisect_left(self._ids, item_id)
        return place - bisect_left(self._places, place)
