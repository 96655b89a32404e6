"""annotator align (show, --to, --none, --all) and export --with-translation, on the English and
Chinese pages of one real press conference."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import jsonschema
from click.testing import CliRunner

from annotator.cli import cli
from tests.helpers import BILINGUAL_PAGES


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def _project(corpus, tmp_path):
    db = tmp_path / "p.db"
    assert run("init", db).exit_code == 0
    result = run("import", db, *(corpus / "real" / name for name in BILINGUAL_PAGES["2020-06-02"]))
    assert result.exit_code == 0, result.output
    assert "7 English-Chinese pairs aligned" in result.output
    return db


def _ids(db, language):
    with sqlite3.connect(db) as conn:
        return [i for i, in conn.execute("SELECT i.id FROM items i JOIN sources s ON s.id = i.source_id"
                                         " WHERE s.language = ? AND i.kind = 'qa' ORDER BY i.seq", [language])]


def _alignments(db):
    with sqlite3.connect(db) as conn:
        return (conn.execute("SELECT * FROM alignments ORDER BY id").fetchall(),
                conn.execute("SELECT * FROM alignment_events ORDER BY id").fetchall())


def test_align_shows_and_corrects_by_hand(corpus, tmp_path):
    db = _project(corpus, tmp_path)
    en, zh = _ids(db, "en"), _ids(db, "zh")
    shown = run("align", db, en[2])
    assert shown.exit_code == 0 and f"item {en[2]} -> item {zh[2]} (confidence" in shown.output
    assert "据报道，美国总统特朗普上周六表示" in shown.output
    fixed = run("align", db, en[2], "--to", zh[3], "--coder", "lead")
    assert fixed.exit_code == 0 and f"item {en[2]} (English) aligned with item {zh[3]}, by lead" in fixed.output
    assert f"-> item {zh[3]} (by lead" in run("align", db, en[2]).output
    none = json.loads(run("align", db, zh[6], "--none", "--coder", "bob", "--json").output)
    assert none["after"] == [None] and none["coder"] == "bob"
    assert "no counterpart (by bob" in run("align", db, zh[6]).output
    again = run("align", db, "--all")
    assert again.exit_code == 0 and "English-Chinese pairs aligned" in again.output
    assert f"-> item {zh[3]} (by lead" in run("align", db, en[2]).output  # the coder's choice stays


def test_bad_align_is_one_line_and_changes_nothing(corpus, tmp_path):
    db = _project(corpus, tmp_path)
    en, zh = _ids(db, "en"), _ids(db, "zh")
    before = _alignments(db)
    for args, problem in [
        ((99999, "--to", zh[0], "--coder", "lead"), "no item '99999'"),
        ((en[0], "--to", en[1], "--coder", "lead"), "are both English"),
        ((en[0], "--to", zh[1], "--none", "--coder", "lead"), "give --to OTHER_ITEM or --none, not both"),
        ((en[0], "--to", zh[1]), "need --coder NAME"),
        ((en[0], "--none", "--coder", "a/b"), "coder"),
        ((), "name the item"),
        ((en[0], "--all"), "name no item"),
    ]:
        result = run("align", db, *args)
        assert result.exit_code != 0, args
        assert problem in result.output and len(result.output.strip().splitlines()) == 1, result.output
    assert _alignments(db) == before


def test_export_with_translation_carries_the_other_language(corpus, tmp_path):
    db = _project(corpus, tmp_path)
    en, zh = _ids(db, "en"), _ids(db, "zh")
    out = tmp_path / "out.jsonl"
    result = run("export", db, "-o", out, "--include-unlabelled", "--with-translation")
    assert result.exit_code == 0, result.output
    records = {r["question"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    cuba = next(r for q, r in records.items() if q.startswith("Yesterday Cuba rejected"))
    assert [(t["language"], t["outlet"], t["method"]) for t in cuba["translation"]] == [("zh", "拉通社记者", "auto")]
    assert cuba["translation"][0]["question"].startswith("昨天，古巴再次反对美国")
    back = next(r for q, r in records.items() if q.startswith("昨天，古巴再次反对美国"))
    assert back["translation"][0]["uid"] == cuba["uid"] and back["translation"][0]["language"] == "en"
    assert all(r["translation"] == [] for r in records.values() if r["kind"] != "qa")
    schema = json.loads((Path(__file__).resolve().parents[2] / "resources" / "export-record.schema.json")
                        .read_text(encoding="utf-8"))
    for record in records.values():
        jsonschema.Draft202012Validator(schema).validate(record)
    assert not jsonschema.Draft202012Validator(schema).is_valid(dict(cuba, translation=[{"uid": "x"}]))
    plain = tmp_path / "plain.jsonl"
    assert run("export", db, "-o", plain, "--include-unlabelled").exit_code == 0
    assert "translation" not in json.loads(plain.read_text(encoding="utf-8").splitlines()[0])
    refused = run("export", db, "-o", tmp_path / "x.jsonl", "--format", "prodigy", "--with-translation")
    assert refused.exit_code != 0 and "native record only" in refused.output
    assert len(en) == len(zh) == 7


def test_export_one_language_of_a_bilingual_project(corpus, tmp_path):
    db = _project(corpus, tmp_path)
    out = tmp_path / "zh.jsonl"
    result = run("export", db, "-o", out, "--include-unlabelled", "--language", "zh")
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    with sqlite3.connect(db) as conn:
        zh = {u for u, in conn.execute("SELECT i.uid FROM items i JOIN sources s ON s.id = i.source_id"
                                       " WHERE s.language = 'zh'")}
        total = conn.execute("SELECT count(*) FROM items").fetchone()[0]
    assert {r["uid"] for r in records} == zh and 0 < len(zh) < total
    assert f"left out {total - len(zh)} items ({total - len(zh)} not in Chinese)" in result.output
    for args, says in ((["--language", "fr"], "'fr' is not one of"),
                       (["--language", "zh", "--labels"], "--labels carries every item")):
        refused = run("export", db, "-o", tmp_path / "x.jsonl", *args)
        assert refused.exit_code != 0 and says in refused.output and "Traceback" not in refused.output
        assert not (tmp_path / "x.jsonl").exists()
