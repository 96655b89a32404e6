"""Paragraphs of an official transcript -> items, driven by the speaker rules.

One parser for every source (English and Chinese MFA pages, old ``Q:``/``A:``
and newer ``Outlet:``/``Name:`` styles, White House briefings); what differs
between sources lives in ``speakers.RULES``.

How turns become items:

- a question turn opens a ``qa`` item; the answer turns and unlabelled
  paragraphs after it are its answer, joined with a blank line, in order;
  unlabelled paragraphs between a question and its answer belong to the question;
- a question that no answer label follows before the next question was answered
  without one ("Follow-up: ...?" and the spokesperson's words): its first
  paragraph is the question, the unlabelled ones after it the answer;
- a follow-up turn opens its own ``qa`` item whose ``follow_up_of`` is the seq
  of the item just before it; so does a journalist speaking up inside an
  exchange ("Journalist: Yes.", "记者：是的。"); it is asked by the outlet
  that asked the item it follows, unless its label names another. On a page
  where no "Q:" or outlet asks, "Reporter:" / "记者：" is how every question
  is asked: a question, not a follow-up;
- two question turns in a row with the same label (White House reporters'
  "Q ... / Q ...", interrupted questions) are one question, when nothing
  unlabelled stands between them;
- a line of stars or dashes ends the item before it: what follows is a notice;
- a question left with no answer is noted (``build_items(notes=...)``) with its
  paragraph, for the importer's warnings;
- text before the first question is opening remarks: ``statement`` items, a new
  one at each paragraph that starts an announcement ("At the invitation of ...",
  "应……邀请") or each new speaker; a reporter's aside there ("Q Good afternoon.",
  "Q Happy New Year.": a few words, no question mark) stays in the remarks as
  written, since the official's reply to it goes on into the remarks themselves;
- when a second official answers the same question, their paragraphs are
  appended to the answer with their label kept in front ("MR. KIRBY: ..."), the
  item's spokesperson stays the first who answered, and ``meta["speakers"]``
  lists all of them;
- a question asked after the press conference ("After the press conference, the
  following question was raised:", "会后有记者问及："), and every one after it on
  the page, has ``meta["after_the_conference"]`` (``items.AFTER_THE_CONFERENCE``): its answer was written, not
  said at the podium, which bears on its tone;
- moderator turns on calls become ``statement`` items with
  ``meta["role"] = "moderator"`` so no text is dropped;
- the spokesperson of an unnamed answer (``A:``, ``答：``) is the conference's,
  from the title or the caller's override, or else the official who spoke last; a
  named answer keeps its own name, so a change of spokesperson within one conference
  is followed item by item.

White House sources: the spokesperson is the label as written, title-cased
("MS. PSAKI" -> "Ms. Psaki"), unless the briefing's title names the person
("Press Briefing by Press Secretary Jen Psaki"), in which case the full name
("Jen Psaki"). Stage directions such as "(Laughter.)" stay in the text where
they were said: they are part of the record and bear on tone.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from annotator.core.importers import speakers
from annotator.core.importers.speakers import ANSWER, FOLLOW_UP, QUESTION, Turn
from annotator.core.items import AFTER_THE_CONFERENCE, Item


@dataclass
class Header:
    """What the page says about the conference as a whole."""

    title: str | None = None
    date: str | None = None
    spokesperson: str | None = None
    # Full names the title gives, for turning "MS. PSAKI" into "Jen Psaki".
    names: list[str] = field(default_factory=list)


class Labels:
    """The labels of each paragraph of one file, found once.

    Sniffing the format (``count_turns``) and building the items (``classify``)
    read the same paragraphs; both results depend on the paragraph's text alone.
    """

    def __init__(self) -> None:
        self._seen: dict[str, tuple[Turn | None, tuple[str, str] | None]] = {}

    def __call__(self, paragraph: str) -> tuple[Turn | None, tuple[str, str] | None]:
        got = self._seen.get(paragraph)
        if got is None:
            got = self._seen[paragraph] = speakers.label_of(paragraph)
        return got


def classify(paragraphs: list[str], answerers: set[str],
             labels: Labels | None = None) -> list[Turn | None]:
    """The turn each paragraph opens, or None for a paragraph that continues one.

    ``answerers`` are casefolded names whose name-like labels answer; it grows
    with names seen in explicit answer labels ("Spokesperson Mao Ning:").
    ``labels`` may hold what an earlier pass over the same file found.
    """
    found = list(map(labels or Labels(), paragraphs))
    explicit = [f[0] for f in found]
    for turn in explicit:
        if turn and turn.role == ANSWER and turn.label:
            answerers.add(turn.label.casefold())
    named: list[tuple[str, str] | None] = [f[1] for f in found]
    # A Chinese name and a colon answers only as a spokesperson the tables do not know (the title's,
    # or one an explicit label named) or as the one who speaks most; it never asks, and is text
    # otherwise ("我强调：…"). Looked for only where it can answer: not on the ministry's own pages.
    answered = any(t and t.role == ANSWER for t in explicit)
    unknown = any(not a.isascii() and a not in speakers.KNOWN_SPOKESPERSONS for a in answerers)
    zh_named = [speakers.zh_name_label(p) if f[0] is None and f[1] is None else None
                for p, f in zip(paragraphs, found, strict=True)] if unknown or not answered else [None] * len(found)
    if not answered and not any(
        n and n[0].casefold() in answerers for n in (*named, *zh_named)
    ):
        # No known spokesperson: the label that speaks most often answers.
        counts = Counter(n[0].casefold() for n in (*named, *zh_named) if n)
        if counts:
            top, hits = counts.most_common(1)[0]
            if hits >= 2 and hits * 2 >= sum(counts.values()) - hits:
                answerers.add(top)
    out: list[Turn | None] = []
    for turn, name, zh in zip(explicit, named, zh_named, strict=True):
        if turn is not None:
            out.append(turn)
        elif zh is not None:
            out.append(Turn(ANSWER, "name", zh[0], zh[1]) if zh[0] in answerers else None)
        elif name is None:
            out.append(None)
        elif name[0].casefold() in answerers:
            out.append(Turn(ANSWER, "name", name[0], name[1]))
        else:
            # Pages mix styles (outlets asking, then "Q:" after the press conference), so
            # an unknown name-like label asks whatever the rest of the page does.
            out.append(Turn(QUESTION, "outlet", name[0], name[1], outlet=True))
    if not any(t and t.role == QUESTION for t in out):
        # No "Q:", no outlet asks: the journalist's label is how this page asks every question.
        out = [Turn(QUESTION, t.rule, t.label, t.text, t.outlet) if t and t.rule in speakers.ASKER_RULES else t
               for t in out]
    return out


class _Builder:
    def __init__(self, header: Header, date: str | None, outlet: str | None) -> None:
        self.header = header
        self.date = date
        self.default_outlet = outlet
        self.items: list[Item] = []
        self.question: list[str] = []
        self.answer: list[str] = []
        self.cur: Item | None = None
        self.cur_label: str | None = None
        self.in_answer = False
        # How many of the question's paragraphs its turns said; unlabelled ones follow.
        self.asked = 0
        self.at = 0  # the paragraph being read (0-based)
        self.opened_at = 0  # the paragraph the current item opened at
        self.paragraph = ""  # the paragraph being read, as written
        self.aside_only = False  # the current statement holds only reporters' asides so far
        self.questions = 0  # qa items opened so far
        self.after_conference = False  # a question asked after the press conference was read
        self.unanswered: list[tuple[int, str]] = []  # (paragraph, question) of pairs left without an answer

    # -- item life cycle -------------------------------------------------------
    def close(self) -> None:
        if self.cur is not None:
            if self.cur.kind == "qa" and not self.in_answer and len(self.question) > max(1, self.asked):
                # No answer label came before the next question: the reply was not
                # labelled ("Follow-up: ...?" and the spokesperson's words after it).
                keep = max(1, self.asked)
                self.question, self.answer = self.question[:keep], self.question[keep:]
            self.cur.question = "\n\n".join(self.question)
            self.cur.answer = "\n\n".join(self.answer)
            if self.cur.kind == "qa" and not self.cur.answer and self.cur.question:
                self.unanswered.append((self.opened_at, self.cur.question))
            self.items.append(self.cur)
        self.cur, self.question, self.answer = None, [], []
        self.cur_label, self.in_answer, self.asked = None, False, 0
        self.aside_only = False

    def open(self, kind: str, speaker: str | None = None, outlet: str | None = None,
             follow_up_of: int | None = None) -> Item:
        self.close()
        self.cur = Item(kind=kind, seq=len(self.items), outlet=outlet, spokesperson=speaker,
                        date=self.date, follow_up_of=follow_up_of)
        self.questions += kind == "qa"
        self.opened_at = self.at
        return self.cur

    # -- turns -----------------------------------------------------------------
    def turn(self, turn: Turn) -> None:
        if turn.role in (QUESTION, FOLLOW_UP):
            self.ask(turn)
        elif turn.role == ANSWER:
            self.reply(turn)
        else:
            item = self.open("statement", speaker=self.speaker_name(turn.label))
            item.meta["role"] = "moderator"
            self.in_answer = True  # what the moderator says next is theirs too, in order
            self._add(turn.text)

    def ask(self, turn: Turn) -> None:
        if self._is_opening_aside(turn):
            if self.cur is None:
                # Whoever speaks next owns the remarks this aside opens (``reply``).
                self.open("statement")
                self.in_answer, self.aside_only = True, True
            self._add(self.paragraph)
            return
        outlet = turn.label if turn.outlet else None
        same = (
            self.cur is not None and self.cur.kind == "qa" and not self.in_answer
            and turn.role == QUESTION and self.cur_label == (turn.label or turn.rule)
            and len(self.question) == self.asked  # nothing unlabelled between the two
        )
        if same:
            self._add(turn.text)
            self.asked = len(self.question)
            return
        follows = None
        if turn.role == FOLLOW_UP:
            self.close()
            followed = next((i for i in reversed(self.items) if i.kind == "qa"), None)
            if followed is not None:
                follows = followed.seq
                # "记者追问：", "Follow-up:" is the same journalist again, so the same outlet;
                # a different one is named ("法新社记者追问：").
                outlet = outlet or followed.outlet
        item = self.open("qa", outlet=outlet or self.default_outlet, follow_up_of=follows)
        if turn.rule in speakers.AFTER_RULES and speakers.AFTER_THE_CONFERENCE.search(self.paragraph[:_AFTER_HEAD]):
            self.after_conference = True  # the conference is over: what follows was asked after it too
        if self.after_conference:
            item.meta[AFTER_THE_CONFERENCE] = True
        self.cur_label = turn.label or turn.rule
        self._add(turn.text)
        self.asked = len(self.question)

    def reply(self, turn: Turn) -> None:
        speaker = self.speaker_name(turn.label) if turn.label else self.header.spokesperson
        cur = self.cur
        if cur is not None and self.aside_only:
            cur.spokesperson, self.aside_only = speaker, False
        if cur is None or (cur.kind == "statement" and cur.spokesperson != speaker) or (
            cur.kind == "statement" and cur.meta.get("role") == "moderator"
        ):
            self.open("statement", speaker=speaker)
            self.in_answer = True
            self._add(turn.text)
            return
        if cur.kind == "qa" and cur.spokesperson is None:
            cur.spokesperson = speaker
        text = turn.text
        if cur.spokesperson != speaker and speaker is not None:
            heard = cur.meta.setdefault("speakers", [cur.spokesperson])
            if speaker not in heard:
                heard.append(speaker)
            text = f"{turn.label}: {turn.text}" if turn.label else turn.text
        self.in_answer = True
        self._add(text)

    def _is_opening_aside(self, turn: Turn) -> bool:
        """A reporter's few words during the opening remarks, before any question: a
        greeting, not a question whose answer would be the whole statement."""
        if turn.rule not in speakers.ASIDE_RULES or self.questions or (
            self.cur is not None and self.cur.kind != "statement"
        ):
            return False
        text = turn.text
        return len(text) <= _ASIDE_CHARS and len(text.split()) <= _ASIDE_WORDS and not _ASKS.search(text)

    def plain(self, paragraph: str) -> None:
        if self.cur is None or (
            self.cur.kind == "statement" and speakers.ANNOUNCEMENT_STARTS.match(paragraph)
        ):
            speaker = self.cur.spokesperson if self.cur is not None else self.header.spokesperson
            self.open("statement", speaker=speaker)
            self.in_answer = True
        self._add(paragraph)

    def _add(self, text: str) -> None:
        if not text:
            return
        (self.answer if self.in_answer else self.question).append(text)

    def speaker_name(self, label: str | None) -> str | None:
        if label is None:
            return None
        if self.header.spokesperson and label.casefold() == self.header.spokesperson.casefold():
            return self.header.spokesperson  # the title's spelling, not a page's slip ("Hua chunying:")
        if not label.isupper() or not re.search(r"[A-Z]", label):
            return label
        # "MS. PSAKI" -> "Jen Psaki" when the title names her; else "Ms. Psaki".
        surname = label.split()[-1].casefold()
        for name in self.header.names:
            if name.split()[-1].casefold() == surname:
                return name
        return _title_case(label)


# An aside is at most a short greeting ("Good afternoon, everybody.", "Hey, Jake."); a first
# question without its question mark ("On Ukraine —") is longer or ends in a dash.
_ASIDE_WORDS = 5
_ASIDE_CHARS = 40
_ASKS = re.compile(r"[?？]|[—–-]\s*$")
# How far into its paragraph a question's lead-in says "after the press conference" (the longest,
# "The following question was raised by a journalist after the regular press conference:", is 86).
_AFTER_HEAD = 120


def _title_case(label: str) -> str:
    words = []
    for n, word in enumerate(label.split()):
        if n and word in ("OF", "THE", "AND", "FOR", "ON"):
            words.append(word.lower())
        else:
            words.append("-".join(part.capitalize() for part in word.split("-")))
    return " ".join(words)


def build_items(paragraphs: list[str], header: Header, *, outlet: str | None = None,
                labels: Labels | None = None, notes: list[str] | None = None,
                layout: Counter[str] | None = None, left_out: list[str] | None = None) -> list[Item]:
    """Items from transcript paragraphs (furniture and title already removed).

    ``notes`` receives what a reader should check, naming the paragraphs (counted from 1
    in ``paragraphs``): questions that no answer follows. ``layout`` counts the turns by
    the rule that opened them (``"name"``/``"outlet"`` for name-like labels); ``left_out``
    receives the paragraphs put in no item (separators): both for ``import --report``.
    """
    answerers = {n.casefold() for n in speakers.KNOWN_SPOKESPERSONS}
    if header.spokesperson:
        answerers.add(header.spokesperson.casefold())
    answerers.update(n.casefold() for n in header.names)
    turns = classify(paragraphs, answerers, labels)
    if layout is not None:
        layout.update(turn.rule for turn in turns if turn is not None)
    builder = _Builder(header, header.date, outlet)
    for n, (paragraph, turn) in enumerate(zip(paragraphs, turns, strict=True)):
        builder.at, builder.paragraph = n, paragraph
        if turn is None and speakers.SEPARATOR.match(paragraph):
            builder.close()  # "* * *": what follows is a notice of its own, not the last answer
            if left_out is not None:
                left_out.append(paragraph)
        elif turn is None:
            builder.plain(paragraph)
        else:
            builder.turn(turn)
    builder.close()
    if notes is not None and builder.unanswered:
        notes.append(_unanswered_note(builder.unanswered))
    heard = header.spokesperson
    for item in builder.items:
        # Answers with no named speaker belong to the conference's spokesperson; where the title
        # names none (a White House gaggle), to the official who spoke last: a page leaves out a
        # label ("MS. JEAN-PIERRE:") now and then, never a change of speaker.
        if item.spokesperson is None:
            item.spokesperson = header.spokesperson or (heard if item.kind == "qa" and item.answer else None)
        heard = item.spokesperson or heard
    return renumber([i for i in builder.items if i.question or i.answer])


def _unanswered_note(unanswered: list[tuple[int, str]]) -> str:
    shown = ", ".join(f"{n + 1} ({_opening(q)!r})" for n, q in unanswered[:3])
    more = f" and {len(unanswered) - 3} more" if len(unanswered) > 3 else ""
    count = "a question has" if len(unanswered) == 1 else f"{len(unanswered)} questions have"
    return f"{count} no answer: paragraph{'s' if len(unanswered) > 1 else ''} {shown}{more}"


def _opening(text: str, words: int = 6) -> str:
    head = text.split("\n\n")[0]
    cut = " ".join(head.split()[:words]) if " " in head.strip() else head[:16]
    return cut + ("…" if len(cut) < len(head) else "")


def renumber(items: list[Item]) -> list[Item]:
    """Seqs 0..n-1 after items were dropped, with follow-up links kept pointing right."""
    new_seq = {item.seq: n for n, item in enumerate(items)}
    for n, item in enumerate(items):
        item.seq = n
        if item.follow_up_of is not None:
            item.follow_up_of = new_seq.get(item.follow_up_of)
    return items


def count_turns(paragraphs: list[str], labels: Labels | None = None) -> int:
    """How many paragraphs open a turn (to tell transcripts from news reports)."""
    found = map(labels or Labels(), paragraphs)
    return sum(1 for turn, name in found if turn or name)
