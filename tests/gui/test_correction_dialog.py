"""Ctrl+K in the coding window: a coder mends a wrong split from the keyboard, and the
fix reaches the lead's project by merge with the labels intact."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from annotator.core.merge import merge_files
from annotator.core.store import Store
from tests.gui.keyboard import open_window, press
from tests.helpers import copy_project, new_project, wrongly_split_source


def _open_on(qtbot, path, seq):
    window = open_window(qtbot, path)
    with Store(path, readonly=True) as store:
        item_id = store.connection.execute("SELECT id FROM items WHERE seq = ?", [seq]).fetchone()[0]
    window.show_item(item_id)
    return window, item_id


def _correct(qtbot, window):
    """Ctrl+K: the correction dialog, its paragraph list in focus."""
    press(qtbot, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.corrector is not None and window.corrector.isVisible())
    dialog = window.corrector
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.paragraphs)
    return dialog


def test_a_coder_fixes_a_wrong_split_from_the_keyboard_and_it_survives_the_merge(qtbot, corpus, tmp_path) -> None:
    lead = new_project(tmp_path / "lead.db", [wrongly_split_source(corpus)])
    alice = copy_project(lead, tmp_path / "alice.db")
    with Store(lead, readonly=True) as store:
        n = store.items.count()
    window, item_id = _open_on(qtbot, alice, 1)  # the pair whose answer the importer cut off
    window.toggle("tone", "firm")
    dialog = _correct(qtbot, window)
    assert dialog.paragraphs.count() == 1  # a question, no answer
    # counted in words that fit the numbers ("1 question and 0 answer paragraph(s)" before)
    assert dialog.heading.text().endswith(" — 1 question paragraph, no answer paragraph")
    press(qtbot, Qt.Key.Key_M)  # merge with the next item: the cut-off answer
    assert "merged into" in dialog.message.text()
    assert dialog.paragraphs.count() > 1 and dialog.paragraphs.item(1).text().split()[1] == "A"
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: window.session.total == n - 1)
    assert window.session.item["id"] == item_id and window.session.item["answer"]
    assert "merged into" in window.statusBar().currentMessage()
    # alice's labels stay on the merged item, and the list asks her to look at it again
    model = window.item_list.model
    row = model.row_of(item_id)
    qtbot.waitUntil(lambda: model.data(model.index(row, 3)) == "look again")
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)  # back from the dialog, the keys with it
    window.toggle("tone", "firm")  # (firm again: unticked, then the key below ticks it)
    press(qtbot, Qt.Key.Key_2)
    assert window.session.annotation.labels["tone"] == "firm"
    if not window.item_list.isVisible():  # a small first window hides the list: the coder shows it
        press(qtbot, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        qtbot.waitUntil(window.item_list.isVisible)
    window.item_list.filter_bar.status.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.item_list.filter_bar.status)
    press(qtbot, Qt.Key.Key_End)  # the status filter's last choice: "Look again"
    qtbot.waitUntil(lambda: window.session.flt.status == "look again")
    assert window.item_list.filter_bar.status.currentText() == "Look again"
    assert list(model.ids) == [item_id]
    window.close()

    with Store(lead) as store:
        merge_files(store, [alice], backup=False)
        fixed = store.items.get(item_id)
        assert store.items.count() == n - 1 and fixed["answer"]
        assert store.labels.annotation(item_id, "alice").labels["tone"] == "firm"
        assert [r["op"] for r in store.corrections.listing()] == ["merge"]


def test_split_question_boundary_fields_undo_and_a_refusal_in_the_dialog(qtbot, corpus, tmp_path) -> None:
    path = new_project(tmp_path / "p.db", [wrongly_split_source(corpus)])
    window, item_id = _open_on(qtbot, path, 4)  # two pairs run into one item
    dialog = _correct(qtbot, window)
    rows = dialog.paragraphs.count()
    press(qtbot, Qt.Key.Key_S)  # on paragraph 1: cannot split there, one line says why
    assert "cannot split at paragraph 1" in dialog.message.text()
    with Store(path, readonly=True) as store:
        joined = store.items.get(item_id)
    next_question = joined["answer"].split("\n\n").index(
        next(p for p in joined["answer"].split("\n\n") if p.rstrip().endswith("?")))
    for _ in range(1 + next_question):
        press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_S)
    assert "split at paragraph" in dialog.message.text()
    assert dialog.paragraphs.count() == rows - (rows - 1 - next_question)
    press(qtbot, Qt.Key.Key_End)
    press(qtbot, Qt.Key.Key_Q)  # the question ends with the last paragraph: all of it question
    assert all(dialog.paragraphs.item(i).text().split()[1] == "Q" for i in range(dialog.paragraphs.count()))
    press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo that
    assert dialog.paragraphs.item(dialog.paragraphs.count() - 1).text().split()[1] == "A"
    dialog.outlet.setFocus()
    dialog.outlet.setText("Reuters")
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "outlet 'Reuters'" in dialog.message.text()
    dialog.note.setFocus()
    qtbot.keyClicks(dialog.note, "the date line is wrong")
    press(qtbot, Qt.Key.Key_Return)
    with Store(path, readonly=True) as store:
        assert store.items.get(item_id)["outlet"] == "Reuters"
        assert [r["args"]["note"] for r in store.corrections.listing(op="flag")] == ["the date line is wrong"]
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    window.close()


def test_each_field_has_its_alt_key_and_alt_a_brings_the_keys_back_to_the_paragraphs(qtbot, corpus, tmp_path) -> None:
    # The outlet, spokesperson, date and problem fields were reached by Tab alone, the buttons by
    # Alt; and after Alt+O the keys S, Q and M typed into the outlet field, and only Shift+Tab or
    # the mouse came back to the paragraph list where they act
    path = new_project(tmp_path / "p.db", [wrongly_split_source(corpus)])
    window, item_id = _open_on(qtbot, path, 4)  # two pairs run into one item
    dialog = _correct(qtbot, window)
    assert "Alt+A: the paragraphs" in dialog.findChild(QLabel, "hint").text()
    outlet = dialog.outlet.text()
    alt = Qt.KeyboardModifier.AltModifier
    for key, field in ((Qt.Key.Key_O, dialog.outlet), (Qt.Key.Key_P, dialog.spokesperson),
                       (Qt.Key.Key_D, dialog.date), (Qt.Key.Key_R, dialog.note)):
        press(qtbot, key, alt)
        assert QApplication.focusWidget() is field
        press(qtbot, Qt.Key.Key_A, alt)
        assert QApplication.focusWidget() is dialog.paragraphs
    press(qtbot, Qt.Key.Key_O, alt)
    press(qtbot, Qt.Key.Key_A, alt)
    press(qtbot, Qt.Key.Key_End)
    press(qtbot, Qt.Key.Key_Q)  # on the list again: the question ends with the last paragraph
    assert all(dialog.paragraphs.item(i).text().split()[1] == "Q" for i in range(dialog.paragraphs.count()))
    assert dialog.outlet.text() == outlet  # nothing typed into the field
    with Store(path, readonly=True) as store:
        assert not store.items.get(item_id)["answer"]
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    window.close()
