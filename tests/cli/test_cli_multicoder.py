"""merge, assign, agreement, gold: the lead's commands end to end on real project files."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.core.store import Store


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def item_ids(path: Path) -> list[int]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT id FROM items ORDER BY id")]
    finally:
        conn.close()


@pytest.fixture
def coders(project_path: Path) -> list[Path]:
    """Three coders' copies: they agree on tone for items 1-2, disagree on 3, three-way tie on 4;
    each gives topics and the question's stance, then presses Enter (rhetoric: "none of these")."""
    ids = item_ids(project_path)
    tones = {
        "alice": ["firm", "neutral", "firm", "firm"],
        "bob": ["firm", "neutral", "warm", "neutral"],
        "carol": ["firm", "neutral", "firm", "warm"],
    }
    paths = []
    for coder, values in tones.items():
        path = project_path.with_name(f"{coder}.db")
        shutil.copy(project_path, path)
        with Store(path) as s:
            for item_id, value in zip(ids[1:], values, strict=True):
                s.labels.set(item_id, coder, "tone", value)
                s.labels.set(item_id, coder, "topics", ["taiwan"])
                s.labels.set(item_id, coder, "question_stance", "neutral")
                s.labels.set_done(item_id, coder)
        paths.append(path)
    return paths


def test_merge_prints_a_summary_and_json(project_path, coders):
    result = run("merge", project_path, *coders)
    assert result.exit_code == 0, result.output
    assert f"Backed up {project_path} to {project_path}.bak-" in result.output
    assert "alice.db (project): 16 labels added, 0 updated, 0 unchanged, 0 conflicts resolved (later change kept), 0 items added" in result.output
    again = run("merge", project_path, coders[0], "--json")
    assert again.exit_code == 0, again.output
    data = json.loads(again.output)
    assert data["backup"] is None  # nothing changed, so no backup (only one, from the first merge)
    assert len(list(project_path.parent.glob(f"{project_path.name}.bak-*"))) == 1
    (summary,) = data["files"]
    assert (summary["labels_added"], summary["labels_unchanged"], summary["events_added"]) == (0, 16, 0)


def test_merge_bad_input_is_one_line_and_leaves_the_project_alone(project_path, tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("just some notes\n")
    result = run("merge", project_path, bad)
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {bad}: not a project database or label file (neither SQLite nor JSON lines)"
    missing = run("merge", project_path, tmp_path / "nope.db")
    assert missing.exit_code == 1 and "nope.db: no such file" in missing.output
    assert "Traceback" not in result.output + missing.output
    assert Store(project_path, readonly=True).labels.coders() == []


def test_agreement_table_and_json(project_path, coders):
    assert run("merge", project_path, *coders).exit_code == 0
    result = run("agreement", project_path, "--scheme", "tone", "--bootstrap", "200")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "tone (single, ordered): 4 items with 2+ coders, coders alice, bob, carol"
    assert lines[1] == "  4 units compared, 0 not applicable, 0 missing"
    assert "alpha (ordinal)" in lines[2] and "Cohen alice|bob" in lines[3]
    data = json.loads(run("agreement", project_path, "--json", "--coders", "alice,carol", "--bootstrap", "0").output)
    assert set(data) == {"topics", "tone", "question_stance", "rhetoric"}
    assert data["tone"]["coders"] == ["alice", "carol"]
    # alice and carol differ on one of four items only
    assert data["tone"]["percent_agreement"] == pytest.approx(3 / 4)
    assert data["topics"]["percent_agreement"] == 1.0
    # rhetoric: Enter wrote "none of these" on every item, an explicit empty set on both sides
    assert data["rhetoric"]["items"] == 4
    assert data["rhetoric"]["units"]["empty_on_every_side"] == 4 and data["rhetoric"]["units"]["missing"] == 0
    assert data["question_stance"]["units"]["not_applicable"] == 0  # the statement, item 1, nobody coded


def test_agreement_bad_flags(project_path, coders):
    run("merge", project_path, *coders)
    r = run("agreement", project_path, "--scheme", "colour")
    assert r.exit_code == 1 and "has no scheme 'colour'" in r.output
    r = run("agreement", project_path, "--coders", "alice,zed")
    assert r.exit_code == 1 and "no coder named 'zed' (coders: alice, bob, carol)" in r.output


def test_gold_accept_unanimous(project_path, coders):
    run("merge", project_path, *coders)
    result = run("gold", project_path, "--accept-unanimous", "--reviewer", "lead", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    # tone: items 1 and 2 unanimous; topics and the stance: all four; rhetoric: four empty sets, said so
    assert data["per_scheme"] == {"question_stance": 4, "rhetoric": 4, "tone": 2, "topics": 4}
    assert data["empty_sets"] == 4
    again = run("gold", project_path, "--accept-unanimous")
    assert again.exit_code == 0
    assert again.output.startswith(
        "0 unanimous labels accepted as gold (none); 0 empty sets among them (none of the options); "
        "14 already gold; 14 gold labels")
    assert run("gold", project_path).exit_code == 1


def test_gold_accept_unanimous_leaves_out_a_value_the_codebook_lacks(project_path, coders, tmp_path):
    # After 'firm' was renamed (forced), one unanimous 'firm' refused every scheme's unanimous
    # labels with "scheme 'tone' has no option 'firm'", naming no project.
    from annotator.core.codebook import default_codebook_path

    run("merge", project_path, *coders)
    renamed = tmp_path / "renamed.toml"
    renamed.write_text(default_codebook_path().read_text(encoding="utf-8").replace('value = "firm"', 'value = "stern"'),
                       encoding="utf-8")
    assert run("codebook", project_path, "--set", renamed, "--force").exit_code == 0
    result = run("gold", project_path, "--accept-unanimous")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("13 unanimous labels accepted as gold (question_stance 4, rhetoric 4, tone 1, topics 4)")
    assert "; 1 unanimous label left out, with a value the codebook lacks (tone 1)" in result.output
    with Store(project_path, readonly=True) as store:
        assert [g.value for g in store.gold.values("tone")] == ["neutral"]


def test_assign_and_ties(project_path, coders):
    result = run("assign", project_path, "--coders", "alice,bob,carol", "--overlap", "0.2", "--seed", "3", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["items"] == 5 and data["double_coded"] == 1
    assert sum(data["per_coder"].values()) == 6 and data["conferences"] == 1
    human = run("assign", project_path, "--coders", "alice,bob,carol", "--overlap", "0.2", "--seed", "3")
    assert human.output.startswith("5 items of 1 conference assigned, each conference to one coder; "
                                   "1 also to a second coder: "), human.output
    run("merge", project_path, *coders)
    ties = run("assign", project_path, "--ties-to", "dave")
    assert ties.exit_code == 0, ties.output
    assert ties.output.strip() == "1 tied item; 1 newly assigned to dave"
    with Store(project_path, readonly=True) as s:
        assert s.assignments.item_ids("dave") == [item_ids(project_path)[4]]
    for args, message in [
        (["--coders", "alice,Alice"], "'alice' and 'Alice' name the same coder"),
        (["--coders", "a,b", "--overlap", "1.5"], "--overlap: 1.5 is not a share"),
        ([], "give either --coders a,b,c or --ties-to NAME"),
    ]:
        r = run("assign", project_path, *args)
        assert r.exit_code == 1 and message in r.output, r.output


def test_review_refuses_a_bad_database_before_any_window(tmp_path):
    bad = tmp_path / "x.db"
    bad.write_text("nope")
    r = run("review", bad)
    assert r.exit_code == 1 and "not an SQLite database" in r.output


@pytest.mark.parametrize("fmt", [["--labels"], ["--format", "native"], ["--format", "prodigy"],
                                 ["--format", "labelstudio", "--ls-users", "alice=alice@lab.org"]])
def test_round_trip_through_the_exporters(project_path, coders, tmp_path, fmt):
    """A coder e-mails an export instead of the database: merging it gives the same labels."""
    alice = coders[0]
    with Store(alice) as s:
        first = item_ids(alice)[1]
        s.labels.set(first, "alice", "tone", None)  # cleared: the label file must carry that
        s.labels.set(first, "alice", "tone", "warm")
        s.labels.set_note(first, "alice", "changed my mind")
    out = tmp_path / "alice.jsonl"
    exported = run("export", alice, "-o", out, *fmt)
    assert exported.exit_code == 0, exported.output
    merged = run("merge", project_path, out, "--json")
    assert merged.exit_code == 0, merged.output
    (summary,) = json.loads(merged.output)["files"]
    assert summary["labels_added"] == 16 and summary["unmatched"] == 0
    ours = Store(project_path, readonly=True)
    theirs = Store(alice, readonly=True)
    try:
        for item_id in item_ids(project_path):
            assert ours.labels.annotation(item_id, "alice").labels == theirs.labels.annotation(item_id, "alice").labels
        if fmt == ["--labels"]:
            assert ours.labels.annotation(first, "alice").note == "changed my mind"
            assert len(ours.labels.history(coder="alice")) == len(theirs.labels.history(coder="alice"))
    finally:
        ours.close()
        theirs.close()
    again = json.loads(run("merge", project_path, out, "--json").output)["files"][0]
    assert (again["labels_added"], again["labels_updated"], again["events_added"]) == (0, 0, 0)


def test_agreement_shows_who_confuses_what(project_path, coders):
    run("merge", project_path, *coders)
    result = run("agreement", project_path, "--scheme", "tone", "--coders", "alice,bob", "--bootstrap", "0")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    start = lines.index("  confusion alice (rows) x bob (columns):")
    table = [line.split() for line in lines[start + 1:start + 5]]
    # alice said firm three times (bob: firm, warm, neutral) and neutral once (bob: neutral)
    assert table == [
        ["firm", "neutral", "warm"],
        ["firm", "1", "1", "1"],
        ["neutral", "0", "1", "0"],
        ["warm", "0", "0", "0"],
    ]


def test_merge_checks_every_file_before_writing_anything(project_path, coders, tmp_path):
    # merge_files promises a bad file stops the command before the project changes at all:
    # neither alice's labels nor a backup may appear when a later file is unreadable.
    bad = tmp_path / "notes.txt"
    bad.write_text("just some notes\n")
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"uid": "x", "annotations": []}\nnot json\n')
    for other in (bad, tmp_path / "nope.db", broken):
        result = run("merge", project_path, coders[0], other)
        assert result.exit_code == 1, result.output
        assert result.output.count("\n") == 1 and str(other) in result.output
        assert Store(project_path, readonly=True).labels.coders() == []
    assert list(project_path.parent.glob(f"{project_path.name}.bak-*")) == []
