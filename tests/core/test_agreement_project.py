"""Ratings built from the store: what counts as a coder's value, and the wiring to the metrics."""

from __future__ import annotations

import random

import pytest

from annotator.core.agreement import scheme_agreement
from annotator.core.agreement.project import coder_values, project_agreement, scheme_ratings
from annotator.core.codebook import MISSING, NOT_APPLICABLE, default_codebook_path, parse_codebook
from annotator.core.errors import AnnotatorError
from annotator.core.records import AnnotationRow, LabelUpsert, MergePlan
from annotator.core.report import build_report
from annotator.core.store import Store
from tests.helpers import mark_done, new_project, sample_source


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
    assert {k: v for k, v in got.items() if k not in ("units", "why_no_alpha")} == expected
    assert got["why_no_alpha"] is None  # there is an alpha
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


def test_where_there_is_no_alpha_the_command_says_why_as_the_report_does(store):
    # 'annotator agreement' printed a table of dashes ("coders none") and no word of why.
    from annotator.core.agreement.project import agreement_table

    a, b = _ids(store)[1:3]
    store.labels.set(a, "alice", "tone", "firm")
    store.labels.set(b, "bob", "tone", "firm")
    store.labels.set(a, "alice", "question_stance", "neutral")
    for coder in ("alice", "bob"):
        store.labels.set(a, coder, "topics", ["taiwan"])
        store.labels.set(b, coder, "topics", ["taiwan"] if coder == "alice" else ["covid"])
    results = project_agreement(store, bootstrap=0)
    report = {name: s["row"]["note"] for name, s in build_report(store, bootstrap=0)["schemes"].items()}
    assert results["tone"]["why_no_alpha"].startswith("alice and bob gave Tone of the answer values, but never to the same item")
    assert results["question_stance"]["why_no_alpha"].startswith("Only alice has given")
    assert results["rhetoric"]["why_no_alpha"].startswith("No coder has given")
    assert results["topics"]["alpha"] is not None and results["topics"]["why_no_alpha"] is None
    for name in ("tone", "question_stance", "rhetoric", "topics"):
        assert results[name]["why_no_alpha"] == report[name]  # one wording, the report's
    table = agreement_table(results)
    assert results["tone"]["why_no_alpha"] in table and results["rhetoric"]["why_no_alpha"] in table


def test_a_coder_named_twice_is_refused_not_measured_against_herself(store):
    ids = _ids(store)
    store.labels.set(ids[0], "alice", "tone", "firm")
    store.labels.set(ids[0], "bob", "tone", "warm")
    # alice,alice used to report 100% agreement: one coder's labels compared with themselves
    for coders in (["alice", "alice"], ["alice", " alice", "bob"]):
        with pytest.raises(AnnotatorError, match="alice.*more than once"):
            project_agreement(store, scheme="tone", coders=coders, bootstrap=0)


def test_an_ordered_scheme_with_a_value_its_codebook_lacks_is_named_not_a_bare_error(store):
    ids = _ids(store)
    for item, (a, b) in zip(ids[1:4], [("warm", "warm"), ("warm", "firm"), ("firm", "firm")], strict=True):
        store.labels.set(item, "alice", "tone", a)
        store.labels.set(item, "bob", "tone", b)
        store.labels.set(item, "alice", "topics", ["taiwan"])
        store.labels.set(item, "bob", "topics", ["taiwan"])
    # the lead renames an option and forces it through: the three 'warm' labels are kept as they are
    renamed = parse_codebook(default_codebook_path().read_text(encoding="utf-8")
                             .replace('value = "warm"', 'value = "cordial"'), "renamed.toml")
    store.set_codebook(renamed, force=True)
    # it said "values outside the ordered codebook options: ['warm']": no project, no scheme, no way out
    with pytest.raises(AnnotatorError) as error:
        project_agreement(store, bootstrap=0)
    assert str(error.value) == (
        f"{store.path}: 3 labels of the ordered scheme 'tone' use 'warm', which its codebook lacks: its ordinal "
        "alpha needs each value's place in the order (put the option back with 'annotator codebook DB --set "
        "FILE', or measure the other schemes with --scheme)")
    with pytest.raises(AnnotatorError, match="3 labels of the ordered scheme 'tone' use 'warm'"):
        build_report(store, bootstrap=0)
    assert project_agreement(store, scheme="topics", bootstrap=0)["topics"]["items"] == 3  # the way out works


def _per_row_figures(store, scheme, coders=None):
    """The oracle: every label row read one by one (``coder_values``, through ``Scheme.given``),
    the metrics' own coding of the ratings, and the units counted item by item."""
    values = coder_values(store, scheme, coders)
    ratings = {uid: {c: scheme.category(v) for c, v in by.items()} for uid, by in values.items()}
    figures = scheme_agreement(ratings, kind=scheme.kind, options=scheme.values, ordered=scheme.ordered,
                               coders=coders, bootstrap=200, seed=3)
    kinds = {label.item_id: (label.uid, label.kind) for label in store.labels.rows()}
    worked = {(label.item_id, label.coder) for label in store.labels.rows()}
    for mark in store.labels.done_marks():
        worked.add((mark.item_id, mark.coder))
        kinds.setdefault(mark.item_id, (mark.uid, store.items.get(mark.item_id)["kind"]))
    not_applicable, missing = set(), {}
    for item_id, coder in worked:
        if coders is not None and coder not in coders:
            continue
        uid, kind = kinds[item_id]
        meaning = scheme.meaning(values.get(uid, {}).get(coder), kind=kind)
        if meaning == NOT_APPLICABLE:
            not_applicable.add(uid)
        elif meaning == MISSING:
            missing[coder] = missing.get(coder, 0) + 1
    compared = [by for by in values.values() if len(by) >= 2]
    figures["units"] = {
        "compared": len(compared), "not_applicable": len(not_applicable), "missing": sum(missing.values()),
        "missing_by_coder": dict(sorted(missing.items())),
        "empty_on_every_side": sum(all(v == [] for v in by.values()) for by in compared) if scheme.multi else None,
    }
    return figures


def test_the_bulk_read_gives_the_figures_of_reading_row_by_row(tmp_path):
    """project_agreement reads labels in bulk and decodes each distinct value once; on a project
    with statements, empty sets, done marks, a coder with only done marks, values a forced merge
    kept and a label a merge left on a kind the scheme does not apply to, every figure is the
    one the row-by-row reading gives."""
    path = new_project(tmp_path / "p.db", [sample_source(f"{n:x}" * 64, n=12, name=f"c{n}.txt") for n in range(1, 6)])
    rng = random.Random(11)
    with Store(path) as store:
        cb = store.codebook()
        ids = [r[0] for r in store.assignments.strata()]
        kinds = {i: store.items.get(i)["kind"] for i in ids}
        for item_id in ids:
            for coder in ("alice", "bob", "carol"):
                if rng.random() < 0.25:
                    continue
                for sch in cb.applying(kinds[item_id]):
                    if rng.random() < 0.8:
                        value = rng.sample(sch.values[:4], rng.randint(0, 2)) if sch.multi else rng.choice(sch.values[:3])
                        if value != []:
                            store.labels.set(item_id, coder, sch.name, value)
                if rng.random() < 0.5:
                    mark_done(store, item_id, coder)
        statement = next(i for i in ids if kinds[i] == "statement")
        uid = store.items.get(statement)["uid"]
        at = "2026-01-01T00:00:00.000000Z"
        dora = [AnnotationRow(store.items.get(i)["uid"], "dora", "", 0, 1, 0.0, at) for i in ids[::4]]
        store.sync.apply(MergePlan(annotation_rows=dora, label_upserts=[  # dora's file: done marks only
            LabelUpsert(uid, "alice", "question_stance", '"hostile"', at, at),  # a kind it does not apply to
            LabelUpsert(uid, "bob", "topics", '["taiwan", "moon_landing"]', at, at),  # kept by --force
            LabelUpsert(uid, "carol", "topics", '["moon_landing", "taiwan"]', at, at),
        ]))
        for coders in (None, ["carol", "alice"], ["bob", "dora"]):
            got = project_agreement(store, coders=coders, bootstrap=200, seed=3)
            for sch in cb.schemes:
                figures = {k: v for k, v in got[sch.name].items() if k != "why_no_alpha"}  # words, not a figure
                assert figures == _per_row_figures(store, sch, coders), (sch.name, coders)
                assert (got[sch.name]["why_no_alpha"] is None) == (figures["alpha"] is not None)
        assert got["topics"]["units"]["missing_by_coder"]["dora"] == len(ids[::4])
        assert project_agreement(store, bootstrap=0)["question_stance"]["units"]["not_applicable"] > 0
