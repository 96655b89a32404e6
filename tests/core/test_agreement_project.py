"""Ratings built from the store: what counts as a coder's value, and the wiring to the metrics."""

from __future__ import annotations

import pytest

from annotator.core.agreement import scheme_agreement
from annotator.core.agreement.project import project_agreement, scheme_ratings
from annotator.core.errors import AnnotatorError


def _ids(store):
    return [r[0] for r in store.assignments.strata()]


def test_a_done_item_without_a_multi_label_is_the_empty_set_not_missing(store):
    a, b, c = _ids(store)[:3]
    store.labels.set(a, "alice", "topics", ["taiwan"])
    store.labels.set(a, "bob", "topics", ["taiwan"])
    store.labels.set_done(b, "alice")  # done, no topic: "none of these"
    store.labels.set(b, "bob", "topics", ["covid"])
    store.labels.set(c, "bob", "topics", ["covid"])  # alice never saw c: missing
    sch = store.codebook().scheme("topics")
    ratings = scheme_ratings(store, sch)
    uid = {i: store.items.get(i)["uid"] for i in (a, b, c)}
    assert ratings[uid[b]] == {"alice": frozenset(), "bob": frozenset({"covid"})}
    assert ratings[uid[c]] == {"bob": frozenset({"covid"})}
    # single-choice: a done item without tone stays missing
    store.labels.set(b, "bob", "tone", "firm")
    assert scheme_ratings(store, store.codebook().scheme("tone")) == {uid[b]: {"bob": "firm"}}


def test_project_agreement_is_scheme_agreement_on_the_stored_labels(store):
    values = {"alice": ["firm", "neutral", "firm", "warm"], "bob": ["firm", "warm", "firm", "warm"]}
    ids = _ids(store)
    for coder, tones in values.items():
        for item_id, tone in zip(ids, tones, strict=False):  # the first items only
            store.labels.set(item_id, coder, "tone", tone)
    got = project_agreement(store, scheme="tone", bootstrap=100)["tone"]
    sch = store.codebook().scheme("tone")
    expected = scheme_agreement(
        {store.items.get(i)["uid"]: {c: values[c][k] for c in values} for k, i in enumerate(ids[:4])},
        kind="single", options=sch.values, ordered=True, bootstrap=100,
    )
    assert got == expected
    assert got["items"] == 4 and got["percent_agreement"] == pytest.approx(0.75)
    assert got["per_option"]["firm"]["usage"] == {"alice": 2, "bob": 2}
    assert got["confusion"]["alice|bob"]["neutral"]["warm"] == 1


def test_unknown_scheme_and_coder_are_clear_errors(store):
    store.labels.set(_ids(store)[0], "alice", "tone", "firm")
    with pytest.raises(AnnotatorError, match="no scheme 'mood'"):
        project_agreement(store, scheme="mood")
    with pytest.raises(AnnotatorError, match="no coder named 'zed'"):
        project_agreement(store, coders=["alice", "zed"])
    with pytest.raises(AnnotatorError, match="at least two coders"):
        project_agreement(store, coders=["alice"])


def test_a_coder_named_twice_is_refused_not_measured_against_herself(store):
    ids = _ids(store)
    store.labels.set(ids[0], "alice", "tone", "firm")
    store.labels.set(ids[0], "bob", "tone", "warm")
    # alice,alice used to report 100% agreement: one coder's labels compared with themselves
    for coders in (["alice", "alice"], ["alice", " alice", "bob"]):
        with pytest.raises(AnnotatorError, match="alice.*more than once"):
            project_agreement(store, scheme="tone", coders=coders, bootstrap=0)
