"""Assignment: every item once, a stratified seeded share twice, balanced loads; ties to a further coder."""

from __future__ import annotations

from collections import Counter

import pytest

from annotator.core.assign import assign, plan_assignment
from annotator.core.errors import AnnotatorError
from annotator.core.items import Item
from annotator.core.store import Store
from tests.helpers import mark_done, new_project, source


def _conferences(sizes: list[int]) -> list:
    """One source per conference, ``sizes[k]`` pairs in conference k (its own date)."""
    return [source(f"c{k}.txt", [Item("qa", i, f"Question {i} of {k}?", f"Answer {i} of {k}.", "Reuters", "Wang Wenbin",
                                      f"2021-03-{k + 1:02d}") for i in range(n)],
                   date=f"2021-03-{k + 1:02d}", title=f"Regular Press Conference on 2021-03-{k + 1:02d}")
            for k, n in enumerate(sizes)]


def test_every_conference_goes_whole_to_one_coder_and_the_sample_is_drawn_from_each(tmp_path):
    sizes = [12, 10, 10, 9, 8, 6, 5, 5, 3, 2]
    with Store(new_project(tmp_path / "p.db", _conferences(sizes))) as store:
        # the English and Chinese versions of the first conference: one conference, two sources
        zh = source("c0-zh.txt", [Item("qa", i, f"第{i}个问题？", f"第{i}个回答。", "路透社", "汪文斌", "2021-03-01")
                                  for i in range(12)], date="2021-03-01", title="2021年3月1日外交部发言人汪文斌主持例行记者会")
        store.items.add_source(zh)
        strata = dict(store.assignments.strata())
        by_conference = Counter(strata.values())
        assert len(by_conference) == len(sizes) and by_conference.most_common(1)[0][1] == 24
        result = assign(store, ["alice", "bob", "carol"], 0.2, seed=7)
        assert result["items"] == sum(sizes) + 12 and result["conferences"] == len(sizes)
        rows = [(i, c) for c in ("alice", "bob", "carol") for i in store.assignments.item_ids(c)]
    per_item = Counter(i for i, _c in rows)
    assert set(per_item) == set(strata) and set(per_item.values()) <= {1, 2}
    doubles = {i for i, n in per_item.items() if n == 2}
    assert len(doubles) == result["double_coded"] == round(0.2 * len(strata))
    # Whole: outside the sample, every item of a conference has the one coder.
    for conference in by_conference:
        owners = {c for i, c in rows if strata[i] == conference and i not in doubles}
        assert len(owners) == 1, conference
    # The sample is drawn from (nearly) every conference, about a fifth of each.
    drawn = Counter(strata[i] for i in doubles)
    assert len(drawn) >= len(sizes) - 2
    assert all(abs(drawn[c] - 0.2 * n) <= 1 for c, n in by_conference.items())
    # Loads stay close: no coder more than the smallest conference or so above another.
    loads = Counter(c for _i, c in rows)
    assert max(loads.values()) - min(loads.values()) <= 3, loads


def test_a_sample_item_goes_to_a_second_coder_never_back_to_the_conference_owner():
    strata = [(i, f"c{i // 10}") for i in range(100)]
    rows = plan_assignment(strata, ["a", "b", "c"], 0.5, 4)
    by_item: dict[int, list[str]] = {}
    for item_id, coder in rows:
        by_item.setdefault(item_id, []).append(coder)
    assert all(len(set(cs)) == len(cs) for cs in by_item.values())
    assert sum(len(cs) == 2 for cs in by_item.values()) == 50


def test_the_same_seed_gives_the_same_assignment_and_another_seed_another():
    strata = [(i, f"c{i // 10}") for i in range(100)]
    a = plan_assignment(strata, ["a", "b", "c"], 0.3, 1)
    assert a == plan_assignment(strata, ["a", "b", "c"], 0.3, 1)
    assert a != plan_assignment(strata, ["a", "b", "c"], 0.3, 2)


def test_next_follows_the_assignment_and_skips_done_items(store):
    assign(store, ["alice"], 0.0, seed=1)  # the one conference: all alice's
    mine = store.assignments.item_ids("alice")
    assert len(mine) == store.items.count()
    assert store.assignments.next_item("alice") == mine[0]
    mark_done(store, mine[0], "alice")
    assert store.assignments.next_item("alice") == mine[1]
    assert store.assignments.next_item("alice", mine[-1]) is None


def test_bad_overlap_is_refused(store):
    with pytest.raises(AnnotatorError, match="not a share between 0 and 1"):
        assign(store, ["a", "b"], -0.1)
    with pytest.raises(AnnotatorError, match="at least two coders"):
        assign(store, ["a"], 0.2)
