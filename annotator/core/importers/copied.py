"""A page copied from a browser as text: the transcript without the page around it.

Select-all and copy on a ministry page gives, one block a line, the site's menu
and the breadcrumb, then the page's title, its source and date line, the
transcript, and at the end "Related News" with a list of other briefings, the
copyright and the contact lines. Only the transcript is said at the conference.

- The head ends at the title: the first line that reads as a briefing's title
  ("Foreign Ministry Spokesperson Lu Kang's Regular Press Conference on May 15,
  2018", "外交部发言人耿爽就……答记者问") after nothing but short menu lines, or
  else the line after the breadcrumb ("首页 > 外交动态 > 发言人表态").
- Right after the title, a short line holding a date ("来源： （供稿） 2016-11-20")
  is the page's own date line: it dates the page and is not said.
- The tail starts at the site's marker of what follows an article ("Related
  News", "相关新闻", "Suggest to a friend", "推荐给朋友", "Appendix:", "附件") when
  only short lines follow it, none a question or an answer.

Text that is not a copied page (no menu before a title, no marker after the
last turn) is left as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotator.core.importers import dates, speakers

# How far into the text a title may sit behind a menu (the ministry's is ~70 lines).
_HEAD_MAX = 200
# Menu and breadcrumb lines are short and are not sentences.
_MENU_LINE_MAX = 120
_TITLE_MIN = 12
# "Home > Press and Media Service > Spokesperson's Remarks", "首页 > 外交动态 > 发言人表态"
_BREADCRUMB = re.compile(r"^(?:Home|首页|首頁)\s*>\s*\S")
_SENTENCE_END = re.compile(r"[.。!！?？]$")
# A related-news list's lines are other pages' titles.
_LINK_LINE_MAX = 160
# A date line names a date and little else.
_DATE_LINE_MAX = 80
# A title broken on the page takes at most this many lines before its date line.
_TITLE_LINES = 3
_TAIL_MARKERS = frozenset(s.casefold() for s in (
    "Related News", "Related News:", "Related Articles", "Suggest to a friend", "Appendix:", "Appendix",
    "相关新闻", "相关新闻：", "相關新聞", "推荐给朋友", "附件", "附件：",
))


_MARKER_MAX = max(map(len, _TAIL_MARKERS)) + 4


@dataclass
class Trimmed:
    paragraphs: list[str]  # the transcript's, without the title
    title: str | None = None  # the page's title, where a copied page's head was found
    date: str | None = None  # from the page's own date line, where it has one


def _opens_turn(paragraph: str) -> bool:
    turn, name = speakers.label_of(paragraph)
    return turn is not None or name is not None


def trim(paragraphs: list[str]) -> Trimmed:
    """The paragraphs of the transcript in a copied page, and its date line's date."""
    paragraphs = list(paragraphs)
    start = _title_at(paragraphs)
    out = Trimmed(paragraphs)
    if start is not None:
        out.title, out.paragraphs = paragraphs[start], paragraphs[start + 1:]
        out.paragraphs = _take_date_line(out)
    end = _tail_at(out.paragraphs)
    if end is not None:
        out.paragraphs = out.paragraphs[:end]
    return out


def _title_at(paragraphs: list[str]) -> int | None:
    crumb = None
    for i, p in enumerate(paragraphs[:_HEAD_MAX]):
        if _BREADCRUMB.match(p):
            crumb = i
        if _is_title(p):
            return i
        # A long title broken over two lines on the page ("……就美国当选总统特朗普<br>同……答记者问").
        if (i + 1 < len(paragraphs) and _names_day_or_speaker(p) and not _is_title(paragraphs[i + 1])
                and _is_title(_join(p, paragraphs[i + 1]))):
            paragraphs[i:i + 2] = [_join(p, paragraphs[i + 1])]
            return i
        if len(p) > _MENU_LINE_MAX or _SENTENCE_END.search(p) or _opens_turn(p):
            break  # the text has begun: there is no menu to cut, unless a breadcrumb ended it
    # A title that reads as none ("中国政府向塞尔维亚派遣抗疫医疗专家组") follows the breadcrumb.
    return crumb + 1 if crumb is not None and crumb + 1 < len(paragraphs) else None


def _join(head: str, rest: str) -> str:
    """Two lines of one title: a space between words, none between Chinese characters."""
    space = " " if head[-1:].isascii() and rest[:1].isascii() and head else ""
    return head + space + rest


def _is_title(paragraph: str) -> bool:
    return len(paragraph) >= _TITLE_MIN and dates.looks_like_title(paragraph) and _names_day_or_speaker(paragraph)


def _names_day_or_speaker(paragraph: str) -> bool:
    # A menu's "发言人表态" reads like a title too; a page's title names the day or the spokesperson.
    spokesperson = dates.title_spokesperson(paragraph)
    return dates.find_date(paragraph) is not None or (
        spokesperson is not None and spokesperson.casefold() in speakers.KNOWN_SPOKESPERSONS)


def _take_date_line(out: Trimmed) -> list[str]:
    paragraphs = out.paragraphs
    for i in range(_TITLE_LINES):
        line = paragraphs[i] if i < len(paragraphs) else ""
        if not line or len(line) > _DATE_LINE_MAX or _opens_turn(line):
            break
        found = dates.full_dates(line)
        if found:
            out.date = found[0].isoformat()
            # Lines between the title and its date line are the rest of a title the page broke.
            for line in paragraphs[:i]:
                out.title = _join(out.title or "", line)
            return paragraphs[i + 1:]
    return paragraphs


def _tail_at(paragraphs: list[str]) -> int | None:
    for i, p in enumerate(paragraphs):
        # Markers are short: most paragraphs are spared the casefold.
        if i and len(p) <= _MARKER_MAX and p.strip().casefold() in _TAIL_MARKERS and _only_links_after(paragraphs[i + 1:]):
            return i
    return None


def _only_links_after(paragraphs: list[str]) -> bool:
    # What follows the marker is a list of other pages' titles and the site's lines: short,
    # and no question or answer label among them ("耿爽：中国政府决定……(2020-03-12)" is a title).
    return all(len(p) <= _LINK_LINE_MAX and speakers.match_rule(p) is None for p in paragraphs)
