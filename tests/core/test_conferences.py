"""Conferences: one briefing whatever its files and languages; the importer's choice, the lead's
corrections with history, copies caught, older projects upgraded, merges that carry them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from annotator.core.conferences import conference_id, language_of, normalise_text, pairs_fingerprint
from annotator.core.errors import AnnotatorError
from annotator.core.filters import Filter
from annotator.core.import_run import import_paths
from annotator.core.importers import parse_file
from annotator.core.importers.conference import read_conference
from annotator.core.merge import merge_files
from annotator.core.store import Store
from tests.helpers import older_project

REAL = Path("real")
# One regular press conference per era in both languages: Q:/问: pages (2019) and outlet-named ones (2020).
BOTH = {
    "2019-01-02-foreign-ministry-press-conference": ("mfa-en/2019-01-02_presser_t1626635.html",
                                                     "mfa-zh/2019-01-02_presser_t1626567.html"),
    "2020-03-30-foreign-ministry-press-conference": ("mfa-en/2020-03-30_presser_t1763695.html",
                                                     "mfa-zh/2020-03-30_presser_t1763648.html"),
}
# The day's remarks in English and Chinese ("Remarks on August 6, 2019", "2019年8月6日…答记者问"), and
# four Chinese remarks of the same day on a subject each: five briefings.
REMARKS_DAY = ("mfa-en-more/2019-08-06_t1686637.html", "mfa-zh-more/2019-08-06_t1686555.html",
               "mfa-zh-more/nodate_t1686604.html", "mfa-zh-more/nodate_t1686533.html",
               "mfa-zh-more/nodate_t1686253.html", "mfa-zh-more/nodate_t1686536.html")


def _files(corpus: Path, names) -> list[Path]:
    return [corpus / REAL / n for n in names]


def _import(store: Store, paths: list[Path], **kw):
    summary = import_paths(store, paths, **kw)
    assert not summary.failed, summary.failed
    return summary


def test_english_and_chinese_pages_of_one_press_conference_join_one_conference(corpus, tmp_path) -> None:
    with Store(tmp_path / "p.db", create=True) as store:
        summary = _import(store, _files(corpus, [f for pair in BOTH.values() for f in pair]))
        assert summary.conferences == set(BOTH)
        listing = store.conferences.listing()
        assert [c.id for c in listing] == sorted(BOTH)
        for conf in listing:
            sources = store.conferences.sources(conf.id)
            assert sorted(s.language for s in sources) == ["en", "zh"]
            assert conf.body == "Foreign Ministry" and conf.kind == "regular press conference"
            assert conf.items == sum(s.items for s in sources) > 10
        assert listing[0].spokespersons == ["Lu Kang"] and listing[0].speaker == "Lu Kang"  # 陆慷 on the Chinese page
        # every item knows its conference
        by_item = store.conferences.by_item()
        assert len(by_item) == store.items.count() and set(by_item.values()) == set(BOTH)
        # each file's record names the conference it joined
        assert {Path(r.file).name: r.conference for r in summary.records} == {
            Path(f).name: cid for cid, pair in BOTH.items() for f in pair}


def test_remarks_of_a_day_join_across_languages_and_remarks_on_a_subject_stay_apart(corpus, tmp_path) -> None:
    with Store(tmp_path / "p.db", create=True) as store:
        _import(store, _files(corpus, REMARKS_DAY))
        listing = store.conferences.listing()
        assert len(listing) == 5 and {c.kind for c in listing} == {"remarks"}
        day = [c for c in listing if not c.subject]
        assert len(day) == 1 and day[0].sources == 2
        assert sorted(s.language for s in store.conferences.sources(day[0].id)) == ["en", "zh"]
        assert all(c.sources == 1 and c.subject for c in listing if c.subject)


def test_the_id_is_made_of_the_facts_so_every_machine_agrees(corpus) -> None:
    en, zh = (parse_file(p) for p in _files(corpus, BOTH["2019-01-02-foreign-ministry-press-conference"]))
    facts_en, facts_zh = read_conference(en), read_conference(zh)
    assert facts_zh.speaker == facts_en.speaker == "Lu Kang"  # 陆慷, romanised
    assert conference_id(facts_en) == conference_id(facts_zh) == "2019-01-02-foreign-ministry-press-conference"
    wh = parse_file(corpus / REAL / "whitehouse" / "2021-03-08-background-press-call-by-senior-administration-officials-on-venezuela.md")
    facts = read_conference(wh)
    assert (facts.body, facts.kind, facts.date) == ("White House", "briefing", "2021-03-08")
    assert conference_id(facts).startswith("2021-03-08-white-house-briefing-")
    assert conference_id(facts) == conference_id(read_conference(wh))


def test_a_page_claiming_a_press_conference_another_spokesperson_held_is_refused(corpus, tmp_path) -> None:
    en_path = _files(corpus, BOTH["2019-01-02-foreign-ministry-press-conference"])[0]
    forged = tmp_path / "forged.html"
    # another press conference of that day, by another spokesperson: other title, other words
    forged.write_text(en_path.read_text(encoding="utf-8").replace("Lu Kang's Regular", "Geng Shuang's Regular")
                      .replace("China", "the PRC"), encoding="utf-8")
    with Store(tmp_path / "p.db", create=True) as store:
        _import(store, [en_path])
        before = (store.items.count(), store.conferences.listing())
        summary = import_paths(store, [forged])
        assert len(summary.failed) == 1 and "\n" not in summary.failed[0]
        assert summary.failed[0].startswith("forged.html: claims conference 2019-01-02-foreign-ministry-press-conference")
        assert "another briefing" in summary.failed[0] and "Geng Shuang" in summary.failed[0]
        assert (store.items.count(), store.conferences.listing()) == before


def _two_conference_project(corpus: Path, path: Path) -> Path:
    with Store(path, create=True) as store:
        _import(store, _files(corpus, [f for pair in BOTH.values() for f in pair]))
    return path


def test_link_and_unlink_move_a_source_with_history(corpus, tmp_path) -> None:
    a, b = sorted(BOTH)
    with Store(_two_conference_project(corpus, tmp_path / "p.db")) as store:
        zh = next(s for s in store.conferences.sources(a) if s.language == "zh")
        out = store.conferences.unlink(str(zh.id), "lead")
        own = out["after"]
        assert own.startswith(a) and store.conferences.of_source(zh.id) == own
        assert store.conferences.facts(own) == store.conferences.facts(a)
        assert store.conferences.get(a).sources == 1
        back = store.conferences.link(zh.name, a, "lead")
        assert back["before"] == own and store.conferences.of_source(zh.id) == a
        assert store.conferences.get(own) is None  # no source left in it
        history = store.conferences.events()
        assert [(e.action, e.before, e.after, e.coder) for e in history] == [
            ("unlink", a, own, "lead"), ("link", own, a, "lead")]
        assert all(e.source_sha256 == zh.sha256 and e.at for e in history)
        assert b in {c.id for c in store.conferences.listing()}


@pytest.mark.parametrize("call, problem", [
    (lambda s, src: s.conferences.link(src, "1999-01-01-foreign-ministry-press-conference", "lead"),
     "no conference '1999-01-01-foreign-ministry-press-conference'"),
    (lambda s, src: s.conferences.link("no-such-file.html", "x", "lead"), "no source 'no-such-file.html'"),
    (lambda s, src: s.conferences.unlink(src, "lead"), "is the last source of conference"),
])
def test_bad_corrections_are_one_line_and_change_nothing(corpus, tmp_path, call, problem) -> None:
    path = tmp_path / "p.db"
    with Store(path, create=True) as store:
        _import(store, _files(corpus, BOTH["2019-01-02-foreign-ministry-press-conference"][:1]))
        store.labels.set(store.items.first_id(), "alice", "tone", "firm")
        src = store.conferences.sources("2019-01-02-foreign-ministry-press-conference")[0].name
        before = (store.conferences.listing(), store.conferences.events(),
                  store.db.execute("SELECT conference_id FROM sources").fetchall())
        with pytest.raises(AnnotatorError, match=problem) as err:
            call(store, src)
        assert "\n" not in str(err.value)
        assert before == (store.conferences.listing(), store.conferences.events(),
                          store.db.execute("SELECT conference_id FROM sources").fetchall())
    if "last source" in problem:
        assert "which has 1 label;" in str(err.value)


def test_a_copy_in_other_bytes_or_another_format_adds_no_items_and_joins_the_conference(corpus, tmp_path) -> None:
    page = _files(corpus, BOTH["2020-03-30-foreign-ministry-press-conference"])[0]
    rewrapped = tmp_path / "again.html"  # the same page saved again: other bytes, the same pairs
    rewrapped.write_bytes(b"<!-- saved again -->\r\n" + page.read_bytes().replace(b"\n", b"\r\n"))
    parsed = parse_file(page)
    as_jsonl = tmp_path / "pairs.jsonl"  # its pairs exported as JSON Lines
    as_jsonl.write_text("".join(json.dumps({"question": it.question, "answer": it.answer, "outlet": it.outlet,
                                            "spokesperson": it.spokesperson, "date": it.date}, ensure_ascii=False)
                                + "\n" for it in parsed.items), encoding="utf-8")
    with Store(tmp_path / "p.db", create=True) as store:
        _import(store, [page])
        n = store.items.count()
        summary = _import(store, [rewrapped, as_jsonl])
        assert summary.copies == [f"{rewrapped}: copy of {page.name}", f"{as_jsonl}: copy of {page.name}"]
        assert store.items.count() == n and summary.items == 0
        sources = store.conferences.sources("2020-03-30-foreign-ministry-press-conference")
        assert [(s.name, s.copy_of is not None, s.items) for s in sources] == [
            (page.name, False, n), ("again.html", True, 0), ("pairs.jsonl", True, 0)]
        assert [r.status for r in summary.records] == ["copy", "copy"]
        # the old behaviour when asked for
        kept = tmp_path / "kept.html"
        shutil.copy(rewrapped, kept)
        kept.write_text(kept.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        again = _import(store, [kept], allow_copies=True)
        assert again.copies == [] and store.items.count() == 2 * n


def test_one_normal_form_of_text() -> None:
    assert normalise_text("  Ｑ：  What\u00a0is\n\nyour  comment? ") == "Q: What is your comment?"
    assert normalise_text("中国 坚决 反对。") == "中国坚决反对。"
    assert pairs_fingerprint([("a  b", "c")]) == pairs_fingerprint([("a b", " c\n")])
    assert pairs_fingerprint([("a", "b")]) != pairs_fingerprint([("b", "a")])


def test_a_pages_language_is_the_script_most_of_its_letters_are_in() -> None:
    assert language_of(["Q: Will China respond?", "A: We have made our position clear."]) == "en"
    assert language_of(["问：中方对此有何回应？", "答：我们已经表明了立场。"]) == "zh"
    assert language_of(["2019-01-02", "12:00 -- 3.5%"]) is None  # no letters: no language
    assert language_of(["", ""]) is None
    # one Chinese character weighs about four Latin letters, whichever the page opens with
    assert language_of(["WTO 世贸组织"]) == "zh"
    assert language_of(["The World Trade Organization (世贸组织) said so."]) == "en"
    assert language_of(["Café au lait"]) == "en"  # not ASCII, still Latin letters only


def test_an_older_project_gets_its_conferences_when_opened(corpus, tmp_path) -> None:
    sources = [parse_file(p) for p in _files(corpus, BOTH["2019-01-02-foreign-ministry-press-conference"])]
    path = older_project(tmp_path / "old.db", sources, labels=[(1, "alice", "tone", "firm")])
    with Store(path) as store:
        listing = store.conferences.listing()
        assert [(c.id, c.sources) for c in listing] == [("2019-01-02-foreign-ministry-press-conference", 2)]
        assert sorted(s.language for s in store.conferences.sources(listing[0].id)) == ["en", "zh"]
        assert store.labels.annotation(1, "alice").labels == {"tone": "firm"}
        # and it imports on as a new project does: a copy of one of its files is caught
        copy = tmp_path / "copy.html"
        copy.write_text(_files(corpus, BOTH["2019-01-02-foreign-ministry-press-conference"])[0]
                        .read_text(encoding="utf-8") + "\n", encoding="utf-8")
        summary = _import(store, [copy])
        assert len(summary.copies) == 1 and store.conferences.get(listing[0].id).sources == 3


def _auto_links(store: Store, conference: str) -> int:
    """The aligner's links of one conference's English items."""
    return store.connection.execute(
        """SELECT count(*) FROM alignments a JOIN items e ON e.id = a.english_id
           JOIN sources s ON s.id = e.source_id WHERE a.method = 'auto' AND s.conference_id = ?""",
        [conference]).fetchone()[0]


def test_a_merge_carries_sources_conferences_and_the_leads_corrections(corpus, tmp_path) -> None:
    a, b = sorted(BOTH)
    lead = tmp_path / "lead.db"
    with Store(lead, create=True) as store:
        _import(store, _files(corpus, BOTH[a]))
    coder = tmp_path / "coder.db"
    shutil.copy(lead, coder)
    with Store(coder) as store:
        _import(store, _files(corpus, BOTH[b]))  # brings another conference
        zh = next(s for s in store.conferences.sources(a) if s.language == "zh")
        own = store.conferences.unlink(zh.name, "carol")["after"]
        store.labels.set(store.items.first_id(), "carol", "tone", "firm")
        b_links = _auto_links(store, b)
    with Store(lead) as store:
        merge_files(store, [coder])
        assert {c.id for c in store.conferences.listing()} == {a, b, own}
        assert store.conferences.of_source(store.conferences.find_source(zh.sha256).id) == own
        assert [e.action for e in store.conferences.events()] == ["unlink"]
        # The briefing that came in is aligned here as its import aligned it there; the one the
        # Chinese page left keeps none of the aligner's links to it.
        assert _auto_links(store, b) == b_links > 0
        assert _auto_links(store, a) == 0
        listing = store.conferences.listing()
        merge_files(store, [coder])  # twice changes nothing
        assert store.conferences.listing() == listing and len(store.conferences.events()) == 1


def test_agreement_by_conference_and_by_year(corpus, tmp_path) -> None:
    from annotator.core.agreement.project import grouped_agreement, grouped_table, project_agreement

    a, b = sorted(BOTH)
    with Store(_two_conference_project(corpus, tmp_path / "p.db")) as store:
        for item_id, cid in sorted(store.conferences.by_item().items()):
            store.labels.set(item_id, "alice", "tone", "firm")
            # bob agrees throughout the first conference, and on every other item of the second
            store.labels.set(item_id, "bob", "tone", "firm" if cid == a or item_id % 2 else "warm")
        by_conference = grouped_agreement(store, "conference", scheme="tone")["tone"]
        assert list(by_conference) == [a, b]
        assert by_conference[a]["percent_agreement"] == 1.0
        assert 0.3 < by_conference[b]["percent_agreement"] < 0.7
        sizes = {cid: store.conferences.get(cid).items for cid in (a, b)}
        assert {cid: r["items"] for cid, r in by_conference.items()} == sizes
        by_year = grouped_agreement(store, "year", scheme="tone")["tone"]
        assert list(by_year) == ["2019", "2020"] and by_year["2019"] == by_conference[a]
        whole = project_agreement(store, scheme="tone", bootstrap=0)["tone"]
        pooled = sum(r["percent_agreement"] * r["items"] for r in by_conference.values()) / whole["items"]
        assert pooled == pytest.approx(whole["percent_agreement"])
        assert f"  {b}" in grouped_table({"tone": by_conference}, "conference")
        with pytest.raises(AnnotatorError, match="--by 'week'"):
            grouped_agreement(store, "week")


# The ministry's releases of 2020 on medical teams sent abroad (and one on charter flights home):
# statements with no asker and a title naming no body, whose opening words say whose they are --
# "外交部发言人耿爽宣布：…", "1月31日，外交部发言人华春莹表示，…".
ANNOUNCED = ("../mfa-zh/nodate_statement_t1766275.html", "nodate_t1737802.html", "nodate_t1755049.html", "nodate_t1759151.html", "nodate_t1759560.html",
             "nodate_t1763023.html", "nodate_t1767861.html", "nodate_t1768525.html", "nodate_t1770236.html",
             "nodate_t1771106.html", "nodate_t1774044.html", "nodate_t1775502.html", "nodate_t1782072.html",
             "nodate_t1782530.html", "nodate_t1783883.html", "nodate_t1784757.html")


def test_a_release_in_the_spokespersons_voice_is_the_foreign_ministrys(corpus, tmp_path) -> None:
    import re

    from annotator.core.conferences import FOREIGN_MINISTRY, STATEMENT
    from annotator.core.importers.speakers import ROMANISED

    paths = [corpus / REAL / "mfa-zh-more" / name for name in ANNOUNCED]
    ids = set()
    voices = {}
    for path in paths:
        src = parse_file(path)
        facts = read_conference(src)
        voice = voices[path.name] = re.search(r"外交部发言人(华春莹|耿爽|赵立坚)",
                                              src.items[0].answer or src.items[0].question).group(1)
        assert (facts.body, facts.kind) == (FOREIGN_MINISTRY, STATEMENT), path.name
        assert facts.speaker == ROMANISED[voice] and facts.spokespersons == (ROMANISED[voice],), path.name
        assert facts.subject == src.title  # what it announces: each release its own conference
        ids.add(conference_id(facts))
    assert len(ids) == len(paths) and not any("unknown" in cid for cid in ids)
    # The two releases of those weeks that name no voice (a flight landed; countermeasures) stay
    # of an unknown body: their pages do not say whose they are.
    for name in ("nodate_t1738079.html", "nodate_t1757128.html"):
        assert read_conference(parse_file(corpus / REAL / "mfa-zh-more" / name)).body == ""
    with Store(tmp_path / "p.db", create=True) as store:
        _import(store, paths)
        assert {c.body for c in store.conferences.listing()} == {FOREIGN_MINISTRY}
        assert len(store.conferences.listing()) == len(paths)
        # ... and their items are the spokesperson's, so a filter on him finds them
        got = dict(store.db.execute("SELECT s.name, group_concat(DISTINCT i.spokesperson) FROM items i"
                                    " JOIN sources s ON s.id = i.source_id GROUP BY s.name"))
        assert got == voices
        geng = sum(v == "耿爽" for v in voices.values())
        assert store.browse.count(Filter(spokesperson="Geng Shuang"), "alice") == geng > 3


def test_an_older_project_names_its_voiced_releases_as_the_importer_does_now(corpus, tmp_path) -> None:
    from tests.helpers import before_voiced_statements, copy_project

    releases = [corpus / REAL / "mfa-zh-more" / name for name in ANNOUNCED[1:5]]
    voiceless = corpus / REAL / "mfa-zh-more" / "nodate_t1738079.html"
    fresh = tmp_path / "fresh.db"
    with Store(fresh, create=True) as store:
        _import(store, [*releases, voiceless])
        now_ids = {s.sha256: s.conference_id for _c, sources in store.conferences.listed() for s in sources}
        facts = {cid: store.conferences.facts(cid) for cid in now_ids.values()}
    older = copy_project(fresh, tmp_path / "older.db")
    with Store(older) as store:
        first = store.items.first_id()
        store.labels.set(first, "alice", "tone", "firm")
        # The lead put the fourth release with the third: where that puts them is the lead's.
        third, fourth = (store.conferences.find_source(p.name) for p in releases[2:4])
        store.conferences.link(fourth.name, third.conference_id, "lead")
        kept = store.conferences.of_source(third.id)
    renamed = before_voiced_statements(older)
    assert len(renamed) == 3 and all("-unknown-statement-" in then for then in renamed.values())
    rows = _rows(older, "items", "labels", "label_events", "conference_events")

    with Store(older) as store:  # opened: the step runs
        got = {s.sha256: s.conference_id for _c, sources in store.conferences.listed() for s in sources}
        for path in releases[:2]:
            sha = store.conferences.find_source(path.name).sha256
            assert got[sha] == now_ids[sha] and store.conferences.facts(got[sha]) == facts[now_ids[sha]]
        # named by the lead's link: left under its old name, both releases in it
        assert store.conferences.of_source(third.id) == store.conferences.of_source(fourth.id) == renamed[kept]
        sha = store.conferences.find_source(voiceless.name).sha256
        assert got[sha] == now_ids[sha] and "-unknown-statement-" in got[sha]  # its page names no voice
        assert len(store.conferences.listing()) == 4
    assert _rows(older, "items", "labels", "label_events", "conference_events") == rows  # no item, label or event touched
    with Store(older) as store:
        assert {s.sha256: s.conference_id for _c, sources in store.conferences.listed() for s in sources} == got


def _rows(db: Path, *tables: str) -> list:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return [conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables]
