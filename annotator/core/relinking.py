"""The lead's corrections of a source's conference, with the alignment they change redone.

``store.conferences.link``/``unlink`` move a source (and its copies) between conferences; the
English-Chinese links of both conferences -- the one it left and the one it joined -- are then
out of date: a Chinese page taken out still has the aligner's links to the English one, a page
linked in has none. Here a correction and the aligning of the conferences it touches are one
transaction, so a project never holds links across conferences the aligner made; ``realign``
is that rule, and a merge replaying a coder's corrections (``merge._merge_file``) calls it too.
A coder's hand link (``annotator align --to/--none``) is never changed by it; one that now
joins two conferences is counted in the line, for the lead to look at.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from annotator.core.aligning import align_conferences
from annotator.core.wording import plural

if TYPE_CHECKING:
    from annotator.core.store import Store


def link(store: Store, source_ref: str, conference_id: str, coder: str) -> dict[str, Any]:
    """Move ``source_ref`` into ``conference_id`` (``store.conferences.link``), aligned again."""
    with store.transaction():
        result = store.conferences.link(source_ref, conference_id, coder)
        return _realigned(store, result)


def unlink(store: Store, source_ref: str, coder: str) -> dict[str, Any]:
    """Give ``source_ref`` a conference of its own (``store.conferences.unlink``), aligned again."""
    with store.transaction():
        result = store.conferences.unlink(source_ref, coder)
        return _realigned(store, result)


def realign(store: Store, conference_ids: Iterable[str]) -> tuple[int, int]:
    """The one rule after sources moved between conferences (a lead's ``--link``/``--unlink``, a
    merge replaying a coder's): the aligner's links of these conferences made again, the coders'
    kept. Returns (English-Chinese pairs aligned, hand alignments now across two conferences).
    Call it inside the transaction that moved them."""
    touched = sorted(set(conference_ids))  # one gone (its last source left) aligns to nothing
    if not touched:
        return 0, 0
    return align_conferences(store, touched), store.alignments.hand_across(touched)


def _realigned(store: Store, result: dict[str, Any]) -> dict[str, Any]:
    result["aligned"], result["hand_across"] = realign(store, [result["before"], result["after"]])
    line = f"{result['line']}; {plural(result['aligned'], 'English-Chinese pair')} aligned again"
    if result["hand_across"]:
        line += f"; {hand_across_words(result['hand_across'])}"
    result["line"] = line
    return result


def hand_across_words(n: int) -> str:
    """What a line says of the coders' links left across two conferences."""
    return f"{plural(n, 'hand alignment')} kept across two conferences (annotator align ITEM shows them)"
