"""Site furniture: text a web page or news site wraps around a transcript.

Language menus, "Suggest to a friend", share and print buttons, navigation
lists, licence and copyright lines. None of it may reach an item: coders would
label it and a classifier would learn it. The tests check that the furniture of
the seeds and of every real page appears in no item.

A new site's furniture goes in the tables here, nowhere else.
"""

from __future__ import annotations

import re

# Whole paragraphs that are buttons or headings of page furniture.
_EXACT = frozenset(s.casefold() for s in (
    "Suggest to a friend", "Share", "Share this", "Print", "Print this page", "Close",
    "Close window", "Top", "Back to top", "Search", "Follow Us", "Related News",
    "Related News:", "Related Articles", "Appendix:", "Appendix", "Email", "E-mail",
    "打印", "打印本页", "【打印】", "【关闭】", "关闭窗口", "分享到", "分享到：", "相关新闻",
    "相关新闻：", "附件：", "附件", "EXPLORE SHINE", "Special Reports", "breaking news in China",
    # the parts of a briefing as headings of their own (Japan's ministry): no one says them
    "Opening Remarks", "Opening Statement", "Question and Answer Session", "Question-and-Answer Session",
    "Questions and Answers", "Q&A", "Q & A", "Q&A Session",
))
# The names a language menu is made of; a paragraph holding only these is a menu.
_LANGUAGES = frozenset((
    "عربي", "العربية", "Español", "Русский", "Français", "简体中文", "繁體中文", "中文",
    "English", "Deutsch", "日本語", "Português", "한국어", "Italiano", "EN", "ZH", "|",
))
# Licence and copyright lines, matched on the casefolded text. Plain substring
# tests: a regex alternation costs several times more on every paragraph.
# A licence is furniture only with its number after a colon ("网络视听许可证：0909"): a
# spokesperson speaks of export licences ("临时许可证，允许……") too.
_LEGAL = ("copyright", "©", "all rights reserved", "icp备", "icp证", "公网安备", "许可证:", "许可证：",
          "privacy policy", "terms of use", "版权所有")
# Page controls copied with the text ("[字体：大 中 小] 打印本页").
_CONTROLS = ("字体：大", "字体:大", "字號：大", "font size:")
# Lines that need a closer look when they hold one of these words.
_MAYBE = ("about us", "contact us", "editor:")
_CLOSER = re.compile(r"about us\s*\||contact us\s*(?:\||address)|^source:\s.{1,60}\beditor:\s")
# The longest furniture line seen (a site's licence line) is about 200 characters.
_LONGEST = 260
# Navigation lists: several short label-like lines in a row ("News", "Biz",
# "In Focus", ...). A real transcript never has this many in a row.
_NAV_RUN = 4
_SHORT_WORDS = 4
_SHORT_CHARS = 32
_SENTENCE_END = re.compile(r"[.?!。？！:：\"”)]$")


def is_furniture(paragraph: str) -> bool:
    """True for a paragraph that is furniture on its own, whatever surrounds it."""
    text = paragraph.strip()
    if not text:
        return True
    if len(text) >= _LONGEST:
        return False  # furniture is short; long paragraphs are text
    folded = text.casefold()
    if folded in _EXACT:
        return True
    for needle in _LEGAL:
        if needle in folded:
            return True
    for needle in _CONTROLS:
        if needle in folded:
            return True
    for needle in _MAYBE:
        if needle in folded and _CLOSER.search(folded):
            return True
    if len(text) > 120:
        return False
    tokens = text.split()
    return len(tokens) >= 2 and all(t in _LANGUAGES for t in tokens)


def _is_short(paragraph: str) -> bool:
    return (
        len(paragraph) <= _SHORT_CHARS
        and len(paragraph.split()) <= _SHORT_WORDS
        and not _SENTENCE_END.search(paragraph)
    )


def drop_furniture(paragraphs: list[str], runs: list[list[str]] | None = None) -> list[str]:
    """Paragraphs without furniture, in order: single pieces and navigation runs.

    ``runs``, when given, receives each navigation run left out (a menu inside an
    article is worth a warning; single pieces are not: they are what sites add).
    """
    out: list[str] = []
    run: list[str] = []
    for p in paragraphs:
        # Most paragraphs are long: neither furniture nor short, so skip both tests.
        if len(p) < _LONGEST or len(p.strip()) < _LONGEST:
            if is_furniture(p):
                continue
            if _is_short(p):
                run.append(p)
                continue
        if run:
            _end_run(run, out, runs)
            run = []
        out.append(p)
    _end_run(run, out, runs)
    return out


def _end_run(run: list[str], out: list[str], runs: list[list[str]] | None) -> None:
    if len(run) < _NAV_RUN:
        out.extend(run)
    elif runs is not None:
        runs.append(run)
