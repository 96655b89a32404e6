"""Every page of the shared corpus is dated, and rightly; and the rules of ``dates.py`` that
date the pages whose title gives no year (each says in a warning where the year came from)."""

from __future__ import annotations

import re
from datetime import date

from annotator.core.errors import AnnotatorError
from annotator.core.importers import dates, parse_text

# Pages that get no date, each with the reason. Keep this short.
UNDATED = {
    "mfa-en/nodate_index_default_7.html": "a listing of other briefings, no transcript: the importer refuses it",
    "mfa-zh/nodate_index_default_19.html": "a listing of other briefings, no transcript: the importer refuses it",
    "mfa-en/nodate_remarks_t1686638.html": "the page states no day of its own: no date in the title, no date line, "
                                           "no dated image; the body names only the day of what it answers "
                                           "(Pelosi's statement 'on August 6'), not the day of the remarks",
    "mfa-en/nodate_remarks_t1687014.html": "the same: the body names August 5 and 6 (what it answers), "
                                           "the page no day of its own",
}

# Pages whose title gives the month and day but no year, dated by hand from the page
# (the image names' upload day, the dated related-news list, the weekdays it states), with
# where the importer's warning must say the year came from.
IMAGES = "the upload days in the names of the page's images"
BY_HAND = {
    "mfa-en-more/nodate_t1594148.html": ("2018-09-11", IMAGES),
    "mfa-en-more/nodate_t1594517.html": ("2018-09-12", IMAGES),
    "mfa-en-more/nodate_t1594900.html": ("2018-09-13", IMAGES),
    "mfa-en-more/nodate_t1595908.html": ("2018-09-17", IMAGES),
    "mfa-en-more/nodate_t1596340.html": ("2018-09-18", IMAGES),
    "mfa-en-more/nodate_t1596795.html": ("2018-09-19", IMAGES),
    "mfa-en-more/nodate_t1597236.html": ("2018-09-20", IMAGES),  # nothing else on the page has a year
    "mfa-en-more/nodate_t1599177.html": ("2018-09-26", IMAGES),
    "mfa-en-more/nodate_t1599752.html": ("2018-09-27", IMAGES),
    "mfa-en-more/nodate_t1600384.html": ("2018-09-28", IMAGES),  # "October 8 (Monday)": so in 2018
    "mfa-en/????-09-14_presser_t1595274.html": ("2018-09-14", IMAGES),
    "mfa-en/????-09-21_presser_t1597725.html": ("2018-09-21", IMAGES),  # images of 09-22; "September 24 (Monday)"
    "mfa-zh/nodate_qa_t1535833.html": ("2018-02-15", "the page's date line"),  # 2月15日; the line says 2018-02-16
}
_NAMED_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})[_-]")


def _key(path) -> str:
    return f"{path.parent.name}/{path.name}"


def test_every_real_page_is_dated_and_a_date_in_its_name_is_the_one_found(real_pages, parsed, importer_summary):
    undated, wrong, named = [], [], 0
    line = []
    for folder, paths in real_pages.items():
        dated = 0
        for path in paths:
            source = parsed[path.resolve()]
            if isinstance(source, AnnotatorError) or source.date is None:
                undated.append(_key(path))
                continue
            assert {item.date for item in source.items} == {source.date}, _key(path)
            dated += 1
            m = _NAMED_DATE.match(path.name)
            if m:
                named += 1
                if m.group(1) != source.date:
                    wrong.append((_key(path), source.date))
        line.append(f"{folder} {dated}/{len(paths)}")
    importer_summary.append(f"pages dated: {', '.join(line)}; "
                            f"dated as their file name says: {named - len(wrong)}/{named}")
    assert wrong == []
    assert sorted(undated) == sorted(UNDATED)


def test_a_title_without_a_year_is_dated_by_hand_as_by_the_importer(corpus, parsed, importer_summary):
    right = 0
    for name, (day, where) in BY_HAND.items():
        source = parsed[(corpus / "real" / name).resolve()]
        assert source.date == day, name
        notes = [w for w in source.warnings if "no year" in w]
        assert notes == [f"{source.name}: the title gives no year; {day[:4]} taken from {where}"], name
        right += 1
    importer_summary.append(f"year-less titles dated right (by hand): {right}/{len(BY_HAND)}")


def test_a_day_before_its_month_is_a_date():
    source = parse_text("Foreign Ministry Spokesperson Mao Ning's Regular Press Conference on 5 March 2019\n\n"
                        "Q: Any comment?\n\nA: No.\n", "dm.txt")
    assert source.date == "2019-03-05" and not source.warnings
    assert dates.find_date("this 5 may be so") is None  # a verb, not a month


def test_the_upload_day_in_an_image_name_gives_the_year():
    page = ("<html><head><title>Foreign Ministry Spokesperson Geng Shuang's Regular Press Conference on "
            "December 31</title></head><body><div class=content><p>Q: Any comment?</p><p>A: No.</p>"
            '<p><img src="./W020190101512345678901.jpg"></p></div></body></html>')
    source = parse_text(page, "img.html")
    # The nearest December 31 to an upload on 2019-01-01 is the day before, not in 2019.
    assert source.date == "2018-12-31"
    assert source.warnings == [f"img.html: the title gives no year; 2018 taken from {IMAGES}"]
    assert dates.file_dates("W0201913011234567.jpg OLDSRC=W020180920821490923063.jpg") == [date(2018, 9, 20)]


def test_the_weekdays_a_page_states_give_the_one_year_near_those_it_mentions():
    text = ("Foreign Ministry Spokesperson Geng Shuang's Regular Press Conference on September 21\n\n"
            "Q: In 2017 trade grew. Any comment?\n\n"
            "A: There will be no regular press conference on September 24 (Monday).\n")
    source = parse_text(text, "weekday.txt")
    assert source.date == "2018-09-21"  # 24 September was a Monday in 2018, not in 2016 or 2017
    assert source.warnings == ["weekday.txt: the title gives no year and the page no other date; 2018 is the one "
                               "year near those the page mentions in which what it says holds "
                               "(September 24 (Monday))"]


def test_weekdays_that_leave_more_than_one_year_or_no_year_written_give_no_date():
    # No year written anywhere: a weekday alone does not pick one.
    bare = parse_text("Foreign Ministry Spokesperson Geng Shuang's Regular Press Conference on September 21\n\n"
                      "Q: Any comment?\n\nA: Not on September 24 (Monday).\n", "bare.txt")
    assert bare.date is None
    assert bare.warnings == ["bare.txt: the title gives no year and the page no other date: date unknown"]
    # Years 2012 and 2018 written: Monday 24 September was both.
    both = parse_text("Foreign Ministry Spokesperson Geng Shuang's Regular Press Conference on September 21\n\n"
                      "Q: Since 2012 and in 2018?\n\nA: Not on September 24 (Monday).\n", "both.txt")
    assert both.date is None and "date unknown" in both.warnings[0]


def test_a_stated_weekday_the_year_contradicts_is_a_warning():
    text = ("外交部发言人耿爽9月21日答记者问\n\n2019-09-22\n\n"
            "问：有何评论？\n\n答：9月24日（星期一）不举行例行记者会。\n")
    source = parse_text(text, "zh.txt")
    assert source.date == "2019-09-21"  # the date line gives the year; 24 September 2019 was a Tuesday
    assert "check the date" in source.warnings[0] and "9月24日（星期一）" in source.warnings[0]
    assert dates.stated_weekdays("9月29日(周日)、Monday, October 8") == [
        (10, 8, 0, "Monday, October 8"), (9, 29, 6, "9月29日(周日)")]
