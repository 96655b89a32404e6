"""The reliability report: every figure against the agreement functions (themselves checked
against independent packages), each picture's words where a figure cannot exist, the tables a
paper pastes in, and one HTML file that needs nothing from outside."""

from __future__ import annotations

import datetime
import json
import math
import re
from collections import Counter
from pathlib import Path

import pytest

from annotator.core.agreement import scheme_agreement
from annotator.core.agreement.project import coder_values, project_agreement, scheme_ratings
from annotator.core.errors import AnnotatorError
from annotator.core.report import build_report, render
from annotator.core.report.drift import MIN_UNITS
from annotator.core.report.summary import summary_lines
from annotator.core.report.verdict import verdict_words
from annotator.core.review import accept_unanimous, disagreements
from annotator.core.store import Store
from tests.helpers import code_three, copy_project, mark_assisted, new_project, real_sources

SCHEMES = ("topics", "tone", "question_stance")


@pytest.fixture(scope="session")
def _three(tmp_path_factory, corpus) -> Path:
    """Real transcripts coded by three coders over four weeks; unanimous tone accepted as gold,
    some disagreements settled in review (a coder's value) and some by hand."""
    path = new_project(tmp_path_factory.mktemp("report") / "three.db", real_sources(corpus, 12, every=1))
    with Store(path) as store:
        code_three(store, overlap=0.85)  # May, June and a little of July 2018
        accept_unanimous(store, "lead", scheme="tone")
        open_ = disagreements(store, scheme="tone")
        for d in open_[:6]:
            store.gold.set(d.item_id, "tone", d.values["alice"], "lead", method="coder", taken_from="alice")
        for d in open_[6:9]:
            store.gold.set(d.item_id, "tone", "neutral", "lead", method="hand")
        store.checkpoint()
    return path


@pytest.fixture
def three(_three, tmp_path) -> Path:
    return copy_project(_three, tmp_path / "three.db")


@pytest.fixture(scope="session")
def report(_three) -> dict:
    with Store(_three, readonly=True) as store:
        return build_report(store, by="month", bootstrap=300, seed=4)


def test_the_table_is_the_agreement_commands_figures(_three, report):
    with Store(_three, readonly=True) as store:
        expected = project_agreement(store, bootstrap=300, seed=4)
    for name in SCHEMES:
        row, e = report["schemes"][name]["row"], expected[name]
        assert row["alpha"] == e["alpha"] and row["alpha_ci95"] == list(e["alpha_ci95"])
        assert row["units"] == e["items"] > 20
        assert row["percent_agreement"] == e["percent_agreement"]
        assert row["gwet"]["value"] == (e["gwet_ac2"] if e["ordered"] else e["gwet_ac1"])
        assert row["metric"] == {"topics": "masi", "tone": "ordinal", "question_stance": "nominal"}[name]
        assert row["coders"] == ["alice", "bob", "carol"]
        assert row["coverage"] == e["units"]
        for option, po in report["schemes"][name]["per_option"].items():
            assert po["alpha"] == e["per_option"][option]["alpha"] and po["usage"] == e["per_option"][option]["usage"]


def test_pairable_values_and_verdict_follow_their_definitions(_three, report):
    with Store(_three, readonly=True) as store:
        tone = store.codebook().scheme("tone")
        values = coder_values(store, tone)
    pairable = [v for v in values.values() if len(v) >= 2]
    row = report["schemes"]["tone"]["row"]
    assert row["pairable_values"] == sum(len(v) for v in pairable)
    top = max(sum(tone.category(x) == c for v in pairable for x in v.values()) for c in tone.values)
    assert math.isclose(row["top_share"], top / row["pairable_values"])
    a = row["alpha"]
    assert row["verdict"] == ("reliable" if a >= 0.8 else "tentative" if a >= 0.667 else "unreliable")
    assert row["verdict_words"].startswith({"reliable": "reliable", "tentative": "tentative",
                                            "unreliable": "not reliable"}[row["verdict"]])


def test_each_pair_of_coders_is_the_agreement_of_those_two(_three, report):
    with Store(_three, readonly=True) as store:
        for name in SCHEMES:
            for pair, p in report["schemes"][name]["pairwise"].items():
                e = project_agreement(store, scheme=name, coders=pair.split("|"), bootstrap=0)[name]
                assert (p["alpha"], p["percent_agreement"], p["units"]) == (e["alpha"], e["percent_agreement"], e["items"])


def test_confusion_is_two_coders_values_counted(_three, report):
    conf = report["schemes"]["tone"]["confusion"]
    a, b = conf["pair"]
    with Store(_three, readonly=True) as store:
        values = coder_values(store, store.codebook().scheme("tone"))
    both = [v for v in values.values() if a in v and b in v]
    assert conf["units"] == len(both)
    for i, x in enumerate(conf["options"]):
        for j, y in enumerate(conf["options"]):
            assert conf["matrix"][i][j] == sum(v[a] == x and v[b] == y for v in both)
    assert report["schemes"]["topics"]["confusion"] is None  # multi-choice: per option instead


def test_drift_per_month_is_alpha_of_that_months_items(_three, report):
    drift = report["schemes"]["tone"]["drift"]
    with Store(_three, readonly=True) as store:
        tone = store.codebook().scheme("tone")
        ratings = scheme_ratings(store, tone)
        month = {u: store.items.get(store.items.id_for_uid(u))["date"][:7] for u in ratings}
    pairable = {u: r for u, r in ratings.items() if len(r) >= 2}
    counts = {m: sum(month[u] == m for u in pairable) for m in set(month.values())}
    drawn = {p["period"]: p for p in drift["points"]}
    assert {p["period"] for p in drift["few"]} == {m for m, n in counts.items() if 0 < n < MIN_UNITS}
    assert set(drawn) == {m for m, n in counts.items() if n >= MIN_UNITS} and len(drawn) >= 2
    for m, p in drawn.items():
        e = scheme_agreement({u: r for u, r in pairable.items() if month[u] == m}, kind="single",
                             options=tone.values, ordered=True, bootstrap=0)
        assert (p["units"], p["alpha"]) == (counts[m], e["alpha"])
    assert list(drawn) == sorted(drawn)


def test_drift_by_week_of_coding(_three):
    with Store(_three, readonly=True) as store:
        drift = build_report(store, scheme="tone", by="coder-week", bootstrap=0)["schemes"]["tone"]["drift"]
    weeks = [p["period"] for p in drift["points"]] + [p["period"] for p in drift["few"]]
    assert weeks == sorted(weeks) and set(weeks) <= {"2026-W10", "2026-W11", "2026-W12", "2026-W13"}
    assert len(drift["points"]) >= 2
    # every unit is placed in the week its last value was given
    assert sum(p["units"] for p in drift["points"] + drift["few"]) == build_report(
        Store(_three, readonly=True), scheme="tone", bootstrap=0, details=False)["schemes"]["tone"]["row"]["units"]


def test_one_schemes_report_reads_the_days_of_that_scheme_alone(_three):
    with Store(_three, readonly=True) as store:
        every = list(store.labels.days())
        tone = list(store.labels.days("tone"))
        one = build_report(store, scheme="tone", by="coder-week", bootstrap=0)["schemes"]["tone"]["drift"]
        whole = build_report(store, by="coder-week", bootstrap=0)["schemes"]["tone"]["drift"]
    assert {s for s, *_ in every} > {"tone"}
    assert tone and tone == [d for d in every if d[0] == "tone"]
    assert one == whole


def test_each_unit_is_in_the_week_its_last_label_was_given(_three):
    """The weeks of the bulk read (days from the index) against a row-by-row reading in Python
    of every label's own time: each pairable unit counted in the ISO week of its latest label."""
    with Store(_three, readonly=True) as store:
        tone = store.codebook().scheme("tone")
        pairable = {uid for uid, by_coder in coder_values(store, tone).items() if len(by_coder) >= 2}
        latest: dict[str, datetime.date] = {}
        for uid, at in store.db.execute(
                "SELECT i.uid, l.updated_at FROM labels l JOIN items i ON i.id = l.item_id WHERE l.scheme = 'tone'"):
            latest[uid] = max(latest.get(uid, datetime.date.min), datetime.date.fromisoformat(at[:10]))
        drift = build_report(store, scheme="tone", by="coder-week", bootstrap=0)["schemes"]["tone"]["drift"]
    expected = Counter("{}-W{:02d}".format(*latest[uid].isocalendar()[:2]) for uid in pairable)
    assert {p["period"]: p["units"] for p in drift["points"] + drift["few"]} == dict(expected)
    assert len(expected) >= 3  # the fixture's coding spans weeks: a wrong day would move units


def test_what_became_of_the_disagreements(_three, report):
    with Store(_three, readonly=True) as store:
        open_ = disagreements(store, scheme="tone")
        gold = {(g.item_id): g for g in store.gold.values("tone")}
        methods = {i: store.gold.of(i)["tone"]["method"] for i in gold}
        compared = sum(len(v) >= 2 for v in coder_values(store, store.codebook().scheme("tone")).values())
    d = report["schemes"]["tone"]["disagreements"]
    assert d["compared"] == compared
    assert d["disagreements"] == len(open_) and d["unanimous"] == compared - len(open_)
    assert d["unanimous_accepted"] == sum(m == "unanimous" for m in methods.values()) > 0
    assert (d["settled_by_review"], d["settled_by_hand"], d["settled_otherwise"]) == (6, 3, 0)
    assert d["remaining"] == sum(not x.decided for x in open_) == len(open_) - 9
    assert report["schemes"]["topics"]["disagreements"]["gold_total"] == 0


def test_each_coder_against_the_gold(_three, report):
    with Store(_three, readonly=True) as store:
        tone = store.codebook().scheme("tone")
        values = coder_values(store, tone)
        gold = {g.uid: tone.given(g.value, kind=g.kind) for g in store.gold.values("tone")}
    for coder, g in report["schemes"]["tone"]["gold"].items():
        both = {u: {coder: v[coder], "gold": gold[u]} for u, v in values.items() if coder in v and u in gold}
        assert g["units"] == len(both) > 0
        assert math.isclose(g["percent_agreement"], sum(r[coder] == r["gold"] for r in both.values()) / len(both))
        e = scheme_agreement(both, kind="single", options=tone.values, ordered=True, bootstrap=0)
        assert g["alpha"] == pytest.approx(e["alpha"], abs=1e-12)


def test_assisted_and_unassisted_side_by_side(three):
    with Store(three, readonly=True) as store:
        assert build_report(store, bootstrap=0)["assisted_note"].startswith("No label in this project was set while")
        before = build_report(store, scheme="tone", bootstrap=0)["schemes"]["tone"]
        tone = store.codebook().scheme("tone")
        single = [u for u, v in coder_values(store, tone).items() if len(v) == 1]
        ids = {store.items.id_for_uid(u) for u in single}
    assert mark_assisted(three, "alice", sorted(ids), "tone") > 0
    assert mark_assisted(three, "bob", sorted(ids), "topics") > 0  # another scheme's suggestion: not tone's
    with Store(three, readonly=True) as store:
        rep = build_report(store, scheme="tone", bootstrap=0)
        values = coder_values(store, tone)
        gold = {g.uid: tone.given(g.value, kind=g.kind) for g in store.gold.values("tone")}
    a = rep["schemes"]["tone"]["assisted"]
    assert rep["assisted_note"] is None
    alice_single = [u for u in single if "alice" in values[u]]
    assert a["assisted"]["values"] == len(alice_single) > 0
    assert a["assisted"]["units_compared"] == 0  # the reliability sample never has suggestions
    assert a["unassisted"]["alpha"] == pytest.approx(before["row"]["alpha"], abs=1e-12)  # the whole overlap is unassisted
    with_gold = [u for u in alice_single if u in gold]
    assert a["assisted"]["gold"]["compared"] == len(with_gold)
    assert a["assisted"]["gold"]["agree"] == sum(values[u]["alice"] == gold[u] for u in with_gold)
    with Store(three, readonly=True) as store:  # one rule, one home: the figures `annotator agreement` prints
        assert a == project_agreement(store, scheme="tone", bootstrap=0)["tone"]["suggestions"]
    html = render(rep, "html")
    assert "Assisted and unassisted coding" in html and "No label in this project" not in html
    assert f"Of {len(alice_single)} assisted values" in html


def test_bad_projects_say_so_in_words(tmp_path, corpus):
    empty = new_project(tmp_path / "empty.db", real_sources(corpus, 2))
    with Store(empty, readonly=True) as store:
        rep = build_report(store, bootstrap=50)
    assert rep["note"] == "No coder has labelled this project yet: there is no agreement to report."
    assert rep["schemes"]["tone"]["row"]["note"].startswith("No coder has given Tone of the answer a value")
    check_words_not_numbers(rep)

    with Store(empty) as store:
        ids = [r[0] for r in store.db.execute("SELECT id FROM items ORDER BY id")]
        for i in ids[:10]:
            store.labels.set(i, "alice", "tone", "firm")
        for i in ids[10:20]:
            store.labels.set(i, "bob", "tone", "neutral")
    with Store(empty, readonly=True) as store:
        rep = build_report(store, bootstrap=50)
    tone = rep["schemes"]["tone"]["row"]
    assert "alice and bob gave Tone of the answer values, but never to the same item" in tone["note"]
    assert rep["schemes"]["topics"]["row"]["note"] == "No coder has given Topics a value yet: there is nothing to compare."
    assert rep["schemes"]["tone"]["drift"]["note"].startswith("No unit of Tone of the answer has two values yet")
    check_words_not_numbers(rep)

    with Store(empty) as store:
        store.labels.set(ids[0], "bob", "tone", "firm")  # one unit, one value on both sides
        store.labels.set(ids[1], "carol", "topics", ["taiwan"])
    with Store(empty, readonly=True) as store:
        rep = build_report(store, bootstrap=50)
    assert "Every value of Tone of the answer compared was 'Firm'" in rep["schemes"]["tone"]["row"]["note"]
    assert rep["schemes"]["topics"]["row"]["note"].startswith("Only carol has given Topics values")
    assert "falls in one week" in rep["schemes"]["tone"]["drift"]["note"]
    check_words_not_numbers(rep)


def test_one_coder(tmp_path, corpus):
    path = new_project(tmp_path / "one.db", real_sources(corpus, 1))
    with Store(path) as store:
        store.labels.set(store.items.first_id(), "alice", "tone", "firm")
    with Store(path, readonly=True) as store:
        rep = build_report(store)
    assert rep["note"].startswith("Only one coder (alice) has labelled this project")
    check_words_not_numbers(rep)


def check_words_not_numbers(rep: dict) -> None:
    """No NaN anywhere, every format renders, and the HTML draws no empty picture: a scheme without
    an alpha has words where each of its pictures would be."""
    json.dumps(rep, allow_nan=False)
    for fmt in ("md", "tex", "json"):
        assert not re.search(r"\bnan\b", render(rep, fmt), re.IGNORECASE)
    html = render(rep, "html")
    assert not re.search(r"\bnan\b", html, re.IGNORECASE)
    for name, s in rep["schemes"].items():
        section = html.split(f'id="scheme-{name}"', 1)[1].split("</section>", 1)[0]
        if s["row"]["note"]:
            assert s["row"]["note"].split(":")[0] in section.replace("&#x27;", "'")
            assert "<svg" not in section.split("<h3>Per option</h3>")[0]  # no coder-by-coder picture
        if s["drift"]["note"]:
            drift = section.split("<h3>Drift", 1)[1].split("<h3>", 1)[0]
            assert "<svg" not in drift


def test_markdown_table_pastes_into_a_paper(report):
    md = render(report, "md")
    lines = md.splitlines()
    head, rule, *rows = lines[: 2 + len(report["schemes"])]
    width = head.count("|")
    gwet = any(s["row"]["skewed"] and s["row"]["gwet"]["value"] is not None for s in report["schemes"].values())
    assert all(line.count("|") == width for line in (rule, *rows)) and width == (11 if gwet else 10)
    assert ("AC1/AC2" in head) == gwet
    assert rule.replace(" ", "").replace("|", "").replace("-", "").replace(":", "") == ""
    tone = next(r for r in rows if r.startswith("| Tone of the answer |"))
    row = report["schemes"]["tone"]["row"]
    alpha = f"{row['alpha']:.3f}".lstrip("0")
    assert f"| α (ordinal) | {alpha} |" in tone
    caption = next(line for line in lines if line.startswith("Table: "))
    assert "Krippendorff's α" in caption and "percentile bootstrap" in caption and "300 resamples" in caption
    assert ".800: reliable" in caption and ".667: tentative" in caption


def test_latex_table_escapes_and_compiles_to_plain_tabular(report):
    tex = render(report, "tex")
    assert tex.startswith("\\begin{table}") and tex.rstrip().endswith("\\end{table}")
    assert re.search(r"\\begin\{tabular\}\{llrlrrrrl?l\}", tex) and "booktabs" not in tex
    body = tex.split("\\hline", 2)[2]
    assert "_" not in body.replace("\\_", "") and "%" not in body.replace("\\%", "")
    assert "α" not in tex and "$\\alpha$" in tex
    rows = [line for line in tex.splitlines() if line.endswith("\\\\")]
    columns = rows[0].count(" & ")
    assert len(rows) == 1 + len(report["schemes"]) and columns in (8, 9) and all(r.count(" & ") == columns for r in rows)


def test_html_is_one_file_with_inline_pictures(report):
    html = render(report, "html")
    assert html.count("<svg") >= 3 * 4  # per scheme: coders, options, drift (+ confusion for single-choice)
    assert not re.search(r"<(script|link|img|iframe|object)\b", html, re.IGNORECASE)
    refs = re.findall(r"""(?:href|src)\s*=\s*["']([^"']*)""", html) + re.findall(r"url\(([^)]*)\)", html)
    inside = ("#", "data:image/png;base64,")  # a reference within the page, or an image inside it (a colour bar)
    assert refs and all(r.startswith(inside) for r in refs), [r[:40] for r in refs if not r.startswith(inside)][:3]
    names = re.sub(r"""xmlns(:\w+)?=["'][^"']*["']""", "", html)  # XML namespaces name, they fetch nothing
    assert "@import" not in html and "http" not in names


def test_json_has_the_same_figures(report):
    again = json.loads(render(report, "json"))
    assert again == json.loads(json.dumps(report))


def test_panel_words_come_from_the_report(_three, report):
    lines = summary_lines(report["schemes"]["tone"])
    row = report["schemes"]["tone"]["row"]
    assert lines[0].startswith(f"alpha (ordinal) {row['alpha']:.3f}".replace(" 0.", " .")) and row["verdict_words"] in lines[0]
    d = report["schemes"]["tone"]["disagreements"]
    assert lines[-1] == f"decided {d['disagreements'] - d['remaining']} of {d['disagreements']} disagreements"


def test_bad_choices_are_one_line(_three):
    with Store(_three, readonly=True) as store:
        with pytest.raises(AnnotatorError, match="--by: 'year' is not one of coder-week, month, conference"):
            build_report(store, by="year")
        with pytest.raises(AnnotatorError, match="no scheme 'tones'"):
            build_report(store, scheme="tones")


def test_a_skewed_scheme_gets_gwet_beside_alpha(tmp_path, corpus):
    path = new_project(tmp_path / "skewed.db", real_sources(corpus, 6))
    with Store(path) as store:
        ids = [r[0] for r in store.db.execute("SELECT id FROM items WHERE kind = 'qa' ORDER BY id")]
        assert len(ids) >= 40
        for n, i in enumerate(ids[:40]):
            store.labels.set(i, "alice", "question_stance", "neutral")
            store.labels.set(i, "bob", "question_stance", "hostile" if n in (3, 17) else "neutral")
    with Store(path, readonly=True) as store:
        rep = build_report(store, scheme="question_stance", bootstrap=0)
        expected = project_agreement(store, scheme="question_stance", bootstrap=0)["question_stance"]
    row = rep["schemes"]["question_stance"]["row"]
    assert row["skewed"] and row["top_share"] == 78 / 80 and row["gwet"] == {"name": "AC1", "value": expected["gwet_ac1"]}
    assert row["alpha"] < 0.1 < 0.9 < row["gwet"]["value"]  # the prevalence paradox
    md = render(rep, "md")
    ac1 = f"{expected['gwet_ac1']:.3f}".lstrip("0")
    assert "| AC1/AC2 |" in md and f"| AC1 {ac1} |" in md and "prevalence paradox" in md


@pytest.mark.parametrize("alpha, ci, words", [
    (0.85, (0.81, 0.90), "reliable (alpha at least .800)"),
    (0.85, (0.79, 0.90), "reliable (alpha at least .800); the 95 % interval reaches below .800"),
    (0.85, (0.60, 0.90), "reliable (alpha at least .800); the 95 % interval reaches below .667"),
    (0.70, (0.68, 0.79), "tentative conclusions only (alpha at least .667, below .800)"),
    (0.70, (0.60, 0.79), "tentative conclusions only (alpha at least .667, below .800); "
                         "the 95 % interval reaches below .667"),
    (0.70, (0.68, 0.81), "tentative conclusions only (alpha at least .667, below .800); "
                         "the 95 % interval reaches .800"),
    # the interval of five real coders' topics, .682 [.510, .809]: it said "reaches .800" alone
    (0.682, (0.510, 0.809), "tentative conclusions only (alpha at least .667, below .800); "
                            "the 95 % interval reaches below .667 and .800"),
    (0.50, (0.40, 0.60), "not reliable (alpha below .667)"),
    (0.50, (0.40, 0.70), "not reliable (alpha below .667); the 95 % interval reaches .667"),
    (0.50, (0.40, 0.90), "not reliable (alpha below .667); the 95 % interval reaches .800"),
])
def test_the_verdict_names_every_threshold_its_interval_crosses(alpha, ci, words):
    assert verdict_words(alpha, ci) == words


@pytest.mark.parametrize("alpha,shown", [(0.7996, ".7996"), (0.80004, ".800"), (0.8, ".800"), (0.6668, ".6668"),
                                         (0.667, ".667"), (0.853, ".853"), (-0.12, "−.120"), (1.0, "1.000")])
def test_a_coefficient_is_never_rounded_across_a_threshold(alpha, shown):
    # ".800" printed beside "tentative" (alpha .7996): the reader's eye and the verdict disagreed
    from annotator.core.report.tables import coefficient
    from annotator.core.report.verdict import verdict

    assert coefficient(alpha) == shown
    printed = float(shown.replace("−", "-"))
    assert verdict(printed) == verdict(alpha)  # what a reader reads off the table is the verdict beside it


@pytest.fixture(scope="module")
def two_units(tmp_path_factory, corpus) -> dict:
    """The report of two coders who agree on two items' tone: alpha 1.000 [1.000, 1.000]."""
    path = new_project(tmp_path_factory.mktemp("few") / "few.db", real_sources(corpus, 1))
    with Store(path) as store:
        ids = [r[0] for r in store.db.execute("SELECT id FROM items WHERE kind = 'qa' ORDER BY id")][:2]
        for coder in ("alice", "bob"):
            store.labels.set(ids[0], coder, "tone", "firm")
            store.labels.set(ids[1], coder, "tone", "neutral")
    with Store(path, readonly=True) as store:
        return build_report(store, scheme="tone", bootstrap=200, seed=1)


def test_a_verdict_on_few_units_says_they_are_too_few(two_units, report):
    # Two units two coders agree on resample into [1.000, 1.000]: "reliable", an interval that
    # looked certain, and nothing to say it rested on two items.
    row = two_units["schemes"]["tone"]["row"]
    assert row["alpha"] == 1.0 and row["alpha_ci95"] == [1.0, 1.0] and row["units"] == 2
    assert row["verdict_words"] == ("reliable (alpha at least .800); but only 2 units, fewer than 20: "
                                    "too few to rely on alpha or its interval")
    assert row["verdict_words"] in summary_lines(two_units["schemes"]["tone"])[0]
    assert row["verdict_words"] in render(two_units, "html")
    for name in SCHEMES:  # the real project's schemes, each on more than 20 units, carry no such words
        assert "too few" not in report["schemes"][name]["row"]["verdict_words"]


def test_the_papers_tables_say_a_verdict_rests_on_too_few_units(two_units, report):
    # The Markdown and LaTeX tables printed "reliable" from two units with nothing beside it, the
    # table a paper pastes in; the HTML and the summary said they were too few.
    words = "Tone of the answer: only 2 units, fewer than 20: too few to rely on alpha or its interval."
    assert f"\nNote. {words}\n" in render(two_units, "md")
    assert f"Note. {words}" in render(two_units, "tex")
    for fmt in ("md", "tex"):  # the real project's schemes, each on more than 20 units, get no such note
        assert "too few" not in render(report, fmt)
