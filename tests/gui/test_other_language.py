"""The pair in the other language, one key away (Ctrl+T): hidden at first, the aligned Chinese
under an English pair and back, the coder's choice remembered by the next window."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.store import Store
from annotator.core.window_keys import WINDOW_KEYS
from annotator.gui.help import keyboard_html
from tests.gui.keyboard import open_window, press_sequence
from tests.helpers import bilingual_project, conference_sources, copy_project

pytestmark = pytest.mark.gui


@pytest.fixture(scope="session")
def _bilingual(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Path:
    return bilingual_project(tmp_path_factory.mktemp("other-language") / "bilingual.db", corpus, dates=("2020-06-02",))


def _key() -> str:
    return next(k for k in WINDOW_KEYS if k.action == "other_language").keys[0]


def _go_to(qtbot, window, question: str) -> None:
    item_id, = window.session.store.connection.execute(
        "SELECT id FROM items WHERE question LIKE ?", [question + "%"]).fetchone()
    window.show_item(item_id)
    qtbot.waitUntil(lambda: window.session.item is not None and window.session.item["id"] == item_id)


def test_the_key_shows_the_aligned_pair_and_the_choice_is_remembered(qtbot, _bilingual: Path, tmp_path: Path):
    db = copy_project(_bilingual, tmp_path / "p.db")
    window = open_window(qtbot, db)
    pane = window.other_language
    assert not pane.isVisible()  # hidden by default
    _go_to(qtbot, window, "Yesterday Cuba rejected")
    press_sequence(qtbot, _key())
    qtbot.waitUntil(pane.isVisible)
    shown = pane.shown_text()
    assert shown.startswith("中文 · the Chinese version (confidence")
    assert "昨天，古巴再次反对美国将其列入" in shown and "QUESTION  ·  拉通社记者" in pane.blocks[0].question_head.text()
    # On to the next pair: the pane follows it.
    press_sequence(qtbot, "J")
    qtbot.waitUntil(lambda: "针对香港国家安全立法一事" in pane.shown_text())
    # A Chinese pair shows its English.
    _go_to(qtbot, window, "中美已达成第一阶段经贸协议")
    qtbot.waitUntil(lambda: "China and the US have reached a phase one trade deal" in pane.shown_text())
    assert pane.shown_text().startswith("English · the English version")
    window.close()
    again = open_window(qtbot, db)  # remembered: the next window opens with it shown
    assert again.other_language.isVisible()
    press_sequence(qtbot, _key())
    qtbot.waitUntil(lambda: not again.other_language.isVisible())
    again.close()
    third = open_window(qtbot, db)
    assert not third.other_language.isVisible()
    third.close()


def test_a_pair_without_the_other_language_says_so(qtbot, project: Path):
    window = open_window(qtbot, project)  # helpers.CONFERENCES: English only
    press_sequence(qtbot, _key())
    qtbot.waitUntil(window.other_language.isVisible)
    assert window.other_language.shown_text().startswith("No other language")
    assert "Show or hide this pair in the other language" in keyboard_html(window.session.codebook)


def test_a_pane_with_nothing_to_show_keeps_to_its_line(qtbot, _bilingual: Path, tmp_path: Path):
    # With nothing in the other language the pane still took two fifths of the column, for one line:
    # at 1366×768 a long answer lost that much room on every pair of a one-language conference.
    db = copy_project(_bilingual, tmp_path / "p.db")
    window = open_window(qtbot, db)
    window.resize(1366, 768)
    _go_to(qtbot, window, "Yesterday Cuba rejected")
    press_sequence(qtbot, _key())
    qtbot.waitUntil(window.other_language.isVisible)
    column = window.reading.height()
    assert window.other_language.height() >= column // 4  # a pair to read: its share
    with Store(db) as store:
        store.items.add_source(conference_sources([("2021-12-09", "Wang Wenbin", [("AFP", "Alone?", "Yes.")])])[0])
    alone, = window.session.store.connection.execute("SELECT id FROM items WHERE question = 'Alone?'").fetchone()
    window.show_item(alone)
    qtbot.waitUntil(lambda: window.other_language.shown_text().startswith("No other language"))
    title = window.other_language.title
    assert window.other_language.height() <= title.sizeHint().height() + 40  # its line, and no more
    _go_to(qtbot, window, "Yesterday Cuba rejected")
    assert window.other_language.height() >= column // 4  # back to its share for a pair to read
