"""Item uids are a contract between machines and versions: they must never drift."""

from __future__ import annotations

import hashlib

from annotator.core.items import Item, item_uid


def test_uid_is_the_sha256_of_source_position_kind_and_text() -> None:
    item = Item("qa", 7, "Any comment on the visit?", "We welcome it.\n\nNext question.", "AFP", "Mao Ning", "2023-05-04")
    h = hashlib.sha256()
    for part in ("ab" * 32, "7", "qa", item.question, item.answer):
        h.update(part.encode("utf-8"))
        h.update(b"\x1f")
    assert item_uid("ab" * 32, item) == h.hexdigest()[:24]


def test_uid_ignores_who_and_when_but_not_position_or_text() -> None:
    a = Item("qa", 1, "Q", "A", "AFP", "Mao Ning", "2023-05-04")
    assert item_uid("s", a) == item_uid("s", Item("qa", 1, "Q", "A", "Reuters", "Lin Jian", None))
    assert item_uid("s", a) != item_uid("s", Item("qa", 2, "Q", "A"))
    assert item_uid("s", a) != item_uid("s", Item("qa", 1, "Q", "A."))
    assert item_uid("s", a) != item_uid("t", a)
