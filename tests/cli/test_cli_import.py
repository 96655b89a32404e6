"""annotator import: files and folders in, a one-line summary out, failures per file."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.core.import_run import import_paths
from annotator.core.sample import SAMPLES
from annotator.core.store import Store


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_import_creates_the_project_and_reimport_adds_nothing(tmp_path) -> None:
    db = tmp_path / "p.db"
    first = run("import", db, SAMPLES)
    assert first.exit_code == 0, first.output
    lines = first.output.splitlines()  # the conference each file joined, then the summary
    assert len(lines) == 4 and all(": joined conference " in line for line in lines[:3])
    assert lines[-1].startswith("3 files: imported ")
    with Store(db) as store:
        n = store.items.count()
        assert n >= 15
        assert store.codebook().scheme("topics") is not None
    again = run("import", db, SAMPLES, "--json")
    data = json.loads(again.output)
    assert data["items"] == 0 and len(data["duplicate_files"]) == 3
    with Store(db) as store:
        assert store.items.count() == n


def test_the_summary_counts_every_file_looked_at_as_the_report_does(tmp_path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(SAMPLES, folder)
    (folder / "LICENSE").write_text("MIT\n")
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4\n")
    db, report = tmp_path / "p.db", tmp_path / "r.jsonl"
    result = run("import", db, folder, "--report", report)
    assert result.exit_code == 0, result.output
    summary = next(line for line in result.output.splitlines() if " files: imported " in line)
    assert summary.startswith("5 files: imported ") and "from 3 files" in summary, summary
    assert "2 files skipped (no transcript)" in summary and "report: 5 files" in result.output
    assert len(report.read_text().splitlines()) == 5
    data = json.loads(run("import", tmp_path / "q.db", folder, "--json").stdout)
    assert data["files"] == 5 and data["imported_files"] == 3 and len(data["skipped"]) == 2


def test_dry_run_writes_nothing(tmp_path) -> None:
    db = tmp_path / "p.db"
    result = run("import", db, SAMPLES, "--dry-run")
    assert result.exit_code == 0 and "would import" in result.output
    assert not db.exists()


def test_a_bad_file_fails_alone_and_the_exit_status_says_so(tmp_path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(next(SAMPLES.glob("2024-*")), folder / "good.txt")
    (folder / "empty.txt").write_text("")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    db = tmp_path / "p.db"
    result = run("import", db, folder)
    assert result.exit_code == 1
    assert "empty.txt" in result.output and "binary.txt" in result.output
    assert "2 files failed" in result.output
    with Store(db) as store:
        assert store.browse.stats()["sources"] == 1  # the good file went in, the bad ones left no trace


def test_overrides_fill_what_the_file_lacks(tmp_path) -> None:
    src = tmp_path / "pairs.jsonl"
    src.write_text(json.dumps({"question": "Any comment?", "answer": "No comment."}) + "\n")
    db = tmp_path / "p.db"
    result = run("import", db, src, "--spokesperson", "Mao Ning", "--date", "2023-05-04", "--outlet", "AFP")
    assert result.exit_code == 0, result.output
    with Store(db) as store:
        item = store.items.get(1)
    assert (item["spokesperson"], item["date"], item["outlet"]) == ("Mao Ning", "2023-05-04", "AFP")


def test_a_date_given_for_a_page_without_one_is_its_date_and_no_warning(tmp_path) -> None:
    for name, title in (("nodate.txt", "Regular Press Conference"), ("noyear.txt", "Press Conference on March 3")):
        page = tmp_path / name
        page.write_text(f"{title}\n\nQ: Is it true?\n\nA: It is not.\n", encoding="utf-8")
        bare = run("import", tmp_path / f"bare-{name}.db", page)
        assert bare.exit_code == 0 and "date unknown" in bare.output, bare.output
        db = tmp_path / f"{name}.db"
        given = run("import", db, page, "--date", "2020-01-03", "--report", tmp_path / f"{name}.csv")
        assert given.exit_code == 0 and "warning" not in given.output and "date unknown" not in given.output, given.output
        with Store(db) as store:
            assert {r[0] for r in store.db.execute("SELECT date FROM sources UNION SELECT date FROM items")} == {"2020-01-03"}


def test_bad_flags_and_paths_get_one_line(tmp_path) -> None:
    bad_date = run("import", tmp_path / "p.db", SAMPLES, "--date", "9 Dec")
    assert bad_date.exit_code == 2 and "'9 Dec' is not a date like 2021-12-09" in bad_date.output
    assert bad_date.output.count("\n") == 1
    missing = run("import", tmp_path / "p.db", tmp_path / "nothing")
    assert missing.exit_code == 1 and "nothing: no such file or folder" in missing.output
    fmt = run("import", tmp_path / "p.db", SAMPLES, "--format", "pdf")
    assert fmt.exit_code == 2 and "'pdf' is not one of" in fmt.output


def test_cancelling_stops_between_files(tmp_path) -> None:
    calls = []

    def progress(done, total, path):
        calls.append(done)
        return done < 1  # let the first file through, then cancel

    with Store(tmp_path / "p.db", create=True) as store:
        summary = import_paths(store, [SAMPLES], progress=progress)
        assert summary.cancelled and summary.imported_files == 1
        assert store.browse.stats()["sources"] == 1


def test_cancelling_a_large_import_with_a_worker_keeps_whole_files_only(tmp_path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(80):  # enough for the worker process to parse ahead
        (folder / f"{n:03d}.txt").write_text(
            f"Foreign Ministry Spokesperson Mao Ning's Regular Press Conference on May {1 + n % 28}, 2023\n\n"
            f"AFP: Question {n}?\n\nMao Ning: Answer {n}.\n\nReuters: Second {n}?\n\nMao Ning: Reply {n}.\n",
            encoding="utf-8")

    def progress(done, total, path):
        return done < 50

    with Store(tmp_path / "p.db", create=True) as store:
        summary = import_paths(store, [folder], progress=progress)
        assert summary.cancelled and summary.imported_files == 50
        assert store.browse.stats()["sources"] == 50 and store.items.count() == 100
        last = store.items.get(100)
        assert (last["question"], last["answer"]) == ("Second 49?", "Reply 49.")


@pytest.mark.slow
def test_the_whole_real_corpus_imports_and_listing_pages_are_reported(tmp_path, corpus) -> None:
    db = tmp_path / "p.db"
    result = CliRunner().invoke(cli, ["import", str(db), str(corpus / "real"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output[result.output.index("{"):])
    assert data["failed"] == []
    skipped = "\n".join(data["skipped"])
    assert "nodate_index_default_7.html: holds no transcript (a listing page)" in skipped
    assert "nodate_index_default_19.html: holds no transcript (a listing page)" in skipped
    assert "LICENSE" in skipped and "mfa-index.tsv" in skipped
    # mfa-en, mfa-zh (two of them listing pages), whitehouse, then the further pages of mfa-en-more, mfa-zh-more
    assert data["imported_files"] == 68 + 68 + 36 - 2 + 407 + 919
    with Store(db) as store:
        assert store.integrity_check() == "ok"
        assert store.items.count() == data["items"] > 14000
        # every file joined a conference; the English and Chinese pages of a day's press conference one
        conferences = store.conferences.listing()
        both = [c for c in conferences if {s.language for s in store.conferences.sources(c.id)} == {"en", "zh"}]
        print(f"conferences: {len(conferences)} from {data['imported_files']} files; {len(both)} with an English "
              f"and a Chinese page ({sum(c.kind == 'regular press conference' for c in both)} press conferences)")
        assert data["conferences"] == len(conferences) and sum(c.sources for c in conferences) == data["imported_files"]
        assert len(both) >= 455


def test_import_and_codebook_into_a_locked_project_are_one_line(tmp_path, monkeypatch):
    # Another program holding the write lock used to end both commands in a sqlite3 traceback.
    import sqlite3

    import pytest

    import annotator.core.store.opening as store_module
    from annotator.core.codebook import default_codebook_path
    from annotator.core.errors import AnnotatorError

    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_S", 0.1)

    db = tmp_path / "p.db"
    Store(db, create=True).close()
    transcript = tmp_path / "t.txt"
    transcript.write_text("Reporter: What about Taiwan?\nMao Ning: Taiwan is part of China.\n", encoding="utf-8")
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO meta(key, value) VALUES ('lock', 'held')")
    try:
        store = Store(db)
        store.set_busy_timeout(0.1)
        try:
            with pytest.raises(AnnotatorError, match="locked"), store.bulk_writes():
                pass
            with pytest.raises(AnnotatorError, match="locked"):
                store.set_codebook(store.codebook())
        finally:
            store.close()
        for args in (["import", db, transcript], ["codebook", db, "--set", default_codebook_path()]):
            result = CliRunner().invoke(cli, [str(a) for a in args])
            assert result.exit_code == 1, result.output
            assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output
            assert result.stderr.count("\n") == 1 and "locked" in result.stderr, result.stderr
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with Store(db, readonly=True) as store:
        assert store.items.count() == 0


def test_an_import_that_imports_nothing_fails_saying_why(tmp_path) -> None:
    db = tmp_path / "p.db"
    assert run("import", db, SAMPLES).exit_code == 0
    empty = tmp_path / "empty"
    empty.mkdir()
    garbage = tmp_path / "garbage.csv"
    garbage.write_text("a,b\n1,2\n", encoding="utf-8")
    jsonl = tmp_path / "numbers.jsonl"
    jsonl.write_text('{"question": 5, "answer": ["x"]}\n', encoding="utf-8")
    for path, says in [
        (empty, "nothing imported: no files to import"),
        (garbage, "garbage.csv: not a transcript (a table without question/answer columns); nothing imported"),
        (jsonl, "line 1: 'question' must be text, not 5; nothing imported"),
        (db, "is the project itself"),
    ]:
        before = db.read_bytes()
        result = run("import", db, path)
        assert result.exit_code == 1, (path, result.output)
        assert says in result.output and "Traceback" not in result.output
        assert result.stderr.count("\n") == 1, result.stderr  # the reason once, not a note and then the error
        assert db.read_bytes() == before
    numbers = run("import", db, jsonl)
    assert "numbers.jsonl: line 1: 'question' must be text, not 5" in numbers.output
