"""The item list in the orders a coder sorts it by, and Ctrl+G's way to an item: what the
list holds (read a page at a time), where an item's row is, and what "done and next" means in a
sorted list. Real project files; no display."""

from __future__ import annotations

import random
from array import array
from bisect import bisect_left
from pathlib import Path

import pytest

from annotator.core.filters import ORDERS, STATUS_ORDER, Filter, status_rank
from annotator.core.session import CodingSession
from annotator.core.store import Store, orders
from annotator.core.store.orders import StatusOrder
from tests.helpers import conference_sources, mark_done, new_project

# imported in this order, dated out of it: the import order is not the date order
CONFERENCES = [
    ("2022-03-01", "Zhao Lijian", [("Reuters", "Q one of March?", "A."), ("AFP", "Q two of March?", "A.")]),
    ("2021-01-05", "Wang Wenbin", [("CCTV", "Q one of January?", "A."), ("Bloomberg", "Q two of January?", "A.")]),
    ("2021-07-09", "Hua Chunying", [("AP", "Q one of July?", "A.")]),
]


@pytest.fixture
def dated(tmp_path: Path) -> Path:
    return new_project(tmp_path / "dated.db", conference_sources(CONFERENCES))


def column(store: Store, ids, name: str) -> list:
    return [store.items.get(i)[name] for i in ids]


def test_each_order_sorts_on_its_column_then_import_order(dated: Path) -> None:
    with Store(dated) as store:
        s = CodingSession(store, "alice")
        imported = list(s.load_list(Filter()).ids)
        assert column(store, imported, "date") != sorted(column(store, imported, "date"))  # else proves nothing
        for order, name in (("date", "date"), ("outlet", "outlet_norm"), ("spokesperson", "spokesperson_norm")):
            listing = s.load_list(Filter(), order)
            assert sorted(listing.ids) == imported
            keys = [(store.items.get(i)[name], i) for i in listing.ids]
            assert keys == sorted(keys), order
            for row, item_id in enumerate(listing.ids):  # the row found by the key's binary search
                assert listing.row_of(item_id) == row
        assert s.load_list(Filter(), "import").ids == range(imported[0], imported[-1] + 1)


def test_the_date_order_keeps_to_the_filter(dated: Path) -> None:
    with Store(dated) as store:
        s = CodingSession(store, "alice")
        listing = s.load_list(Filter(date_from="2021-01-01", date_to="2021-12"), "date")
        assert column(store, listing.ids, "date") == ["2021-01-05", "2021-01-05", "2021-07-09"]
        outside = next(i for i in store.browse.item_ids(Filter(), "alice") if i not in listing.ids)
        assert listing.row_of(outside) is None


def test_status_order_puts_what_is_left_first_and_keeps_it_while_the_coder_codes(dated: Path) -> None:
    assert [status_rank(s) for s in STATUS_ORDER] == list(range(len(STATUS_ORDER)))
    assert status_rank("done, unsure") == status_rank("done")
    with Store(dated) as store:
        ids = list(store.browse.item_ids(Filter(), "alice"))
        mark_done(store, ids[0], "alice")
        store.labels.set(ids[2], "alice", "topics", ["taiwan"])
        store.labels.set_flag(ids[4], "alice", True)
        store.labels.set(ids[1], "bob", "topics", ["covid"])  # another coder's labels never count
        s = CodingSession(store, "alice")
        listing = s.load_list(Filter(), "status")
        assert list(listing.ids) == [ids[1], ids[3], ids[4], ids[2], ids[0]]  # "", "", unsure, labelled, done
        store.labels.set(ids[1], "alice", "tone", "firm")  # the list's order is as sorted, its rows found still
        assert [listing.row_of(i) for i in listing.ids] == list(range(len(ids)))


def test_done_and_next_follows_the_sorted_list(dated: Path) -> None:
    with Store(dated) as store:
        s = CodingSession(store, "alice")
        listing = s.load_list(Filter(), "date")
        first, second, third = listing.ids[:3]
        mark_done(store, second, "alice")  # done already: next skips it
        assert s.open(first)
        s.toggle("topics", "taiwan")
        s.toggle("tone", "firm")
        for scheme in s.codebook.schemes:  # whatever else this codebook requires before done
            if scheme.required and scheme.name not in s.annotation.labels and scheme.applies("qa"):
                s.toggle(scheme.name, scheme.options[0].value)
        assert s.done_and_next() == third


def test_goto_by_row_by_number_in_the_conference_and_by_uid(dated: Path) -> None:
    with Store(dated) as store:
        s = CodingSession(store, "alice")
        listing = s.load_list(Filter(), "date")
        assert s.goto("1") == listing.ids[0] and s.goto(" 5 ") == listing.ids[4]
        assert s.goto("6") is None and s.goto("0") is None and s.goto("") is None
        march = store.browse.item_ids(Filter(date_from="2022-03-01"), "alice")
        assert s.open(march[0])
        assert s.goto("c2") == march[1] and s.goto("C1") == march[0] and s.goto("c3") is None
        uid = store.items.get(march[1])["uid"]
        assert s.goto(uid) == march[1]
        assert s.goto("no-such-uid") is None
        # digits int() refuses, and numbers SQLite cannot hold, name nothing (they raised)
        assert s.goto("²") is None and s.goto("c²") is None and s.goto("9" * 20) is None and s.goto("c" + "9" * 20) is None


def test_an_unknown_order_is_refused(dated: Path) -> None:
    assert "import" in ORDERS
    with Store(dated) as store, pytest.raises(ValueError, match="unknown order"):
        store.browse.sorted_ids(Filter(), "alice", "length")


def test_a_column_order_reads_its_pages_from_either_end_with_the_items_without_a_value_first(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(orders, "ROWS_PER_READ", 3)  # many pages, and pages across the items without an outlet
    rng = random.Random(5)
    conferences = [(f"2021-0{1 + n % 9}-0{1 + n % 5}", ("Hua Chunying", "Wang Wenbin")[n % 2],
                    [(rng.choice([None, "AFP", "Reuters", "CCTV"]), f"Question {n}.{k}?", "A.") for k in range(4)])
                   for n in range(12)]
    path = new_project(tmp_path / "mixed.db", conference_sources(conferences))
    with Store(path) as store:
        s = CodingSession(store, "alice")
        everything = list(store.browse.item_ids(Filter(), "alice"))
        for flt in (Filter(), Filter(spokesperson="Wang Wenbin")):
            inside = list(store.browse.item_ids(flt, "alice"))
            for order, name in (("outlet", "outlet_norm"), ("date", "date"), ("spokesperson", "spokesperson_norm")):
                def key(i: int, name: str = name) -> tuple:
                    value = store.items.get(i)[name]
                    return (value is not None, value or "", i)  # SQLite's order: NULL first, then by value

                expected = sorted(inside, key=key)
                assert any(store.items.get(i)["outlet_norm"] is None for i in inside)  # else proves less
                assert list(s.load_list(flt, order).ids) == expected, (flt, order)
                ids = s.load_list(flt, order).ids  # nothing read yet: each row read where it is asked for
                rows = list(range(len(expected)))
                rng.shuffle(rows)
                assert [ids[r] for r in rows] == [expected[r] for r in rows]
                assert ids[-1] == expected[-1] and ids[2:7] == expected[2:7]
                listing = s.load_list(flt, order)  # rows found by counting, none read yet
                assert [listing.row_of(i) for i in expected] == list(range(len(expected)))
                keys = [key(i) for i in expected]
                for outside in set(everything) - set(inside):
                    assert listing.row_of(outside) is None and outside not in listing.ids
                    assert listing.ids.insertion_row(outside) == bisect_left(keys, key(outside))
                assert expected[0] in listing.ids


def test_the_status_order_moves_the_touched_items_to_the_end_without_copying_the_rest() -> None:
    rng = random.Random(2)
    for _ in range(20):
        ids = array("q", sorted(rng.sample(range(1, 400), 120)))
        ranks = {i: rng.randint(1, 5) for i in rng.sample(list(ids), rng.choice((0, 1, 40, 120)))}
        order = StatusOrder(ids, ranks)
        expected = [i for i in ids if i not in ranks] + sorted(ranks, key=lambda i: (ranks[i], i))
        assert list(order) == expected and len(order) == len(expected)
        assert order[-1] == expected[-1] and order[5:9] == expected[5:9]
        keys = [(ranks.get(i, 0), i) for i in expected]
        for item_id in range(1, 401):  # in the list or not: where it is, or would be
            assert order.insertion_row(item_id) == bisect_left(keys, (ranks.get(item_id, 0), item_id))
