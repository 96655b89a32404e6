"""A news report: each new prompt to the same spokesperson opens a new reported item."""

from __future__ import annotations

from annotator.core.importers import parse_text

REPORT = """China urges restraint

date 2025-02-18

Chinese Foreign Ministry spokesperson Chen Hao on Tuesday urged both sides to exercise restraint.

Asked to comment on reports that 100,000 people had fled, Chen said China would provide humanitarian aid.

Analysts said the statement reflected Beijing's growing stake in the region.

When asked about a planned visit by a trade delegation, Chen said China welcomes the delegation.
"""


def test_each_prompt_is_its_own_item_and_analysts_are_left_out() -> None:
    source = parse_text(REPORT, "report.txt", "report")
    items = [(it.question, it.answer, it.spokesperson) for it in source.items]
    assert items == [
        ("", "Chinese Foreign Ministry spokesperson Chen Hao on Tuesday urged both sides to exercise restraint.", "Chen Hao"),
        ("Asked to comment on reports that 100,000 people had fled", "Chen said China would provide humanitarian aid.", "Chen Hao"),
        ("When asked about a planned visit by a trade delegation", "Chen said China welcomes the delegation.", "Chen Hao"),
    ]
    assert source.date == "2025-02-18"
    assert all("Analysts" not in it.answer for it in source.items)
