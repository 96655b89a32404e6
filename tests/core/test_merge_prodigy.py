"""Prodigy's db-out back through merge: bad answers are one line naming the record, nothing merged."""

from __future__ import annotations

import json

import pytest

from annotator.core.errors import AnnotatorError
from annotator.core.export import ExportOptions, export
from annotator.core.merge import merge_files
from annotator.core.store import Store


def write(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def labels(store: Store) -> list:
    return store.db.execute("SELECT item_id, coder, scheme, value FROM labels ORDER BY 1, 2, 3").fetchall()


def test_db_out_of_our_export_comes_back_and_names_schemes_by_option_id(project_path, tmp_path) -> None:
    with Store(project_path) as store:
        store.labels.set(2, "alice", "tone", "neutral")
        store.labels.set(2, "alice", "question_stance", "neutral")
        store.labels.set(3, "alice", "topics", ["taiwan", "covid"])
        export(store, ExportOptions(format="prodigy"), tmp_path / "db-out.jsonl")
        before = labels(store)
        store.db.execute("DELETE FROM labels")
    accepted = sorted(a for r in map(json.loads, (tmp_path / "db-out.jsonl").read_text().splitlines()) for a in r["accept"])
    assert accepted == ["question_stance:neutral", "tone:neutral", "topics:covid", "topics:taiwan"]
    with Store(project_path) as store:
        _, [summary] = merge_files(store, [tmp_path / "db-out.jsonl"], backup=False)
        assert summary.kind == "prodigy" and labels(store) == before


def test_an_option_the_codebook_lacks_names_the_line_and_merges_nothing(project_path, tmp_path) -> None:
    with Store(project_path) as store:
        uid = store.items.get(2)["uid"]
    good = write(tmp_path / "good.jsonl", [
        {"text": "t", "meta": {"uid": uid, "scheme": "tone"}, "accept": ["tone:firm"], "answer": "accept",
         "_annotator_id": "p-fay"}])
    bad = write(tmp_path / "bad.jsonl", [
        {"text": "t", "meta": {"uid": uid, "scheme": "tone"}, "accept": ["tone:firm"], "answer": "accept",
         "_annotator_id": "p-gus"},
        {"text": "t", "meta": {"uid": uid, "scheme": "tone"}, "accept": ["tone:furious"], "answer": "accept",
         "_annotator_id": "p-hal"},
    ])
    with Store(project_path) as store:
        with pytest.raises(AnnotatorError) as e:
            merge_files(store, [good, bad], backup=False)
        assert str(e.value) == (f"{bad}: line 2: labels use values the project's codebook lacks: tone=furious (1); "
                                "use --force to keep them anyway")
        assert labels(store) == []


def test_an_answer_that_names_no_coder_is_refused(project_path, tmp_path) -> None:
    with Store(project_path) as store:
        uid = store.items.get(2)["uid"]
    bad = write(tmp_path / "bad.jsonl", [{"text": "t", "meta": {"uid": uid}, "accept": ["tone:firm"], "answer": "accept"}])
    with Store(project_path) as store, pytest.raises(AnnotatorError, match="line 1 has no '_annotator_id' or '_session_id'"):
        merge_files(store, [bad], backup=False)


def test_an_annotator_id_that_is_no_coder_name_is_refused(project_path, tmp_path) -> None:
    with Store(project_path) as store:
        uid = store.items.get(2)["uid"]
    bad = write(tmp_path / "bad.jsonl", [{"text": "t", "meta": {"uid": uid}, "accept": ["tone:firm"], "answer": "accept",
                                          "_annotator_id": "@lead"}])
    with Store(project_path) as store:
        with pytest.raises(AnnotatorError, match=r"line 1: coder name '@lead' is not allowed"):
            merge_files(store, [bad], backup=False)
        assert labels(store) == []
