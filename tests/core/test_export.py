"""Export: round trips through the Store API, the selection rules, splits, atomic
writes, the label file, and the native record against its JSON Schema, pandas and
Hugging Face ``datasets``."""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import random
import shutil
import sqlite3
import tempfile
from collections import Counter
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.codebook import default_codebook_path, load_codebook
from annotator.core.errors import AnnotatorError
from annotator.core.export import ExportOptions, export, parse_split
from annotator.core.export.split import assign_conferences, year_of
from annotator.core.items import Item
from annotator.core.records import ConferenceExtent
from annotator.core.store import Store
from tests.helpers import copy_project, label_two_coders, new_project, read_jsonl, real_sources, source

SCHEMA = Path(__file__).resolve().parents[2] / "resources" / "export-record.schema.json"


# -- fixtures ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Path:
    return new_project(tmp_path_factory.mktemp("export") / "template.db", real_sources(corpus, 12))


@pytest.fixture
def labelled(template: Path, tmp_path: Path):
    with Store(copy_project(template, tmp_path / "p.db")) as store:
        expected = label_two_coders(store)
        yield store, expected


def uid_map(store: Store) -> dict[str, int]:
    return {r[0]: r[1] for r in store.db.execute("SELECT uid, id FROM items")}


# -- round trips -----------------------------------------------------------------------


def test_native_all_coders_carries_exactly_the_labels_made(labelled, tmp_path) -> None:
    store, expected = labelled
    out = tmp_path / "all.jsonl"
    summary = export(store, ExportOptions(), out)
    records = read_jsonl(out)
    assert store.items.count() > 100  # a real corpus, not a toy
    labelled_uids = {uid for uid, _ in expected}
    assert {r["uid"] for r in records} == labelled_uids
    got = {(r["uid"], a["coder"]): a["labels"] for r in records for a in r["annotations"]}
    assert got == expected
    assert summary.written == len(records) and summary.items == store.items.count()
    assert summary.left_out == Counter({"unlabelled": store.items.count() - len(labelled_uids)})
    # provenance leads back to the transcript and the item
    ids = uid_map(store)
    for r in records[:20]:
        item = store.items.get(ids[r["uid"]])
        assert (r["question"], r["answer"], r["source"]["seq"]) == (item["question"], item["answer"], item["seq"])
        src = store.db.execute("SELECT name, sha256 FROM sources WHERE id = ?", [item["source_id"]]).fetchone()
        assert (r["source"]["name"], r["source"]["sha256"]) == tuple(src)


def test_native_one_coder_and_text_choice(labelled, tmp_path) -> None:
    store, expected = labelled
    out = tmp_path / "alice.jsonl"
    export(store, ExportOptions(selection="coder", coder="alice", text="answer"), out)
    records = read_jsonl(out)
    mine = {uid: labels for (uid, coder), labels in expected.items() if coder == "alice"}
    assert {r["uid"]: {"topics": r["topics"], "tone": r["tone"]} for r in records} == mine
    assert all(r.get("question_stance") is None and "annotations" not in r for r in records)
    # the stance of the question applies to question-answer pairs only: no key on anything else
    assert all(("question_stance" in r) is (r["kind"] == "qa") for r in records)
    assert {r["kind"] for r in records} > {"qa"}
    assert all(r["text"] == r["answer"] for r in records)
    export(store, ExportOptions(selection="coder", coder="alice", text="pair"), out)
    pair = read_jsonl(out)[0]
    assert pair["text"] == (f"{pair['question']}\n\n{pair['answer']}" if pair["question"] else pair["answer"])


def test_gold_takes_decisions_then_unanimity_and_leaves_disagreements_out(template, tmp_path) -> None:
    with Store(copy_project(template, tmp_path / "g.db")) as store:
        s = store.labels.set
        s(1, "alice", "tone", "firm")                                              # unanimous
        s(1, "bob", "tone", "firm")
        s(2, "alice", "tone", "firm")                                              # open disagreement
        s(2, "bob", "tone", "warm")
        s(3, "alice", "tone", "firm")                                              # ... decided
        s(3, "bob", "tone", "warm")
        store.gold.set(3, "tone", "warm", decided_by="lead")
        s(4, "alice", "tone", "neutral")                                           # one coder only
        s(5, "alice", "topics", ["taiwan", "xinjiang"])                            # sets, not order
        s(5, "bob", "topics", ["xinjiang", "taiwan"])
        s(5, "carol", "topics", ["taiwan", "xinjiang"])
        s(6, "alice", "tone", "firm")
        s(6, "bob", "tone", "firm")
        s(6, "alice", "topics", ["taiwan"])                                        # one scheme disagrees
        s(6, "bob", "topics", [])
        out = tmp_path / "gold.jsonl"
        summary = export(store, ExportOptions(selection="gold"), out)
        got = {r["uid"]: r for r in read_jsonl(out)}
        uid = {v: k for k, v in uid_map(store).items()}
        assert set(got) == {uid[1], uid[3], uid[5]}
        assert got[uid[1]]["tone"] == "firm" and got[uid[1]]["topics"] is None
        assert got[uid[3]]["tone"] == "warm"
        assert sorted(got[uid[5]]["topics"]) == ["taiwan", "xinjiang"]
        assert summary.left_out["open disagreement"] == 2
        assert summary.left_out["labelled by one coder only"] == 1
        # unlabelled items come in on request; disagreements never do
        summary = export(store, ExportOptions(selection="gold", include_unlabelled=True), out)
        uids = {r["uid"] for r in read_jsonl(out)}
        assert uid[2] not in uids and uid[6] not in uids and uid[4] in uids
        assert len(uids) == store.items.count() - 2


# -- the record's documented shape, and the tools that read it ---------------------------


def test_native_records_match_the_json_schema(labelled, tmp_path) -> None:
    store, _ = labelled
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    validator.check_schema(schema)
    for options in (ExportOptions(include_unlabelled=True), ExportOptions(selection="gold"),
                    ExportOptions(selection="coder", coder="bob", text="question")):
        out = tmp_path / "n.jsonl"
        export(store, options, out)
        records = read_jsonl(out)
        assert records
        for r in records:
            validator.validate(r)
    # and the schema is not a rubber stamp
    bad = dict(records[0], tone=3)
    assert not validator.is_valid(bad)
    assert not validator.is_valid({k: v for k, v in records[0].items() if k != "source"})
    assert not validator.is_valid(dict(records[0], source={"name": "x"}))


def test_native_loads_with_pandas_and_hugging_face_datasets(labelled, tmp_path, monkeypatch) -> None:
    import pandas as pd

    store, expected = labelled
    out = tmp_path / "train.jsonl"
    summary = export(store, ExportOptions(), out)
    df = pd.read_json(out, lines=True)
    assert len(df) == summary.written
    assert {"uid", "text", "topics", "tone", "annotations", "source"} <= set(df.columns)
    # the schema's "format": "date" is what both tools make of it: a date, the same day
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["properties"]["date"]["format"] == "date"
    assert str(df["date"].dtype).startswith("datetime64")
    assert pd.read_json(out, lines=True, convert_dates=False)["date"][0] == read_jsonl(out)[0]["date"]
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    import datasets

    ds = datasets.load_dataset("json", data_files=str(out), split="train", cache_dir=str(tmp_path / "hf-cache"))
    assert ds.num_rows == summary.written
    assert ds.features["date"].dtype.startswith("timestamp")
    assert [d.date().isoformat() for d in ds["date"][:20]] == [r["date"] for r in read_jsonl(out)[:20]]
    assert [d.date() for d in ds["date"][:20]] == [d.date() for d in df["date"][:20]]
    first = ds[0]
    assert first["uid"] == df["uid"][0]
    assert isinstance(first["annotations"], list) and first["annotations"][0]["coder"] in ("alice", "bob")
    # gold records, whose scheme columns hold lists, strings and nulls, load too
    gold = tmp_path / "gold.jsonl"
    export(store, ExportOptions(selection="gold", include_unlabelled=True), gold)
    ds = datasets.load_dataset("json", data_files=str(gold), split="train", cache_dir=str(tmp_path / "hf-cache"))
    assert ds.num_rows == len(read_jsonl(gold))


def test_native_record_carries_the_item_s_meta_as_the_project_holds_it(tmp_path, corpus, monkeypatch) -> None:
    """``meta`` is what the importer kept of an item beside its own fields -- a White House call's
    moderator turns, every official who answered, a JSONL record's own id and URL -- as the
    project file holds it (read with sqlite3), null where it holds nothing; and the records
    still match the schema and load in Hugging Face ``datasets``."""
    from annotator.core.importers import parse_file

    mine = tmp_path / "mine.jsonl"
    mine.write_text(json.dumps({"question": "Q?", "answer": "A.", "id": "r-17", "url": "https://example.org/17"})
                    + "\n" + json.dumps({"question": "Q2?", "answer": "A2."}) + "\n", encoding="utf-8")
    pages = sorted((corpus / "real" / "whitehouse").glob("*.md"))[27:29]
    path = new_project(tmp_path / "meta.db", [*(parse_file(p) for p in pages), parse_file(mine)])
    out = tmp_path / "meta.jsonl"
    with Store(path) as store:
        export(store, ExportOptions(include_unlabelled=True), out)
    with contextlib.closing(sqlite3.connect(path)) as conn:
        stored = {uid: (json.loads(m) or None) if m else None for uid, m in conn.execute("SELECT uid, meta FROM items")}
    records = read_jsonl(out)
    assert {r["uid"]: r["meta"] for r in records} == stored
    held = [m for m in stored.values() if m is not None]
    assert len(held) >= 20 and len(held) < len(stored)  # real pages' meta, and items with none
    assert {"id": "r-17", "url": "https://example.org/17"} in held
    assert any(m.get("role") == "moderator" for m in held) and any(len(m.get("speakers", [])) > 1 for m in held)
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    for r in records:
        validator.validate(r)
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    import datasets

    ds = datasets.load_dataset("json", data_files=str(out), split="train", cache_dir=str(tmp_path / "hf-cache"))
    assert ds.num_rows == len(records)


# -- splits ----------------------------------------------------------------------------


def test_split_keeps_conferences_whole_and_is_reproducible(labelled, tmp_path) -> None:
    store, _ = labelled
    fractions = parse_split("train=0.6,dev=0.2,test=0.2")
    out = tmp_path / "data.jsonl"
    summary = export(store, ExportOptions(split=fractions, seed=3), out)
    parts = {name: read_jsonl(tmp_path / f"data.{name}.jsonl") for name in fractions}
    assert not out.exists()
    assert summary.per_split == {name: len(recs) for name, recs in parts.items()}
    owner: dict[str, str] = {}
    for name, recs in parts.items():
        for r in recs:
            assert owner.setdefault(r["source"]["sha256"], name) == name, "a conference in two splits"
    whole = tmp_path / "whole.jsonl"
    export(store, ExportOptions(), whole)
    assert sorted(r["uid"] for recs in parts.values() for r in recs) == sorted(r["uid"] for r in read_jsonl(whole))
    before = {name: (tmp_path / f"data.{name}.jsonl").read_bytes() for name in fractions}
    export(store, ExportOptions(split=fractions, seed=3), out)
    assert before == {name: (tmp_path / f"data.{name}.jsonl").read_bytes() for name in fractions}


def test_split_assignment_is_stratified_by_year_and_seeded() -> None:
    # 40 conferences a year for 5 years, of uneven sizes
    rng = random.Random(1)
    sources = [ConferenceExtent(f"{i:064x}", f"{2015 + i % 5}-03-01", rng.randint(5, 40)) for i in range(200)]
    fractions = {"train": 0.8, "dev": 0.1, "test": 0.1}
    where = assign_conferences(sources, fractions, seed=0)
    assert where == assign_conferences(list(reversed(sources)), fractions, seed=0)  # order of input is irrelevant
    for year in {year_of(d) for _, d, _ in sources}:
        members = [(sid, n) for sid, d, n in sources if year_of(d) == year]
        total = sum(n for _, n in members)
        biggest = max(n for _, n in members)
        for name, frac in fractions.items():
            got = sum(n for sid, n in members if where[sid] == name)
            assert abs(got - frac * total) <= biggest, (year, name, got, frac * total)
    others = [assign_conferences(sources, fractions, seed=s) for s in (1, 2)]
    assert all(o != where for o in others)


@pytest.mark.parametrize("seed", range(6))
def test_split_with_few_conferences_keeps_the_overall_proportions(seed) -> None:
    # ~20 conferences of varied sizes over 3 years: splitting each year on its own used to
    # leave e.g. train 8 / dev 26 / test 0 of 34 items with one conference a year.
    rng = random.Random(seed)
    sources = [ConferenceExtent(f"{rng.getrandbits(256):064x}", f"{2019 + i % 3}-05-0{1 + i % 9}", rng.randint(3, 60))
               for i in range(rng.randint(18, 22))]
    fractions = {"train": 0.8, "dev": 0.1, "test": 0.1}
    where = assign_conferences(sources, fractions, seed=seed)
    total = sum(n for *_, n in sources)
    biggest = max(n for *_, n in sources)
    for name, frac in fractions.items():
        got = sum(n for sid, *_, n in sources if where[sid] == name)
        # whole conferences: a split can miss its share by at most one conference
        assert abs(got - frac * total) <= biggest, (name, got, frac * total, biggest)
    assert {year_of(d) for sid, d, _ in sources if where[sid] == "train"} == {"2019", "2020", "2021"}
    one_a_year = [ConferenceExtent("a" * 64, "2019-01-01", 10), ConferenceExtent("b" * 64, "2020-01-01", 8),
                  ConferenceExtent("c" * 64, "2021-01-01", 9), ConferenceExtent("d" * 64, "2022-01-01", 7)]
    small = assign_conferences(one_a_year, fractions, seed=seed)
    assert sum(n for sid, *_, n in one_a_year if small[sid] == "train") >= 0.8 * 34 - 10


def test_split_with_two_parts_or_a_zero_fraction(labelled, tmp_path) -> None:
    store, _ = labelled
    for text in ("train=0.9,test=0.1", "train=0.9,dev=0,test=0.1"):
        fractions = parse_split(text)
        out = tmp_path / f"{len(fractions)}.jsonl"
        summary = export(store, ExportOptions(split=fractions, seed=5), out)
        counts = {name: len(read_jsonl(tmp_path / f"{len(fractions)}.{name}.jsonl")) for name in fractions}
        assert counts == summary.per_split
        assert counts.get("dev", 0) == 0 and counts["train"] > counts["test"] > 0, counts
    sources = [ConferenceExtent(f"{i:064x}", "2020-01-01", 1 + i % 7) for i in range(50)]
    where = assign_conferences(sources, {"train": 0.9, "dev": 0.0, "test": 0.1}, seed=1)
    assert "dev" not in where.values() and set(where.values()) == {"train", "test"}


@pytest.mark.parametrize("text", ["train=0.8,dev=0.1", "train=0.8;dev=0.2", "train=x,dev=0.5", "train=1", "a=0.5,a=0.5",
                                  "train=-0.2,dev=1.2", "Train=0.5,dev=0.5"])
def test_malformed_split_is_one_clear_error(text) -> None:
    with pytest.raises(AnnotatorError, match=r"^--split "):
        parse_split(text)


# -- writing safely ----------------------------------------------------------------------


def test_interrupted_or_cancelled_export_leaves_no_half_file(labelled, tmp_path) -> None:
    store, _ = labelled
    out = tmp_path / "keep.jsonl"
    out.write_text("previous export\n")

    def interrupt(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        export(store, ExportOptions(), out, progress=interrupt)
    assert out.read_text() == "previous export\n"
    summary = export(store, ExportOptions(split={"a": 0.5, "b": 0.5}), out, progress=lambda d, t: False)
    assert summary.cancelled and "cancelled" in summary.line()
    assert sorted(p.name for p in tmp_path.iterdir() if "keep" in p.name) == ["keep.jsonl"]
    seen = []
    export(store, ExportOptions(), out, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (store.items.count(), store.items.count())


def test_missing_output_folder_is_refused_before_work(labelled, tmp_path) -> None:
    store, _ = labelled
    with pytest.raises(AnnotatorError, match="no folder"):
        export(store, ExportOptions(), tmp_path / "nowhere" / "x.jsonl")
    with pytest.raises(AnnotatorError, match="is a folder"):
        export(store, ExportOptions(), tmp_path)


# -- the label file ----------------------------------------------------------------------


def test_label_file_has_the_documented_records_and_no_transcript_text(labelled, tmp_path) -> None:
    store, expected = labelled
    ids = uid_map(store)
    some_item = next(iter(ids.values()))
    store.labels.set_note(some_item, "alice", "check the date")
    store.labels.undo("alice")
    out = tmp_path / "alice.labels.jsonl"
    summary = export(store, ExportOptions(labels_file=True, selection="coder", coder="alice"), out)
    lines = read_jsonl(out)
    head, rest = lines[0], lines[1:]
    assert set(head) == {"annotator_labels", "project", "codebook", "exported_at"}
    assert head["annotator_labels"] == 1 and head["codebook"]["name"] == store.codebook().name
    states = [r for r in rest if "event" not in r]
    events = [r for r in rest if "event" in r]
    assert all(set(r) == {"uid", "coder", "labels", "note", "flag", "done", "seconds", "updated_at"} for r in states)
    assert all(set(r) == {"uid", "event"} for r in events)
    assert all(set(r["event"]) == {"uid", "coder", "field", "before", "after", "action", "ref_uid", "at", "seconds"}
               for r in events)
    assert {r["uid"]: r["labels"] for r in states if r["labels"]} == {
        uid: labels for (uid, coder), labels in expected.items() if coder == "alice"}
    assert {r["coder"] for r in states} == {"alice"} and {r["event"]["coder"] for r in events} == {"alice"}
    assert len(events) == len(store.labels.history(coder="alice")) == summary.events
    undo = [r["event"] for r in events if r["event"]["action"] == "undo"]
    assert len(undo) == 1 and undo[0]["ref_uid"] in {r["event"]["uid"] for r in events}
    text = out.read_text(encoding="utf-8")
    for item_id in list(ids.values())[:30]:
        answer = store.items.get(item_id)["answer"]
        assert len(answer) < 20 or answer not in text
    assert out.stat().st_size < 200 * len(rest) + 20_000  # small enough to e-mail


# -- export --labels, then merge into a fresh copy: the same labels ----------------------

SMALL_ITEMS = 4
CODERS = ("alice", "bob")


def small_template() -> Path:
    path = Path(tempfile.gettempdir()) / f"annotator-export-small-{os.getpid()}.db"
    if not path.exists():
        atexit.register(path.unlink, missing_ok=True)
        new_project(path, [source("c.txt", [Item("qa", i, f"Q{i}?", f"A{i}.", "AFP", "Mao Ning", "2020-01-02")
                                            for i in range(SMALL_ITEMS)], date="2020-01-02", sha256="ab" * 32)])
    return path


_cb = load_codebook(default_codebook_path())
_op = st.one_of(
    st.tuples(st.just("toggle"), st.integers(1, SMALL_ITEMS), st.sampled_from(CODERS),
              st.sampled_from(_cb.scheme("topics").values[:4])),
    st.tuples(st.just("tone"), st.integers(1, SMALL_ITEMS), st.sampled_from(CODERS),
              st.sampled_from([*_cb.scheme("tone").values, None])),
    st.tuples(st.just("note"), st.integers(1, SMALL_ITEMS), st.sampled_from(CODERS), st.sampled_from(["", "odd", "?"])),
    st.tuples(st.just("flag"), st.integers(1, SMALL_ITEMS), st.sampled_from(CODERS), st.booleans()),
    st.tuples(st.just("undo"), st.just(1), st.sampled_from(CODERS), st.just(None)),
)


def _state(store: Store) -> dict:
    ids = {v: k for k, v in uid_map(store).items()}
    out = {}
    for item_id, uid in ids.items():
        for coder in CODERS:
            a = store.labels.annotation(item_id, coder)
            out[(uid, coder)] = (a.labels, a.note, a.flag, a.done)
    return out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=st.lists(_op, min_size=1, max_size=25))
def test_label_file_merged_into_a_fresh_copy_gives_the_same_labels(ops) -> None:
    from annotator.core.merge import merge_file

    with tempfile.TemporaryDirectory() as tmp:
        coder_db = Path(tmp) / "coder.db"
        lead_db = Path(tmp) / "lead.db"
        shutil.copy(small_template(), coder_db)
        shutil.copy(small_template(), lead_db)
        with Store(coder_db) as coder:
            for kind, item_id, who, arg in ops:
                if kind == "toggle":
                    coder.labels.toggle(item_id, who, "topics", arg)
                elif kind == "tone":
                    coder.labels.set(item_id, who, "tone", arg)
                elif kind == "note":
                    coder.labels.set_note(item_id, who, arg)
                elif kind == "flag":
                    coder.labels.set_flag(item_id, who, arg)
                else:
                    coder.labels.undo(who)
            labels = Path(tmp) / "coder.labels.jsonl"
            export(coder, ExportOptions(labels_file=True), labels)
            want = _state(coder)
        with Store(lead_db) as lead:
            merge_file(lead, labels)
            assert _state(lead) == want
            merge_file(lead, labels)  # idempotent
            assert _state(lead) == want


# -- the native record's text ------------------------------------------------------------


TRICKY = ['"', "\\", "\n", "\t", "\r", "\x01", "\x1f", "\x7f", "\u2028", "\u2029", "é", "中", "😀", "</", "\\u", " ", "a"]


def test_native_lines_are_exactly_what_the_json_encoder_writes(tmp_path) -> None:
    """The native writer puts each line together from pieces (``export/native.py``): every line
    must be the bytes the encoder writes for the record it parses to, whatever the text holds
    (escapes, control characters, line separators, astral characters, empty fields, None)."""
    rng = random.Random(5)

    def text(n: int) -> str:
        return "".join(rng.choice(TRICKY) for _ in range(rng.randint(0, n)))

    items = [Item("statement", 0, "", text(30), None, None, None)]
    # follow-ups and an importer's meta too: meta is the one field of any depth the writer encodes whole
    items += [Item("qa", i, text(30), text(40) if i % 7 else "", text(6) or None, text(6) or None, "2021-12-09",
                   follow_up_of=i - 1 if i % 5 == 0 else None,
                   meta={text(5): text(10), "n": i, "speakers": [text(4), None]} if i % 3 == 0 else {})
              for i in range(1, 60)]
    path = new_project(tmp_path / "tricky.db", [source("tricky \"name\" \\ 中.txt", items, date="2021-12-09")])
    with Store(path) as store:
        label_two_coders(store, seed=3)
        for item_id in (1, 2, 3):
            store.labels.set_note(item_id, "alice", text(20))
        encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        for options in (ExportOptions(include_unlabelled=True), ExportOptions(selection="gold", provenance=True),
                        ExportOptions(text="answer"), ExportOptions(text="question", with_translation=True),
                        ExportOptions(selection="coder", coder="bob")):
            out = tmp_path / "out.jsonl"
            export(store, options, out)
            lines = out.read_text(encoding="utf-8").split("\n")
            assert lines[-1] == "" and len(lines) > 10
            for line in lines[:-1]:
                assert line == encode(json.loads(line))
