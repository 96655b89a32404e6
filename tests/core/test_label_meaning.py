"""What a coder's label means, one table for every path that reads it.

Each case is one item: what each coder's label row for one scheme is (none, an option
ticked and unticked again, an explicit empty set, a value) and whether they marked the
item done. The table says, independently of the code, the value each coder gave and
what the coders' values add up to; the store, the agreement input, review, gold and
every export format must all say the same.

The meaning (``Scheme.given``): a label row is the coder's value, an explicit ``[]``
included ("none of these"); a multi-choice scheme with no row on an item the coder
marked done is the empty set; anything else without a row is no label. Unticking the
last option leaves no row.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from annotator.core.agreement.project import coder_values, scheme_ratings
from annotator.core.export import ExportOptions, export
from annotator.core.export.rows import DISAGREEMENT, ONE_CODER, UNLABELLED
from annotator.core.review import accept_unanimous, disagreements, unanimous
from annotator.core.store import Store
from tests.helpers import sample_source

AGREE = "unanimous"
T, X = ["taiwan"], ["xinjiang"]
CODERS = ("alice", "bob")


@dataclass(frozen=True)
class Case:
    scheme: str
    coders: dict[str, tuple[str, bool]]  # coder -> (their label row: none | unticked | empty | an option, done?)
    given: dict[str, Any]  # coder -> the value they gave (coders who gave none are absent)
    outcome: str  # AGREE, DISAGREEMENT, ONE_CODER or UNLABELLED
    value: Any = None  # the unanimous value


CASES = [
    # multi-choice: no row is no label unless the coder marked the item done
    Case("topics", {"alice": ("none", False)}, {}, UNLABELLED),
    Case("topics", {"alice": ("unticked", False)}, {}, UNLABELLED),
    Case("topics", {"alice": ("none", True)}, {"alice": []}, ONE_CODER),
    Case("topics", {"alice": ("unticked", True)}, {"alice": []}, ONE_CODER),
    Case("topics", {"alice": ("empty", False)}, {"alice": []}, ONE_CODER),
    Case("topics", {"alice": ("empty", True)}, {"alice": []}, ONE_CODER),
    Case("topics", {"alice": ("taiwan", False)}, {"alice": T}, ONE_CODER),
    Case("topics", {"alice": ("taiwan", True)}, {"alice": T}, ONE_CODER),
    Case("topics", {"alice": ("none", False), "bob": ("none", False)}, {}, UNLABELLED),
    Case("topics", {"alice": ("none", True), "bob": ("none", True)}, {"alice": [], "bob": []}, AGREE, []),
    Case("topics", {"alice": ("none", True), "bob": ("empty", False)}, {"alice": [], "bob": []}, AGREE, []),
    Case("topics", {"alice": ("empty", False), "bob": ("empty", False)}, {"alice": [], "bob": []}, AGREE, []),
    Case("topics", {"alice": ("taiwan", True), "bob": ("taiwan", False)}, {"alice": T, "bob": T}, AGREE, T),
    Case("topics", {"alice": ("taiwan", False), "bob": ("none", False)}, {"alice": T}, ONE_CODER),
    Case("topics", {"alice": ("taiwan", False), "bob": ("none", True)}, {"alice": T, "bob": []}, DISAGREEMENT),
    Case("topics", {"alice": ("taiwan", False), "bob": ("unticked", True)}, {"alice": T, "bob": []}, DISAGREEMENT),
    Case("topics", {"alice": ("empty", True), "bob": ("taiwan", True)}, {"alice": [], "bob": T}, DISAGREEMENT),
    Case("topics", {"alice": ("taiwan", True), "bob": ("xinjiang", True)}, {"alice": T, "bob": X}, DISAGREEMENT),
    # single-choice: no row is missing, however the item is marked
    Case("tone", {"alice": ("none", False)}, {}, UNLABELLED),
    Case("tone", {"alice": ("none", True)}, {}, UNLABELLED),
    Case("tone", {"alice": ("unticked", True)}, {}, UNLABELLED),
    Case("tone", {"alice": ("firm", False)}, {"alice": "firm"}, ONE_CODER),
    Case("tone", {"alice": ("firm", True)}, {"alice": "firm"}, ONE_CODER),
    Case("tone", {"alice": ("none", True), "bob": ("none", True)}, {}, UNLABELLED),
    Case("tone", {"alice": ("firm", True), "bob": ("firm", False)}, {"alice": "firm", "bob": "firm"}, AGREE, "firm"),
    Case("tone", {"alice": ("firm", True), "bob": ("none", True)}, {"alice": "firm"}, ONE_CODER),
    Case("tone", {"alice": ("firm", False), "bob": ("warm", True)}, {"alice": "firm", "bob": "warm"}, DISAGREEMENT),
]
SCHEMES = ("topics", "tone")
OPTION = {"topics": "taiwan", "tone": "firm"}  # what "unticked" ticks and unticks again


def _write(store: Store, item_id: int, scheme: str, coder: str, row: str, done: bool) -> None:
    """Make the coder's label row what the case says, through the store's own write paths."""
    if row == "unticked":
        store.labels.toggle(item_id, coder, scheme, OPTION[scheme])
        store.labels.toggle(item_id, coder, scheme, OPTION[scheme])
    elif row == "empty":
        store.labels.set(item_id, coder, scheme, [])
    elif row != "none":
        store.labels.toggle(item_id, coder, scheme, row)
    if done:
        store.labels.set_done(item_id, coder)
    elif row == "none":
        store.labels.set_note(item_id, coder, "looked, left it")  # a coder who touched the item, labelled nothing


def _stored(row: str, scheme: str) -> Any:
    """The label row the case asks for, as the store must hold it."""
    if row in ("none", "unticked"):
        return None
    if row == "empty":
        return []
    return [row] if scheme == "topics" else row


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Case]]:
    """One item per case; returns the project and {item uid: case}."""
    path = tmp_path_factory.mktemp("meaning") / "meaning.db"
    by_uid = {}
    with Store(path, create=True) as store:
        store.items.add_source(sample_source(sha="e" * 64, n=len(CASES), name="meaning.txt"))
        ids = [r[0] for r in store.db.execute("SELECT id FROM items ORDER BY id")]
        for item_id, case in zip(ids, CASES, strict=True):
            for coder, (row, done) in case.coders.items():
                _write(store, item_id, case.scheme, coder, row, done)
            by_uid[store.items.get(item_id)["uid"]] = case
    return path, by_uid


def expected_given(cases: dict[str, Case], scheme: str, coder: str | None = None) -> dict[tuple[str, str], Any]:
    return {
        (uid, c): v for uid, case in cases.items() if case.scheme == scheme
        for c, v in case.given.items() if coder in (None, c)
    }


def expected_consensus(cases: dict[str, Case], scheme: str) -> dict[str, Any]:
    return {uid: case.value for uid, case in cases.items() if case.scheme == scheme and case.outcome == AGREE}


def _in_scheme(cases: dict[str, Case], scheme: str, found: dict) -> dict:
    """Keep what a path says about the scheme's cases: a done mark in a case of the other
    scheme makes values of this one too (every multi-choice scheme of a done item)."""
    return {k: v for k, v in found.items() if cases[k[0] if isinstance(k, tuple) else k].scheme == scheme}


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _export(store: Store, tmp_path: Path, name: str, **options: Any) -> tuple[Any, Path]:
    out = tmp_path / name
    return export(store, ExportOptions(**options), out), out


def _prodigy_values(record: dict, scheme: str) -> list[str]:
    """The accepted options of a Prodigy record, whose ids are ``scheme:option``."""
    assert all(a.startswith(f"{scheme}:") for a in record["accept"]), record["accept"]
    return [a.removeprefix(f"{scheme}:") for a in record["accept"]]


def _docbin(folder: Path, scheme: str) -> dict[str, set[str]]:
    """{uid: the options on} of a DocBin export (cats are ``scheme:option``; an absent scheme is unknown)."""
    import spacy
    from spacy.tokens import DocBin

    docs = DocBin().from_disk(folder / "corpus.spacy").get_docs(spacy.blank("en").vocab)
    prefix = f"{scheme}:"
    return {d.user_data["uid"]: {k.removeprefix(prefix) for k, v in d.cats.items() if v == 1.0 and k.startswith(prefix)}
            for d in docs if any(k.startswith(prefix) for k in d.cats)}


def _one_hot(scheme: str, value: Any) -> set[str]:
    return set(value) if scheme == "topics" else {value}


# -- the paths --------------------------------------------------------------------------


def test_the_store_holds_the_rows_the_case_asks_for(project) -> None:
    path, cases = project
    with Store(path, readonly=True) as store:
        for uid, case in cases.items():
            item_id = store.items.id_for_uid(uid)
            for coder, (row, done) in case.coders.items():
                ann = store.labels.annotation(item_id, coder)
                assert ann.labels.get(case.scheme) == _stored(row, case.scheme), (case, coder)
                assert (case.scheme in ann.labels) == (_stored(row, case.scheme) is not None)  # unticked: no row
                assert ann.done is done


@pytest.mark.parametrize("scheme", SCHEMES)
def test_agreement_input_reads_the_values_given(project, scheme) -> None:
    path, cases = project
    with Store(path, readonly=True) as store:
        sch = store.codebook().scheme(scheme)
        values = {(uid, c): v for uid, by in coder_values(store, sch).items() for c, v in by.items()}
        assert _in_scheme(cases, scheme, values) == expected_given(cases, scheme)
        ratings = {(uid, c): v for uid, by in scheme_ratings(store, sch).items() for c, v in by.items()}
        want = {k: frozenset(v) if scheme == "topics" else v for k, v in expected_given(cases, scheme).items()}
        assert _in_scheme(cases, scheme, ratings) == want


@pytest.mark.parametrize("scheme", SCHEMES)
def test_review_finds_the_disagreements_and_the_unanimous(project, scheme) -> None:
    path, cases = project
    with Store(path, readonly=True) as store:
        found = {d.uid: d.values for d in disagreements(store, scheme=scheme)}
        want = {uid: case.given for uid, case in cases.items() if case.scheme == scheme and case.outcome == DISAGREEMENT}
        assert _in_scheme(cases, scheme, found) == want
        agreed = {store.items.get(i)["uid"]: v for i, _s, v in unanimous(store, scheme=scheme)}
        assert _in_scheme(cases, scheme, agreed) == expected_consensus(cases, scheme)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_export_says_what_each_coder_gave(project, scheme, tmp_path) -> None:
    path, cases = project
    with Store(path, readonly=True) as store:
        stem = store.path.stem
        for coder in (None, *CODERS):  # None: every coder
            want = expected_given(cases, scheme, coder)
            selection = {"selection": "coder", "coder": coder} if coder else {"selection": "all"}

            # native: --coder gives the coder's values; --all-coders the state merge reads back
            _, out = _export(store, tmp_path, "n.jsonl", scheme=scheme, **selection)
            if coder:
                native = {(r["uid"], coder): r[scheme] for r in _jsonl(out)}
            else:
                native = {}
                for r in _jsonl(out):
                    for entry in r["annotations"]:
                        case = cases[r["uid"]]
                        row, done = case.coders.get(entry["coder"], ("none", False))
                        assert entry["done"] is done
                        if case.scheme == scheme:
                            assert entry["labels"].get(scheme) == _stored(row, scheme)
                        if (r["uid"], entry["coder"]) in want:
                            native[(r["uid"], entry["coder"])] = want[(r["uid"], entry["coder"])]
            assert _in_scheme(cases, scheme, native) == want, ("native", coder)

            _, out = _export(store, tmp_path, "p.jsonl", format="prodigy", scheme=scheme, **selection)
            prodigy = {}
            for r in _jsonl(out):
                who = r["_annotator_id"].removeprefix(f"{stem}-")
                accepted = _prodigy_values(r, scheme)
                prodigy[(r["meta"]["uid"], who)] = accepted if scheme == "topics" else accepted[0]
                case = cases[r["meta"]["uid"]]
                if case.scheme == scheme:
                    row, _done = case.coders.get(who, ("none", False))
                    assert r["meta"].get("from_done", False) is (_stored(row, scheme) is None)
            assert _in_scheme(cases, scheme, prodigy) == want, ("prodigy", coder)

            # Label Studio: annotations owned by the coders' users, or (no users) predictions
            users = {c: f"{c}@lab.org" for c in CODERS}
            for ls_users in (users, None):
                _, out = _export(store, tmp_path, "ls.json", format="labelstudio", scheme=scheme, ls_users=ls_users,
                                 **selection)
                studio = {}
                for task in json.loads(out.read_text(encoding="utf-8")):
                    owned = [(ann["completed_by"]["email"].split("@")[0], ann) for ann in task["annotations"]]
                    made = [(p["model_version"], p) for p in task.get("predictions", [])]
                    assert not (made if ls_users else owned)  # one or the other, as --ls-users says
                    for who, ann in owned + made:
                        for result in ann["result"]:
                            assert result["from_name"] == scheme
                            choices = result["value"]["choices"]
                            studio[(task["data"]["uid"], who)] = choices if scheme == "topics" else choices[0]
                        case = cases[task["data"]["uid"]]
                        if case.scheme == scheme:
                            row, _done = case.coders.get(who, ("none", False))
                            implied = scheme in task["meta"].get("from_done", {}).get(who, [])
                            assert implied is (_stored(row, scheme) is None)
                assert _in_scheme(cases, scheme, studio) == want, ("labelstudio", coder, ls_users)

            if coder:
                _, out = _export(store, tmp_path, "s.jsonl", format="spacy-jsonl", scheme=scheme, **selection)
                spacy = {(r["meta"]["uid"], coder): {k for k, v in r["cats"].items() if v == 1.0} for r in _jsonl(out)}
                assert _in_scheme(cases, scheme, spacy) == {k: _one_hot(scheme, v) for k, v in want.items()}
                _, out = _export(store, tmp_path, f"docbin-{coder}", format="spacy", scheme=scheme, **selection)
                docbin = {(uid, coder): on for uid, on in _docbin(out, scheme).items()}
                assert _in_scheme(cases, scheme, docbin) == {k: _one_hot(scheme, v) for k, v in want.items()}


def _outcome(case: Case, scheme: str) -> str:
    """Why an item falls short of gold for ``scheme`` (AGREE: it does not). An item of the other
    scheme's cases has no row for this one: for topics, each coder who marked it done gave []."""
    if case.scheme == scheme:
        return case.outcome
    done = sum(d for _row, d in case.coders.values()) if scheme == "topics" else 0
    return {0: UNLABELLED, 1: ONE_CODER}.get(done, AGREE)


def _gold_exports(store: Store, scheme: str, tmp_path: Path) -> dict[str, dict[str, Any]]:
    """{format: {item uid: the consensus value}} of every export format's --gold."""
    cases_out: dict[str, dict[str, Any]] = {}
    summary, out = _export(store, tmp_path, "g.jsonl", selection="gold", scheme=scheme)
    cases_out["native"] = {r["uid"]: r[scheme] for r in _jsonl(out)}
    cases_out["native left out"] = dict(summary.left_out)
    _, out = _export(store, tmp_path, "gp.jsonl", format="prodigy", selection="gold", scheme=scheme)
    cases_out["prodigy"] = {
        r["meta"]["uid"]: (lambda a: a if scheme == "topics" else a[0])(_prodigy_values(r, scheme)) for r in _jsonl(out)
    }
    _, out = _export(store, tmp_path, "gls.json", format="labelstudio", selection="gold", scheme=scheme)
    cases_out["labelstudio"] = {
        t["data"]["uid"]: (lambda c: c if scheme == "topics" else c[0])(a["result"][0]["value"]["choices"])
        for t in json.loads(out.read_text(encoding="utf-8")) for a in t["annotations"]
    }
    _, out = _export(store, tmp_path, "gs.jsonl", format="spacy-jsonl", selection="gold", scheme=scheme)
    cases_out["spacy"] = {r["meta"]["uid"]: {k for k, v in r["cats"].items() if v == 1.0} for r in _jsonl(out)}
    _, out = _export(store, tmp_path, "gold-docbin", format="spacy", selection="gold", scheme=scheme)
    cases_out["spacy docbin"] = _docbin(out, scheme)
    return cases_out


@pytest.mark.parametrize("scheme", SCHEMES)
def test_gold_exports_and_accepting_the_unanimous_agree(project, scheme, tmp_path) -> None:
    template, cases = project
    path = tmp_path / "gold.db"
    with Store(template, readonly=True) as source:
        source.sync.backup(path)
    want = expected_consensus(cases, scheme)
    short = Counter(o for o in (_outcome(c, scheme) for c in cases.values()) if o != AGREE)
    with Store(path) as store:
        for when in ("before accepting", "after accepting"):
            got = _gold_exports(store, scheme, tmp_path)
            assert _in_scheme(cases, scheme, got["native"]) == want, when
            assert _in_scheme(cases, scheme, got["prodigy"]) == want, when
            assert _in_scheme(cases, scheme, got["labelstudio"]) == want, when
            assert _in_scheme(cases, scheme, got["spacy"]) == {u: _one_hot(scheme, v) for u, v in want.items()}, when
            assert _in_scheme(cases, scheme, got["spacy docbin"]) == {u: _one_hot(scheme, v) for u, v in want.items()}, when
            assert got["native left out"] == short, when
            if when == "before accepting":
                accept_unanimous(store, "lead", scheme=scheme)
                gold = {
                    store.items.get(i)["uid"]: store.gold.of(i)[scheme]["value"]
                    for i, s in store.gold.decided() if s == scheme
                }
                assert _in_scheme(cases, scheme, gold) == want
