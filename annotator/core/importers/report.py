"""News reports of a briefing -> ``reported`` items.

A report is prose, not turns. Each stretch of it that reports what a
spokesperson said becomes one item:

- a stretch opens at a paragraph that names a spokesperson ("Chinese Foreign
  Ministry spokesperson Guo Jiakun said", "Hu Zhaoming, spokesperson for the
  International Department ...", or an unnamed "a spokesperson for the MOFCOM"),
  and at every new prompt for the same spokesperson ("Regarding ..., Guo said");
- it goes on through paragraphs that refer back to the speaker: the surname
  ("Guo said"), "the spokesperson", or a pronoun opening the paragraph ("He
  remarked"); a few paragraphs about others may sit in between, and are left out;
- the prompt, where given ("In response to a question about ...", "Asked to
  comment on ...", "When asked about ..."), becomes the question and is cut from
  the answer;
- the spokesperson is the full name, even where the text later says "Guo";
  an unnamed one is "<organisation> spokesperson";
- the date is the publication date, from a date line ("date 2025-01-14") or a
  dated byline ("09:06 UTC+8, 2025-01-14"); weekdays alone give no date.

Paragraphs about other people (analysts, companies, other officials) are in no
item.
"""

from __future__ import annotations

import re

from annotator.core.importers import dates
from annotator.core.items import Item, Source

_NAME = r"[A-Z][a-zà-ÿāēīōūǖǘǚǜü'-]+(?:\s[A-Z][a-zà-ÿāēīōūǖǘǚǜü'-]+){1,2}"
_SPOKES = r"spokes(?:person|man|woman)"
_NAMED_AFTER = re.compile(_SPOKES + r"\s+(?P<name>" + _NAME + r")\b")
# "Guo Jiakun, a spokesperson for the FM": the role must be spelt out ("for"/"of"),
# else "... the United States, the spokesperson said" would name a country.
_NAMED_BEFORE = re.compile(r"(?P<name>" + _NAME + r"),\s+(?:a |the |another )?(?:[\w.'’ ]{0,40}?\s)?"
                           + _SPOKES + r"\s+(?:for|of|at)\b")
_UNNAMED = re.compile(
    r"\b(?:a|an|the)\s+(?P<pre>(?:[A-Z][\w.]*\s|ministry\s|commerce\s|foreign\s){0,3})" + _SPOKES
    + r"(?:\s+(?:for|of)\s+(?:the\s+)?(?P<org>[A-Z][\w.'’ -]{1,60}?))?(?=[\s,.;:]|$)")
_ORG = re.compile(r"\b(?P<org>Ministry of [A-Z][a-z]+(?: [A-Z][a-z]+)*|Foreign Ministry|MOFCOM)\b")
_PROMPT = re.compile(
    r"(?:^|(?<=[.!?\"”]\s))(?P<prompt>(?:In response to|In reply to|Asked|When asked|Responding to"
    r"|Commenting on|Also commenting on|Regarding|Speaking of|When commenting on|On the question of)"
    r"\b[^.!?]*?),\s+")
_PRONOUN = re.compile(r"^(?:He|She|They)\s+(?:\w+ly\s+)?(?:said|stated|added|noted|stressed|emphasized"
                      r"|emphasised|remarked|concluded|highlighted|pointed|urged|called|described"
                      r"|criticized|criticised|expressed|reiterated|explained|mentioned|warned"
                      r"|underlined|underscored|told|also|further)\b")
_THE_SPOKES = re.compile(r"\bthe\s+(?:\w+\s)?" + _SPOKES + r"\b", re.IGNORECASE)
_BYLINE_DATE = re.compile(r"\b(?P<iso>(?:19|20)\d{2}-\d{2}-\d{2})\b")
# How many paragraphs about other things may interrupt one spokesperson's stretch.
_MAX_GAP = 6


def build_items(paragraphs: list[str], source: Source, other_text: str = "") -> list[Item]:
    published = _publication_date(paragraphs)
    source.date = published
    items: list[Item] = []
    cur: Item | None = None
    refs: tuple[str, ...] = ()
    answer: list[str] = []
    gap = 0
    org_seen: str | None = None

    def close() -> None:
        nonlocal cur, answer
        if cur is not None:
            cur.answer = "\n\n".join(answer)
            items.append(cur)
        cur, answer = None, []

    for para in paragraphs:
        if dates.date_line(para) or (len(para) < 80 and _BYLINE_DATE.search(para)):
            continue
        org = _ORG.search(para)
        if org:
            org_seen = org.group("org")
        speaker, at = _speaker(para, org_seen)
        prompt = _PROMPT.search(para)
        if speaker is not None:
            new_prompt = prompt is not None and prompt.end() <= at + 1
            same = cur is not None and cur.spokesperson == speaker and gap <= _MAX_GAP
            if same and not new_prompt:
                answer.append(para)
                gap = 0
                continue
            close()
            question, text = "", para
            if new_prompt:
                question = prompt.group("prompt")
                text = (para[:prompt.start()] + para[prompt.end():]).strip()
                text = text[:1].upper() + text[1:]
            cur = Item(kind="reported", seq=len(items), question=question,
                       spokesperson=speaker, date=published)
            refs = _references(speaker)
            answer = [text]
            gap = 0
            continue
        if cur is not None and prompt is not None and prompt.start() == 0 and _refers(para, refs, gap):
            # "Asked about X, Guo said ...": a new prompt to the same spokesperson is a new item.
            same_speaker = cur.spokesperson
            close()
            text = para[prompt.end():].strip()
            cur = Item(kind="reported", seq=len(items), question=prompt.group("prompt"),
                       spokesperson=same_speaker, date=published)
            answer = [text[:1].upper() + text[1:]]
            gap = 0
            continue
        if cur is not None and _refers(para, refs, gap):
            answer.append(para)
            gap = 0
        elif cur is not None:
            gap += 1
    close()
    if published is None and items:
        source.warnings.append(f"{source.name}: the report gives no publication date")
    return items


def _speaker(para: str, org_seen: str | None) -> tuple[str | None, int]:
    """The spokesperson a paragraph introduces and where the mention starts."""
    best: tuple[int, str] | None = None
    for pattern in (_NAMED_AFTER, _NAMED_BEFORE):
        m = pattern.search(para)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), m.group("name"))
    if best is not None:
        return best[1], best[0]
    m = _UNNAMED.search(para)
    if m and not _THE_SPOKES.fullmatch(m.group(0).strip()):
        org = (m.group("org") or m.group("pre") or "").strip()
        if not org or org.islower():
            org = org_seen or org
        return (f"{org} spokesperson" if org else "spokesperson"), m.start()
    return None, -1


def _references(speaker: str) -> tuple[str, ...]:
    if speaker.endswith("spokesperson"):
        return ()
    words = speaker.split()
    # Chinese names put the surname first ("Guo Jiakun" -> "Guo"), others last.
    return tuple({words[0], words[-1]})


def _refers(para: str, refs: tuple[str, ...], gap: int) -> bool:
    if any(re.search(r"\b" + re.escape(r) + r"\b", para) for r in refs):
        return True
    if _THE_SPOKES.search(para):
        return True
    return gap == 0 and bool(_PRONOUN.match(para))


def _publication_date(paragraphs: list[str]) -> str | None:
    for para in paragraphs[:12]:
        found = dates.date_line(para)
        if found:
            return found
        if len(para) < 80:
            m = _BYLINE_DATE.search(para)
            if m:
                return dates.date_line(m.group("iso"))
    return None
