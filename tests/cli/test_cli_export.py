"""annotator export: files, stdout, the summary line, and one clear line for every bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.core.items import Item, Source
from annotator.core.store import Store
from tests.helpers import new_project, source


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def db(tmp_path: Path) -> Path:
    dates = [f"{2019 + k % 2}-05-0{k + 1}" for k in range(4)]
    path = new_project(tmp_path / "project.db", [
        source(f"conf{k}.txt", [Item("qa", i, f"Question {k}.{i}?", f"Answer {k}.{i}.", "Reuters", "Mao Ning", date)
                                for i in range(5)], date=date, sha256=f"{k + 1:064x}")
        for k, date in enumerate(dates)
    ])
    with Store(path) as store:
        for item_id in range(1, 21, 2):
            store.labels.set(item_id, "alice", "tone", "firm")
            store.labels.set(item_id, "bob", "tone", "firm" if item_id < 15 else "warm")
        store.checkpoint()
    return path


def test_export_to_a_file_with_summary_on_stderr(db, tmp_path) -> None:
    out = tmp_path / "out.jsonl"
    result = run("export", db, "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr.strip() == f"wrote 10 native records from 20 items; left out 10 items (10 unlabelled); to {out}"
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) == 10 and all(len(r["annotations"]) == 2 for r in records)


def test_export_to_stdout_and_gold_counts_disagreements(db) -> None:
    result = run("export", db, "--gold", "-o", "-")
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 7 and {r["tone"] for r in records} == {"firm"}
    assert "left out 13 items (10 unlabelled, 3 open disagreement)" in result.stderr


def test_export_split_labels_and_formats(db, tmp_path) -> None:
    out = tmp_path / "d.jsonl"
    result = run("export", db, "-o", out, "--split", "train=0.5,test=0.5", "--seed", "4")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "d.train.jsonl").exists() and (tmp_path / "d.test.jsonl").exists() and not out.exists()
    result = run("export", db, "--labels", "--coder", "bob", "-o", tmp_path / "bob.jsonl")
    assert result.exit_code == 0, result.output
    head = json.loads((tmp_path / "bob.jsonl").read_text().splitlines()[0])
    assert head["annotator_labels"] == 1
    for fmt, extra in (("prodigy", []), ("labelstudio", []), ("spacy", ["--scheme", "tone", "--coder", "alice"]),
                       ("spacy-jsonl", ["--scheme", "tone", "--coder", "alice"])):
        result = run("export", db, "--format", fmt, "-o", tmp_path / f"x.{fmt}", *extra)
        assert result.exit_code == 0, (fmt, result.output)
    assert (tmp_path / "x.xml").read_text().startswith("<View>")


@pytest.mark.parametrize("args, message", [
    (["--format", "csv"], "Invalid value for '--format'"),
    (["--text", "both"], "Invalid value for '--text'"),
])
def test_unknown_choices_are_refused_by_click(db, args, message) -> None:
    result = run("export", db, *args)
    assert result.exit_code == 2 and message in result.stderr


@pytest.mark.parametrize("args, message", [
    (["--split", "train=0.8,dev=0.3"], "Error: --split 'train=0.8,dev=0.3': fractions sum to 1.1, not 1"),
    (["--split", "train:0.8"], "Error: --split 'train:0.8': expected name=fraction pairs that sum to 1, e.g. train=0.8,dev=0.1,test=0.1"),
    (["--split", "train=0.5,dev=0.5"], "Error: --split writes one file per split: give -o FILE, not stdout"),
    (["--coder", "carol"], "no coder 'carol' (coders: alice, bob)"),
    (["--format", "spacy-jsonl", "--gold"], "Error: --format spacy-jsonl needs --scheme NAME"),
    (["--format", "spacy", "--gold"], "Error: --format spacy writes a folder of DocBin files and config.cfg: give -o FOLDER"),
    (["--gold", "--coder", "alice"], "Error: choose one of --gold, --coder NAME, --all-coders"),
    (["--labels", "--gold"], "Error: --labels exports coders' labels; it cannot be combined with --gold"),
    (["--labels", "--format", "prodigy", "--include-unlabelled"],
     ("Error: --labels writes annotator's label file (labels and history, no text); "
      "it cannot be combined with --format prodigy, --include-unlabelled")),
    (["--labels", "--text", "answer"], "it cannot be combined with --text answer"),
    (["--provenance"], "Error: --provenance says where gold values came from; it goes with --gold"),
    (["--provenance", "--gold", "--format", "prodigy"],
     "Error: --provenance is written into the native record only (trace other formats by uid)"),
    (["-o", "/nonexistent-folder/x.jsonl"], "Error: /nonexistent-folder/x.jsonl: cannot write the export (no folder /nonexistent-folder)"),
])
def test_bad_flags_are_one_clear_line(db, args, message) -> None:
    result = run("export", db, *args)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Traceback" not in result.output


def test_bad_database_is_refused(tmp_path) -> None:
    not_db = tmp_path / "notes.db"
    not_db.write_text("hello, this is not SQLite")
    result = run("export", not_db)
    assert result.exit_code == 1 and result.stderr.strip() == f"Error: {not_db}: not an SQLite database"
    result = run("export", tmp_path / "missing.db")
    assert result.exit_code == 1 and "no such project database" in result.stderr


@pytest.mark.parametrize("extra", [[], ["--format", "labelstudio"], ["--labels"]])
def test_export_onto_the_project_itself_is_refused(db, extra) -> None:
    # -o naming the project file would rename the export over the database: every label lost.
    before = db.read_bytes()
    for target in (db, db.parent / "." / db.name):
        result = run("export", db, "-o", target, *extra)
        assert result.exit_code == 1, result.output
        assert result.stderr.count("\n") == 1 and "is the project database" in result.stderr
    assert db.read_bytes() == before
    with Store(db, readonly=True) as store:
        assert store.items.count() == 20


def test_export_split_or_config_onto_the_project_is_refused(tmp_path) -> None:
    # project.train.db is what --split train=... -o project.db would write; x.xml is Label Studio's config of x.json
    path = tmp_path / "x.xml"
    with Store(path, create=True) as store:
        store.items.add_source(Source(name="c.txt", sha256="f" * 64, kind="transcript", items=[
            Item("qa", 0, "Q?", "A.", "Reuters", "Mao Ning", "2020-01-01")]))
        store.labels.set(store.items.first_id(), "alice", "tone", "firm")
    before = path.read_bytes()
    result = run("export", path, "--format", "labelstudio", "-o", tmp_path / "x.json")
    assert result.exit_code == 1 and "is the project database" in result.stderr, result.output
    assert path.read_bytes() == before and not (tmp_path / "x.json").exists()
