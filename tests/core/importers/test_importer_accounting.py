"""Every paragraph of a transcript ends up in exactly one item, and nothing that is not in
the transcript does: on every page of the shared corpus.

The transcript is read here on the test's own terms, not the importer's: for the
ministry's pages the text of the article element (``#News_Body_Txt_A``, ``div.content``)
split at block elements; for the White House files the Markdown after the front matter
split at blank lines. Both sides are compared without whitespace, so where a paragraph
breaks does not matter, only what text lands where:

- the items' paragraphs, in item order (question, then answer), must be found in the
  transcript in that order, each after the end of the one before;
- what lies between two of them (and before the first, after the last) may only be a
  speaker's label ("Q:", "Reuters:", "赵立坚：", "MS. PSAKI:") or a line that is not speech
  (``NOT_SAID``: separators, clock times, the title repeated); anything else is a
  paragraph that no item holds;
- no item may hold a line that is not speech.

So a paragraph lost, a paragraph in two items, text from outside the transcript (the
site's menu, a related-news list) and a closing timestamp in the last answer all fail.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, NavigableString, Tag

from annotator.core.errors import NotATranscript
from annotator.core.items import Item, Source

# Pages the invariant cannot hold, each with the reason. Keep this short.
CANNOT_HOLD = {
    "mfa-en/nodate_index_default_7.html": "a listing of other briefings, no transcript: the importer refuses it",
    "mfa-zh/nodate_index_default_19.html": "a listing of other briefings, no transcript: the importer refuses it",
}

_BLOCKS = frozenset(("p", "div", "br", "li", "tr", "td", "h1", "h2", "h3", "h4", "h5", "h6", "table",
                     "center", "blockquote", "ul", "ol", "hr"))
_WS = re.compile(r"\s+")
# Lines of a transcript that are not what anyone said.
NOT_SAID = re.compile(
    r"^(?:[*＊\-—_=~～·•.。…#\\ ]{3,}"                  # separators before a notice
    r"|Appendix:?|附件[:：]?"
    r"|\(?\d{1,2}:\d{2} ?[AP]\.?M\.? ?[A-Z]{0,4}\)?"   # White House: when it began and ended
    r"|END|\\?###)$")
# Before the first turn of a White House transcript: where and when it was held
# ("Aboard Air Force One", "Via Teleconference", "(October 30, 2021)").
_DATELINE = re.compile(r"^(?=.)(?:[A-Z][\w.,' -]{2,80}[^.?!:])?(?: ?\([A-Z][a-z]+ \d{1,2}, \d{4}\))?$")
# Labels that name no one: they may stand alone, or open a paragraph whose rest is in an item.
_LABELS = re.compile(
    r"^(?:Q|A|Q ?\d+|Question|Answer|问|答|追问|记者|Follow[- ]up(?: question)?|Journalist|Reporter"
    r"|(?:The )?(?:Journalist|Reporter) (?:adds|added|clarifies|clarified|explains|explained|follows up)"
    r"|记者(?:解释|澄清|追问|回答|补充|笑|问)|有记者问|会后[，,]?有\S{0,8}?记者问(?:及|到)?"
    r"|(?:After the (?:press )?conference,? )?(?:the following questions?|this question|questions?"
    r"|a journalist (?:asked|posed|raised) the following questions?)(?: (?:is |was |were )?(?:raised|asked))?"
    r"(?: by a journalist)?(?: after the (?:regular )?(?:press )?conference)?"
    r")\s*[:：.]?$", re.IGNORECASE)
_WH_OFFICIAL = re.compile(r"^[A-Z][A-Z.'’ #\d-]+$")


def _norm(text: str) -> str:
    return _WS.sub("", text).replace("\\", "")


def html_transcript(path: Path) -> tuple[str | None, list[str]]:
    """The page's title and the paragraphs of its article element."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    title = soup.title.get_text(" ").strip() if soup.title else None
    if title:
        title = re.split(r"\s+—\s+", title)[0]
    body = soup.select_one("#News_Body_Txt_A") or soup.select_one("div.content")
    if body is None:
        return title, []
    for tag in body(["script", "style"]):
        tag.decompose()
    out, buf = [], []
    for node in body.descendants:
        if isinstance(node, Tag) and node.name in _BLOCKS:
            out.append("".join(buf))
            buf = []
        elif type(node) is NavigableString:  # not comments, not <?xml:namespace ...?>
            buf.append(str(node))
    out.append("".join(buf))
    return title, [p for p in (_WS.sub(" ", p).strip() for p in out) if p]


def md_transcript(path: Path) -> tuple[str | None, list[str]]:
    text = path.read_text(encoding="utf-8")
    m = re.match(r"\A---\n.*?\n---\n", text, re.DOTALL)
    body = text[m.end():] if m else text
    return None, [p for p in (_WS.sub(" ", b).strip() for b in re.split(r"\n[ \t\u00a0]*\n", body)) if p]


def _label_ok(label: str, item: Item | None) -> bool:
    """A label the item's text may lack: one naming no one, or its outlet or speaker."""
    label = label.strip()
    if not label or _LABELS.match(label):
        return True
    # A label ends where its speech begins: at a colon ("赵立坚：") or a comma ("耿爽表示，").
    core = label[:-1].strip()
    if not label.endswith((":", "：", "，", ",")) or not core or len(core) > 60 or re.search("[:：]", core):
        return False
    if _WH_OFFICIAL.match(core):  # "MS. PSAKI", "SENIOR ADMINISTRATION OFFICIAL"
        return True
    folded = _norm(core).casefold()
    known = [n for n in (item.outlet, item.spokesperson) if n] if item else []
    return any(_norm(n).casefold() in folded or folded in _norm(n).casefold() for n in known)


def _slice(original: str, skip: int, count: int) -> str:
    """The text of ``original`` from its ``skip``-th non-space character, ``count`` of them."""
    seen, begin = 0, len(original)
    for i, ch in enumerate(original):
        if seen == skip and begin == len(original):
            begin = i
        if seen == skip + count:
            return original[begin:i]
        if not ch.isspace() and ch != "\\":
            seen += 1
    return original[begin:]


def problems(source: Source, title: str | None, paras: list[str]) -> list[str]:
    """What breaks the invariant on one page, each naming the paragraph; [] when it holds."""
    out: list[str] = []
    stream = [_norm(p) for p in paras]
    starts, at = [], 0
    for n in stream:
        starts.append(at)
        at += len(n)
    body = "".join(stream)
    owner = [k for k, n in enumerate(stream) for _ in n]  # character -> paragraph number

    def gap(lo: int, hi: int, item: Item | None, lead: bool) -> str | None:
        while lo < hi:
            k = owner[lo]
            end = min(hi, starts[k] + len(stream[k]))
            whole = lo == starts[k] and end == starts[k] + len(stream[k])
            text = paras[k]
            if whole and (NOT_SAID.match(text) or (lead and _DATELINE.match(text))
                          or (title and _norm(text) == _norm(title)) or _label_ok(text, item)):
                lo = end
                continue
            if not whole and end == hi and _label_ok(_slice(text, lo - starts[k], end - lo), item):
                lo = end  # the label opening a turn whose words are in the item
                continue
            return f"paragraph {k} is in no item: {text[:90]!r}"
        return None

    pos = 0
    for item in source.items:
        for part in (item.question, item.answer):
            for paragraph in part.split("\n\n") if part else []:
                if NOT_SAID.match(paragraph):
                    out.append(f"item {item.seq} holds what nobody said: {paragraph[:60]!r}")
                    continue
                n = _norm(paragraph)
                found = body.find(n, pos)
                if found < 0:
                    out.append(f"item {item.seq} holds text that is not the transcript's (or out of order): "
                               f"{paragraph[:90]!r}")
                    continue
                bad = gap(pos, found, item, lead=pos == 0)
                if bad:
                    out.append(bad)
                pos = found + len(n)
    bad = gap(pos, len(body), source.items[-1] if source.items else None, lead=False)
    if bad:
        out.append(f"after the last item, {bad}")
    return out


@pytest.mark.parametrize("folder", ["mfa-en", "mfa-zh", "mfa-en-more", "mfa-zh-more", "whitehouse"])
def test_every_paragraph_is_in_exactly_one_item(folder, real_pages, parsed, importer_summary):
    held, failed = 0, {}
    for path in real_pages[folder]:
        key = f"{folder}/{path.name}"
        result = parsed[path.resolve()]
        if key in CANNOT_HOLD:
            assert isinstance(result, NotATranscript), key
            continue
        assert isinstance(result, Source), f"{key}: {result}"
        title, paras = (md_transcript if path.suffix == ".md" else html_transcript)(path)
        assert paras, f"{key}: the test found no transcript on the page"
        found = problems(result, title, paras)
        if found:
            failed[key] = found
        else:
            held += 1
    total = len(real_pages[folder])
    listed = sum(1 for k in CANNOT_HOLD if k.startswith(f"{folder}/"))
    importer_summary.append(f"accounting: {folder}: {held} of {total} pages hold the invariant"
                            + (f" ({listed} listed in CANNOT_HOLD)" if listed else ""))
    assert not failed, "\n".join(f"{k}: {' | '.join(v[:3])}" for k, v in failed.items())


def test_the_check_finds_a_lost_paragraph_text_from_outside_and_a_timestamp(corpus, parsed):
    # The invariant must be able to fail: break a real page's items three ways.
    path = corpus / "real" / "mfa-en-more" / "2018-05-15_t1559633.html"
    title, paras = html_transcript(path)
    source = parsed[path.resolve()]
    assert problems(source, title, paras) == []
    qa = source.items[2]
    lost = Source(**{**vars(source), "items": [i for i in source.items if i is not qa]})
    assert any("is in no item" in p for p in problems(lost, title, paras))
    menu = Item("statement", 0, answer="Home\n\nThe Ministry\n\nMain Functions")
    assert any("not the transcript's" in p for p in problems(
        Source(**{**vars(source), "items": [menu, *source.items]}), title, paras))
    clock = Item("qa", 99, question="Thanks.", answer="7:37 P.M. EST")
    assert any("nobody said" in p for p in problems(
        Source(**{**vars(source), "items": [*source.items, clock]}), title, paras))
