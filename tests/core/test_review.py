"""Disagreements ranked by how much coders disagree; gold decisions, undo, unanimous acceptance."""

from __future__ import annotations

import pytest

from annotator.core.errors import AnnotatorError
from annotator.core.review import accept_unanimous, disagreements, tied_items, unanimous


def _ids(store):
    return [r[0] for r in store.assignments.strata()]


@pytest.fixture
def coded(store):
    a, b, c, d, _e = _ids(store)
    labels = {
        a: {"alice": "firm", "bob": "firm", "carol": "firm"},  # unanimous
        b: {"alice": "firm", "bob": "warm"},  # two disagree: 0.5
        c: {"alice": "firm", "bob": "warm", "carol": "neutral"},  # three-way tie: 0.67
        d: {"alice": "firm", "bob": "firm", "carol": "warm"},  # majority: 0.33
    }
    for item_id, by_coder in labels.items():
        for coder, tone in by_coder.items():
            store.labels.set(item_id, coder, "tone", tone)
    return store, (a, b, c, d)


def test_disagreements_sorted_by_spread(coded):
    store, (_a, b, c, d) = coded
    found = disagreements(store, scheme="tone")
    assert [x.item_id for x in found] == [c, b, d]
    assert [round(x.spread, 3) for x in found] == [0.667, 0.5, 0.333]
    assert found[0].tie and not found[1].tie and not found[2].tie
    assert found[1].values == {"alice": "firm", "bob": "warm"}
    assert tied_items(store) == [c]


def test_gold_decision_undo_restores_the_previous_one_and_records_it(coded):
    store, (_a, b, c, d) = coded
    store.gold.set(b, "tone", "firm", "lead", "alice is right")
    store.gold.set(b, "tone", "warm", "lead", "second thoughts")
    assert store.gold.of(b)["tone"]["value"] == "warm"
    undone = store.gold.undo("lead")
    assert undone == {"item_id": b, "scheme": "tone", "value": "firm"}
    gold = store.gold.of(b)["tone"]
    assert (gold["value"], gold["reason"]) == ("firm", "alice is right")
    store.gold.undo("lead")
    assert store.gold.of(b) == {}
    assert store.gold.undo("lead") is None
    events = store.connection.execute("SELECT action, before, after FROM gold_events ORDER BY id").fetchall()
    assert events == [("set", None, '"firm"'), ("set", '"firm"', '"warm"'), ("undo", '"warm"', '"firm"'),
                      ("undo", '"firm"', None)]
    assert [x.decided for x in disagreements(store, scheme="tone")] == [False, False, False]
    store.gold.set(b, "tone", "warm", "lead")
    assert [x.item_id for x in disagreements(store, scheme="tone", include_decided=False)] == [c, d]


def test_gold_refuses_a_value_the_codebook_lacks(coded):
    store, (a, *_rest) = coded
    with pytest.raises(AnnotatorError, match="no option 'sarcastic'"):
        store.gold.set(a, "tone", "sarcastic", "lead")
    assert store.gold.count() == 0


def test_accept_unanimous_in_one_step(coded):
    store, (a, b, _c, _d) = coded
    store.labels.set(b, "alice", "topics", ["covid", "taiwan"])
    store.labels.set(b, "bob", "topics", ["taiwan", "covid"])
    assert sorted(unanimous(store)) == [(a, "tone", "firm"), (b, "topics", ["taiwan", "covid"])]
    result = accept_unanimous(store, "lead")
    assert result == {"accepted": 2, "per_scheme": {"tone": 1, "topics": 1}, "empty_sets": 0, "skipped_empty": 0,
                      "already_gold": 0, "outside_codebook": {}, "gold_total": 2}
    assert store.gold.of(a)["tone"]["decided_by"] == "lead"
    assert store.gold.of(b)["topics"]["value"] == ["taiwan", "covid"]
    assert accept_unanimous(store, "lead")["accepted"] == 0


def test_every_gold_decision_keeps_where_it_came_from_and_undo_gives_it_back(coded):
    store, (_a, b, _c, _d) = coded
    store.gold.set(b, "tone", "warm", "lead", "bob read it right", method="coder", taken_from="bob")
    store.labels.set(b, "alice", "tone", "neutral")  # a coder changes their mind after the decision
    store.gold.set(b, "tone", "firm", "senior", method="hand")
    gold = store.gold.of(b)["tone"]
    assert (gold["value"], gold["method"], gold["taken_from"], gold["decided_by"]) == ("firm", "hand", None, "senior")
    assert gold["coder_values"] == {"alice": "neutral", "bob": "warm"}  # what they had said at that moment
    assert store.gold.undo("senior") is not None
    gold = store.gold.of(b)["tone"]  # the earlier decision is back, with its own provenance
    assert (gold["value"], gold["method"], gold["taken_from"], gold["decided_by"], gold["reason"]) == (
        "warm", "coder", "bob", "lead", "bob read it right")
    assert gold["coder_values"] == {"alice": "firm", "bob": "warm"}
    history = store.gold.history(b)
    assert [(e["action"], e["method"], e["coder_values"]) for e in history] == [
        ("set", "coder", {"alice": "firm", "bob": "warm"}),
        ("set", "hand", {"alice": "neutral", "bob": "warm"}),
        ("undo", "coder", {"alice": "firm", "bob": "warm"}),
    ]


def test_a_gold_value_taken_from_a_coder_must_be_theirs_and_a_scheme_must_apply(coded):
    store, (a, b, _c, _d) = coded
    with pytest.raises(AnnotatorError, match="coder 'alice' did not give that value"):
        store.gold.set(b, "tone", "warm", "lead", method="coder", taken_from="alice")
    with pytest.raises(AnnotatorError, match="names that coder, and only then"):
        store.gold.set(b, "tone", "warm", "lead", method="coder")
    statement = _ids(store)[0]
    with pytest.raises(AnnotatorError, match="does not apply to statement items"):
        store.gold.set(statement, "question_stance", "hostile", "lead")
    assert store.gold.count() == 0
