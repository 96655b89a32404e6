"""Ratings built from the store: what counts as a coder's value, and the wiring to the metrics."""

from __future__ import annotations

import pytest

from annotator.core.agreement import scheme_agreement
from annotator.core.agreement.project import project_agreement, scheme_ratings
from annotator.core.errors import AnnotatorError


def _ids(store):
    return [r[0] for r in store.assignments.strata()]


def test_an_empty_set_is_a_value_only_where_a_row_says_so(store):
    a, b, c = _ids(store)[1:4]  # question-answer pairs
    store.labels.set(a, "alice", "rhetoric", ["threat"])
    store.labels.set(a, "bob", "rhetoric", ["threat"])
    for coder in ("alice", "bob"):
        store.labels.set(b, coder, "topics", ["taiwan"])
        store.labels.set(b, coder, "tone", "firm")
        store.labels.set(b, coder, "question_stance", "neutral")
    store.labels.set_done(b, "alice")  # Enter with rhetoric on screen, nothing ticked: "none of these"
    store.labels.set(b, "bob", "rhetoric", ["criticism"])
    store.labels.set(c, "bob", "rhetoric", ["criticism"])  # alice never saw c: missing
    sch = store.codebook().scheme("rhetoric")
    ratings = scheme_ratings(store, sch)
    uid = {i: store.items.get(i)["uid"] for i in (a, b, c)}
    assert ratings[uid[b]] == {"alice": frozenset(), "bob": frozenset({"criticism"})}
    assert ratings[uid[c]] == {"bob": frozenset({"criticism"})}
    store.labels.set(c, "bob", "topics", ["covid"])
    store.labels.set(c, "bob", "tone", "firm")
    store.labels.set(c, "bob", "question_stance", "neutral")
    store.labels.set_done(c, "bob")  # done with rhetoric already given: nothing added
    assert scheme_ratings(store, sch)[uid[c]] == {"bob": frozenset({"criticism"})}
    # single-choice: a done item's tone is what the coder chose, never an empty value
    assert scheme_ratings(store, store.codebook().scheme("tone")) == {uid[b]: {"alice": "firm", "bob": "firm"},
                                                                     uid[c]: {"bob": "firm"}}
    units = project_agreement(store, scheme="rhetoric", bootstrap=0)["rhetoric"]["units"]
    assert units == {"compared": 2, "not_applicable": 0, "missing": 0, "missing_by_coder": {},
                     "empty_on_every_side": 0}
    store.labels.set(c, "alice", "tone", "warm")  # alice works on c, leaves rhetoric: missing for her
    units = project_agreement(store, scheme="rhetoric", bootstrap=0)["rhetoric"]["units"]
    assert (units["missing"], units["missing_by_coder"]) == (1, {"alice": 1})


def test_a_scheme_that_does_not_apply_is_not_applicable_never_missing(store):
    statement, qa = _ids(store)[:2]
    for coder in ("alice", "bob"):
        store.labels.set(statement, coder, "tone", "neutral")
        store.labels.set(qa, coder, "question_stance", "hostile")
    result = project_agreement(store, scheme="question_stance", bootstrap=0)["question_stance"]
    assert result["units"] == {"compared": 1, "not_applicable": 1, "missing": 0, "missing_by_coder": {},
                               "empty_on_every_side": None}
    with pytest.raises(AnnotatorError, match="does not apply to statement items"):
        store.labels.set(statement, "alice", "question_stance", "hostile")


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
    assert {k: v for k, v in got.items() if k != "units"} == expected
    assert got["units"] == {"compared": 4, "not_applicable": 0, "missing": 0, "missing_by_coder": {},
                            "empty_on_every_side": None}
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
