"""The window under bad conditions: no items, a locked, vanished or clashing project;
nothing the coder did is ever dropped."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.core.codebook import Codebook, Option, Scheme
from annotator.core.errors import AnnotatorError
from annotator.core.items import Item, Source, sha256_bytes
from annotator.core.store import Store
from annotator.gui.app import make_window
from annotator.gui.keys import codebook_keys
from tests.helpers import new_project

pytestmark = pytest.mark.gui


def open_window(qtbot, path: Path, coder: str = "alice"):
    window = make_window(path, coder)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    return window


def press(qtbot, key, mods=Qt.KeyboardModifier.NoModifier) -> None:
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    qtbot.keyClick(target, key, mods)


def test_empty_project_shows_import_and_imports(qtbot, tmp_path: Path) -> None:
    path = new_project(tmp_path / "empty.db")
    w = open_window(qtbot, path)
    assert w.pages.currentWidget() is w.pages.empty
    assert w.pages.import_button.isVisible()
    # the page says the key that imports, as the page of a filter matching nothing says the key that clears
    assert w.pages.import_button.text() == "Import…  (Ctrl+I)"
    assert "Ctrl+Shift+F clears it" in w.pages.no_match.text()
    press(qtbot, Qt.Key.Key_T)  # nothing to label: nothing happens, nothing breaks
    press(qtbot, Qt.Key.Key_Right)
    with Store(path, readonly=True) as store:
        assert store.labels.history() == []

    transcript = tmp_path / "2021-12-09_regular_press_conference.txt"
    transcript.write_text(
        "Foreign Ministry Spokesperson Wang Wenbin's Regular Press Conference on December 9, 2021\n\n"
        "Reuters: Will China attend the summit?\n\nWang Wenbin: China will release information in due course.\n\n"
        "AFP: Any comment on the sanctions?\n\nWang Wenbin: China firmly opposes unilateral sanctions.\n",
        encoding="utf-8",
    )
    line = w.run_import([transcript])
    assert "imported" in line
    assert w.pages.currentWidget() is w.pages.view
    assert w.item_list.model.rowCount() >= 2
    press(qtbot, Qt.Key.Key_T)
    w.close()
    with Store(path, readonly=True) as store:
        assert store.labels.annotation(w.session.item["id"], "alice").labels == {"topics": ["taiwan"]}


def test_locked_database_keeps_the_label_and_writes_it_later(qtbot, project: Path) -> None:
    w = open_window(qtbot, project)
    qtbot.waitUntil(lambda: w.session.list_loaded)
    item_id = w.session.item["id"]
    blocker = sqlite3.connect(project, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        press(qtbot, Qt.Key.Key_T)
        assert w.banner.isVisible() and "locked" in w.banner.text() and "kept" in w.banner.text()
        # the window retries by itself: "try again" (the command line's advice) had the coder press T
        # again, which queued the label's removal
        assert "try again" not in w.banner.text()
        assert ("topics", "taiwan") in w.coding.panel.checked()  # the coder still sees what they did
        press(qtbot, Qt.Key.Key_Right)
        press(qtbot, Qt.Key.Key_Left)
        assert ("topics", "taiwan") in w.coding.panel.checked()
        with Store(project, readonly=True) as store:
            assert store.labels.annotation(item_id, "alice").labels == {}
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    qtbot.waitUntil(lambda: not w.banner.isVisible(), timeout=5000)  # retried every 2 s
    with Store(project, readonly=True) as store:
        assert store.labels.annotation(item_id, "alice").labels == {"topics": ["taiwan"]}
    w.close()


def test_a_refused_change_stays_outlined_as_unwritten_until_it_is_written(qtbot, project: Path) -> None:
    w = open_window(qtbot, project)
    qtbot.waitUntil(lambda: w.session.list_loaded)
    panel = w.coding.panel
    blocker = sqlite3.connect(project, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        press(qtbot, Qt.Key.Key_T)
        assert ("topics", "taiwan") in panel.checked() and w.banner.isVisible()
        # shown, never as written: the outline and not the patch, past the mark's usual moment
        qtbot.wait(1200)
        assert panel.pending_marks["topics"].isVisible() and not panel.marks["topics"].isVisible()
        assert panel.marked_option() is None
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    qtbot.waitUntil(lambda: not w.banner.isVisible(), timeout=5000)
    assert not panel.pending_marks["topics"].isVisible()  # written: the outline went
    w.close()


def test_changes_refused_at_close_are_written_when_the_project_is_next_opened(
        qtbot, project: Path, isolated_settings: Path, monkeypatch) -> None:
    w = open_window(qtbot, project)
    item_id = w.session.item["id"]
    blocker = sqlite3.connect(project, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # still locked when the coder closes the window
    try:
        press(qtbot, Qt.Key.Key_T)
        asked = []
        monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Close)
        w.close()
        assert asked and "could not be written" in asked[0][2]
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    kept = list((isolated_settings / "annotator" / "unwritten").glob("unwritten-*.json"))
    assert len(kept) == 1
    with Store(project, readonly=True) as store:
        assert store.labels.annotation(item_id, "alice").labels == {}

    again = open_window(qtbot, project)
    assert ("topics", "taiwan") in again.coding.panel.checked()  # written before the item was shown
    assert again.statusBar().currentMessage().startswith("Wrote 1 change kept from an earlier session")
    with Store(project, readonly=True) as store:
        assert store.labels.annotation(item_id, "alice").labels == {"topics": ["taiwan"]}
    assert not kept[0].exists()
    again.close()
    assert "Wrote" not in open_window(qtbot, project, "bob").statusBar().currentMessage()


def test_vanished_database_is_noticed_and_written_when_back(qtbot, project: Path) -> None:
    w = open_window(qtbot, project)
    item_id = w.session.item["id"]
    away = project.with_name("moved.db")
    os.rename(project, away)
    try:
        press(qtbot, Qt.Key.Key_F)
        assert "vanished" in w.banner.text()
    finally:
        os.rename(away, project)
    press(qtbot, Qt.Key.Key_X)  # the next action retries first
    assert not w.banner.isVisible()
    w.close()
    with Store(project, readonly=True) as store:
        ann = store.labels.annotation(item_id, "alice")
        assert ann.flag and ann.labels == {"topics": ["xinjiang"]}


def test_codebook_key_clash_is_refused_with_the_clash_named(tmp_path: Path) -> None:
    clash = Codebook("c", 1, (
        Scheme("topics", "multi", "Topics", (Option("a", "A", key="q"),)),
        Scheme("tone", "single", "Tone", (Option("b", "B", key="Ctrl+E"),)),
    ))
    with pytest.raises(AnnotatorError, match=r"option 'b'.*Ctrl\+E.*clashes.*pairs before and after"):
        codebook_keys(clash)
    twice = Codebook("c", 1, (
        Scheme("topics", "multi", "Topics", (Option("a", "A", key="q"), Option("b", "B", key="Q")),),
    ))
    with pytest.raises(AnnotatorError, match="already used by scheme 'topics', option 'a'"):
        codebook_keys(twice)


def test_a_new_coder_whose_name_differs_only_in_case_is_refused(qtbot, project: Path) -> None:
    with Store(project) as store:
        store.labels.set(2, "alice", "tone", "firm")
    with pytest.raises(AnnotatorError, match="coder 'Alice' differs only in case from 'alice'"):
        make_window(project, "Alice")
    w = open_window(qtbot, project, "alice")  # the coder the project knows opens as ever
    w.close()
    with Store(project) as store:
        store.labels.set(2, "Alice", "tone", "warm")  # written outside the window: both names exist now
    open_window(qtbot, project, "Alice").close()  # and neither is locked out of their own labels


def test_window_refuses_a_project_whose_codebook_clashes(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "clash.db"
    with Store(path, create=True) as store:
        store.set_codebook(Codebook("c", 1, (Scheme("topics", "multi", "Topics", (Option("a", "A", key="Ctrl+L"),)),)))
        store.items.add_source(Source("x.txt", sha256_bytes(b"x"), "transcript", items=[Item("qa", 0, "q", "a")]))
    with pytest.raises(AnnotatorError, match="Ctrl\\+L"):
        make_window(path, "alice")


def test_two_windows_on_one_database_each_see_their_own(qtbot, project: Path) -> None:
    a = open_window(qtbot, project, "alice")
    b = open_window(qtbot, project, "bob")
    for window, key in ((a, Qt.Key.Key_T), (b, Qt.Key.Key_1)):
        window.activateWindow()
        qtbot.waitActive(window)
        qtbot.waitUntil(lambda w=window: QApplication.focusWidget() is w.pages.view)
        press(qtbot, key)
    b.show_item(a.session.item["id"])
    assert b.coding.panel.checked() == {("tone", "confrontational")}
    a.close()
    b.close()
    with Store(project, readonly=True) as store:
        assert store.labels.annotation(a.session.item["id"], "alice").labels == {"topics": ["taiwan"]}
        assert store.labels.annotation(a.session.item["id"], "bob").labels == {"tone": "confrontational"}


def test_gui_without_coder_confirms_a_name_new_to_the_project(qtbot, project, isolated_settings, when_dialog) -> None:
    """`annotator gui other.db` without --coder: the last coder's name is offered, not used silently."""
    from PySide6.QtWidgets import QInputDialog

    from annotator.gui import settings as gs
    from annotator.gui.app import ask_coder

    gs.settings().setValue("last/coder", "alice")
    seen: list[str] = []

    def answer(dialog, keys) -> None:
        assert isinstance(dialog, QInputDialog)
        seen.append(dialog.labelText())
        seen.extend(dialog.comboBoxItems())
        qtbot.keyClicks(keys, "dora")  # the offered name is selected: typing replaces it
        qtbot.keyClick(keys, Qt.Key.Key_Return)

    when_dialog(answer)
    assert ask_coder(project) == "dora"
    assert "alice has not coded in this project yet" in seen[0] and seen[1:] == ["alice"]

    with Store(project) as store:
        store.labels.set(store.items.first_id(), "alice", "tone", "firm")
    assert ask_coder(project) == "alice"  # alice has coded here: no question
