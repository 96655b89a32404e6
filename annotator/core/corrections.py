"""Corrections of what the importer got wrong: the rules, without SQL.

An item's text is a list of paragraphs (the question's, then the answer's, as the
window shows them, counted from 1). A correction is one of:

- ``split`` at paragraph N: the item keeps paragraphs 1..N-1, a new item right after
  it holds N..; for a question-answer pair split inside its answer, paragraph N
  becomes the new item's question (the importer missed a question label);
- ``merge``: the item absorbs the next item of its conference, text in order (the
  next item's question joins this one's question only when this one has no answer);
- ``move``: the first N paragraphs are the question, the rest the answer;
- ``edit``: the outlet, spokesperson or date, as given ("" clears);
- ``flag``: "the import is wrong here" with a note, for a coder who may not correct
  (nothing changes; the lead sees the flags in one list).

What happens to labels (``store.corrections`` does it, each change a history row):
the first item keeps its row, uid and labels; a split's new item starts without
labels; a merge carries the absorbed item's labels, notes, flags and gold over where
the first item has none for that coder and scheme, and keeps a differing value of the
absorbed item in the correction's record (``annotator corrections`` shows it; undo
restores it); every coder who had labels on a split or merged item gets its done mark
cleared, so it comes back as "look again". Nothing is deleted silently: the absorbed
item's uid is kept with its successor, so a label file made before the correction
merges onto the item that holds its text.

A correction's uid is made from what it does (operation, item uid, arguments, and how
many times the same was done before), not from who or when: two copies that make the
same correction make the same uid, and a merge applies it once.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from annotator.core.errors import AnnotatorError
from annotator.core.validate import row_number

if TYPE_CHECKING:
    from annotator.core.store import Store

OPS = ("split", "merge", "move", "edit", "flag")
EDITABLE = ("outlet", "spokesperson", "date")


@dataclass(frozen=True)
class Text:
    """An item's question and answer as paragraphs."""

    question: list[str]
    answer: list[str]

    @classmethod
    def of(cls, question: str, answer: str) -> Text:
        return cls(paragraphs(question), paragraphs(answer))

    @property
    def all(self) -> list[str]:
        return self.question + self.answer

    def joined(self) -> tuple[str, str]:
        return "\n\n".join(self.question), "\n\n".join(self.answer)


def paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p.strip()]


def split_text(text: Text, at: int, kind: str, where: str) -> tuple[Text, Text]:
    """The two items of a split before paragraph ``at`` (1-based: the new item opens with it)."""
    total = len(text.all)
    if not 2 <= at <= total:
        raise AnnotatorError(f"{where}: cannot split at paragraph {at}: the item has paragraphs 1 to {total}, "
                             f"and a split needs one on each side (2 to {total})" if total > 1 else
                             f"{where}: cannot split: the item has only one paragraph")
    k = at - 1
    nq = len(text.question)
    if k < nq:  # inside the question: the new item asks the rest and takes the answer
        return Text(text.question[:k], []), Text(text.question[k:], text.answer)
    first = Text(text.question, text.answer[:k - nq])
    rest = text.answer[k - nq:]
    if kind == "qa":  # a question the importer put in the answer: it opens the new pair
        return first, Text(rest[:1], rest[1:])
    return first, Text([], rest)


def merge_text(first: Text, second: Text) -> Text:
    """The text of two neighbouring items as one, in order."""
    if first.answer:
        return Text(first.question, first.answer + second.question + second.answer)
    return Text(first.question + second.question, second.answer)


def move_text(text: Text, question: int, where: str) -> Text:
    """The first ``question`` paragraphs become the question, the rest the answer."""
    total = len(text.all)
    if not 0 <= question <= total:
        raise AnnotatorError(f"{where}: the question cannot hold {question} paragraphs: the item has {total}")
    return Text(text.all[:question], text.all[question:])


def check_edit(fields: dict[str, str | None], where: str) -> dict[str, str | None]:
    """The fields an edit sets ("" or None clears one), checked."""
    from annotator.core.importers import dates

    if not fields:
        raise AnnotatorError(f"{where}: nothing to edit; give --outlet, --spokesperson or --date")
    out: dict[str, str | None] = {}
    for name, value in fields.items():
        if name not in EDITABLE:
            raise AnnotatorError(f"{where}: {name!r} cannot be edited (choose from {', '.join(EDITABLE)})")
        value = (value or "").strip() or None
        if name == "date" and value is not None and dates.date_line(value) != value:
            raise AnnotatorError(f"{where}: the date {value!r} is not a date (use YYYY-MM-DD)")
        out[name] = value
    return out


def correction_uid(op: str, item_uid: str, args: dict[str, Any], repeat: int) -> str:
    """The same correction of the same item gives the same uid in every copy."""
    body = json.dumps([op, item_uid, args, repeat], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:32]


def part_uid(item_uid: str, correction: str) -> str:
    """The uid of the item a split makes: from the item split and the correction."""
    return hashlib.sha256(f"{item_uid}\x1f{correction}".encode()).hexdigest()[:24]


def correct(store: Store, item: str, coder: str, *, split: int | None = None, merge_next: bool = False,
            question: int | None = None, edits: dict[str, str | None] | None = None,
            flag: str | None = None) -> dict[str, Any]:
    """One correction of ``item`` (its id, or its uid as a label file names it), as the
    command line asks it: exactly one of split, merge_next, question, edits, flag."""
    edits = {k: v for k, v in (edits or {}).items() if v is not None}
    asked = [name for name, given in (("--split", split is not None), ("--merge-next", merge_next),
                                      ("--question", question is not None), ("--outlet/--spokesperson/--date", edits),
                                      ("--flag", flag is not None)) if given]
    if len(asked) != 1:
        raise AnnotatorError(f"correct: give one of --split N, --merge-next, --question N, --outlet/--spokesperson/"
                             f"--date, --flag NOTE{' (not ' + ' and '.join(asked) + ')' if asked else ''}")
    item_id = resolve_item(store, item)
    parts = store.corrections
    if split is not None:
        return parts.split(item_id, coder, split)
    if merge_next:
        return parts.merge_next(item_id, coder)
    if question is not None:
        return parts.move(item_id, coder, question)
    if edits:
        return parts.edit(item_id, coder, **edits)
    return parts.flag(item_id, coder, flag or "")


def resolve_item(store: Store, item: str) -> int:
    """An item named by id or by uid (a retired uid names the item holding its text now)."""
    if (number := row_number(item)) is not None and store.items.get(number) is not None:
        return number
    current = store.corrections.current_uid(item)
    found = store.items.id_for_uid(current) if current else None
    if found is None:
        raise AnnotatorError(f"{store.path}: no item {item!r} (give an item id or uid)")
    return found
