"""The lead's corrections of a source's conference, with the alignment they change redone.

``store.conferences.link``/``unlink`` move a source (and its copies) between conferences; the
English-Chinese links of both conferences -- the one it left and the one it joined -- are then
out of date: a Chinese page taken out still has the aligner's links to the English one, a page
linked in has none. Here a correction and the aligning of the conferences it touches are one
transaction, so a project never holds links across conferences the aligner made. A coder's hand
link (``annotator align --to/--none``) is never changed by it; one that now joins two
conferences is counted in the line, for the lead to look at.
"""

from __future__ import annotations

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


def _realigned(store: Store, result: dict[str, Any]) -> dict[str, Any]:
    touched = [result["before"], result["after"]]  # one gone (its last source left) aligns to nothing
    result["aligned"] = align_conferences(store, touched)
    result["hand_across"] = store.alignments.hand_across(touched)
    line = f"{result['line']}; {plural(result['aligned'], 'English-Chinese pair')} aligned again"
    if result["hand_across"]:
        line += (f"; {plural(result['hand_across'], 'hand alignment')} kept across two conferences"
                 " (annotator align ITEM shows them)")
    result["line"] = line
    return result
