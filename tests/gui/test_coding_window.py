"""The coding window driven from the keyboard only, as a coder works; the database is
then read back through the Store to check it holds exactly what was done."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.core.filters import Filter
from annotator.core.store import Store
from annotator.gui.item_view import PairBlock
from annotator.gui.main_window import MainWindow
from tests.gui.keyboard import open_window, press_sequence
from tests.helpers import copy_project, mark_done, new_project, sample_source

pytestmark = pytest.mark.gui

Key = Qt.Key
SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def press(qtbot, window: MainWindow, key: Qt.Key, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key press where a coder's would land: on the widget with the focus."""
    target = QApplication.focusWidget() or window
    qtbot.keyClick(target, key, mods)


def type_text(qtbot, text: str) -> None:
    qtbot.keyClicks(QApplication.focusWidget(), text)


def current(window: MainWindow) -> int:
    assert window.session.item is not None
    return window.session.item["id"]


def labels(path: Path, coder: str = "alice") -> dict[int, dict]:
    with Store(path, readonly=True) as store:
        ids = store.browse.item_ids(Filter(), coder)
        out = {}
        for item_id in ids:
            ann = store.labels.annotation(item_id, coder)
            if ann.labels or ann.note or ann.flag or ann.done:
                out[item_id] = {"labels": ann.labels, "note": ann.note, "flag": ann.flag, "done": ann.done}
        return out


def test_label_undo_redo_flag_note_navigate_and_reopen(qtbot, project: Path) -> None:
    w = open_window(qtbot, project)
    first = current(w)
    assert w.pages.view.texts()[0].startswith("What is your comment")

    press(qtbot, w, Key.Key_T)                 # topics: taiwan
    press(qtbot, w, Key.Key_E)                 # topics: trade_sanctions
    press(qtbot, w, Key.Key_2)                 # tone: firm
    press(qtbot, w, Key.Key_T, SHIFT)          # rhetoric: threat
    assert w.coding.panel.checked() == {("topics", "taiwan"), ("topics", "trade_sanctions"), ("tone", "firm"),
                                 ("rhetoric", "threat")}
    press(qtbot, w, Key.Key_E)                 # untick trade_sanctions
    press(qtbot, w, Key.Key_2)                 # tone cleared by pressing it again
    press(qtbot, w, Key.Key_4)                 # tone: conciliatory
    press(qtbot, w, Key.Key_Z, CTRL)           # undo: tone back to none
    assert ("tone", "conciliatory") not in w.coding.panel.checked()
    press(qtbot, w, Key.Key_Z, CTRL | SHIFT)   # redo: conciliatory again
    assert ("tone", "conciliatory") in w.coding.panel.checked()

    press(qtbot, w, Key.Key_F)                 # flag unsure
    press(qtbot, w, Key.Key_N)                 # into the note: letters are text now
    assert QApplication.focusWidget() is w.coding.note
    type_text(qtbot, "ask lead, taiwan?")
    press(qtbot, w, Key.Key_Escape)
    assert QApplication.focusWidget() is not w.coding.note
    assert w.coding.panel.checked() == {("topics", "taiwan"), ("tone", "conciliatory"), ("rhetoric", "threat")}

    press(qtbot, w, Key.Key_Right)             # next: the note is written on leaving
    second = current(w)
    assert second != first
    press(qtbot, w, Key.Key_J)
    third = current(w)
    press(qtbot, w, Key.Key_K)
    assert current(w) == second
    press(qtbot, w, Key.Key_Left)
    assert current(w) == first
    press(qtbot, w, Key.Key_8)                 # the question's stance: neutral (Enter needs it)
    press(qtbot, w, Key.Key_Return)            # done, and on to the next unlabelled
    assert current(w) == second
    press(qtbot, w, Key.Key_M)                 # security_military on the second item
    press(qtbot, w, Key.Key_Z, CTRL)           # undo it
    press(qtbot, w, Key.Key_Z, CTRL)           # undo "done" on the first item: the window goes there
    assert current(w) == first
    press(qtbot, w, Key.Key_Z, CTRL | SHIFT)   # redo done
    press(qtbot, w, Key.Key_J)
    press(qtbot, w, Key.Key_J)
    assert current(w) == third
    w.close()

    assert labels(project) == {
        first: {"labels": {"topics": ["taiwan"], "tone": "conciliatory", "question_stance": "neutral",
                           "rhetoric": ["threat"]},
                "note": "ask lead, taiwan?", "flag": True, "done": True},
    }
    with Store(project, readonly=True) as store:
        fields = [(e["field"], e["action"]) for e in store.labels.history(coder="alice")]
        assert ("@note", "set") in fields and ("security_military" not in dict(fields))
        assert store.labels.annotation(first, "alice").seconds > 0

    # reopen: the same item, and the labels are shown from the database
    w2 = open_window(qtbot, project)
    assert current(w2) == third
    press(qtbot, w2, Key.Key_K)
    press(qtbot, w2, Key.Key_K)
    assert current(w2) == first
    assert ("topics", "taiwan") in w2.coding.panel.checked() and w2.coding.flag_box.isChecked()
    assert w2.coding.note.toPlainText() == "ask lead, taiwan?"
    w2.close()


def test_an_option_the_codebook_dropped_while_the_window_was_open_is_shown_not_written(qtbot, project: Path) -> None:
    # The codebook set meanwhile refuses 'warm': the window ticked it and marked it written, but
    # nothing was written, and the coder believed it saved.
    from dataclasses import replace

    w = open_window(qtbot, project)
    item = current(w)
    with Store(project) as lead:
        cb = lead.codebook()
        tone = cb.scheme("tone")
        narrower = replace(tone, options=tuple(o for o in tone.options if o.value != "warm"))
        lead.set_codebook(replace(cb, schemes=tuple(narrower if s is tone else s for s in cb.schemes)))
    press(qtbot, w, Key.Key_5)  # warm, by the keys the window was opened with
    assert ("tone", "warm") not in w.coding.panel.checked()
    said = w.statusBar().currentMessage()
    assert said.startswith("Not written: ") and "'warm'" in said
    press(qtbot, w, Key.Key_2)  # firm: still in the codebook, written
    assert ("tone", "firm") in w.coding.panel.checked()
    w.close()
    assert labels(project)[item]["labels"] == {"tone": "firm"}


def test_filter_and_search_drive_navigation_and_are_restored(qtbot, project: Path) -> None:
    w = open_window(qtbot, project)
    assert w.item_list.model.rowCount() == 8
    press(qtbot, w, Key.Key_F, CTRL)
    assert QApplication.focusWidget() is w.item_list.filter_bar.search
    type_text(qtbot, "Taiwan")                 # letters type, they do not label
    press(qtbot, w, Key.Key_Return)
    assert w.item_list.model.rowCount() == 1
    assert w.item_list.filter_bar.summary.text().startswith("1 item · ")  # one, not "1 items"
    assert "Taiwan arms sale" in w.pages.view.texts()[0]
    assert labels(project) == {}

    press(qtbot, w, Key.Key_F, CTRL | SHIFT)   # clear every filter
    assert w.item_list.model.rowCount() == 8
    # status filter: label two items, then show only unlabelled ones
    for _ in range(2):
        for key in (Key.Key_T, Key.Key_3, Key.Key_8, Key.Key_Return):  # topic, tone, stance, done
            press(qtbot, w, key)
    w.item_list.filter_bar.status.setFocus()
    press(qtbot, w, Key.Key_Down)              # "Unlabelled"
    assert w.session.flt.status == "unlabelled"
    assert w.item_list.model.rowCount() == 6
    press(qtbot, w, Key.Key_Escape)
    seen = {current(w)}
    for key in [Key.Key_K] * 7 + [Key.Key_J] * 7:   # walk to both ends of the filter
        press(qtbot, w, key)
        seen.add(current(w))
    assert len(seen) == 6
    assert labels(project).keys().isdisjoint(seen)
    assert "6 left in the filter" in w.item_list.progress_label.text()
    w.close()

    w2 = open_window(qtbot, project)
    assert w2.session.flt.status == "unlabelled" and w2.item_list.filter_bar.status.currentData() == "unlabelled"
    assert w2.item_list.model.rowCount() == 6
    w2.close()


def test_transcript_text_is_plain_text(qtbot, tmp_path: Path, make_project) -> None:
    path = make_project(tmp_path / "markup.db", [
        ("2021-01-01", "Hua Chunying", [("<b>Outlet</b>", "Is <b>&amp; bold</b> shown?", "a < b && c > d <i>x</i>")]),
    ])
    w = open_window(qtbot, path)
    assert w.pages.view.texts() == ("Is <b>&amp; bold</b> shown?", "a < b && c > d <i>x</i>")
    assert w.pages.view.pair.question.textFormat() == Qt.TextFormat.PlainText
    assert "<b>Outlet</b>" in w.pages.view.pair.question_head.text()
    w.close()


def test_a_question_asked_after_the_press_conference_says_so(qtbot, tmp_path: Path, corpus: Path) -> None:
    # Its answer was written after the briefing, not said at the podium: it bears on the tone.
    from annotator.core.importers import parse_file

    page = parse_file(corpus / "real" / "mfa-en-more" / "2019-04-04_t1651487.html")
    path = new_project(tmp_path / "after.db", [page])
    w = open_window(qtbot, path)
    seen = []
    for _ in range(len(page.items)):
        seen.append((w.pages.view.pair.question_head.text(), w.pages.view.texts()[0]))
        press(qtbot, w, Key.Key_Right)         # the next item
    marked = [question for head, question in seen if head == "QUESTION  ·  asked after the press conference"]
    assert len(marked) == 1 and marked[0].startswith("After the Press Conference, a journalist asked if")
    assert sum("after the press conference" in head for head, _ in seen) == 1
    press_sequence(qtbot, "Ctrl+E")            # on the last item: its context shows the pair before it
    context = [b for b in w.pages.view.findChildren(PairBlock) if b is not w.pages.view.pair]
    qtbot.waitUntil(lambda: all(b.isVisible() for b in context))
    assert [b.question_head.text() for b in context].count("QUESTION  ·  asked after the press conference") == 1
    w.close()


def test_blind_coding_never_shows_another_coders_labels(qtbot, project: Path) -> None:
    with Store(project) as store:
        for item_id in store.browse.item_ids(Filter(), "bob"):
            store.labels.set(item_id, "bob", "topics", ["taiwan"])
            store.labels.set_flag(item_id, "bob", True)
            store.labels.set_note(item_id, "bob", "bob was here")
            mark_done(store, item_id, "bob")
    w = open_window(qtbot, project, "alice")
    for _ in range(8):
        assert w.coding.panel.checked() == set()
        assert not w.coding.flag_box.isChecked() and w.coding.note.toPlainText() == ""
        row = w.item_list.model.row_of(current(w))
        assert w.item_list.model.index(row, 3).data() == ""
        press(qtbot, w, Key.Key_J)
    assert "0 of 8 labelled" in w.item_list.progress_label.text()
    w.item_list.filter_bar.status.setCurrentIndex(2)       # "Labelled": bob's labels do not count
    assert w.item_list.model.rowCount() == 0
    w.close()


def test_a_note_still_being_typed_survives_clearing_the_filter(qtbot, project: Path) -> None:
    # the filter changes while the note waits out its debounce: the item is shown again, and
    # what the coder typed must be written, not overwritten by the database's older note
    w = open_window(qtbot, project)
    w.item_list.filter_bar.status.setFocus()
    press(qtbot, w, Key.Key_Down)              # "Unlabelled": every item still matches
    press(qtbot, w, Key.Key_Escape)
    item = current(w)
    press(qtbot, w, Key.Key_N)
    type_text(qtbot, "check the date")
    press(qtbot, w, Key.Key_F, CTRL | SHIFT)   # clear the filter straight from the note
    assert current(w) == item
    assert w.coding.note.toPlainText() == "check the date"
    w.close()
    assert labels(project) == {item: {"labels": {}, "note": "check the date", "flag": False, "done": False}}


def test_a_note_is_written_the_moment_the_coder_leaves_it(qtbot, project: Path) -> None:
    # Escape is the coder's "finished": the note is in the project before any other event is
    # handled (a window killed in the typing pause lost a note the coder had left)
    w = open_window(qtbot, project)
    item = current(w)
    press(qtbot, w, Key.Key_N)
    type_text(qtbot, "ask the lead")
    press(qtbot, w, Key.Key_Escape)
    assert QApplication.focusWidget() is not w.coding.note
    assert labels(project) == {item: {"labels": {}, "note": "ask the lead", "flag": False, "done": False}}
    press(qtbot, w, Key.Key_N)                 # back in, and out by Tab: the same
    type_text(qtbot, " about Taiwan")
    press(qtbot, w, Key.Key_Tab)
    assert labels(project)[item]["note"] == "ask the lead about Taiwan"
    w.close()


def test_keys_in_a_filter_combo_stay_with_the_combo(qtbot, project: Path) -> None:
    # Enter in a filter list gives the keys back to the item; it does not mark the item done,
    # and a letter picks an entry of the list rather than labelling the item behind it
    w = open_window(qtbot, project)
    item = current(w)
    w.item_list.filter_bar.status.setFocus()
    press(qtbot, w, Key.Key_U)                 # "Unlabelled", by its first letter
    assert w.session.flt.status == "unlabelled"
    press(qtbot, w, Key.Key_Return)
    assert current(w) == item and QApplication.focusWidget() is w.pages.view
    press(qtbot, w, Key.Key_T)                 # back on the item: keys label again
    assert ("topics", "taiwan") in w.coding.panel.checked()
    w.close()
    assert labels(project) == {item: {"labels": {"topics": ["taiwan"]}, "note": "", "flag": False, "done": False}}


def test_with_nothing_matching_nothing_can_be_written_to_an_unseen_item(qtbot, project: Path) -> None:
    w = open_window(qtbot, project)
    item = current(w)
    press(qtbot, w, Key.Key_N)
    type_text(qtbot, "first thought")
    press(qtbot, w, Key.Key_F, CTRL)           # search straight from the note
    type_text(qtbot, "zebra")
    press(qtbot, w, Key.Key_Return)
    assert w.item_list.model.rowCount() == 0
    assert not w.coding.note.isEnabled() and not w.coding.flag_box.isEnabled()
    press(qtbot, w, Key.Key_Escape)
    for key in (Key.Key_N, Key.Key_F, Key.Key_T):  # note, flag, a topic: none may touch the hidden item
        press(qtbot, w, key)
    w.close()
    assert labels(project) == {item: {"labels": {}, "note": "first thought", "flag": False, "done": False}}


def test_the_window_comes_back_as_the_coder_left_it(qtbot, project: Path) -> None:
    w = open_window(qtbot, project)
    assert not w.pages.view.context_visible
    press(qtbot, w, Key.Key_E, CTRL)           # the pairs before and after
    assert w.pages.view.context_visible
    press(qtbot, w, Key.Key_J)
    item = current(w)
    w.close()
    w2 = open_window(qtbot, project)
    assert w2.pages.view.context_visible and current(w2) == item
    w2.close()
    w3 = open_window(qtbot, project, "bob")    # another coder on the same project starts afresh
    assert not w3.pages.view.context_visible and current(w3) != item
    w3.close()


def test_enter_says_what_is_missing_and_a_statement_asks_no_question_stance(qtbot, tmp_path: Path) -> None:
    path = new_project(tmp_path / "kinds.db", [sample_source()])  # item 1 a statement, then pairs
    w = open_window(qtbot, path)
    panel = w.coding.panel
    assert current(w) == 1
    assert panel.groups["question_stance"].isHidden()  # a statement has no question to take a stance
    assert not panel.groups["topics"].isHidden() and not panel.groups["rhetoric"].isHidden()

    press(qtbot, w, Key.Key_7)                 # the stance's key: nothing, and the status line says why
    assert w.statusBar().currentMessage() == "Stance of the question does not apply to statements"
    press(qtbot, w, Key.Key_Return)            # nothing chosen yet: refused, and the window goes there
    assert w.statusBar().currentMessage() == "Not done: Topics and Tone of the answer need a value first"
    assert panel.groups["topics"].property("wanted") is True
    assert current(w) == 1 and labels(path) == {}
    press(qtbot, w, Key.Key_Z)                 # topics: other
    press(qtbot, w, Key.Key_Return)
    assert w.statusBar().currentMessage() == "Not done: Tone of the answer needs a value first"
    assert panel.groups["tone"].property("wanted") is True and not panel.groups["topics"].property("wanted")
    press(qtbot, w, Key.Key_3)                 # tone: neutral
    press(qtbot, w, Key.Key_Return)            # done: rhetoric on screen with nothing ticked is "none of these"
    assert current(w) == 2 and not panel.groups["question_stance"].isHidden()
    assert labels(path) == {1: {"labels": {"topics": ["other"], "tone": "neutral", "rhetoric": []},
                                "note": "", "flag": False, "done": True}}

    press(qtbot, w, Key.Key_Z, CTRL)           # one key press, one undo: the mark and the empty set
    assert current(w) == 1
    assert labels(path) == {1: {"labels": {"topics": ["other"], "tone": "neutral"}, "note": "", "flag": False,
                                "done": False}}
    w.close()


def test_file_import_offers_every_file_the_importers_read() -> None:
    from annotator.core.importers import TRANSCRIPT_SUFFIXES
    from annotator.gui.import_dialog import TRANSCRIPT_FILES

    shown = TRANSCRIPT_FILES.split(";;")[0]
    assert ".md" in TRANSCRIPT_SUFFIXES  # the White House briefings
    assert all(f"*{suffix}" in shown.split("(")[1].rstrip(")").split() for suffix in TRANSCRIPT_SUFFIXES)


def test_one_spokesperson_is_one_entry_of_the_filter_in_both_languages(qtbot, tmp_path: Path, make_project) -> None:
    path = make_project(tmp_path / "both.db", [
        ("2020-03-30", "Hua Chunying", [("AFP", "Will China respond?", "We will."), ("CCTV", "A question?", "Yes.")]),
        ("2020-03-30", "华春莹", [("法新社", "中方会回应吗？", "会。")]),
        ("2020-03-31", "Geng Shuang", [("Reuters", "Any comment?", "No.")]),
    ])
    w = open_window(qtbot, path)
    bar = w.item_list.filter_bar
    entries = [bar.spokesperson.itemText(i) for i in range(bar.spokesperson.count())]
    assert entries == ["Any spokesperson", "Hua Chunying · 华春莹  (3)", "Geng Shuang  (1)"]
    assert [bar.outlet.itemText(i) for i in range(1, 3)] == ["AFP · 法新社  (2)", "CCTV  (1)"]
    bar.spokesperson.setFocus()
    press(qtbot, w, Key.Key_H)                 # the entry by its first letter
    assert w.session.flt.spokesperson == "Hua Chunying"
    assert w.item_list.model.rowCount() == 3   # the Chinese page's pair among them
    # closed, the list shows the person (the pane is too narrow for every spelling), the whole entry its tooltip
    assert bar.spokesperson.shown_text() in ("Hua Chunying  (3)", "Hua Chunying")
    assert bar.spokesperson.toolTip() == "Hua Chunying · 华春莹  (3)"
    bar.outlet.setFocus()
    press(qtbot, w, Key.Key_A)
    assert w.item_list.model.rowCount() == 2
    assert bar.outlet.shown_text() in ("AFP  (2)", "AFP")
    press(qtbot, w, Key.Key_Down)              # CCTV: one spelling, its entry as it is
    assert bar.outlet.shown_text() == "CCTV  (1)" and bar.outlet.toolTip() == ""
    w.close()
    # a filter kept by a version that listed 华春莹 apart picks the one entry
    w2 = open_window(qtbot, path)
    w2.item_list.filter_bar.set_filter(Filter(spokesperson="华春莹"))
    assert w2.item_list.filter_bar.spokesperson.currentText() == "Hua Chunying · 华春莹  (3)"
    w2.close()


def test_coming_back_to_the_window_shows_what_a_merge_brought_meanwhile(qtbot, project: Path, tmp_path: Path) -> None:
    # The coder merges the work of their other laptop while the window waits in the background:
    # the item on screen showed the labels read when it was opened until the coder moved away
    # and back, as if the merge had brought nothing.
    from PySide6.QtWidgets import QWidget

    from annotator.core.merge import merge_files

    laptop = copy_project(project, tmp_path / "laptop.db")
    w = open_window(qtbot, project)
    item = current(w)
    press(qtbot, w, Key.Key_T)                 # topics: taiwan, on this machine
    qtbot.waitUntil(lambda: not w.session.pending)
    later = w.item_list.model.id_at(3)
    assert w.item_list.model.index(3, 3).data() == ""  # its row as the list holds it
    with Store(laptop) as other:               # the other laptop: firm, and a note; and a later item
        other.labels.set(item, "alice", "tone", "firm")
        other.labels.set_note(item, "alice", "ask the lead")
        other.labels.set(later, "alice", "topics", ["taiwan"])
    elsewhere = QWidget()
    qtbot.addWidget(elsewhere)
    elsewhere.show()
    elsewhere.activateWindow()
    qtbot.waitUntil(lambda: not w.isActiveWindow())
    with Store(project) as store:
        merge_files(store, [laptop], backup=False)
    assert w.coding.panel.checked() == {("topics", "taiwan")}  # not yet looked at again
    assert w.item_list.model.index(3, 3).data() == ""
    assert "1 of 8 labelled" in w.item_list.progress_label.text()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    assert w.item_list.model.index(3, 3).data() == "labelled"
    assert w.item_list.model.index(3, 5).data() == "T"
    assert "2 of 8 labelled" in w.item_list.progress_label.text()
    assert w.coding.panel.checked() == {("topics", "taiwan"), ("tone", "firm")}
    assert w.coding.note.toPlainText() == "ask the lead"
    assert "Another program wrote to the project" in w.statusBar().currentMessage()
    assert current(w) == item
    press(qtbot, w, Key.Key_T)                 # taiwan off: the merged tone stays
    w.close()
    assert labels(project)[item]["labels"] == {"tone": "firm"}


def test_coming_back_after_the_codebook_was_changed_says_to_open_the_project_again(qtbot, project: Path) -> None:
    # The lead replaced the codebook while this window waited: its new option had no key here, and
    # nothing said the window still offered the old codebook.
    from PySide6.QtWidgets import QWidget

    from annotator.core.codebook import default_codebook_path, parse_codebook

    w = open_window(qtbot, project)
    elsewhere = QWidget()
    qtbot.addWidget(elsewhere)
    elsewhere.show()
    elsewhere.activateWindow()
    qtbot.waitUntil(lambda: not w.isActiveWindow())
    warm = 'description = "Praises, thanks, congratulates or expresses friendship or condolences"\n'
    text = default_codebook_path().read_text(encoding="utf-8").replace(
        warm, warm + '\n[[schemes.options]]\nvalue = "evasive"\nlabel = "Evasive"\nkey = "6"\n', 1)
    assert "evasive" in text
    with Store(project) as other:
        other.set_codebook(parse_codebook(text, "new.toml"), text)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    assert w.banner.isVisible() and "The codebook was changed by another program" in w.banner.text()
    w.close()


@pytest.mark.parametrize("opens", ["F1", "Ctrl+Shift+E", "Ctrl+I", "guidelines"])
def test_the_keys_come_back_to_the_item_when_a_dialog_closes(qtbot, project: Path, when_dialog, opens: str) -> None:
    # F1's list of keys, the export dialog and the import's file dialog, closed with Escape, left no
    # window active: the coder's next label key went nowhere until they clicked the window.
    w = open_window(qtbot, project)
    when_dialog(lambda dialog, keys: qtbot.keyClick(keys, Key.Key_Escape))
    if opens == "guidelines":  # Help > Codebook guidelines, a menu's entry without a key
        w.commands.by_name["guidelines"].trigger()
    else:
        press_sequence(qtbot, opens)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)
    QApplication.processEvents()
    assert QApplication.activeWindow() is w
    assert QApplication.focusWidget() is w.pages.view
    press(qtbot, w, Key.Key_T)
    assert "taiwan" in w.session.annotation.labels["topics"]


def test_every_command_of_the_window_is_in_a_menu_with_its_key(qtbot, project: Path) -> None:
    # Ctrl+T (the pair in the other language) was in Help > Keyboard but in no menu: a coder who
    # learns the keys from the menus never met it.
    from annotator.core.window_keys import NUMBERED, WINDOW_KEYS

    w = open_window(qtbot, project)

    def entries(actions) -> list:
        out = []
        for action in actions:
            out.append(action)
            if action.menu() is not None:
                out += entries(action.menu().actions())
        return out

    in_menus = entries(w.menuBar().actions())
    missing = [wk.action for wk in WINDOW_KEYS
               if wk.action != "back" and wk.action not in NUMBERED  # Escape leaves a field; Ctrl+1..9: View > Fold
               and w.commands.by_name[wk.action] not in in_menus]
    assert missing == []
    assert w.commands.by_name["other_language"].shortcut().toString() == "Ctrl+T"
    # an entry names its command, cut before the help line's explanation
    assert w.commands.by_name["other_language"].text() == "Show or hide this pair in the other language"
    assert w.commands.by_name["goto"].text() == "Go to an item"  # not "…: its number in the list", one way of three


def test_enter_in_a_date_field_applies_it_and_gives_the_keys_back(qtbot, project: Path) -> None:
    # Enter in the search field applied it and went back to the item; in a date field it applied the
    # date and kept the focus, so the coder's next label key typed a letter into the date.
    w = open_window(qtbot, project)
    bar = w.item_list.filter_bar
    bar.date_from.setFocus()
    type_text(qtbot, "2021-12-10")
    press(qtbot, w, Key.Key_Return)
    assert w.session.flt.date_from == "2021-12-10" and w.item_list.model.rowCount() == 5
    assert QApplication.focusWidget() is w.pages.view
    press(qtbot, w, Key.Key_T)
    assert bar.date_from.text() == "2021-12-10"
    assert "taiwan" in w.session.annotation.labels["topics"]


def test_a_date_the_calendar_has_not_is_marked_and_filters_nothing(qtbot, project: Path) -> None:
    w = open_window(qtbot, project)
    bar = w.item_list.filter_bar
    bar.date_from.setFocus()
    type_text(qtbot, "2021-13-45")             # month 13: once taken as text, it kept 2022's items alone
    press(qtbot, w, Key.Key_Return)
    assert bar.date_from.property("invalid") is True
    assert w.session.flt.date_from is None and w.item_list.model.rowCount() == 8


def test_the_context_above_leaves_the_pair_on_screen_in_sight(qtbot, tmp_path: Path, make_project) -> None:
    # Ctrl+E put the pairs before the item above it, and the view stayed at its top: after a long
    # answer the coder saw only the earlier pair, in grey, and the one they were coding was below the edge.
    long = " ".join(["The relevant remarks are groundless and we firmly oppose them."] * 60)
    path = make_project(tmp_path / "long.db", [("2020-05-06", "Hua Chunying", [
        ("CNN", "A long question?", long), ("AFP", "Which pair is on screen?", "This one."),
        ("NHK", "And after?", long)])])
    w = open_window(qtbot, path)
    w.resize(1366, 768)
    press(qtbot, w, Key.Key_J)
    assert w.session.item["question"] == "Which pair is on screen?"

    def pair_in_sight() -> bool:
        view = w.pages.view
        top = view.pair.question_head.mapTo(view.viewport(), view.pair.question_head.rect().topLeft()).y()
        bottom = view.pair.answer.mapTo(view.viewport(), view.pair.answer.rect().bottomLeft()).y()
        return top >= 0 and bottom <= view.viewport().height()

    QApplication.processEvents()
    assert pair_in_sight()
    press(qtbot, w, Key.Key_E, CTRL)
    before = w.pages.view.before_box
    laid_out = lambda: before.isVisible() and before.height() > w.pages.view.viewport().height()  # noqa: E731
    qtbot.waitUntil(laid_out)                  # the long pair before is laid out above
    QApplication.processEvents()
    assert pair_in_sight()
    press(qtbot, w, Key.Key_K)                 # and on the next item shown with its context
    press(qtbot, w, Key.Key_J)
    qtbot.waitUntil(laid_out)
    QApplication.processEvents()
    assert w.session.item["question"] == "Which pair is on screen?" and pair_in_sight()


def test_enter_on_the_last_item_to_label_says_what_to_do_next(qtbot, project: Path) -> None:
    # "Nothing left to label in this filter" and no more: the coder was left to guess how to go on
    w = open_window(qtbot, project)
    press(qtbot, w, Key.Key_F, CTRL)
    type_text(qtbot, "Taiwan")
    press(qtbot, w, Key.Key_Return)
    assert w.item_list.model.rowCount() == 1
    for key in (Key.Key_T, Key.Key_3, Key.Key_8, Key.Key_Return):  # topic, tone, stance, done
        press(qtbot, w, key)
    assert w.statusBar().currentMessage() == "Nothing left to label in this filter: Ctrl+Shift+F clears it"
    press(qtbot, w, Key.Key_F, CTRL | SHIFT)
    with Store(project) as store:  # every other item done meanwhile (another window, a merge)
        for item_id in store.browse.item_ids(Filter(), "alice"):
            mark_done(store, item_id, "alice")
    w.reread_item()
    press(qtbot, w, Key.Key_Return)
    assert w.statusBar().currentMessage() == (
        "Nothing left to label in the project: Ctrl+Shift+E exports your labels")


def test_the_filters_are_a_tab_away_from_the_search_and_the_help_says_so(qtbot, project: Path) -> None:
    # The status, label, outlet, spokesperson and date filters had no key of their own, and Help >
    # Keyboard did not say how to reach them: the coder reached for the mouse.
    from annotator.gui.help import keyboard_html

    w = open_window(qtbot, project)
    assert "Ctrl+F then Tab" in keyboard_html(w.session.codebook)
    bar = w.item_list.filter_bar
    press(qtbot, w, Key.Key_F, CTRL)
    press(qtbot, w, Key.Key_Tab)
    assert QApplication.focusWidget() is bar.status
    press(qtbot, w, Key.Key_Down)              # "Unlabelled"
    assert w.session.flt.status == "unlabelled"
    press(qtbot, w, Key.Key_Return)            # applied: the keys back to the item
    assert QApplication.focusWidget() is w.pages.view


def test_a_key_in_a_window_left_in_front_first_shows_what_a_merge_brought(qtbot, project: Path, tmp_path: Path) -> None:
    # A merge runs beside the window while it stays in front (no coming back to it): the coder's
    # next key showed its own change over the labels read before the merge, the merged tone not
    # among them, though the project held it.
    from annotator.core.merge import merge_files

    laptop = copy_project(project, tmp_path / "laptop.db")
    w = open_window(qtbot, project)
    item = current(w)
    with Store(laptop) as other:
        other.labels.set(item, "alice", "tone", "firm")
    with Store(project) as store:
        merge_files(store, [laptop], backup=False)
    assert w.isActiveWindow() and w.coding.panel.checked() == set()
    press(qtbot, w, Key.Key_T)                 # topics: taiwan
    qtbot.waitUntil(lambda: not w.session.pending)
    assert w.coding.panel.checked() == {("topics", "taiwan"), ("tone", "firm")}
    assert w.session.annotation.labels == {"topics": ["taiwan"], "tone": "firm"}
    w.close()
    assert labels(project)[item]["labels"] == {"topics": ["taiwan"], "tone": "firm"}
