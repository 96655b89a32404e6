"""The header's "Pair N of M in this conference": counted over the conference a coder reads --
every source of the briefing in the item's language, in the order they came in -- never one
file, and the Chinese version of it counted apart (the line says how many it has)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core import relinking
from annotator.core.store import Store
from annotator.gui.item_pages import NBSP
from tests.gui.keyboard import open_window, press_sequence
from tests.helpers import BILINGUAL_PAGES, bilingual_project

pytestmark = pytest.mark.gui

SECOND_ENGLISH = Path("mfa-en-more") / "2019-03-20_t1647080.html"


def _items(store: Store, source_id: int) -> list[tuple[int, str]]:
    return store.connection.execute("SELECT id, kind FROM items WHERE source_id = ? ORDER BY seq", [source_id]).fetchall()


def test_the_position_counts_every_source_of_the_conference_in_its_language(qtbot, corpus: Path, tmp_path: Path):
    db = bilingual_project(tmp_path / "p.db", corpus, extra=[corpus / "real" / SECOND_ENGLISH])
    english_name = Path(BILINGUAL_PAGES["2019-03-26"][0]).name
    with Store(db) as store:
        first = store.conferences.find_source(english_name)
        # The lead says the second English page is of the same briefing (another edition of it).
        relinking.link(store, SECOND_ENGLISH.name, first.conference_id, "lead")
        sources = store.conferences.sources(first.conference_id)
        english = [s for s in sources if s.language == "en"]
        chinese = [s for s in sources if s.language == "zh"]
        assert {s.name for s in english} == {english_name, SECOND_ENGLISH.name} and len(chinese) == 1
        first_items, second_items = _items(store, english[0].id), _items(store, english[1].id)  # as they came in
        chinese_items = _items(store, chinese[0].id)
    in_english = len(first_items) + len(second_items)
    k = next(n for n, (_i, kind) in enumerate(second_items) if kind == "qa")  # its first pair
    window = open_window(qtbot, db)
    header = window.pages.view.position

    def shown() -> str:  # the line with its no-break spaces ("4 of 14" never wraps) as spaces
        assert f"of{NBSP}" in header.text()
        return header.text().replace(NBSP, " ")

    window.show_item(second_items[k][0])
    qtbot.waitUntil(lambda: window.session.item["id"] == second_items[k][0])
    assert shown().startswith(f"Pair {len(first_items) + k + 1} of {in_english} in this conference"
                              f" (in English; {len(chinese_items)} in Chinese)   ·   ")
    press_sequence(qtbot, "J")  # the next item on: one further in the conference
    qtbot.waitUntil(lambda: window.session.item["id"] == second_items[k + 1][0])
    assert f" {len(first_items) + k + 2} of {in_english} in this conference (in English;" in shown()
    # Ctrl+G's "c<number>" counts the same way: the number the header shows goes back there.
    assert window.session.goto(f"c{len(first_items) + k + 1}") == second_items[k][0]

    window.show_item(chinese_items[-1][0])
    qtbot.waitUntil(lambda: window.session.item["id"] == chinese_items[-1][0])
    assert shown().startswith(f"Pair {len(chinese_items)} of {len(chinese_items)} in this conference"
                              f" (in Chinese; {in_english} in English)")
    window.close()


def test_a_conference_of_one_language_says_only_its_count(qtbot, project: Path):
    window = open_window(qtbot, project)  # helpers.CONFERENCES: English only, one source each
    assert window.pages.view.position.text().startswith(f"Pair{NBSP}1{NBSP}of{NBSP}3 in this conference   ·   1{NBSP}of{NBSP}")
    window.close()


def test_every_count_in_the_position_line_is_written_with_thousands_separated() -> None:
    from annotator.core.session import PROJECT, Position
    from annotator.gui.item_pages import position_line

    line = position_line(Position("statement", 1_204, 12_000, 99_999, 100_000, PROJECT, "en", (("zh", 11_500),)))
    assert line == (f"Item{NBSP}1,204{NBSP}of{NBSP}12,000 in this conference (in{NBSP}English; 11,500{NBSP}in{NBSP}Chinese)"
                    f"   ·   100,000{NBSP}of{NBSP}100,000 in the project")
