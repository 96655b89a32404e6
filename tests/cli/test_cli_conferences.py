"""annotator import / conferences: the conference each file joined, the listing, the lead's
corrections, and one clear line for every bad correction."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from annotator.cli import cli
from annotator.core.store import Store

EN = Path("real") / "mfa-en" / "2019-01-28_presser_t1633218.html"
ZH = Path("real") / "mfa-zh" / "2019-01-28_presser_t1633124.html"
CONFERENCE = "2019-01-28-foreign-ministry-press-conference"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def _state(db: Path):
    with Store(db) as store:
        return (store.conferences.listing(), store.conferences.events(), store.items.count(),
                store.db.execute("SELECT id, conference_id FROM sources ORDER BY id").fetchall())


def test_import_says_which_conference_each_file_joined_and_the_listing_shows_both_languages(corpus, tmp_path) -> None:
    db = tmp_path / "p.db"
    report = tmp_path / "import.jsonl"
    result = run("import", db, corpus / EN, corpus / ZH, "--report", report)
    assert result.exit_code == 0, result.output
    assert f"{EN.name}: joined conference {CONFERENCE}" in result.output
    assert f"{ZH.name}: joined conference {CONFERENCE}" in result.output
    assert "1 conference;" in result.output
    assert [json.loads(line)["conference"] for line in report.read_text(encoding="utf-8").splitlines()] == [CONFERENCE] * 2
    listed = json.loads(run("conferences", db, "--json").output)
    assert [c["id"] for c in listed] == [CONFERENCE]
    assert sorted(s["language"] for s in listed[0]["sources"]) == ["en", "zh"]
    assert listed[0]["items"] == sum(s["items"] for s in listed[0]["sources"]) > 0
    text = run("conferences", db).output
    assert text.startswith(f"{CONFERENCE}: Foreign Ministry regular press conference, 2019-01-28, Geng Shuang; 2 sources, ") and "[zh]" in text
    # a copy of the English page under another name: caught, no items added
    copy = tmp_path / "saved-again.html"
    copy.write_bytes((corpus / EN).read_bytes() + b"\n")
    again = run("import", db, copy)
    assert again.exit_code == 0 and f"saved-again.html: joined conference {CONFERENCE} (copy of {EN.name}" in again.output
    assert "imported 0 items" in again.output and "1 copy of sources already here" in again.output


def test_link_and_unlink_from_the_command_line(corpus, tmp_path) -> None:
    db = tmp_path / "p.db"
    assert run("import", db, corpus / EN, corpus / ZH).exit_code == 0
    with Store(db) as store:
        aligned = store.alignments.counts()["auto"]
    out = run("conferences", db, "--unlink", ZH.name, "--coder", "lead")
    assert out.exit_code == 0 and f"{ZH.name}: out of conference {CONFERENCE}" in out.output, out.output
    assert "0 English-Chinese pairs aligned again" in out.output  # the English page has no Chinese one now
    with Store(db) as store:
        assert store.alignments.counts() == {}
    own = json.loads(run("conferences", db, "--json").output)
    assert len(own) == 2
    back = run("conferences", db, "--link", ZH.name, CONFERENCE, "--coder", "lead", "--json")
    assert back.exit_code == 0 and json.loads(back.output)["after"] == CONFERENCE
    assert json.loads(back.output)["aligned"] == aligned > 0
    assert len(json.loads(run("conferences", db, "--json").output)) == 1


def test_bad_corrections_are_one_line_nonzero_and_change_nothing(corpus, tmp_path) -> None:
    db = tmp_path / "p.db"
    assert run("import", db, corpus / EN).exit_code == 0
    with Store(db) as store:
        store.labels.set(store.items.first_id(), "alice", "tone", "firm")
    before = _state(db)
    for args, problem in [
        (("--link", EN.name, "2000-01-01-foreign-ministry-press-conference", "--coder", "lead"),
         "no conference '2000-01-01-foreign-ministry-press-conference'"),
        (("--unlink", EN.name, "--coder", "lead"), f"is the last source of conference {CONFERENCE}, which has 1 label"),
        (("--unlink", "nothing.html", "--coder", "lead"), "no source 'nothing.html'"),
        (("--unlink", EN.name), "need --coder"),
        (("--link", EN.name, CONFERENCE, "--coder", "lead"), "already"),
    ]:
        result = run("conferences", db, *args)
        lines = result.output.strip().splitlines()
        assert result.exit_code == 1 and len(lines) == 1 and problem in lines[0], (args, result.output)
        assert _state(db) == before


def test_a_page_claiming_another_spokespersons_press_conference_fails_in_one_line(corpus, tmp_path) -> None:
    db = tmp_path / "p.db"
    assert run("import", db, corpus / EN).exit_code == 0
    forged = tmp_path / "forged.html"
    # Geng Shuang held it; a page of Hua Chunying's, other words, claims the same day's conference
    text = (corpus / EN).read_text(encoding="utf-8")
    assert "Geng Shuang's Regular Press Conference" in text
    forged.write_text(text.replace("Geng Shuang's", "Hua Chunying's").replace("China", "the PRC"), encoding="utf-8")
    before = _state(db)
    result = run("import", db, forged)
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if "claims conference" in line]
    assert len(errors) == 1 and f"forged.html: claims conference {CONFERENCE}" in errors[0], result.output
    assert "another briefing" in errors[0]
    assert _state(db) == before


def test_agreement_by_conference_from_the_command_line(corpus, tmp_path) -> None:
    db = tmp_path / "p.db"
    assert run("import", db, corpus / EN, corpus / ZH).exit_code == 0
    with Store(db) as store:
        for item_id in store.conferences.by_item():
            store.labels.set(item_id, "alice", "tone", "firm")
            store.labels.set(item_id, "bob", "tone", "firm")
    out = run("agreement", db, "--by", "conference", "--scheme", "tone")
    assert out.exit_code == 0 and CONFERENCE in out.output and "100.0%" in out.output, out.output
    data = json.loads(run("agreement", db, "--by", "year", "--json").output)
    assert list(data["tone"]) == ["2019"] and data["tone"]["2019"]["percent_agreement"] == 1.0
    bad = run("agreement", db, "--by", "week")
    assert bad.exit_code != 0 and len(bad.output.strip().splitlines()) == 1
