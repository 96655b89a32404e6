"""A ministry page copied from a browser and imported as text gives the same items as the
page itself: the site's menu, breadcrumb, date line, related-news list, copyright and
contact lines stay out, and the title and date line still date the page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, NavigableString, Tag

from annotator.core.importers import parse_text
from annotator.core.items import Source

_BLOCKS = frozenset(("p", "div", "br", "li", "tr", "td", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
                     "table", "center", "blockquote", "ul", "ol", "hr", "form"))
_WS = re.compile(r"\s+")
# Every fourth page of each folder: all layouts and years, in a few seconds.
STEP = 4


def browser_copy(path: Path) -> str:
    """What select-all and copy gives on the page: its visible text, a line per block."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    body = soup.body or soup
    for tag in body(["script", "style", "noscript", "select", "template"]):
        tag.decompose()
    lines, buf = [], []
    for node in body.descendants:
        if isinstance(node, Tag) and node.name in _BLOCKS:
            lines.append("".join(buf))
            buf = []
        elif type(node) is NavigableString:
            buf.append(str(node))
    lines.append("".join(buf))
    return "\n".join(line for line in (_WS.sub(" ", x).strip() for x in lines) if line)


def _items(source: Source, *, dated: bool = True):
    return [(i.kind, i.outlet, i.spokesperson, i.date if dated else None, i.follow_up_of, i.question, i.answer)
            for i in source.items]


@pytest.mark.parametrize("folder", ["mfa-en", "mfa-zh", "mfa-en-more", "mfa-zh-more"])
def test_a_copied_page_imports_as_the_page(folder, real_pages, parsed, importer_summary):
    checked, differ = 0, []
    for path in real_pages[folder][::STEP]:
        page = parsed[path.resolve()]
        if not isinstance(page, Source):
            continue  # a listing page: nothing to copy
        copy = browser_copy(path)
        assert "Copyright" in copy or "版权所有" in copy  # the copy holds the page's furniture
        source = parse_text(copy, path.stem + ".txt")
        checked += 1
        # A page whose year came from its image names (a title without one): the copy holds no
        # image, so it is dated the same from its other dates (the related news), or not at all,
        # and says so; never another day.
        undated_copy = source.date is None and any(
            "names of the page's images" in w for w in page.warnings) and any(
            "date unknown" in w for w in source.warnings)
        if (_items(source), source.date) != (_items(page, dated=not undated_copy),
                                             None if undated_copy else page.date):
            differ.append(path.name)
    importer_summary.append(f"copied from a browser: {folder}: {checked - len(differ)} of {checked} pages "
                            "give the page's own items")
    assert checked and not differ, differ


def test_the_menu_and_related_news_of_a_copy_are_in_no_item(corpus):
    copy = browser_copy(corpus / "real" / "mfa-en-more" / "2018-05-15_t1559633.html")
    assert "Main Functions" in copy and "Related News:" in copy
    source = parse_text(copy, "copied.txt")
    assert source.date == "2018-05-15" and source.title.startswith("Foreign Ministry Spokesperson Lu Kang's")
    assert [i.kind for i in source.items] == ["qa"] * 7  # seven "Q:" on the page
    assert source.items[0].question.startswith("On May 14, the US Embassy in Israel was relocated")
    assert source.items[-1].answer.endswith("we will continue to follow how it acts.")
    text = "\n".join(i.question + i.answer for i in source.items)
    for furniture in ("Main Functions", "Home", "Related News", "Hua Chunying's Regular Press Conference on August",
                      "Copyright", "Chaoyangmen", "Suggest to a friend"):
        assert furniture not in text


def test_a_chinese_copy_keeps_its_date_line_out_and_dates_the_page(corpus):
    # The title gives no date; the line under it ("来源： （供稿） （供稿） 2016-11-20") does.
    copy = browser_copy(corpus / "real" / "mfa-zh-more" / "nodate_t1416912.html")
    source = parse_text(copy, "copied.txt")
    assert source.title == "外交部发言人耿爽就十四世达赖窜访蒙古答记者问"
    assert source.date == "2016-11-20" and not source.warnings
    [item] = source.items
    assert (item.kind, item.spokesperson) == ("qa", "耿爽")
    assert item.answer.endswith("避免中蒙关系健康发展受到干扰。")
    assert "相关新闻" not in item.answer and "来源" not in item.answer and "字体" not in item.answer
