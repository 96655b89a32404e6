"""The importer against the hand-made truth (``import_truth.json``): 43 pages of the new
folders, both languages, 2016-2020, chosen for the layouts that once failed (mixed
styles, outlets in book-title marks, bracketed asides, follow-ups answered without a
label, questions asked after the press conference, dates only in the date line), and six
drawn at random after the rules were written (``held_out``). The figures are printed after
the run; tests/benchmarks/bench_import_truth.py prints them as JSON beside a plain splitter's."""

from __future__ import annotations

from collections import Counter

from annotator.core.items import Source
from tests.core.importers import truth

# The goal of issue 13, for each language.
GOAL = 0.99


def test_the_truth_is_what_it_says():
    pages = truth.load()
    assert len(pages) >= 30
    assert {p["lang"] for p in pages} == {"en", "zh"}
    assert {p["date"][:4] for p in pages} >= {"2016", "2017", "2018", "2019", "2020"}
    assert all(p["file"].startswith(("mfa-en-more/", "mfa-zh-more/")) for p in pages)
    assert len({p["file"] for p in pages}) == len(pages)
    assert Counter(p["lang"] for p in pages)["zh"] >= 15 and Counter(p["lang"] for p in pages)["en"] >= 15
    assert sum(len(p["pairs"]) for p in pages) >= 400 and any(p.get("held_out") for p in pages)


def test_pairs_outlets_speakers_and_dates_match_the_truth(corpus, parsed, importer_summary):
    scores = {"en": truth.Score(), "zh": truth.Score()}
    for page in truth.load():
        source = parsed[(corpus / "real" / page["file"]).resolve()]
        assert isinstance(source, Source), f"{page['file']}: {source}"
        truth.score_page(page, source.items, source.date, scores[page["lang"]])
    for lang, s in scores.items():
        importer_summary.append(
            f"truth: {lang}: pair precision {s.precision:.3f}, recall {s.recall:.3f} "
            f"({s.matched} of {s.true_pairs} true pairs found, {s.found_pairs} found, {s.pages} pages); "
            f"outlets right {s.outlets_right}/{s.matched}, spokesperson right {s.speakers_right}/{s.matched}, "
            f"dated right {s.dated_right}/{s.pages}")
    misses = [m for s in scores.values() for m in s.misses]
    for lang, s in scores.items():
        assert s.precision >= GOAL and s.recall >= GOAL, (lang, s.precision, s.recall, misses)
        assert s.dated_right == s.pages, lang  # every page dated, and rightly
        assert s.outlets_right == s.matched and s.speakers_right == s.matched, (lang, misses)
