"""Suggestions in the coding window, from the keyboard: a mark with its probability beside the
options (never a tick), Ctrl+Enter takes them, the reliability sample shows none, and what was
on screen goes into the history with each change."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.core.store import Store
from annotator.gui.help import keyboard_html
from tests.gui.keyboard import open_window, press

pytestmark = pytest.mark.gui

Key = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier


def _walk_to(qtbot, w, blind: bool, overlap: set[int]) -> int:
    """J through the assignment to the next item in (``blind``) or out of the reliability sample."""
    for _ in range(200):
        if (w.session.item["id"] in overlap) == blind:
            return w.session.item["id"]
        press(qtbot, Key.Key_J)
    raise AssertionError("no such item in the assignment")


def test_suggestions_are_marked_taken_with_one_key_and_never_on_the_reliability_sample(
        qtbot, suggesting_project: Path) -> None:
    with Store(suggesting_project, readonly=True) as store:
        overlap = store.assignments.overlap()
    w = open_window(qtbot, suggesting_project)
    assert w.session.flt.assigned
    item = _walk_to(qtbot, w, False, overlap)
    shown = w.session.suggestions.shown
    assert set(shown) == {"topics", "tone"}  # the lead turned these on; the stance and rhetoric stay unmarked
    lines = w.marks.texts()
    assert set(lines) == {"topics", "tone"}
    for name, s in shown.items():
        for option, p in s.probabilities.items():
            assert f"{p:.0%}" in lines[name]
            assert w.coding.panel.keycaps[(name, option)].property("suggested") is True
    assert w.coding.panel.checked() == set()  # a mark, never a tick
    assert w.marks.marked == {(n, o) for n, s in shown.items() for o in s.probabilities}

    press(qtbot, Key.Key_Return, CTRL)  # take them
    taken = {(n, o) for n, s in shown.items() for o in ([s.value] if isinstance(s.value, str) else s.value)}
    assert w.coding.panel.checked() == taken
    press(qtbot, Key.Key_Z, CTRL)  # one undo step takes them all back
    assert w.coding.panel.checked() == set()
    press(qtbot, Key.Key_Return, CTRL)

    blind = _walk_to(qtbot, w, True, overlap)
    assert w.session.suggestions.shown == {} and w.marks.texts() == {} and w.marks.marked == set()
    assert not any(cap.property("suggested") for cap in w.coding.panel.keycaps.values())
    press(qtbot, Key.Key_Return, CTRL)  # nothing to take on the reliability sample
    assert w.coding.panel.checked() == set()
    assert "reliability sample" in w.statusBar().currentMessage()
    press(qtbot, Key.Key_2)  # tone: firm, coded blind
    w.close()

    with Store(suggesting_project, readonly=True) as store:
        events = store.labels.history(coder="alice")
    on_item = [e for e in events if e["item_id"] == item]
    on_blind = [e for e in events if e["item_id"] == blind]
    assert on_item and all(e["suggested"] is not None for e in on_item)
    assert on_blind and all(e["suggested"] is None for e in on_blind)


def test_ctrl_enter_says_why_a_model_shows_no_suggestion(qtbot, suggesting_project: Path) -> None:
    # A codebook change made the tone and topics models unusable: every item showed no mark, and
    # Ctrl+Enter said only "No suggestions on this item", never why nor what to do.
    from annotator.core.codebook import default_codebook_path, parse_codebook

    with Store(suggesting_project) as store:
        overlap = store.assignments.overlap()
        text = (default_codebook_path().read_text(encoding="utf-8")
                .replace('label = "Firm"', 'label = "Stern"').replace('label = "Other"', 'label = "Else"'))
        store.set_codebook(parse_codebook(text, "relabelled.toml"))
    w = open_window(qtbot, suggesting_project)
    _walk_to(qtbot, w, False, overlap)
    assert w.session.suggestions.shown == {}
    press(qtbot, Key.Key_Return, CTRL)
    said = w.statusBar().currentMessage()
    assert said.startswith("No suggestions on this item: ")
    assert "the model of scheme 'tone'" in said and f"annotator model {suggesting_project} train" in said
    w.close()


def test_a_suggestion_the_codebook_dropped_meanwhile_is_not_taken_silently(qtbot, suggesting_project: Path) -> None:
    # The lead dropped the suggested tone option (forced) while the window was open: Ctrl+Enter said
    # "Took the suggestions" for a value that was never written.
    from dataclasses import replace

    with Store(suggesting_project, readonly=True) as store:
        overlap = store.assignments.overlap()
    w = open_window(qtbot, suggesting_project)
    item = _walk_to(qtbot, w, False, overlap)
    suggested = w.session.suggestions.shown["tone"].value
    with Store(suggesting_project) as lead:
        cb = lead.codebook()
        tone = cb.scheme("tone")
        narrower = replace(tone, options=tuple(o for o in tone.options if o.value != suggested))
        lead.set_codebook(replace(cb, schemes=tuple(narrower if s is tone else s for s in cb.schemes)), force=True)
    press(qtbot, Key.Key_Return, CTRL)
    assert w.statusBar().currentMessage().startswith("Not written: ")
    assert ("tone", suggested) not in w.coding.panel.checked()
    w.close()
    with Store(suggesting_project, readonly=True) as store:
        assert "tone" not in store.labels.annotation(item, "alice").labels


def test_the_key_is_in_the_keyboard_help(project: Path) -> None:
    with Store(project, readonly=True) as store:
        html = keyboard_html(store.codebook())
    assert "Ctrl+Return" in html and "suggestions" in html


def test_new_labels_retrain_the_models_in_the_background(qtbot, english: Path) -> None:
    from annotator.core.model.retrain import CHECK_EVERY, RETRAIN_AFTER
    from annotator.core.model.storage import load_heads
    from tests.helpers import learning_from_coders

    with Store(english) as store:
        left = learning_from_coders(store)
        before = {name: m.version for name, m in load_heads(store).items()}
    w = open_window(qtbot, english)
    w.show_item(left[0])
    keys = (Key.Key_2, Key.Key_Z)  # tone: firm; topics: other -- two label changes an item

    def code(items: int) -> None:
        for _ in range(items):
            for key in keys:
                press(qtbot, key)
            press(qtbot, Key.Key_J)

    code(CHECK_EVERY // 2)  # 5 items, 10 label changes: a check starts, in a process of its own
    assert w.retrainer.runs == 1 and w.retrainer.running
    at = w.session.item["id"]
    press(qtbot, Key.Key_J)  # the keys go on while it runs
    assert w.session.item["id"] != at
    press(qtbot, Key.Key_K)
    qtbot.waitUntil(lambda: not w.retrainer.running, timeout=240_000)
    assert {name: m.version for name, m in load_heads(w.session.store).items()} == before  # 5 new: not due
    got: list[list[str]] = []
    w.retrainer.retrained.connect(got.append)
    labelled = CHECK_EVERY // 2
    while not got and labelled < 3 * RETRAIN_AFTER:  # code on; a check that finds 20 new items retrains
        code(CHECK_EVERY // 2)
        labelled += CHECK_EVERY // 2
        qtbot.waitUntil(lambda: not w.retrainer.running, timeout=240_000)
    assert got == [["tone", "topics"]] and RETRAIN_AFTER <= labelled < RETRAIN_AFTER + CHECK_EVERY
    after = {name: m.version for name, m in load_heads(w.session.store).items()}
    assert all(after[s] != before[s] for s in before)
    assert w.session.suggestions.versions() == after  # the window reloaded them
    w.close()
