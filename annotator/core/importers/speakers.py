"""Speaker-label rules: which paragraph opens whose turn.

One table, ``RULES``, serves every transcript source. Each rule is a regular
expression matched at the start of a paragraph, and the role of the turn it
opens:

- ``question``: a reporter asks. ``outlet`` says whether the label names the
  outlet (``Reuters:``, ``法新社记者：``) or not (``Q:``, ``问：``, White House ``Q``).
- ``follow_up``: a question that follows up the previous pair (``Follow-up:``,
  ``追问：``, a journalist speaking up inside an exchange: ``Journalist: Yes.``,
  ``记者解释：``); it becomes its own item linked with ``follow_up_of``.
- ``answer``: the official answers. The label gives the speaker
  (``Wang Wenbin:``, ``Spokesperson Mao Ning:``, ``MS. PSAKI:``) or not
  (``A:``, ``答：``; the conference's spokesperson is meant).
- ``moderator``: procedure on a call (``MODERATOR:``), kept as its own item.

A rule may need no colon (``bare``: "耿爽表示，", "After the press conference, a
journalist asked if ..."); a bracketed aside ("（记者：日本媒体。）") opens no turn.
A new source adds rows to ``RULES`` (and names to ``_SPOKESPERSONS``),
never a parser of its own.

Which text before a colon is a label is the main quality risk: answers are full
of "China's position is clear: ..." and "As of 24:00 ...". So a label is either
an explicit form from the table or a *short, name-like* phrase: at most six
words, each capitalised (or a connective such as "of"), no sentence
punctuation, not a digit right after the colon, not a common discourse word
("First:", "Note:"). Chinese labels must end in 记者 or be a spokesperson's
name; a known spokesperson's name is a label however it is capitalised.
Whether a name-like label asks or answers is decided by the names: the
conference's spokesperson (from the title), the known spokespersons, and names
already seen in an explicit answer label answer; anything else is an outlet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

QUESTION = "question"
FOLLOW_UP = "follow_up"
ANSWER = "answer"
MODERATOR = "moderator"

_COLON = r"\s*[:：]\s*"


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    role: str
    # The named group holding the speaker or outlet, if the label carries one.
    group: str | None = None
    # White House labels are in capitals and also open turns inside hard-wrapped blocks.
    splits_lines: bool = False
    # The label needs no colon ("耿爽表示，", "After the press conference, a journalist asked").
    bare: bool = False
    # The label always opens with a Chinese character ("问：", "答：", "追问："), never ASCII.
    cjk: bool = False


def _rule(name: str, pattern: str, role: str, group: str | None = None,
          splits_lines: bool = False, flags: int = 0, bare: bool = False) -> Rule:
    # A rule whose pattern opens with a Chinese character (or a choice of them) cannot match
    # a paragraph that starts with an ASCII one.
    cjk = bool(re.match(r"\^(?:\((?:\?[:=]|\?P<\w+>)?){0,2}\[?[\u4e00-\u9fff]", pattern))
    return Rule(name, re.compile(pattern, flags), role, group, splits_lines, bare, cjk)


# Spokespersons of the Chinese Foreign Ministry, in both scripts: a name-like
# label that is one of these answers. Each row is one person, romanised first, then the
# simplified and traditional spellings (Hong Kong and Taiwan pages): ``ROMANISED`` names
# the person of a Chinese page as the English page does, so both land in one conference.
_SPOKESPERSON_NAMES = (
    ("Qin Gang", "秦刚", "秦剛"), ("Jiang Yu", "姜瑜"), ("Ma Zhaoxu", "马朝旭", "馬朝旭"), ("Hong Lei", "洪磊"),
    ("Liu Weimin", "刘为民", "劉為民"), ("Hua Chunying", "华春莹", "華春瑩"), ("Lu Kang", "陆慷", "陸慷"),
    ("Geng Shuang", "耿爽"), ("Zhao Lijian", "赵立坚", "趙立堅"), ("Wang Wenbin", "汪文斌"),
    ("Mao Ning", "毛宁", "毛寧"), ("Wang Yi",), ("Lin Jian", "林剑", "林劍"), ("Guo Jiakun", "郭嘉昆"),
    ("Wang Xiaohui",),
)
_SPOKESPERSONS = tuple(name for names in _SPOKESPERSON_NAMES for name in names)
ROMANISED = {name: names[0] for names in _SPOKESPERSON_NAMES for name in names[1:]}
KNOWN_SPOKESPERSONS = frozenset(n.casefold() for n in _SPOKESPERSONS)
_ZH_SPOKESPERSONS = "|".join(n for n in _SPOKESPERSONS if not n.isascii())

# Case-sensitive patterns with the capitals pages use ("After the Press Conference"):
# an IGNORECASE branch in the one combined pattern slows every paragraph's match.
_CONFERENCE = r"(?:[Pp]ress )?[Cc]onference"
# An outlet named in Chinese: "法新社记者", "《环球时报》记者", "加拿大《环球邮报》记者"; never a
# bracketed aside ("（记者：日本媒体。）"), never across punctuation.
_ZH_OUTLET = r"(?P<outlet>[^\s:：，,。、；;！!？?“”\"（()）]{1,24}[记記]者)"

# Order matters: the first rule that matches wins.
RULES: list[Rule] = [
    # English MFA, older pages. A journalist speaking up inside an exchange
    # ("Journalist: Yes.", "The journalist clarified: ...") follows up the pair.
    _rule("en-followup", r"^(?:[Ff]ollow[- ]?[Uu]p(?: question)?|(?:The )?(?:[Jj]ournalist|[Rr]eporter|[Cc]orrespondent)"
          r" (?:adds|added|follows up|followed up|clarifies|clarified|explains|explained|replies|replied))"
          + _COLON, FOLLOW_UP),
    # The journalist's bare label: a follow-up here, but the question itself where a page asks
    # every question so (``ASKER_RULES``).
    _rule("en-journalist", r"^(?:The )?(?:[Jj]ournalist|[Rr]eporter|[Cc]orrespondent)" + _COLON, FOLLOW_UP),
    # Asked after the press conference: "After the press conference, the following
    # question was raised: ...", "This question was raised after the press conference: ...",
    # or a line of its own before a "Q:" ("A journalist asked the following question after
    # the press conference:").
    _rule("en-after", r"^(?:After the " + _CONFERENCE + r",? the following questions? (?:is|was|were) (?:raised|asked)"
          r"|(?:The following questions? (?:is|was|were) (?:raised|asked)|This question was (?:raised|asked)"
          r"|Questions? (?:raised|asked)|A journalist (?:asked|posed|raised) the following questions?)"
          r"(?: by a journalist)? after the (?:regular )?" + _CONFERENCE + r")\s*[:：.]\s*",
          QUESTION, bare=True),
    # ... or told in the third person, the whole paragraph being the question: "After the
    # Press Conference, a journalist asked if ...", "..., Zhao made further response to the
    # question raised by South China Morning Post."
    _rule("en-after-told", r"^(?=After the " + _CONFERENCE + r", (?!the following))", QUESTION, bare=True),
    _rule("en-q", r"^(?:Q|Question|QUESTION)(?:\s*\d+)?" + _COLON, QUESTION),  # QUESTION: the State Department's
    _rule("en-a", r"^(?:A|Answer)" + _COLON, ANSWER),
    _rule("en-spokesperson",
          r"^(?:(?:Foreign Ministry|MFA|FM) )?Spokes(?:person|man|woman) "
          r"(?P<speaker>[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,3})" + _COLON, ANSWER),
    # Chinese MFA. "记者：", "记者解释：", "记者澄清：" speak up inside an exchange, as above.
    # Each in simplified and traditional characters (问/問, 记者/記者, 发言人/發言人).
    _rule("zh-followup", r"^(?:追[问問]|[记記]者(?:追[问問]|解[释釋]|澄清|回答|补充|補充|笑))" + _COLON, FOLLOW_UP),
    _rule("zh-journalist", r"^[记記]者" + _COLON, FOLLOW_UP),
    _rule("zh-outlet-followup", r"^" + _ZH_OUTLET + r"追[问問]" + _COLON, FOLLOW_UP),
    _rule("zh-after", r"^(?:[会會][后後][，,]?有[^\s:：，,。]{0,8}?[记記]者[问問](?:及|到)?|有[记記]者[问問]|[记記]者[问問])"
          + _COLON, QUESTION),
    # "会后，就《南华早报》记者所提问题，赵立坚表示：" names the question it answers: that line is the question.
    _rule("zh-after-told", r"^(?=[会會][后後][，,]就)", QUESTION, bare=True),
    _rule("zh-q", r"^[问問]" + _COLON, QUESTION),
    _rule("zh-a", r"^答" + _COLON, ANSWER),
    _rule("zh-spokesperson", r"^(?:外交部)?[发發][言]人(?P<speaker>[\u4e00-\u9fff]{2,3})" + _COLON, ANSWER),
    # "耿爽表示，……": the answer to a question asked after the press conference, told in the third person.
    _rule("zh-said", r"^(?P<speaker>" + _ZH_SPOKESPERSONS + r")表示\s*[：:，,]\s*", ANSWER, bare=True),
    _rule("zh-reporter", r"^" + _ZH_OUTLET + r"(?:提问)?" + _COLON, QUESTION),
    # White House: reporter turns are "Q" and spaces, officials speak in capitals.
    _rule("wh-q", r"^Q(?:\s*[:.]\s*|\s+)(?=\S)", QUESTION, splits_lines=True),
    _rule("wh-moderator", r"^(?P<speaker>MODERATOR|AIDE|OPERATOR)" + _COLON, MODERATOR,
          splits_lines=True),
    _rule("wh-official",
          # ... and the Pentagon's and others' abbreviated titles and ranks: "MAJ. GEN. PAT RYDER", "SEC. AUSTIN"
          r"^(?P<speaker>(?:(?:MS|MR|MRS|DR|GEN|MAJ|LT|BRIG|ADM|COL|CAPT|SEC|AMB|SEN|REP|GOV)\.\s*)+[A-Z][A-Z'’ -]{1,30}"
          r"|THE (?:VICE )?PRESIDENT|THE FIRST LADY"
          r"|(?:SENIOR )?ADMINISTRATION OFFICIAL(?:\s*(?:#\s*)?\d+)?"
          r"|(?:SECRETARY|ADMINISTRATOR|ADMIRAL|GENERAL|AMBASSADOR|GOVERNOR|SENATOR|DIRECTOR"
          r"|COMMISSIONER|DEPUTY SECRETARY|MAYOR|CAPTAIN|COLONEL)\s+[A-Z][A-Z'’ .-]{1,30})"
          + _COLON, ANSWER, splits_lines=True),
]

# The journalist's bare label ("Reporter:", "Journalist:", "记者："), not "Follow-up:": on the ministry's
# pages, where questions are "Q:" or an outlet's name, it speaks up inside an exchange (a follow-up);
# on a page whose every question it asks (Japan's ministry, many Chinese briefings), it asks.
ASKER_RULES = frozenset({"en-journalist", "zh-journalist"})

# Rules of a question asked after the press conference ("After the press conference, the following
# question was raised: ...", "会后有记者问及："), whose answer was given in writing, not at the podium;
# "有记者问：" (a zh-after too) is any question, so the paragraph's opening must say "after".
AFTER_RULES = frozenset({"en-after", "en-after-told", "zh-after", "zh-after-told"})
AFTER_THE_CONFERENCE = re.compile(r"after the (?:regular )?(?:press )?conference|^[会會][后後]", re.IGNORECASE)

# Rules whose unnamed reporters greet the podium during the opening remarks ("Q Good
# afternoon.", "Q Hey, Jake."): the White House's. The ministry's pages record no such asides,
# and a short line after "Q:" or an outlet's name there is a question.
ASIDE_RULES = frozenset({"wh-q"})

# Words that open a list item or note, never a speaker.
_NOT_LABELS = frozenset(w.casefold() for w in (
    "First", "Second", "Third", "Fourth", "Fifth", "Firstly", "Secondly", "Thirdly",
    "Finally", "Lastly", "Note", "Notes", "Appendix", "Source", "Sources", "Editor",
    "Example", "Update", "Background", "Attachment", "Yes", "No", "Also", "Quote", "Title",
    "Subject", "Date", "Time", "Location", "Venue", "Related", "Photo", "Step", "Part",
    "Chapter", "Article", "Section", "Point", "Item", "Phase", "Day", "Topic", "Theme",
    "Summary", "Conclusion", "Result", "Results", "Tel", "Fax", "Address", "Email",
    "Website", "Contact", "PS", "P.S", "NB", "Warning", "Caution", "Hint", "Tip", "Re",
    "Ps", "Here", "Today", "Tomorrow", "Yesterday", "Moreover", "However", "Therefore",
    "Meanwhile", "Besides", "Furthermore", "Again", "Next", "Then", "Now", "Please",
    "Thanks", "Thank You", "Sorry", "OK", "Okay", "So", "Well", "And", "But", "Or",
))
# Lower-case words that may sit inside an outlet's name.
_CONNECTIVES = frozenset(("of", "the", "de", "du", "des", "la", "le", "el", "and", "for",
                          "on", "di", "del", "al", "&", "und", "van", "von", "da", "do"))
# A name-like label: up to six capitalised words (or connectives) before a colon
# that is not followed by a digit (that would be a clock time such as "24:00"),
# with something said after it. One regex, so answer paragraphs cost little.
_WORD_RE = (r"(?:[A-Z0-9][\w'’&.-]*|[\u00c0-\u024f][\w'’-]*|\([A-Za-z -]+\)|"
            + "|".join(sorted(_CONNECTIVES, key=len, reverse=True)) + ")")
_NAME_LABEL = re.compile(
    r"^(?P<label>[A-Z][\w'’&.-]*(?: " + _WORD_RE + r"){0,5}) ?[:：](?!\d) ?(?=\W*\w)")
# A known spokesperson's name opens a turn however it is written: "毛宁：", and
# "Hua chunying:" on one 2020 page, which the capitalised-words test above refuses.
_KNOWN_NAME_LABEL = re.compile(r"^(?P<label>[^\W\d_]+(?:[ ·][^\W\d_]+){0,2}) ?[:：]\s*")


class Turn(NamedTuple):
    """A paragraph that opens a turn: its role, label text and the text after the label.

    A named tuple, not a frozen dataclass: one is made for most paragraphs of an import, and
    a frozen dataclass's ``__init__`` costs three times as much."""

    role: str
    rule: str
    label: str | None  # the outlet (questions) or speaker (answers) as written
    text: str
    outlet: bool = False  # the label names the outlet that asks




def _combine(rules: list[Rule], latin: bool = False) -> re.Pattern[str]:
    """All rules as one alternation, so a paragraph costs one regex call, not one per rule.
    With ``latin``, only the rules that can open a paragraph starting with an ASCII
    character: each branch tried costs every paragraph something."""
    branches = []
    for n, rule in enumerate(rules):
        if latin and rule.cjk:
            continue
        body = rule.pattern.pattern.removeprefix("^")
        body = body.replace("(?P<", f"(?P<r{n}_")
        if rule.pattern.flags & re.IGNORECASE:
            body = f"(?i:{body})"
        branches.append(f"(?P<r{n}>{body})")
    return re.compile("^(?:" + "|".join(branches) + ")")


_COMBINED = _combine(RULES)
_COMBINED_LATIN = _combine(RULES, latin=True)
# The groups of each rule that may hold its label, as the combined patterns name them: read one
# by one, not by ``groupdict``, which builds a dict of every rule's groups for each match.
_LABEL_GROUPS = [[f"r{n}_{name}" for name in ((rule.group,) if rule.group else ("speaker", "outlet"))
                  if f"(?P<{name}>" in rule.pattern.pattern] for n, rule in enumerate(RULES)]
_OUTLET_GROUPS = [f"r{n}_outlet" if "(?P<outlet>" in rule.pattern.pattern else None for n, rule in enumerate(RULES)]


def _pre_test(rules: list[Rule]) -> re.Pattern[str]:
    """A cheap test every label passes: a colon near the start, a White House "Q" or "Q.", or a
    rule that needs no colon. It spares most answer paragraphs the whole table (the
    importer must stay fast)."""
    branches = []
    for rule in rules:
        if rule.bare:
            body = re.sub(r"\(\?P<\w+>", "(?:", rule.pattern.pattern.removeprefix("^"))
            branches.append(f"(?i:{body})" if rule.pattern.flags & re.IGNORECASE else body)
    return re.compile(r"^(?:[^:：\n]{0,80}[:：]|Q[\s.]" + "".join("|" + b for b in branches) + ")")  # "Q  ", "Q. "


_MAYBE_LABEL = _pre_test(RULES)


def match_rule(paragraph: str) -> Turn | None:
    """The explicit rule the paragraph opens a turn with, if any (the first in ``RULES`` wins)."""
    if not _MAYBE_LABEL.match(paragraph):
        return None
    return _match_rule(paragraph)


def _match_rule(paragraph: str) -> Turn | None:
    m = (_COMBINED_LATIN if paragraph[:1] < "\x80" else _COMBINED).match(paragraph)
    if m is None:
        return None
    key = m.lastgroup or ""
    n = int(key[1:])
    rule = RULES[n]
    label = None
    for group in _LABEL_GROUPS[n]:
        value = m.group(group)
        if value:
            label = value.strip()
            break
    outlet = _OUTLET_GROUPS[n]
    return Turn(rule.role, rule.name, label, paragraph[m.end():].strip(),
                outlet=bool(outlet and m.group(outlet)))


def name_label(paragraph: str) -> tuple[str, str] | None:
    """(label, rest) when the paragraph opens with a short name-like label."""
    if not _MAYBE_LABEL.match(paragraph):
        return None
    return _name_label(paragraph)


_NO_LABEL: tuple[None, None] = (None, None)

# A Chinese name before a colon ("束珏婷：", a ministry's spokesperson the tables do not know). Never
# a label by itself: "我强调：" opens paragraphs too; the page must show it is the one who answers
# (``transcript.classify``).
_ZH_NAME = re.compile(r"^(?P<label>[\u4e00-\u9fff]{2,3})[:：]\s*(?=\S)")


def zh_name_label(paragraph: str) -> tuple[str, str] | None:
    """(name, rest) when the paragraph opens with what may be a Chinese name and a colon."""
    m = _ZH_NAME.match(paragraph)
    return (m.group("label"), paragraph[m.end():].strip()) if m else None


def label_of(paragraph: str) -> tuple[Turn | None, tuple[str, str] | None]:
    """``(match_rule(p), None)`` when an explicit rule matches, else ``(None, name_label(p))``.

    One call per paragraph for both the format sniffing and the item building:
    the cheap pre-test runs once, not once per function.
    """
    if not _MAYBE_LABEL.match(paragraph):
        return _NO_LABEL
    turn = _match_rule(paragraph)
    if turn is not None:
        return turn, None
    return None, _name_label(paragraph)


_SENTENCE_DOT = re.compile(r"\.(?: |$)")
# Whether a name-like label is acceptable depends on the label alone, and the
# same few outlets and spokespersons open thousands of paragraphs: remember it.
_label_ok: dict[str, bool] = {}
_LABEL_MEMO_MAX = 4096


def _acceptable(label: str) -> bool:
    ok = _label_ok.get(label)
    if ok is None:
        words = label.split(" ")
        ok = (
            len(label) <= 45
            and label.casefold() not in _NOT_LABELS
            and words[0].casefold() not in _NOT_LABELS
            and words[-1] not in _CONNECTIVES
            and ("." not in label or not _SENTENCE_DOT.search(label))
        )
        if len(_label_ok) >= _LABEL_MEMO_MAX:
            _label_ok.clear()  # bounded: a corpus of endless distinct labels must not grow it
        _label_ok[label] = ok
    return ok


def _name_label(paragraph: str) -> tuple[str, str] | None:
    m = _NAME_LABEL.match(paragraph)
    if m:
        label = m.group("label")
        if _acceptable(label):
            return label, paragraph[m.end():].strip()
        return None
    m = _KNOWN_NAME_LABEL.match(paragraph)
    if m and m.group("label").casefold() in KNOWN_SPOKESPERSONS:
        return m.group("label"), paragraph[m.end():].strip()
    return None


# A line of stars or dashes between the last answer and a notice ("* * *", "＊＊＊").
SEPARATOR = re.compile(r"^[*＊\-—_=~～·• ]{3,}$")

# Paragraphs that start a new announcement in a spokesperson's opening remarks.
ANNOUNCEMENT_STARTS = re.compile(
    r"^(?:(?:At|Upon) the invitation of|I(?:'d| would) like to (?:announce|share|make)"
    r"|应[^，。]{1,80}邀请|首先(?:向大家)?(?:通报|介绍|宣布)|我(?:想|愿)(?:宣布|通报|介绍)|下面(?:我)?(?:宣布|通报)|外交部发言人\S{2,3}宣布)"
)


def is_wh_label_line(line: str) -> bool:
    """True for a line that opens a turn inside a hard-wrapped block (Markdown sources)."""
    return any(r.splits_lines and r.pattern.match(line) for r in RULES)
