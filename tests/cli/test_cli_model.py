"""annotator model DB train | evaluate | status | suggest: what a lead types, and one line for each mistake."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from annotator.cli import cli
from annotator.core.store import Store
from tests.helpers import rule_gold


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_a_lead_trains_evaluates_and_turns_suggestions_on(english):
    trained = run("model", english, "train", "--from", "gold")
    assert trained.exit_code == 0, trained.output
    lines = trained.output.splitlines()
    assert lines[0].startswith("topics: trained on 346 items (gold 346), 2 options; too few examples of hong_kong, ")
    assert lines[1].startswith("tone: trained on ") and lines[2].startswith("question_stance: not trained: ")
    evaluated = run("model", english, "evaluate", "--json")
    assert evaluated.exit_code == 0, evaluated.output
    figures = json.loads(evaluated.output)
    assert figures["sources"] == ["gold"] and figures["folds"] == 5  # --from is the project's choice now
    assert figures["schemes"]["topics"]["model"]["macro_f1"] > figures["schemes"]["topics"]["baseline"]["macro_f1"]
    table = run("model", english, "evaluate", "--scheme", "tone").output
    assert "cross-validated by conference (5 folds), learning from gold" in table and "accuracy" in table
    on = run("model", english, "suggest", "--on", "topics,tone")
    assert on.output == "suggestions on for: topics, tone\n"
    status = run("model", english, "status")
    assert status.exit_code == 0
    first = status.output.splitlines()[0]
    assert first.startswith("topics: model ") and first.endswith("(suggestions on)") and "labels have changed" not in first
    assert "question_stance: no model (suggestions off)" in status.output
    with Store(english) as store:
        store.db.execute("DELETE FROM gold WHERE scheme = 'topics' AND item_id < 5")
        store.db.conn.commit()
    assert "labels have changed since" in run("model", english, "status").output.splitlines()[0]
    off = run("model", english, "suggest", "--off", "all", "--json")
    assert json.loads(off.output)["suggest"] == []


def test_every_mistake_is_one_line(project_path, english):
    before = project_path.read_bytes()
    cases = [
        (("train",), f"Error: {project_path}: nothing to train (labels from gold, consensus): topics, tone, "
                     "question_stance, rhetoric: 0 labelled items, at least 20 needed"),
        (("train", "--scheme", "tones"), f"Error: {project_path}: the codebook has no scheme 'tones'"),
        (("train", "--from", "gold,guesses"), "Error: --from: no source 'guesses' (sources: gold, consensus, single)"),
        (("evaluate",), f"Error: {project_path}: nothing to evaluate (labels from gold, consensus): topics"),
        (("suggest",), "Error: model suggest: give --on SCHEMES or --off SCHEMES"),
        (("suggest", "--on", "mood"), f"Error: {project_path}: the codebook has no scheme 'mood'"),
    ]
    for args, start in cases:
        result = run("model", project_path, *args)
        assert result.exit_code == 1, (args, result.output)
        assert result.output.startswith(start) and result.output.count("\n") == 1, (args, result.output)
    assert project_path.read_bytes() == before
    with Store(project_path) as store:
        rule_gold(store)
    assert "topics, tone: 5 labelled items, at least 20 needed" in run("model", project_path, "train").output
    missing = run("model", project_path.with_name("none.db"), "status")
    assert missing.exit_code == 1 and missing.output.count("\n") == 1 and "none.db" in missing.output


def test_a_damaged_model_is_one_line_in_status_and_the_rest_still_works(english):
    assert run("model", english, "train").exit_code == 0
    with Store(english) as store:
        store.db.execute("UPDATE model_arrays SET dtype = '|O' WHERE owner = 'scheme:tone' AND name = 'a'")
        store.db.conn.commit()
    status = run("model", english, "status")
    assert status.exit_code == 0
    assert (f"tone: model not used (suggestions off): {english}: the model of scheme 'tone': array 'a' has dtype '|O', "
            "which a model never has; it is not read (retrain to replace it)") in status.output
    assert status.output.splitlines()[0].startswith("topics: model ")
    assert run("model", english, "train", "--scheme", "tone").exit_code == 0
    assert "tone: model " in run("model", english, "status").output


def test_a_real_process_trains(english):
    proc = subprocess.run([sys.executable, "-c", "from annotator.launch import main; main()", "model", str(english),
                           "train", "--scheme", "tone"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("tone: trained on ") and proc.stderr == ""


def test_too_few_labels_say_what_each_scheme_has_and_what_to_do(project_path, english):
    # The sample project, as a first reader tries this section: "at least 20 are needed to train,
    # with one option given on 3 or more of them (and left off as many)" said neither what the
    # project lacked nor what to do, and its 18 items can never be enough.
    alone = run("model", project_path, "train")
    assert alone.exit_code == 1
    assert alone.output == (f"Error: {project_path}: nothing to train (labels from gold, consensus): topics, tone, "
                            "question_stance, rhetoric: 0 labelled items, at least 20 needed; this project holds only "
                            "5 items: import more transcripts (annotator import), label 20 or more and train again "
                            "(one coder's labels count with --from gold,consensus,single)\n")
    with Store(english) as store:
        store.db.execute("DELETE FROM gold WHERE scheme = 'tone' AND value != '\"neutral\"'")
        store.db.conn.commit()
    short = run("model", english, "train", "--scheme", "tone", "--from", "gold,single")
    assert short.exit_code == 1
    assert short.output.startswith(f"Error: {english}: nothing to train (labels from gold, single): tone: ")
    assert short.output.endswith(" labelled items, but only 1 option given on 3 or more of them: 2 are needed; "
                                 "label more items and train again\n")
    none = run("model", english, "evaluate", "--scheme", "question_stance")
    assert none.output == (f"Error: {english}: nothing to evaluate (labels from gold, consensus): question_stance: "
                           "0 labelled items, at least 20 needed; label more items and evaluate again "
                           "(one coder's labels count with --from gold,consensus,single)\n")
