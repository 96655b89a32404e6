"""Assignment: every item once, a stratified seeded share twice, balanced loads; ties to a further coder."""

from __future__ import annotations

from collections import Counter

import pytest

from annotator.core.assign import assign, plan_assignment
from annotator.core.errors import AnnotatorError
from tests.helpers import mark_done, sample_source


def test_every_item_once_and_the_overlap_stratified_by_conference(store):
    for k in range(4):
        store.items.add_source(sample_source(sha=f"{k}" * 64, n=10, name=f"c{k}.txt"))
    strata = dict(store.assignments.strata())
    result = assign(store, ["alice", "bob", "carol"], 0.2, seed=7)
    assert result["items"] == 45
    rows = [(i, c) for c in ("alice", "bob", "carol") for i in store.assignments.item_ids(c)]
    per_item = Counter(i for i, _c in rows)
    assert set(per_item) == set(strata) and set(per_item.values()) <= {1, 2}
    doubles = [i for i, n in per_item.items() if n == 2]
    assert len(doubles) == result["double_coded"] == 9
    # 20% of every conference of 10 (two each), and one of the first conference of 5
    assert Counter(strata[i] for i in doubles) == Counter({s: 2 for s in set(strata.values()) if s != 1} | {1: 1})
    loads = Counter(c for _i, c in rows)
    assert max(loads.values()) - min(loads.values()) <= 1
    assert store.assignments.has("alice") and not store.assignments.has("dave")


def test_the_same_seed_gives_the_same_assignment_and_another_seed_another():
    strata = [(i, i // 10) for i in range(100)]
    a = plan_assignment(strata, ["a", "b", "c"], 0.3, 1)
    assert a == plan_assignment(strata, ["a", "b", "c"], 0.3, 1)
    assert a != plan_assignment(strata, ["a", "b", "c"], 0.3, 2)


def test_next_follows_the_assignment_and_skips_done_items(store):
    assign(store, ["alice", "bob"], 0.0, seed=1)
    mine = store.assignments.item_ids("alice")
    assert store.assignments.next_item("alice") == mine[0]
    mark_done(store, mine[0], "alice")
    assert store.assignments.next_item("alice") == mine[1]
    assert store.assignments.next_item("alice", mine[-1]) is None


def test_bad_overlap_is_refused(store):
    with pytest.raises(AnnotatorError, match="not a share between 0 and 1"):
        assign(store, ["a", "b"], -0.1)
    with pytest.raises(AnnotatorError, match="at least two coders"):
        assign(store, ["a"], 0.2)
