"""JSONL and CSV: one item per record, unknown fields kept, bad records reported by line."""

from __future__ import annotations

import json

import pytest

from annotator.core.errors import AnnotatorError
from annotator.core.importers import parse_text


def test_jsonl_records_and_meta():
    lines = [
        {"question": "Q1?", "answer": "A1.", "outlet": "AFP", "spokesperson": "Mao Ning",
         "date": "2024-01-02", "id": "x1", "meta": {"topic": "trade"}, "url": "http://e"},
        {"outlet": "Reuters"},
        {"answer": "Only an answer."},
    ]
    text = "\n".join(json.dumps(r) for r in lines) + "\n\n"
    source = parse_text(text, "pairs.jsonl")
    assert source.kind == "jsonl"
    first, second = source.items
    assert (first.question, first.answer, first.outlet, first.spokesperson, first.date) == (
        "Q1?", "A1.", "AFP", "Mao Ning", "2024-01-02")
    assert first.meta == {"topic": "trade", "id": "x1", "url": "http://e"}
    assert (second.seq, second.answer) == (1, "Only an answer.")
    assert source.warnings == ["pairs.jsonl: line 2: the record has neither question nor answer; skipped"]


def test_jsonl_bad_line_is_reported():
    source = parse_text('{"question": "a"}\n{broken\n', "x.jsonl")
    assert len(source.items) == 1
    assert "line 2" in source.warnings[0]


def test_csv_records():
    text = 'question,answer,outlet,extra\n"Q, with comma","A\nover lines",AFP,e1\n,,,\nq2,a2,,\n'
    source = parse_text(text, "pairs.csv")
    assert [(i.question, i.answer, i.outlet) for i in source.items] == [
        ("Q, with comma", "A\nover lines", "AFP"), ("q2", "a2", None)]
    assert source.items[0].meta == {"extra": "e1"}
    assert source.warnings == ["pairs.csv: line 4: the record has neither question nor answer; skipped"]


def test_csv_without_question_or_answer_column():
    with pytest.raises(AnnotatorError, match="no 'question' or 'answer' column"):
        parse_text("id,text\n1,hello\n", "bad.csv")


def test_a_csv_field_as_long_as_the_importer_allows_is_read_and_a_longer_one_named():
    # csv's own default limit is 131,072 characters a field: below the importer's, and its error
    # used to escape as a traceback that stopped the whole run
    long_answer = "x" * 140_000
    source = parse_text(f'question,answer\nq,"{long_answer}"\n', "long.csv")
    assert [len(i.answer) for i in source.items] == [140_000]
    with pytest.raises(AnnotatorError, match=r"^huge\.csv: line 3: a field is longer than the 1,000,000 characters"):
        parse_text(f'question,answer\nq,a\nq,"{"x" * 1_000_001}"\n', "huge.csv")


def test_a_record_nested_too_deeply_is_skipped_naming_its_line():
    # json descends once per level: 100,000 of them was a RecursionError traceback
    deep = '{"question": "q", "answer": "a", "meta": ' + "[" * 100_000 + "]" * 100_000 + "}"
    source = parse_text('{"question": "first?", "answer": "yes"}\n' + deep + "\n", "deep.jsonl")
    assert [i.question for i in source.items] == ["first?"]
    assert source.warnings == ["deep.jsonl: line 2: nested too deeply to read; skipped"]
