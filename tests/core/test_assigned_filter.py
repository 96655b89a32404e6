"""The "assigned to me" filter: one mechanism (a Filter field turned into SQL by the store)
that the coding window's list, next/previous, Enter and counts all follow."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.filters import Filter
from annotator.core.items import Item, sha256_bytes
from annotator.core.store import Store
from tests.helpers import mark_done, new_project, source


@pytest.fixture
def store(tmp_path: Path):
    sources = [
        source(f"{n}.txt", [Item("qa", i, f"question {n} {i} sanctions" if i % 2 else f"question {n} {i}", f"answer {i}",
                                 outlet="Reuters" if i < 2 else "AFP", spokesperson="Wang Wenbin", date=f"202{n}-01-0{i + 1}")
                            for i in range(4)], sha256=sha256_bytes(str(n).encode()))
        for n in range(2)
    ]
    with Store(new_project(tmp_path / "p.db", sources)) as s:
        s.assignments.set([(1, "alice"), (3, "alice"), (4, "alice"), (7, "alice"), (2, "bob"), (3, "bob")])
        yield s


def test_assigned_filter_keeps_to_this_coders_assignment(store: Store) -> None:
    mine = Filter(assigned=True)
    assert list(store.browse.item_ids(mine, "alice")) == [1, 3, 4, 7] == store.assignments.item_ids("alice")
    assert list(store.browse.item_ids(mine, "bob")) == [2, 3]
    assert list(store.browse.item_ids(mine, "carol")) == []  # no assignment: nothing, and the window never turns it on
    assert list(store.browse.item_ids(Filter(assigned=True, outlet="AFP"), "alice")) == [3, 4, 7]
    assert list(store.browse.item_ids(Filter(assigned=True, search="sanctions"), "alice")) == [4]
    # Enter: next unlabelled in the assignment, wrapping round, skipping what is labelled or done
    store.labels.set(3, "alice", "topics", ["taiwan"])
    mark_done(store, 4, "alice")
    store.labels.set(2, "alice", "tone", "firm")  # labelled but not assigned: irrelevant
    assert store.browse.next_unlabelled(mine, "alice", 1) == 7
    assert store.browse.next_unlabelled(mine, "alice", 7) == 1
    assert list(store.browse.item_ids(Filter(assigned=True, status="unlabelled"), "alice")) == [1, 7]
    assert store.browse.count(mine, "alice") == 4
    assert store.browse.count_labelled(mine, "alice") == 2
    assert store.assignments.next_item("alice", 1) == 3  # done marks only; the filter also counts labels


def test_assigned_round_trips_and_is_not_empty() -> None:
    f = Filter(assigned=True, status="unlabelled")
    assert Filter.from_dict(f.to_dict()) == f and f.to_dict()["assigned"] is True
    assert not Filter(assigned=True).is_empty and Filter(assigned=False).is_empty
    assert "assigned" not in Filter().to_dict()
    assert Filter.from_dict({"assigned": "true"}).assigned and not Filter.from_dict({"status": "labelled"}).assigned
    assert Filter(assigned=True).describe() == "assigned to me"
