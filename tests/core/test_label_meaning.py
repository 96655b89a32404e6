"""What a coder's label means, one table for every path that reads it.

Each case is one item and one scheme of a codebook that has every kind of scheme:
single- or multi-choice, required or not, applying to every kind of item or to
question-answer pairs only. For each coder the table says what they did to the
scheme -- nothing, an option ticked and unticked again, an explicit empty set, an
option -- whether they pressed Enter (done), and where they did it: in the coding
session on the project, or in a copy of it merged back from a label file or a
database whose codebook has the scheme, lacks it, or applies it to every kind.
It says, independently of the code, the value each coder gave (or that it is
missing, or not applicable), the item's status in the coder's list, and what the
coders' values add up to; the store, the session's done key, the list, agreement
and its counts, review, gold and every export format must all say the same.

The rule (``Scheme.given``): a label row is the coder's value, an explicit ``[]``
included ("none of these"), which the done key writes for each multi-choice scheme
on screen with nothing ticked; no row is missing, however the item is marked; a
scheme that does not apply to the item's kind is not applicable, whatever row is
left. Enter is refused while a required scheme that applies has no value; a done
mark brought by a merge that leaves a required scheme without one is "incomplete".

Each scheme's cases get a project of their own, so every count (agreement's units,
the export's left-out reasons, the gold accepted) is the table's for that scheme.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.core.agreement.project import coder_values, project_agreement, scheme_ratings
from annotator.core.codebook import (
    MISSING,
    NOT_APPLICABLE,
    Codebook,
    default_codebook_path,
    load_codebook,
    parse_codebook,
)
from annotator.core.errors import Incomplete
from annotator.core.export import ExportOptions, export
from annotator.core.export.rows import DISAGREEMENT, ONE_CODER, UNLABELLED
from annotator.core.export.rows import NOT_APPLICABLE as LEFT_OUT_NOT_APPLICABLE
from annotator.core.filters import Filter
from annotator.core.items import KINDS, Item, Source
from annotator.core.merge import merge_files
from annotator.core.review import accept_unanimous, disagreements, unanimous
from annotator.core.session import CodingSession
from annotator.core.store import Store
from tests.helpers import new_project, older_project, real_sources, sample_source

AGREE = "unanimous"
RECORD = jsonschema.Draft202012Validator(json.loads(
    (Path(__file__).resolve().parents[2] / "resources" / "export-record.schema.json").read_text(encoding="utf-8")))
NA = NOT_APPLICABLE  # what the table says of a scheme that does not apply to the item's kind
CODERS = ("alice", "bob")

# Where a coder did their work.
WINDOW = "window"  # the coding session on the project itself
STORE = "store"  # an explicit [] through the store's API, then the session
FILE = "file"  # a copy with the same codebook, merged back as a label file
LACKING = "file lacking"  # a copy whose codebook lacks the scheme, merged back as a label file
DB_LACKING = "db lacking"  # the same, merged back as the coder's database itself
EVERYWHERE = "file everywhere"  # a copy whose codebook applies the scheme to every kind, label file

CODEBOOK = "\n".join(
    ['name = "every kind of scheme"']
    + [
        f'[[schemes]]\nname = "{name}"\nkind = "{kind}"\nrequired = {str(required).lower()}\n'
        + ('applies_to = ["qa"]\n' if qa_only else "")
        + '[[schemes.options]]\nvalue = "a"\n[[schemes.options]]\nvalue = "b"\n'
        for name, kind, required, qa_only in [
            ("m_req", "multi", True, False), ("m_opt", "multi", False, False),
            ("m_req_qa", "multi", True, True), ("m_qa", "multi", False, True),
            ("s_req", "single", True, False), ("s_opt", "single", False, False),
            ("s_req_qa", "single", True, True), ("s_qa", "single", False, True),
        ]
    ]
)


@dataclass(frozen=True)
class Coder:
    row: str  # what they did to the scheme: none | unticked | empty | an option ("a", "b")
    done: bool  # pressed Enter
    via: str = WINDOW


@dataclass(frozen=True)
class Case:
    scheme: str
    kind: str  # the item's kind
    coders: dict[str, Coder]
    expect: dict[str, tuple[Any, str]]  # coder -> (the value they gave, MISSING or NA; their list status)
    outcome: str  # AGREE, DISAGREEMENT, ONE_CODER, UNLABELLED or NA
    value: Any = None  # the unanimous value


def C(row: str, done: bool = True, via: str = WINDOW) -> Coder:
    return Coder(row, done, via)


A = {"alice": C}
CASES = [
    # -- multi-choice, optional, every kind -------------------------------------------------
    Case("m_opt", "qa", {"alice": C("none", False)}, {"alice": (MISSING, "labelled")}, UNLABELLED),
    Case("m_opt", "qa", {"alice": C("none")}, {"alice": ([], "done")}, ONE_CODER),  # Enter: "none of these"
    Case("m_opt", "qa", {"alice": C("unticked")}, {"alice": ([], "done")}, ONE_CODER),
    Case("m_opt", "qa", {"alice": C("unticked", False)}, {"alice": (MISSING, "labelled")}, UNLABELLED),
    Case("m_opt", "qa", {"alice": C("a")}, {"alice": (["a"], "done")}, ONE_CODER),
    Case("m_opt", "qa", {"alice": C("empty", False, STORE)}, {"alice": ([], "labelled")}, ONE_CODER),
    Case("m_opt", "statement", {"alice": C("none"), "bob": C("none")},
         {"alice": ([], "done"), "bob": ([], "done")}, AGREE, []),
    Case("m_opt", "qa", {"alice": C("a"), "bob": C("none")},
         {"alice": (["a"], "done"), "bob": ([], "done")}, DISAGREEMENT),
    Case("m_opt", "qa", {"alice": C("none", True, FILE), "bob": C("none")},
         {"alice": ([], "done"), "bob": ([], "done")}, AGREE, []),  # the file says [] explicitly
    Case("m_opt", "qa", {"alice": C("none", True, LACKING), "bob": C("none")},
         {"alice": (MISSING, "done"), "bob": ([], "done")}, ONE_CODER),  # alice never had the scheme
    Case("m_opt", "qa", {"alice": C("none", True, LACKING), "bob": C("none", True, DB_LACKING)},
         {"alice": (MISSING, "done"), "bob": (MISSING, "done")}, UNLABELLED),  # never "100 % agreement"
    Case("m_opt", "reported", {"alice": C("a", True, FILE), "bob": C("a")},
         {"alice": (["a"], "done"), "bob": (["a"], "done")}, AGREE, ["a"]),
    # -- multi-choice, optional, question-answer pairs only ------------------------------------
    Case("m_qa", "statement", {"alice": C("none"), "bob": C("a", True, EVERYWHERE)},
         {"alice": (NA, "done"), "bob": (NA, "done")}, NA),  # bob's row, from a file, does not apply here
    Case("m_qa", "qa", {"alice": C("none"), "bob": C("none")},
         {"alice": ([], "done"), "bob": ([], "done")}, AGREE, []),
    Case("m_qa", "statement", {"alice": C("a")}, {"alice": (NA, "done")}, NA),  # the key of a hidden scheme
    # -- multi-choice, required, every kind ------------------------------------------------------
    Case("m_req", "qa", {"alice": C("none")}, {"alice": (MISSING, "labelled")}, UNLABELLED),  # Enter refused
    Case("m_req", "qa", {"alice": C("a")}, {"alice": (["a"], "done")}, ONE_CODER),
    Case("m_req", "qa", {"alice": C("empty", True, STORE)}, {"alice": ([], "labelled")}, ONE_CODER),  # refused
    Case("m_req", "qa", {"alice": C("none", True, LACKING)}, {"alice": (MISSING, "incomplete")}, UNLABELLED),
    Case("m_req", "statement", {"alice": C("a"), "bob": C("b")},
         {"alice": (["a"], "done"), "bob": (["b"], "done")}, DISAGREEMENT),
    Case("m_req", "qa", {"alice": C("a", False), "bob": C("a")},
         {"alice": (["a"], "labelled"), "bob": (["a"], "done")}, AGREE, ["a"]),
    # -- multi-choice, required, question-answer pairs only --------------------------------------
    Case("m_req_qa", "statement", {"alice": C("none")}, {"alice": (NA, "done")}, NA),  # nothing to require
    Case("m_req_qa", "qa", {"alice": C("none")}, {"alice": (MISSING, "labelled")}, UNLABELLED),  # refused
    Case("m_req_qa", "qa", {"alice": C("none", True, LACKING)}, {"alice": (MISSING, "incomplete")}, UNLABELLED),
    # -- single-choice, optional, every kind -----------------------------------------------------
    Case("s_opt", "qa", {"alice": C("none")}, {"alice": (MISSING, "done")}, UNLABELLED),  # never an empty value
    Case("s_opt", "qa", {"alice": C("unticked")}, {"alice": (MISSING, "done")}, UNLABELLED),
    Case("s_opt", "qa", {"alice": C("a")}, {"alice": ("a", "done")}, ONE_CODER),
    Case("s_opt", "statement", {"alice": C("none"), "bob": C("none")},
         {"alice": (MISSING, "done"), "bob": (MISSING, "done")}, UNLABELLED),
    Case("s_opt", "qa", {"alice": C("a"), "bob": C("b", False)},
         {"alice": ("a", "done"), "bob": ("b", "labelled")}, DISAGREEMENT),
    Case("s_opt", "qa", {"alice": C("a"), "bob": C("a", True, FILE)},
         {"alice": ("a", "done"), "bob": ("a", "done")}, AGREE, "a"),
    Case("s_opt", "qa", {"alice": C("a"), "bob": C("none", True, LACKING)},
         {"alice": ("a", "done"), "bob": (MISSING, "done")}, ONE_CODER),
    # -- single-choice, required, every kind -----------------------------------------------------
    Case("s_req", "qa", {"alice": C("none")}, {"alice": (MISSING, "labelled")}, UNLABELLED),  # Enter refused
    Case("s_req", "qa", {"alice": C("a")}, {"alice": ("a", "done")}, ONE_CODER),
    Case("s_req", "qa", {"alice": C("none", True, DB_LACKING)}, {"alice": (MISSING, "incomplete")}, UNLABELLED),
    Case("s_req", "reported", {"alice": C("a"), "bob": C("a", True, FILE)},
         {"alice": ("a", "done"), "bob": ("a", "done")}, AGREE, "a"),
    # -- single-choice, optional, question-answer pairs only -------------------------------------
    Case("s_qa", "statement", {"alice": C("none"), "bob": C("a", True, EVERYWHERE)},
         {"alice": (NA, "done"), "bob": (NA, "done")}, NA),
    Case("s_qa", "reported", {"alice": C("a")}, {"alice": (NA, "done")}, NA),  # the key of a hidden scheme
    # -- single-choice, required, question-answer pairs only -------------------------------------
    Case("s_req_qa", "statement", {"alice": C("none")}, {"alice": (NA, "done")}, NA),
    Case("s_req_qa", "qa", {"alice": C("none")}, {"alice": (MISSING, "labelled")}, UNLABELLED),  # refused
    Case("s_req_qa", "qa", {"alice": C("a"), "bob": C("a")},
         {"alice": ("a", "done"), "bob": ("a", "done")}, AGREE, "a"),
]
SCHEMES = sorted({c.scheme for c in CASES})


def _given(case: Case) -> dict[str, Any]:
    """The values the coders gave (the table's, without the missing and not applicable)."""
    return {c: v for c, (v, _status) in case.expect.items() if v not in (MISSING, NA)}


def _refused(case: Case, coder: str) -> bool:
    """Enter was pressed but the item is not done: a required scheme on screen had no value."""
    return case.coders[coder].done and case.expect[coder][1] not in ("done", "incomplete")


# -- building: one project per scheme, the coders' work done as the table says ----------------


def _source(cases: list[Case]) -> Source:
    items = [
        Item(case.kind, seq, "" if case.kind == "statement" else f"Question {seq}?", f"Answer {seq}.",
             None if case.kind == "statement" else "Reuters", "Wang Wenbin", "2021-12-09")
        for seq, case in enumerate(cases)
    ]
    return Source(name="meaning.txt", sha256="e" * 64, kind="transcript", title="Meaning", date="2021-12-09", items=items)


def _copy_codebook(codebook: Codebook, scheme: str, via: str) -> Codebook:
    if via in (LACKING, DB_LACKING):
        return replace(codebook, schemes=tuple(s for s in codebook.schemes if s.name != scheme))
    if via == EVERYWHERE:
        return replace(codebook, schemes=tuple(
            replace(s, applies_to=KINDS) if s.name == scheme else s for s in codebook.schemes
        ))
    return codebook


def _work(store: Store, item_id: int, coder: str, scheme: str, me: Coder) -> tuple[bool, str | None]:
    """One coder's work on one item through the coding session, as the table says: every other
    required scheme that applies gets option "a" (the coder touched the item), then the case's
    scheme, then Enter. Returns (the scheme's key did something, the scheme Enter said is missing)."""
    if me.row == "empty":
        store.labels.set(item_id, coder, scheme, [])
    session = CodingSession(store, coder)
    assert session.open(item_id)
    kind = session.item["kind"]
    for other in session.codebook.schemes:
        if other.name != scheme and other.required and other.applies(kind):
            assert session.toggle(other.name, "a")
    keyed = True
    if me.row == "unticked":
        keyed = session.toggle(scheme, "a") and session.toggle(scheme, "a")
    elif me.row not in ("none", "empty"):
        keyed = session.toggle(scheme, me.row)
    missing = None
    if me.done:
        try:
            session.done_and_next()
        except Incomplete as e:
            missing = e.scheme
    assert session.finish()
    return keyed, missing


@dataclass
class Built:
    path: Path
    cases: dict[str, Case]  # item uid -> case
    keyed: dict[tuple[str, str], bool]  # (uid, coder) -> the scheme's key did something
    missing: dict[tuple[str, str], str | None]  # (uid, coder) -> the scheme Enter said is missing


_BUILT: dict[str, Built] = {}


@pytest.fixture
def built(request, tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The project of one scheme's cases (``request.param``), built once per scheme."""
    scheme = request.param
    if scheme in _BUILT:
        return _BUILT[scheme]
    cases = [c for c in CASES if c.scheme == scheme]
    folder = tmp_path_factory.mktemp(scheme)
    codebook = parse_codebook(CODEBOOK, "the table's codebook")
    path = folder / "project.db"
    with Store(path, create=True) as store:
        store.set_codebook(codebook)
        store.items.add_source(_source(cases))
        uids = [store.items.get(i)["uid"] for i in range(1, len(cases) + 1)]
        store.checkpoint()
    copies: dict[str, Path] = {}
    for via in sorted({me.via for c in cases for me in c.coders.values()} - {WINDOW, STORE}):
        copies[via] = folder / f"{via.replace(' ', '-')}.db"
        with Store(path, readonly=True) as store:
            store.sync.backup(copies[via])
        with Store(copies[via]) as copy:
            copy.set_codebook(_copy_codebook(codebook, scheme, via))
    keyed: dict[tuple[str, str], bool] = {}
    missing: dict[tuple[str, str], str | None] = {}
    for item_id, (uid, case) in enumerate(zip(uids, cases, strict=True), 1):
        for coder, me in case.coders.items():
            where = path if me.via in (WINDOW, STORE) else copies[me.via]
            with Store(where) as store:
                keyed[(uid, coder)], missing[(uid, coder)] = _work(store, item_id, coder, scheme, me)
    files = []
    for via, copy in copies.items():
        if via == DB_LACKING:
            files.append(copy)
            continue
        with Store(copy, readonly=True) as store:
            export(store, ExportOptions(labels_file=True), copy.with_suffix(".labels.jsonl"))
        files.append(copy.with_suffix(".labels.jsonl"))
    if files:
        with Store(path) as store:
            merge_files(store, files, backup=False)
    _BUILT[scheme] = Built(path, dict(zip(uids, cases, strict=True)), keyed, missing)
    return _BUILT[scheme]


per_scheme = pytest.mark.parametrize("built", SCHEMES, indirect=True)


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _export(store: Store, tmp_path: Path, name: str, **options: Any) -> tuple[Any, Path]:
    out = tmp_path / name
    return export(store, ExportOptions(**options), out), out


def _want(built: Built, coder: str | None = None) -> dict[tuple[str, str], Any]:
    """{(uid, coder): the value they gave} of the table, for one coder or all."""
    return {(uid, c): v for uid, case in built.cases.items() for c, v in _given(case).items() if coder in (None, c)}


def _consensus(built: Built) -> dict[str, Any]:
    return {uid: case.value for uid, case in built.cases.items() if case.outcome == AGREE}


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


def _one_hot(value: Any) -> set[str]:
    return set(value) if isinstance(value, list) else {value}


# -- the paths ---------------------------------------------------------------------------------


@per_scheme
def test_the_store_and_the_done_key_do_what_the_table_says(built: Built) -> None:
    with Store(built.path, readonly=True) as store:
        sch = store.scheme(built.cases[next(iter(built.cases))].scheme)
        for uid, case in built.cases.items():
            item_id = store.items.id_for_uid(uid)
            for coder, (value, _status) in case.expect.items():
                ann = store.labels.annotation(item_id, coder)
                row = ann.labels.get(sch.name)
                assert sch.meaning(row, kind=case.kind) == (
                    value if value in (MISSING, NA) else "empty" if value == [] else "value"), (case, coder)
                if value not in (MISSING, NA):
                    assert row == value, (case, coder)  # a value, and an empty set, is a row of its own
                elif value == MISSING:
                    assert row is None, (case, coder)  # missing: no row, never an implicit []
                me = case.coders[coder]
                assert built.missing[(uid, coder)] == (sch.name if _refused(case, coder) else None), (case, coder)
                assert ann.done is (me.done and not _refused(case, coder)), (case, coder)
                applies = sch.applies(case.kind) or me.via == EVERYWHERE
                assert built.keyed[(uid, coder)] is (applies or me.row in ("none", "empty")), (case, coder)


@per_scheme
def test_the_coders_list_says_done_incomplete_or_labelled(built: Built) -> None:
    with Store(built.path, readonly=True) as store:
        for coder in CODERS:
            mine = {uid: case for uid, case in built.cases.items() if coder in case.expect}
            ids = {store.items.id_for_uid(uid): uid for uid in mine}
            rows = store.browse.list_rows(list(ids), coder)
            assert {ids[i]: r.status for i, r in rows.items()} == {u: c.expect[coder][1] for u, c in mine.items()}
            done = sum(c.expect[coder][1] == "done" for c in mine.values())
            labelled = sum(c.expect[coder][1] in ("done", "labelled") for c in mine.values())
            assert store.browse.progress(coder)["labelled"] == labelled  # an incomplete item is still to do
            reopened = [i for i, u in ids.items() if mine[u].expect[coder][1] == "incomplete"]
            if reopened:  # "next" comes back to an item the codebook reopened
                assert store.browse.next_unlabelled(Filter(), coder, min(reopened) - 1) == min(reopened)
            to_do = set(store.browse.item_ids(Filter(status="unlabelled"), coder)) & set(ids)
            assert to_do == set(reopened)  # done or labelled items are not "to do"; reopened ones are
            assert done <= labelled


@per_scheme
def test_agreement_reads_the_values_given_and_says_what_it_counted(built: Built) -> None:
    with Store(built.path, readonly=True) as store:
        scheme = built.cases[next(iter(built.cases))].scheme
        sch = store.scheme(scheme)
        values = {(uid, c): v for uid, by in coder_values(store, sch).items() for c, v in by.items()}
        assert values == _want(built)
        ratings = {(uid, c): v for uid, by in scheme_ratings(store, sch).items() for c, v in by.items()}
        assert ratings == {k: frozenset(v) if sch.multi else v for k, v in _want(built).items()}
        result = project_agreement(store, scheme=scheme, bootstrap=0)[scheme]
        cases = list(built.cases.values())
        compared = [c for c in cases if len(_given(c)) >= 2]
        missing = Counter(coder for c in cases for coder, (v, _s) in c.expect.items() if v == MISSING)
        assert result["units"] == {
            "compared": len(compared),
            "not_applicable": sum(c.outcome == NA for c in cases),
            "missing": sum(missing.values()),
            "missing_by_coder": dict(sorted(missing.items())),
            "empty_on_every_side": sum(c.value == [] for c in compared if c.outcome == AGREE) if sch.multi else None,
        }
        assert result["items"] == len(compared)


@per_scheme
def test_review_finds_the_disagreements_and_the_unanimous(built: Built) -> None:
    with Store(built.path, readonly=True) as store:
        scheme = built.cases[next(iter(built.cases))].scheme
        found = {d.uid: d.values for d in disagreements(store, scheme=scheme)}
        assert found == {uid: _given(c) for uid, c in built.cases.items() if c.outcome == DISAGREEMENT}
        agreed = {store.items.get(i)["uid"]: v for i, _s, v in unanimous(store, scheme=scheme)}
        assert agreed == _consensus(built)


@per_scheme
def test_every_export_says_what_each_coder_gave(built: Built, tmp_path: Path) -> None:
    with Store(built.path, readonly=True) as store:
        scheme = built.cases[next(iter(built.cases))].scheme
        sch = store.scheme(scheme)
        stem = store.path.stem
        for coder in (None, *sorted({c for case in built.cases.values() for c in case.coders})):  # None: every coder
            want = _want(built, coder)
            selection = {"selection": "coder", "coder": coder} if coder else {"selection": "all"}

            _, out = _export(store, tmp_path, "n.jsonl", scheme=scheme, include_unlabelled=True, **selection)
            native = {}
            for r in _jsonl(out):
                RECORD.validate(r)
                case = built.cases[r["uid"]]
                assert (scheme in r) is (case.outcome != NA), case  # not applicable: no key at all
                if coder and r.get(scheme) is not None:
                    native[(r["uid"], coder)] = r[scheme]
                for entry in r.get("annotations", []):
                    given = _given(case).get(entry["coder"])
                    assert entry["labels"].get(scheme) == given, (case, entry)
                    if given is not None:
                        native[(r["uid"], entry["coder"])] = given
            assert native == want, ("native", coder)

            _, out = _export(store, tmp_path, "p.jsonl", format="prodigy", scheme=scheme, **selection)
            prodigy = {}
            for r in _jsonl(out):
                who = r["_annotator_id"].removeprefix(f"{stem}-")
                accepted = _prodigy_values(r, scheme)
                prodigy[(r["meta"]["uid"], who)] = accepted if sch.multi else accepted[0]
                assert "from_done" not in r["meta"]  # every value is a row of the coder's own now
            assert prodigy == want, ("prodigy", coder)

            # Label Studio: annotations owned by the coders' users, or (no users) predictions
            users = {c: f"{c}@lab.org" for c in CODERS}
            for ls_users in (users, None):
                _, out = _export(store, tmp_path, "ls.json", format="labelstudio", scheme=scheme, ls_users=ls_users,
                                 **selection)
                studio = {}
                for task in json.loads(out.read_text(encoding="utf-8")):
                    assert "from_done" not in task["meta"]
                    owned = [(ann["completed_by"]["email"].split("@")[0], ann) for ann in task["annotations"]]
                    made = [(p["model_version"], p) for p in task.get("predictions", [])]
                    assert not (made if ls_users else owned)  # one or the other, as --ls-users says
                    for who, ann in owned + made:
                        for result in ann["result"]:
                            assert result["from_name"] == scheme
                            choices = result["value"]["choices"]
                            studio[(task["data"]["uid"], who)] = choices if sch.multi else choices[0]
                assert studio == want, ("labelstudio", coder, ls_users)

            if coder:
                _, out = _export(store, tmp_path, "s.jsonl", format="spacy-jsonl", scheme=scheme, **selection)
                spacy = {(r["meta"]["uid"], coder): {k for k, v in r["cats"].items() if v == 1.0} for r in _jsonl(out)}
                assert spacy == {k: _one_hot(v) for k, v in want.items()}, ("spacy-jsonl", coder)
                _, out = _export(store, tmp_path, f"docbin-{coder}", format="spacy", scheme=scheme, **selection)
                docbin = {(uid, coder): on for uid, on in _docbin(out, scheme).items()}
                assert docbin == {k: _one_hot(v) for k, v in want.items()}, ("spacy", coder)


def _gold_exports(store: Store, scheme: str, multi: bool, tmp_path: Path) -> dict[str, Any]:
    """{format: {item uid: the consensus value}} of every export format's --gold."""
    got: dict[str, Any] = {}
    summary, out = _export(store, tmp_path, "g.jsonl", selection="gold", scheme=scheme, provenance=True)
    records = _jsonl(out)
    for r in records:
        RECORD.validate(r)  # the schema file says what the record holds, provenance included
    got["native"] = {r["uid"]: r[scheme] for r in records}
    got["provenance"] = {r["uid"]: r["provenance"][scheme] for r in records}
    got["native left out"] = dict(summary.left_out)
    _, out = _export(store, tmp_path, "gp.jsonl", format="prodigy", selection="gold", scheme=scheme)
    got["prodigy"] = {r["meta"]["uid"]: (lambda a: a if multi else a[0])(_prodigy_values(r, scheme)) for r in _jsonl(out)}
    _, out = _export(store, tmp_path, "gls.json", format="labelstudio", selection="gold", scheme=scheme)
    got["labelstudio"] = {
        t["data"]["uid"]: (lambda c: c if multi else c[0])(a["result"][0]["value"]["choices"])
        for t in json.loads(out.read_text(encoding="utf-8")) for a in t["annotations"]
    }
    summary, out = _export(store, tmp_path, "gs.jsonl", format="spacy-jsonl", selection="gold", scheme=scheme)
    got["spacy"] = {r["meta"]["uid"]: {k for k, v in r["cats"].items() if v == 1.0} for r in _jsonl(out)}
    got["spacy not applicable"] = summary.left_out[LEFT_OUT_NOT_APPLICABLE]
    _, out = _export(store, tmp_path, "gold-docbin", format="spacy", selection="gold", scheme=scheme)
    got["spacy docbin"] = _docbin(out, scheme)
    return got


@per_scheme
@pytest.mark.parametrize("skip_empty", [False, True])
def test_gold_exports_and_accepting_the_unanimous_agree(built: Built, skip_empty: bool, tmp_path: Path) -> None:
    path = tmp_path / "gold.db"
    with Store(built.path, readonly=True) as source:
        source.sync.backup(path)
        scheme = built.cases[next(iter(built.cases))].scheme
    cases = list(built.cases.values())
    want = _consensus(built)
    reasons = {DISAGREEMENT: DISAGREEMENT, ONE_CODER: ONE_CODER, UNLABELLED: UNLABELLED, NA: LEFT_OUT_NOT_APPLICABLE}
    short = Counter(reasons[c.outcome] for c in cases if c.outcome != AGREE)
    empties = {uid for uid, v in want.items() if v == []}
    with Store(path) as store:
        multi = store.scheme(scheme).multi
        got = _gold_exports(store, scheme, multi, tmp_path)
        for fmt in ("native", "prodigy", "labelstudio"):
            assert got[fmt] == want, fmt
        assert got["spacy"] == got["spacy docbin"] == {u: _one_hot(v) for u, v in want.items()}
        assert got["native left out"] == short
        assert got["spacy not applicable"] == sum(c.outcome == NA for c in cases)
        assert got["provenance"] == {
            uid: {"value": v, "method": "unanimous", "taken_from": None, "decided_by": None, "decided_at": None,
                  "reason": "", "coders": _given(built.cases[uid])}
            for uid, v in want.items()
        }

        result = accept_unanimous(store, "lead", scheme=scheme, skip_empty=skip_empty)
        accepted = {u: v for u, v in want.items() if not (skip_empty and u in empties)}
        assert result["accepted"] == len(accepted)
        assert (result["empty_sets"], result["skipped_empty"]) == ((0, len(empties)) if skip_empty else (len(empties), 0))
        gold = {store.items.get(i)["uid"]: store.gold.of(i)[scheme] for i, s in store.gold.decided() if s == scheme}
        assert {u: g["value"] for u, g in gold.items()} == accepted
        for uid, g in gold.items():  # where each gold value came from, recorded as it was decided
            assert (g["method"], g["taken_from"], g["decided_by"]) == ("unanimous", None, "lead")
            assert g["coder_values"] == _given(built.cases[uid])

        after = _gold_exports(store, scheme, multi, tmp_path)
        for fmt in ("native", "prodigy", "labelstudio"):
            assert after[fmt] == want, fmt  # a skipped empty set is still the coders' unanimous value
        for uid in accepted:
            assert after["provenance"][uid]["decided_by"] == "lead"


# -- older projects ------------------------------------------------------------------------------
#
# Before empty sets were explicit, a done item's untouched multi-choice scheme counted as []. The
# upgrade keeps that only where the coder was coding the scheme (a value on another item);
# elsewhere it is missing. Item 1 is a statement, 2-5 question-answer pairs (sample_source).

OLD_LABELS = [
    (2, "alice", "topics", ["taiwan"]), (2, "alice", "tone", "firm"),
    (3, "alice", "tone", "firm"),  # done below with no topics: alice codes topics (item 2) -> []
    (4, "alice", "rhetoric", []),  # an explicit [] of the older version is evidence too
    (2, "bob", "tone", "warm"), (3, "bob", "tone", "warm"),  # bob never gave topics or rhetoric a value
    (5, "carol", "topics", ["covid"]),  # carol does not mark 4 done: nothing is written for it
]
OLD_DONE = [(2, "alice"), (3, "alice"), (4, "alice"), (2, "bob"), (3, "bob"), (1, "bob")]
OLD_MEANS = {  # (item, coder, scheme) -> what the upgraded project holds; every other row as it was
    (3, "alice", "topics"): [], (2, "alice", "rhetoric"): [], (3, "alice", "rhetoric"): [],
    (4, "alice", "topics"): [],
}


def _rows(store: Store) -> dict[tuple[int, str, str], Any]:
    return {(r.item_id, r.coder, r.scheme): r.value for r in store.labels.rows()}


def test_an_older_project_keeps_an_empty_set_only_where_the_coder_was_coding_the_scheme(tmp_path, capsys) -> None:
    old = older_project(tmp_path / "old.db", [sample_source()], OLD_LABELS, OLD_DONE)
    with Store(old) as store:  # opening upgrades it in place, silently
        rows = _rows(store)
        assert rows == {**{(i, c, s): v for i, c, s, v in OLD_LABELS}, **OLD_MEANS}
        migrated = [e for e in store.labels.history() if e["action"] == "migrate"]
        assert sorted((e["item_id"], e["coder"], e["field"], e["after"]) for e in migrated) == sorted(
            (i, c, s, v) for (i, c, s), v in OLD_MEANS.items())
        assert all(e["before"] is None for e in migrated)
        topics, rhetoric = store.scheme("topics"), store.scheme("rhetoric")
        values = coder_values(store, rhetoric)
        assert "bob" not in {c for by in values.values() for c in by}  # bob never coded rhetoric: missing
        assert coder_values(store, topics)[store.items.get(3)["uid"]] == {"alice": []}
    assert capsys.readouterr() == ("", "")


def test_two_copies_of_an_older_project_upgraded_apart_merge_without_duplicates(tmp_path) -> None:
    first = older_project(tmp_path / "first.db", [sample_source()], OLD_LABELS, OLD_DONE)
    second = tmp_path / "second.db"
    second.write_bytes(first.read_bytes())
    with Store(first) as a:
        before = len(a.labels.history())
    with Store(second):
        pass  # upgraded on its own, at another moment
    with Store(first) as a:
        (summary,) = merge_files(a, [second], backup=False)[1]
        assert (summary.labels_added, summary.labels_updated, summary.events_added) == (0, 0, 0)
        assert len(a.labels.history()) == before


def test_a_coder_database_of_an_older_version_merges_by_the_same_rule(tmp_path) -> None:
    old = older_project(tmp_path / "alice.db", [sample_source()], OLD_LABELS, OLD_DONE)
    project = new_project(tmp_path / "project.db", [sample_source()])
    with Store(project) as store:
        merge_files(store, [old], backup=False)
        assert _rows(store) == {**{(i, c, s): v for i, c, s, v in OLD_LABELS}, **OLD_MEANS}
    untouched = sqlite3.connect(old)  # read through an upgraded copy: the coder's file is left as it was
    assert untouched.execute("SELECT count(*) FROM labels").fetchone()[0] == len(OLD_LABELS)
    untouched.close()


# -- the real corpus -------------------------------------------------------------------------------


def test_on_the_real_corpus_a_scheme_nobody_coded_is_missing_and_never_gold(corpus, tmp_path) -> None:
    """Two coders of an older version coded a few hundred real pairs, topics and tone, never the
    rhetorical acts, and marked every item done; the lead merges their databases. Once that
    counted as 100 % agreement on "none of these" and as thousands of empty gold labels. Now
    rhetoric is missing for both, agreement says so, and accepting the unanimous makes no gold of
    it; the topics they left empty on items, while coding topics elsewhere, stay an agreed empty
    set, and are counted as such."""
    sources = real_sources(corpus, n_files=30, every=2)
    n = sum(len(s.items) for s in sources)
    assert n >= 250
    labels, done = [], []
    topics = load_codebook(default_codebook_path()).scheme("topics").values
    for item_id in range(1, n + 1):
        for coder in CODERS:
            if item_id % 7:  # every seventh item: both left topics empty
                labels.append((item_id, coder, "topics", [topics[item_id % len(topics)]]))
            labels.append((item_id, coder, "tone", "firm" if coder == "alice" or item_id % 3 else "neutral"))
            done.append((item_id, coder))
    path = new_project(tmp_path / "project.db", sources)
    coders = [older_project(tmp_path / f"{c}.db", sources, [x for x in labels if x[1] == c], [x for x in done if x[1] == c])
              for c in CODERS]
    run = CliRunner().invoke
    merged = run(cli, ["merge", str(path), *map(str, coders)])  # each read through an upgraded copy
    assert merged.exit_code == 0, merged.output
    result = run(cli, ["agreement", str(path), "--json", "--bootstrap", "0"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    rhetoric, topic = figures["rhetoric"]["units"], figures["topics"]["units"]
    assert figures["rhetoric"]["items"] == 0 and figures["rhetoric"]["percent_agreement"] is None
    assert rhetoric["compared"] == 0 and rhetoric["missing_by_coder"] == {"alice": n, "bob": n}
    empty = sum(1 for i in range(1, n + 1) if i % 7 == 0)
    assert topic["compared"] == n and topic["empty_on_every_side"] == empty
    table = run(cli, ["agreement", str(path), "--bootstrap", "0"]).output
    assert f"0 units compared, 0 not applicable, {2 * n} missing (alice {n}, bob {n})" in table
    assert f"({empty} of {n} compared: empty sets on every side)" in table
    kinds = Counter(it.kind for s in sources for it in s.items)
    assert figures["question_stance"]["units"]["not_applicable"] == kinds["statement"] + kinds["reported"]
    gold = run(cli, ["gold", str(path), "--accept-unanimous", "--json"])
    assert gold.exit_code == 0, gold.output
    accepted = json.loads(gold.output)
    assert "rhetoric" not in accepted["per_scheme"]
    assert accepted["empty_sets"] == empty  # the topics both left empty, said as such
    with Store(path, readonly=True) as store:
        assert not [s for _i, s in store.gold.decided() if s == "rhetoric"]
