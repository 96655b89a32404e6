"""HTML page -> title, body paragraphs and the page's other text.

Read with BeautifulSoup's stdlib "html.parser" (tolerant of the broken markup
of saved pages, and no compiled dependency) rather than regular expressions
over markup. The body is taken from the page's main content block when the
page has one; otherwise from the whole page with furniture filtered out.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

from annotator.core.importers import dates
from annotator.core.importers.furniture import drop_furniture

# Where sites keep the article; the first match wins. A new site adds its own.
CONTENT_SELECTORS = (
    "#News_Body_Txt_A",  # fmprc.gov.cn, Chinese pages
    "div.content",  # fmprc.gov.cn, English pages
    "article",
    "main",
    "#content",
    "div.article",
)
# Where sites print the page's own date line, beside the title; the first in the page
# that holds a whole date wins (fmprc.gov.cn: "<span id=News_Body_Time>2016-11-20</span>").
DATE_SELECTORS = ("#News_Body_Time", ".time", ".date", "time")
_DATE_SELECTOR = ", ".join(DATE_SELECTORS)
_DROP = ("script", "style", "noscript", "template", "iframe", "form", "select", "button",
         "nav", "svg", "head")
_BLOCK = frozenset((
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "tr", "td", "th", "blockquote", "pre", "section", "article", "header",
    "footer", "aside", "main", "figure", "figcaption", "hr", "br", "center", "address",
))
_SKIP_STRINGS = (Comment, Declaration, Doctype, ProcessingInstruction)
_SPACE = re.compile(r"\s+")


@dataclass
class Page:
    title: str | None
    paragraphs: list[str]
    # Text outside the body (dates in the page header, related-news lists):
    # where a title lacks the year, the year comes from here.
    other_text: str = ""
    # The page's own date line (ISO), where it has one.
    date: str | None = None
    # The upload days in the names of the page's images (``dates.file_dates``), in page order.
    file_dates: list[datetime.date] = field(default_factory=list)
    has_content_block: bool = False
    link_share: float = 0.0  # share of the page's text that sits inside links
    truncated: bool = False
    warnings: list[str] = field(default_factory=list)


def looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in head or (
        head.startswith("<") and "<p" in head
    )


def paragraphs_of(node: Tag) -> list[str]:
    """The text of ``node`` split at block elements and line breaks, whitespace collapsed."""
    out: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            text = _SPACE.sub(" ", "".join(buf)).strip()
            if text:
                out.append(text)
            buf.clear()

    # An explicit stack, not recursion: a deeply nested page must not hit
    # Python's recursion limit.
    stack: list[object] = [iter(node.children)]
    while stack:
        top = stack[-1]
        if top is flush:
            stack.pop()
            flush()
            continue
        child = next(top, None)  # type: ignore[call-overload]
        if child is None:
            stack.pop()
            continue
        if isinstance(child, NavigableString):
            if not isinstance(child, _SKIP_STRINGS):
                buf.append(str(child))
            continue
        if not isinstance(child, Tag) or child.name in _DROP:
            continue
        if child.name in _BLOCK:
            flush()
            stack.append(flush)
        stack.append(iter(child.children))
    flush()
    return out


def parse_html(text: str) -> Page:
    soup = BeautifulSoup(text, "html.parser")
    title = _title(soup)
    body = soup.body or soup
    lower_tail = text[-4096:].lower()
    truncated = "</html>" not in lower_tail and "</body>" not in lower_tail
    for tag in body.find_all(_DROP):
        tag.decompose()
    content = None
    for selector in CONTENT_SELECTORS:
        content = body.select_one(selector)
        if content is not None:
            break
    all_text = _SPACE.sub(" ", body.get_text(" "))
    link_text = sum(len(a.get_text()) for a in body.find_all("a"))
    page = Page(
        title=title,
        paragraphs=[],
        other_text=all_text,
        date=_date_line(body),
        file_dates=dates.file_dates(" ".join(
            str(value) for img in body.find_all("img") for value in img.attrs.values())),
        has_content_block=content is not None,
        link_share=link_text / max(1, len(all_text)),
        truncated=truncated,
    )
    if content is not None:
        runs: list[list[str]] = []
        page.paragraphs = drop_furniture(paragraphs_of(content), runs)
        for run in runs:  # short lines in a row inside the article: a menu, or a list someone read out?
            shown = ", ".join(repr(line) for line in run[:3])
            page.warnings.append(f"{len(run)} short lines in a row inside the article were left out as a menu: "
                                 f"{shown}{', …' if len(run) > 3 else ''}")
    else:
        page.paragraphs = drop_furniture(paragraphs_of(body))
        # The page title is repeated as a heading; keep it out of the body.
        if title and page.paragraphs and page.paragraphs[0] == title:
            page.paragraphs.pop(0)
    return page


def _date_line(body: Tag) -> str | None:
    # One walk over the page for all the selectors (each its own walk cost a tenth of parsing).
    for tag in body.select(_DATE_SELECTOR, limit=8):
        found = dates.full_dates(tag.get_text(" "))
        if found:
            return found[0].isoformat()
    return None


def _title(soup: BeautifulSoup) -> str | None:
    # The <title> first: headings on the page break long titles with <br>.
    for finder in (
        lambda: soup.title,
        lambda: soup.find(id="News_Body_Title"),
        lambda: soup.find(class_="title"),
        lambda: soup.find("h1"),
    ):
        tag = finder()
        if tag is not None:
            text = _SPACE.sub(" ", tag.get_text(" ")).strip()
            if text:
                # "<title> — Site name": the site name is furniture.
                return re.split(r"\s+[—|–-]\s+(?=[^—|–-]*$)", text)[0] if " — " in text else text
    return None
