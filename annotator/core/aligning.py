"""A project's conferences aligned across languages, and an alignment corrected by hand.

The rules of aligning are ``core/alignment/`` (pure); the rows are ``store.alignments``; which
sources make up a conference and in which language is ``store.conferences``. Here: align every
English source of a conference with every Chinese one (a copy brings no items, so none of its
own), and check a coder's correction before it is written. Nothing here changes an item or a
label.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from annotator.core.alignment import ALIGNED_KINDS, align
from annotator.core.errors import AnnotatorError
from annotator.core.records import validate_coder

if TYPE_CHECKING:
    from annotator.core.store import Store

LANGUAGES = ("en", "zh")
LANGUAGE_NAMES = {"en": "English", "zh": "Chinese"}


def align_conferences(store: Store, conference_ids: Iterable[str]) -> int:
    """Align each of these conferences that has both languages; returns the links written."""
    return sum(align_conference(store, cid) for cid in sorted(set(conference_ids)))


def align_all(store: Store) -> int:
    """Align every conference of the project again (``annotator align --all``); the links written."""
    return align_conferences(store, [c.id for c in store.conferences.listing()])


def align_conference(store: Store, conference_id: str) -> int:
    """Replace the aligner's links of one conference (hand corrections stay); 0 if it is monolingual."""
    sources = [s for s in store.conferences.sources(conference_id) if s.copy_of is None]
    if not all(any(s.language == lang for s in sources) for lang in LANGUAGES):
        # One language only (a source moved out, say): the aligner's links it had go, the
        # coders' stay. Only the ids are read: most conferences of an import are in one
        # language, and reading their text back was a tenth of writing it. A project with no
        # link of the aligner's at all (a first import) has none to take away.
        if not store.alignments.any_auto():
            return 0
        ids = {lang: store.alignments.item_ids([s.id for s in sources if s.language == lang], ALIGNED_KINDS)
               for lang in LANGUAGES}
        return store.alignments.replace_auto(ids["en"], ids["zh"], [])
    by_language = {lang: [store.alignments.exchanges(s.id, ALIGNED_KINDS) for s in sources if s.language == lang]
                   for lang in LANGUAGES}
    links: list[tuple[int, int, float]] = []
    for english in by_language["en"]:
        for chinese in by_language["zh"]:
            found = align(english, chinese)
            links += [(english[k.english].id, chinese[k.chinese].id, k.confidence) for k in found.links]
    return store.alignments.replace_auto(
        [x.id for xs in by_language["en"] for x in xs], [x.id for xs in by_language["zh"] for x in xs], links)


def _place(store: Store, item_id: int, name: str) -> tuple[dict[str, Any], str, str]:
    """(the item, its language, its conference) for an item that can be aligned, or one clear line."""
    item = store.items.get(item_id)
    if item is None:
        raise AnnotatorError(f"{store.path}: no item {name!r} (give an item id or uid)")
    if item["kind"] not in ALIGNED_KINDS:
        raise AnnotatorError(f"{store.path}: item {name} is a {item['kind']}; only question-answer pairs are aligned")
    conference = store.conferences.of_item(item_id)
    sources = store.conferences.sources(conference) if conference else []
    language = next((s.language for s in sources if s.id == item["source_id"]), None)
    if conference is None or language not in LANGUAGES:
        raise AnnotatorError(f"{store.path}: item {name} is in no English or Chinese conference; nothing to align it with")
    other = "zh" if language == "en" else "en"
    if not any(s.language == other and s.copy_of is None and s.items for s in sources):
        raise AnnotatorError(f"{store.path}: item {name}'s conference {conference} has no {LANGUAGE_NAMES[other]} "
                             f"version; nothing to align it with")
    return item, language, conference


def counterparts(store: Store, item_id: int) -> dict[str, Any]:
    """What the item is aligned with: ``language`` (the item's, None when it cannot be aligned),
    ``rows`` (``store.alignments.rows_of``: the other items, confidence, method, who and when; a
    row whose ``item`` is None says a coder found it has no counterpart)."""
    try:
        _item, language, conference = _place(store, item_id, str(item_id))
    except AnnotatorError:
        return {"language": None, "conference": None, "rows": []}
    return {"language": language, "conference": conference, "rows": store.alignments.rows_of(item_id, language)}


def shown(store: Store, item_ref: str) -> tuple[int, dict[str, Any]]:
    """(the item's id, its ``counterparts``) for an item named by its id or uid."""
    from annotator.core.corrections import resolve_item

    item_id = resolve_item(store, item_ref)
    return item_id, counterparts(store, item_id)


def counterpart_lines(item_id: int, found: dict[str, Any]) -> list[str]:
    """``annotator align DB ITEM`` as a person reads it: a line per counterpart (``counterparts``),
    how it was decided (the aligner's confidence, or who aligned it by hand and when)."""
    if found["language"] is None:
        return [f"item {item_id}: not aligned (not a question-answer pair of a conference in English and Chinese)"]
    if not found["rows"]:
        return [f"item {item_id}: no counterpart found"]
    lines = []
    for row in found["rows"]:
        how = (f"by {row['decided_by']}, {row['decided_at'][:19]}" if row["method"] == "hand"
               else f"confidence {row['confidence']:.2f}")
        other = row["item"]
        if other is None:
            lines.append(f"item {item_id}: no counterpart ({how})")
        else:
            lines.append(f"item {item_id} -> item {other['id']} ({how}): {' '.join(other['question'].split())[:70]}")
    return lines


def align_by_hand(store: Store, item_ref: str, other_ref: str | None, coder: str) -> dict[str, Any]:
    """Make ``other_ref`` the one counterpart of ``item_ref`` (None: it has none), as ``coder``
    decided. Both must be question-answer pairs of one conference, in its two languages."""
    from annotator.core.corrections import resolve_item

    coder = validate_coder(coder)
    item_id = resolve_item(store, item_ref)
    _item, language, conference = _place(store, item_id, item_ref)
    other_id = None
    if other_ref is not None:
        other_id = resolve_item(store, other_ref)
        _other, other_language, other_conference = _place(store, other_id, other_ref)
        if other_conference != conference:
            raise AnnotatorError(f"{store.path}: item {other_ref} is in conference {other_conference}, "
                                 f"item {item_ref} in {conference}; only one conference's pairs are aligned")
        if other_language == language:
            raise AnnotatorError(f"{store.path}: items {item_ref} and {other_ref} are both "
                                 f"{LANGUAGE_NAMES[language]}; align a pair with one of the other language")
    result = store.alignments.set_by_hand(item_id, language, other_id, coder)
    target = f"item {other_id}" if other_id is not None else "no counterpart"
    result["line"] = f"item {item_id} ({LANGUAGE_NAMES[language]}) aligned with {target}, by {coder}"
    result["item_id"], result["other_id"] = item_id, other_id
    return result
