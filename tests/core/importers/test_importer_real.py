"""Every real transcript in the shared corpus, checked against the index and by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.errors import AnnotatorError
from annotator.core.importers import discover, parse_file

REAL = Path(__file__).resolve().parents[3] / ".." / "shared" / "corpus" / "real"
FILES = sorted(p for p in REAL.rglob("*") if p.suffix in (".html", ".md")) if REAL.is_dir() else []
LISTINGS = {"nodate_index_default_7.html", "nodate_index_default_19.html"}


def _parsed(parsed, path: Path):
    """The page as the session parsed it once (see conftest), raising what parsing raised."""
    result = parsed[path.resolve()]
    if isinstance(result, AnnotatorError):
        raise result
    return result


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_real_file_parses(path: Path, mfa_index, parsed):
    if path.name in LISTINGS:
        with pytest.raises(AnnotatorError, match="holds no transcript \\(a listing page\\)"):
            parse_file(path)
        return
    source = _parsed(parsed, path)
    assert source.items
    assert [i.seq for i in source.items] == list(range(len(source.items)))
    for item in source.items:
        assert item.question or item.answer
        if item.follow_up_of is not None:
            assert 0 <= item.follow_up_of < item.seq
    row = mfa_index.get(f"{path.parent.name}/{path.name}")
    if row is None:
        return
    if row["date"] and "?" not in row["date"]:
        assert source.date == row["date"]
        assert {i.date for i in source.items} == {row["date"]}
    elif "?" in row["date"]:
        # The title has no year: the year comes from the page, or the date is unknown, and a warning says so.
        assert source.date is None or source.date.endswith(row["date"][4:])
        assert any("no year" in w for w in source.warnings)
    if row["spokesperson"]:
        assert row["spokesperson"] in {i.spokesperson for i in source.items}
    for item in source.items:
        for furniture in ("Suggest to a friend", "Copyright", "Related News", "打印本页", "关闭窗口"):
            assert furniture not in item.question and furniture not in item.answer


def test_discover_skips_index_and_licence(corpus):
    files, notes = discover([corpus / "real"])
    names = {f.name for f in files}
    assert "mfa-index.tsv" not in names and "LICENSE" not in names
    assert len(files) == len(FILES)
    assert any(n.startswith("skipped mfa-index.tsv: not a transcript") for n in notes)
    assert any(n.startswith("skipped LICENSE: not a transcript") for n in notes)
    assert files == sorted(files)


def test_discover_skips_docs_at_the_corpus_root(corpus):
    files, notes = discover([corpus])
    assert not any(f.name == "SOURCES.md" for f in files)
    assert any(n.startswith("skipped SOURCES.md") for n in notes)


def _qa(path: str):
    source = parse_file(REAL / path)
    return source, [i for i in source.items if i.kind == "qa"]


# Hand-verified against the pages themselves.
def test_sample_mfa_en_old_style(corpus):
    source, qa = _qa("mfa-en/2018-05-11_presser_t1558711.html")
    assert [i.kind for i in source.items[:3]] == ["statement"] * 3  # three announcements
    assert source.items[0].answer.startswith("At the invitation of President Julius Maada Wonie Bio")
    assert len(qa) == 10 and {i.outlet for i in qa} == {None}
    assert qa[0].question.startswith("You just announced State Councilor")
    assert qa[0].answer.startswith("France is a permanent member")
    assert qa[0].answer.endswith("regional issues of common interest.")
    assert qa[-1].answer.startswith("We have noted relevant reports.")
    assert qa[-1].answer.endswith("uphold regional peace and stability.")


def test_sample_mfa_en_follow_ups(corpus):
    source, qa = _qa("mfa-en/2020-01-17_presser_t1733473.html")
    assert len(qa) == 14
    follow = [i for i in qa if i.follow_up_of is not None]
    assert [(i.seq, i.follow_up_of) for i in follow] == [(6, 5), (8, 7), (9, 8), (10, 9), (11, 10)]
    assert source.items[6].question == "Russian ambassador made this statement today in New Delhi."
    assert qa[-1].answer.startswith("I thought you were going to ask about Kashmir again.")


def test_sample_mfa_en_new_style(corpus):
    source, qa = _qa("mfa-en/2020-06-22_presser_t1791285.html")
    assert [i.outlet for i in qa] == [
        "CCTV", "Macau Monthly", "Feature Story News", "The Paper", "CCTV4", "Feature Story News",
        "Kyodo News", "AFP", "Nihon Keizai Shimbun", "CCTV4", "Reuters"]
    assert {i.spokesperson for i in qa} == {"Zhao Lijian"}
    assert qa[0].answer.startswith("Mr. Pompeo once again leveled wanton criticism")
    assert qa[0].answer.endswith("undermining China-US cooperation.")
    assert qa[-1].answer.startswith("China and India are resolving the issue on the ground")
    assert qa[-1].answer.endswith("I have no information to offer.")


def test_sample_mfa_en_change_of_spokesperson(corpus):
    source = parse_file(REAL / "mfa-en/2020-02-24_presser_t1748946.html")
    first, second = source.items[:2]
    assert (first.kind, first.spokesperson) == ("statement", "Hua Chunying")
    assert first.answer.startswith("Good afternoon, friends from the press.")
    assert (second.kind, second.spokesperson) == ("statement", "Zhao Lijian")
    assert second.answer.startswith("Thank you, Director-General Hua Chunying.")


def test_sample_mfa_en_misspelt_spokesperson_label_still_answers(corpus):
    # "Hua chunying:" (so written on the page) opens the answer to Prensa Latina.
    _source, qa = _qa("mfa-en/2020-05-06_presser_t1776657.html")
    venezuela = next(i for i in qa if i.question.startswith("Venezuela's government"))
    assert venezuela.outlet == "Prensa Latina"
    assert venezuela.question.endswith("Do you have any comment about it?")
    assert venezuela.answer.startswith("According to international law and basic norms")
    assert venezuela.answer.endswith("within the constitutional and legal framework through dialogue.")
    assert venezuela.spokesperson == "Hua Chunying" and "speakers" not in venezuela.meta
    assert all(i.question and i.answer for i in qa)


def test_sample_labels_that_are_not_labels_stay_in_answers(corpus):
    source = parse_file(REAL / "mfa-en/2020-02-06_online_t1741546.html")
    texts = [i.answer for i in source.items]
    assert any("\n\nChina's position is clear: China's civil flights will not be suspended" in t for t in texts)
    assert any("\n\nAs of 24:00 February 5, a total of 1,153 cured" in t for t in texts)


def test_sample_mfa_zh_old_style(corpus):
    source, qa = _qa("mfa-zh/2016-11-15_presser_t1415586.html")
    assert len(qa) == 4 and {i.spokesperson for i in qa} == {"耿爽"}
    assert qa[0].question.startswith("近日，美国国务院发布消息称")
    assert qa[0].answer.startswith("中美执法合作是两国关系的重要组成部分。")
    assert qa[0].answer.endswith("促进两国关系的发展。")
    assert qa[-1].answer.startswith("我们看到了到有关报道。")
    assert qa[-1].answer.endswith("是一个开放和包容的多边开发机构。")
    assert len(qa[0].answer.split("\n\n")) == 4


def test_sample_mfa_zh_new_style(corpus):
    source, qa = _qa("mfa-zh/2020-04-03_presser_t1765719.html")
    assert len(qa) == 14
    assert qa[0].outlet == "中央广播电视总台央视记者"
    assert qa[7].outlet == "法新社记者"
    assert qa[12].outlet == "路透社记者"
    assert qa[13].outlet is None  # "会后，有记者问及：" asked after the conference
    assert {i.spokesperson for i in qa} == {"华春莹"}
    assert qa[0].answer.startswith("布朗巴克又是一位造谣专家")


def test_sample_mfa_zh_statement_page(corpus):
    source = parse_file(REAL / "mfa-zh/nodate_statement_t1672526.html")
    [item] = source.items
    assert item.kind == "statement" and item.spokesperson == "耿爽"


def test_sample_whitehouse(corpus):
    source, qa = _qa("whitehouse/2021-03-12-background-press-call-by-senior-administration-officials"
                     "-on-the-administrations-response-to-the-microsoft-and-solarwinds-intrusions.md")
    assert source.date == "2021-03-12"
    assert source.items[0].kind == "statement"
    assert len(qa) == 4  # five "Q" turns; two in a row are one question
    assert {i.spokesperson for i in qa} == {"Senior Administration Official"}
    assert {i.outlet for i in qa} == {None}
    assert qa[0].question.startswith("Hi, thanks for doing the call.")
    assert qa[0].answer.startswith("Really great question. First, the")
    assert qa[-1].answer.startswith("The federal government, as you know so")
    assert qa[-1].answer.endswith("Thanks all for joining.")
    # Hard-wrapped lines are rejoined; no Markdown line breaks or header clock remain.
    assert "\n" not in qa[0].question
    assert all("P.M." not in i.answer.split("\n\n")[-1][-12:] for i in qa)


def test_sample_whitehouse_full_names_and_laughter(corpus):
    source = parse_file(REAL / "whitehouse/2022-01-04-press-briefing-by-press-secretary-jen-psaki-january-4-2022.md")
    assert {i.spokesperson for i in source.items} == {"Jen Psaki"}
    assert source.items[0].kind == "statement"
    assert source.items[0].answer.startswith("Hi, everyone. Happy New Year!")


WH_GREETINGS = ("whitehouse/2022-07-29-press-briefing-by-press-secretary-karine-jean-pierre-july-29-2022.md",
                "whitehouse/2023-08-29-press-briefing-by-press-secretary-karine-jean-pierre-domestic-policy-advisor"
                "-neera-tanden-and-fema-administrator-deanne-criswell.md",
                "whitehouse/2024-06-12-press-gaggle-by-press-secretary-karine-jean-pierre-and-national-security-advisor"
                "-jake-sullivan-en-route-brindisi-italy.md")


def test_a_reporters_greeting_stays_in_the_opening_remarks(corpus):
    # Read by hand: "Q Good afternoon." / "Q Hey, Jake." is said while the official opens; the
    # official's reply runs on into the whole opening statement. It was a question whose answer
    # was the opening.
    items = parse_file(REAL / WH_GREETINGS[0]).items
    opening = items[0]
    assert opening.kind == "statement" and opening.spokesperson == "Karine Jean-Pierre"
    assert opening.answer.startswith("Good afternoon, everybody.\n\nQ Good afternoon.\n\nAll right. Happy Friday")
    assert "the Inflation Reduction Act goes squarely" in opening.answer
    first = next(i for i in items if i.kind == "qa")
    assert first.question.startswith("Thank you. On the veterans legislation")

    # Greeted before the official said a word: the remarks are still hers.
    items = parse_file(REAL / WH_GREETINGS[1]).items
    assert [(i.kind, i.spokesperson) for i in items[:2]] == [("statement", "Karine Jean-Pierre"),
                                                             ("statement", "Neera Tanden")]
    assert items[0].answer.startswith("Q Good afternoon.\n\nGood afternoon. Oh, it’s usually very quiet")
    assert items[2].kind == "qa" and items[2].question.startswith("This is obviously, you know, a major step")

    # Greeting the second official as he takes the podium.
    items = parse_file(REAL / WH_GREETINGS[2]).items
    sullivan = items[1]
    assert (sullivan.kind, sullivan.spokesperson) == ("statement", "Jake Sullivan")
    assert sullivan.answer.startswith("Thank you.\n\nQ Hey, Jake.\n\nHey, guys. How are you?")


@pytest.mark.parametrize("path", [p for p in FILES if p.parent.name == "whitehouse"], ids=lambda p: p.name[:40])
def test_no_white_house_briefing_opens_with_a_greeting_for_a_question(path: Path, parsed):
    first = next((i for i in _parsed(parsed, path).items if i.kind == "qa"), None)
    if first is not None:
        assert "?" in first.question or len(first.question.split()) > 5, first.question


def test_a_follow_up_is_asked_by_the_outlet_that_asked_before(corpus, parsed):
    # Read by hand: "记者追问：" / "Follow-up:" after an outlet's question is that reporter again.
    zh = _parsed(parsed, REAL / "mfa-zh-more/2020-04-09_t1767872.html").items
    assert [(i.outlet, i.follow_up_of) for i in zh[2:5]] == [("英国广播公司记者", None), ("英国广播公司记者", 2),
                                                             ("英国广播公司记者", 3)]
    en = _parsed(parsed, REAL / "mfa-en-more/2020-03-24_t1760477.html").items
    assert en[9].question.startswith("So what is the reason that these people are asked")
    assert (en[9].outlet, en[9].follow_up_of) == ("Bloomberg News", 8)
    assert en[8].outlet == "Bloomberg News"
    # And on every page: a follow-up of a question an outlet asked has an outlet.
    for path in FILES:
        if path.name in LISTINGS:
            continue
        items = _parsed(parsed, path).items
        for item in items:
            if item.follow_up_of is not None and items[item.follow_up_of].outlet:
                assert item.outlet, f"{path.name}: item {item.seq}"


def test_an_answer_a_page_left_unlabelled_is_the_official_who_spoke_last(corpus, parsed):
    # Read by hand: the page leaves out "MS. PSAKI:" / "MS. JEAN-PIERRE:" before one answer; the
    # title names no spokesperson the importer can take, so the answer had no one's name.
    gaggle = _parsed(parsed, REAL / "whitehouse/2021-07-07-press-gaggle-by-press-secretary-jen-psaki-aboard-air-force"
                     "-one-en-route-crystal-lake-il.md").items
    assert gaggle[1].answer.startswith("Well, first, I would say that the President is visiting this district")
    assert gaggle[1].spokesperson == "Jen Psaki"
    briefing = _parsed(parsed, REAL / "whitehouse/2023-06-13-press-briefing-by-press-secretary-karine-jean-pierre"
                       "-39.md").items
    assert briefing[25].question.startswith("Yeah, thanks. Thanks, Karine. So, we have 4 percent inflation")
    assert briefing[25].spokesperson == "Karine Jean-Pierre"
    for path in FILES:
        if path.parent.name == "whitehouse":
            assert all(i.spokesperson for i in _parsed(parsed, path).items if i.answer), path.name


def test_a_question_asked_after_the_press_conference_is_marked(corpus, parsed):
    from annotator.core.items import asked_after_the_conference

    def marked(name: str) -> list[int]:
        return [i.seq for i in _parsed(parsed, REAL / name).items if asked_after_the_conference(i.meta)]

    # Read by hand: the lead-in ("The following question was raised after the press conference:",
    # "会后，就《南华早报》记者所提问题，赵立坚表示：", "After the press conference, Zhao made
    # further response ...") says the pair was not said at the podium; the pairs after it neither.
    assert marked("mfa-en-more/2019-08-01_t1685342.html") == [8]
    assert marked("mfa-zh-more/2020-04-07_t1766913.html") == [11]
    assert marked("mfa-en-more/2020-04-07_t1767006.html") == [11]
    assert marked("mfa-zh-more/2017-10-20_t1503405.html") == [3, 4]
    # "有记者问：" is any question: a page of remarks, or one asked at the podium
    assert marked("mfa-zh-more/2018-10-30_t1608387.html") == marked("mfa-zh-more/nodate_t1416955.html") == []
    # And on every page: once the conference is over, every later question was asked after it.
    pages = 0
    for path in FILES:
        if path.name in LISTINGS:
            continue
        qa = [i for i in _parsed(parsed, path).items if i.kind == "qa"]
        flags = [asked_after_the_conference(i.meta) for i in qa]
        if any(flags):
            pages += 1
            assert flags == sorted(flags), path.name
    assert pages > 40


def test_corpus_totals(corpus, parsed):
    counts = {}
    for path in FILES:
        if path.name in LISTINGS:
            continue
        counts[path.parent.name] = counts.get(path.parent.name, 0) + len(_parsed(parsed, path).items)
    # Figures as of this parser; a big change means a rule started splitting or merging.
    assert 600 <= counts["mfa-en"] <= 700
    assert 500 <= counts["mfa-zh"] <= 600
    assert 1600 <= counts["whitehouse"] <= 1800
