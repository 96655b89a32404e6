"""annotator import --report FILE: per file, what the importer found and why to look at it."""

from __future__ import annotations

import csv
import json
import shutil
import sys

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.core.store import Store
from tests.helpers import annotator_on_a_full_disk, new_project


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def _pages(corpus, tmp_path):
    """Real pages of three layouts and two bad files, in one folder."""
    folder = tmp_path / "in"
    folder.mkdir()
    real = corpus / "real"
    picks = {
        "en.html": real / "mfa-en-more" / "2018-05-15_t1559633.html",
        "wh.md": next(sorted((real / "whitehouse").glob("*.md")).__iter__()),
        "nodate.html": real / "mfa-en" / "nodate_remarks_t1686638.html",  # states no day of its own
        "yearless.html": real / "mfa-en-more" / "nodate_t1597236.html",  # the year from its image names
        "listing.html": real / "mfa-en" / "nodate_index_default_7.html",
    }
    for name, src in picks.items():
        shutil.copy(src, folder / name)
    (folder / "empty.txt").write_text("")
    (folder / "LICENSE").write_text("MIT")
    return folder


def test_the_report_says_per_file_what_was_found_and_what_to_check(corpus, tmp_path) -> None:
    folder = _pages(corpus, tmp_path)
    db, report = tmp_path / "p.db", tmp_path / "import.jsonl"
    result = run("import", db, folder, "--report", report)
    assert result.exit_code == 1  # empty.txt failed
    assert f"report: 7 files, 3 to check, in {report}" in result.output
    records = {json.loads(line)["file"].rsplit("/", 1)[-1]: json.loads(line)
               for line in report.read_text(encoding="utf-8").splitlines()}
    assert set(records) == {"en.html", "wh.md", "nodate.html", "yearless.html", "listing.html", "empty.txt",
                            "LICENSE"}

    en = records["en.html"]
    with Store(db, readonly=True) as store:
        stats = store.browse.stats()
    assert en["status"] == "imported" and en["check"] == []
    assert en["format"] == "html" and en["layout"] == {"en-q": 7, "en-a": 7}
    assert (en["pairs"], en["statements"], en["date"], en["spokespersons"]) == (7, 0, "2018-05-15", ["Lu Kang"])
    assert en["paragraphs"] == 19 and en["left_out"] == 0

    wh = records["wh.md"]
    assert wh["layout"]["wh-q"] > 0 and wh["layout"]["wh-official"] > 0
    assert any("P.M." in line for line in wh["left_out_shown"])  # the closing clock time is in no item
    assert wh["left_out"] >= len(wh["left_out_shown"]) > 0

    nodate = records["nodate.html"]
    assert nodate["date"] is None and "no date" in nodate["check"] and "1 warning" in nodate["check"]
    assert "date unknown" in nodate["warnings"][0]
    yearless = records["yearless.html"]  # dated, and a warning says where the year came from
    assert yearless["date"] == "2018-09-20" and yearless["check"] == ["1 warning"]
    assert "2018 taken from the upload days in the names of the page's images" in yearless["warnings"][0]

    assert records["empty.txt"]["status"] == "failed" and records["empty.txt"]["check"] == ["failed"]
    assert "empty" in records["empty.txt"]["warnings"][0]
    assert records["listing.html"]["status"] == "skipped" and "listing" in records["listing.html"]["warnings"][0]
    assert records["LICENSE"]["status"] == "skipped"
    assert sum(r["items"] for r in records.values()) == stats["items"]

    # Again: nothing new, and the report says so per file.
    again = run("import", db, folder, "--report", report)
    statuses = {json.loads(line)["file"].rsplit("/", 1)[-1]: json.loads(line)["status"]
                for line in report.read_text(encoding="utf-8").splitlines()}
    assert statuses["en.html"] == "already imported", again.output


def test_a_csv_report_and_a_dry_run(corpus, tmp_path) -> None:
    folder = _pages(corpus, tmp_path)
    (folder / "empty.txt").unlink()
    report = tmp_path / "import.csv"
    result = run("import", tmp_path / "p.db", folder, "--dry-run", "--report", report)
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "p.db").exists()
    with report.open(encoding="utf-8", newline="") as fh:
        rows = {r["file"].rsplit("/", 1)[-1]: r for r in csv.DictReader(fh)}
    assert rows["en.html"]["status"] == "would import"
    assert rows["en.html"]["layout"] == "en-q 7, en-a 7" and rows["en.html"]["pairs"] == "7"
    assert rows["nodate.html"]["check"] == "no date | 1 warning"


def test_a_report_that_cannot_be_written_is_refused_before_importing(corpus, tmp_path) -> None:
    folder = _pages(corpus, tmp_path)
    db = tmp_path / "p.db"
    for target, problem in ((tmp_path / "missing" / "r.jsonl", "no folder"), (tmp_path, "is a folder")):
        result = run("import", db, folder, "--report", target)
        assert result.exit_code == 1
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and problem in lines[0] and "import report" in lines[0], result.output
        assert not db.exists()


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
@pytest.mark.parametrize("name", ["import.jsonl", "import.csv"])  # past the file's buffer, and within it
def test_a_report_the_disk_cannot_hold_says_the_import_is_in(corpus, tmp_path, name) -> None:
    # The files were committed, then the report's write failed: the line said only that (and a
    # report past the buffer was a traceback), and the lead would import again or give up on it.
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(corpus / "real" / "mfa-en-more" / "2018-05-15_t1559633.html", folder / "en.html")
    for n in range(2500):  # skipped pictures: records in the report, nothing in the project
        (folder / f"scan-{n:04d}-{'x' * 200}.png").touch()
    db, report = new_project(tmp_path / "p.db"), tmp_path / name
    limit = 500_000  # room for the one page's items (the project is ~300 kB), not for the report
    result = annotator_on_a_full_disk(limit, "import", str(db), str(folder), "--report", str(report))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    *notes, line = result.stderr.strip().splitlines()
    assert all(n.startswith("note: skipped scan-") for n in notes), notes[:3]
    with Store(db, readonly=True) as store:
        items = store.items.count()
    assert items > 0
    assert line.startswith(f"Error: imported 1 file ({items} items) into {db}, but {report}: "
                           "cannot write the import report ("), line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "p.db"]  # no report, no partial one
