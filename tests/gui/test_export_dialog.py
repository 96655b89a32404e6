"""File > Export… driven from the keyboard: the coder's own labels only (blind coding),
then the written files are read back and checked record by record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from annotator.core.filters import Filter
from annotator.core.store import Store
from annotator.gui.export_dialog import ExportDialog
from annotator.gui.main_window import MainWindow
from tests.gui.keyboard import open_window, press

pytestmark = pytest.mark.gui

Key = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


def labelled_project(path: Path) -> dict[str, int]:
    """alice labels three items, bob labels every item differently; returns alice's uids -> item ids."""
    with Store(path) as store:
        ids = list(store.browse.item_ids(Filter(), "alice"))
        for item_id in ids:
            store.labels.set(item_id, "bob", "topics", ["covid"])
            store.labels.set(item_id, "bob", "tone", "firm")
            store.labels.set_note(item_id, "bob", "bob's secret note")
        store.labels.set(ids[0], "alice", "topics", ["taiwan", "us_relations"])
        store.labels.set(ids[0], "alice", "tone", "confrontational")
        store.labels.set(ids[1], "alice", "tone", "neutral")
        store.labels.set(ids[4], "alice", "topics", ["taiwan"])
        store.labels.set_note(ids[4], "alice", "arms sale")
        return {store.items.get(i)["uid"]: i for i in (ids[0], ids[1], ids[4])}


def open_export(qtbot, w: MainWindow) -> ExportDialog:
    press(qtbot, Key.Key_E, CTRL | SHIFT)
    qtbot.waitUntil(lambda: w.exporter is not None and w.exporter.isVisible())
    dialog = w.exporter
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_native_export_of_my_labels_from_the_keyboard(qtbot, project: Path, tmp_path: Path) -> None:
    uids = labelled_project(project)
    w = open_window(qtbot, project)
    dialog = open_export(qtbot, w)
    # the choices a coder has: their labels, or their label file; never gold or every coder's
    assert [dialog.what.itemData(i) for i in range(dialog.what.count())] == ["mine", "labels"]
    out = tmp_path / "mine.jsonl"
    dialog.set_out_path(out)
    press(qtbot, Key.Key_T, ALT)               # &Text: answer only
    assert QApplication.focusWidget() is dialog.text
    press(qtbot, Key.Key_Down)
    assert dialog.text.currentData() == "answer"
    press(qtbot, Key.Key_Return)               # Export
    qtbot.waitUntil(lambda: w.export_result is not None and w.export_result.isVisible())
    assert w.export_result.text().startswith("wrote 3 native records from 8 items")
    assert "left out 5 items (5 not labelled by alice)" in w.export_result.text()
    assert w.export_result.text() in w.statusBar().currentMessage()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w.export_result)
    press(qtbot, Key.Key_Return)               # close the summary
    qtbot.waitUntil(lambda: not w.export_result.isVisible())
    QApplication.processEvents()
    assert QApplication.activeWindow() is w and QApplication.focusWidget() is w.pages.view  # the keys are back

    records = read_jsonl(out)
    assert [r["uid"] for r in records] == sorted(uids, key=uids.get)
    by_uid = {r["uid"]: r for r in records}
    first, second, fifth = sorted(uids, key=uids.get)
    assert (by_uid[first]["topics"], by_uid[first]["tone"]) == (["taiwan", "us_relations"], "confrontational")
    assert (by_uid[second]["topics"], by_uid[second]["tone"]) == (None, "neutral")
    assert (by_uid[fifth]["topics"], by_uid[fifth]["tone"]) == (["taiwan"], None)
    assert all(r["text"] == r["answer"] for r in records)
    text = out.read_text(encoding="utf-8")
    assert "covid" not in text and "bob" not in text and "annotations" not in text  # blind: nothing of bob's
    w.close()


def test_label_file_for_the_lead_holds_only_my_labels_and_history(qtbot, project: Path, tmp_path: Path) -> None:
    uids = labelled_project(project)
    w = open_window(qtbot, project)
    dialog = open_export(qtbot, w)
    out = tmp_path / "alice.labels.jsonl"
    dialog.set_out_path(out)
    press(qtbot, Key.Key_F, ALT)               # &Format: Prodigy, then &Text: answer, chosen first...
    press(qtbot, Key.Key_Down)
    press(qtbot, Key.Key_T, ALT)
    press(qtbot, Key.Key_Down)
    assert (dialog.format.currentData(), dialog.text.currentData()) == ("prodigy", "answer")
    press(qtbot, Key.Key_E, ALT)               # ...then &Export: the label file, which has one shape
    press(qtbot, Key.Key_Down)
    assert dialog.what.currentData() == "labels"
    assert not dialog.format.isEnabled() and not dialog.split_on.isEnabled()
    press(qtbot, Key.Key_Return)
    qtbot.waitUntil(lambda: w.export_result is not None and w.export_result.isVisible())
    assert "wrote 3 label records from 8 items and 5 history events" in w.export_result.text()
    w.export_result.accept()

    header, *rest = read_jsonl(out)
    assert header["annotator_labels"] == 1 and header["project"] == project.name
    states = [r for r in rest if "coder" in r]
    events = [r["event"] for r in rest if "event" in r]
    assert {r["uid"] for r in states} == set(uids) and {r["coder"] for r in states} == {"alice"}
    assert {e["coder"] for e in events} == {"alice"} and len(events) == 5
    written = out.read_text(encoding="utf-8")
    assert "Taiwan arms sale" not in written and "Politicizing" not in written  # no transcript text
    assert "bob" not in written
    w.close()


def test_spacy_needs_a_scheme_and_split_writes_one_file_per_split(qtbot, project: Path, tmp_path: Path) -> None:
    labelled_project(project)
    w = open_window(qtbot, project)
    dialog = open_export(qtbot, w)
    out = tmp_path / "tone.jsonl"
    dialog.set_out_path(out)
    press(qtbot, Key.Key_F, ALT)               # &Format
    press(qtbot, Key.Key_Down)
    press(qtbot, Key.Key_Down)
    assert dialog.format.currentData() == "spacy-jsonl"
    assert not dialog.unlabelled.isEnabled()  # spaCy's cats need a label
    press(qtbot, Key.Key_Return)               # no scheme chosen: one clear message, the dialog stays
    qtbot.waitUntil(lambda: dialog.message is not None and dialog.message.isVisible())
    assert dialog.message.text() == "spaCy textcat JSONL holds one scheme in its cats: choose it under Scheme"
    assert "Traceback" not in dialog.message.text()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog.message)
    press(qtbot, Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.message.isVisible())
    assert dialog.isVisible() and not out.exists()

    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    press(qtbot, Key.Key_S, ALT)               # &Scheme: topics
    press(qtbot, Key.Key_Down)
    assert dialog.scheme.currentData() == "topics"
    dialog.split_on.setFocus()
    press(qtbot, Key.Key_Space)                # split on, default train/dev/test
    press(qtbot, Key.Key_Return)
    qtbot.waitUntil(lambda: w.export_result is not None and w.export_result.isVisible())
    w.export_result.accept()
    parts = {name: read_jsonl(tmp_path / f"tone.{name}.jsonl") for name in ("train", "dev", "test")}
    records = [r for part in parts.values() for r in part]
    assert len(records) == 2  # two items carry a topics label of alice's
    assert all(set(r["cats"]) >= {"taiwan", "covid"} for r in records)
    assert sorted(r["cats"]["taiwan"] for r in records) == [1.0, 1.0]
    assert all(r["cats"]["covid"] == 0.0 for r in records)  # bob's covid never leaks in
    assert not out.exists()
    w.close()


def test_a_coder_with_no_labels_is_told_so_without_other_coders_names(qtbot, project: Path, tmp_path: Path) -> None:
    labelled_project(project)
    w = open_window(qtbot, project, "carol")
    dialog = open_export(qtbot, w)
    dialog.set_out_path(tmp_path / "none.jsonl")
    press(qtbot, Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.message is not None and dialog.message.isVisible())
    assert "carol has not labelled anything yet" in dialog.message.text()
    assert "bob" not in dialog.message.text() and "alice" not in dialog.message.text()
    dialog.message.accept()
    press(qtbot, Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert not (tmp_path / "none.jsonl").exists()
    w.close()


def test_a_bad_target_and_a_cancelled_export_leave_no_file(qtbot, project: Path, tmp_path: Path, monkeypatch) -> None:
    labelled_project(project)
    w = open_window(qtbot, project)
    dialog = open_export(qtbot, w)
    dialog.set_out_path(tmp_path / "no-such-folder" / "x.jsonl")
    press(qtbot, Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.message is not None and dialog.message.isVisible())
    assert "cannot write the export (no folder" in dialog.message.text()
    dialog.message.accept()

    monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda self: True)
    out = tmp_path / "cancelled.jsonl"
    dialog.set_out_path(out)
    dialog.accept()
    assert dialog.isVisible() and dialog.summary is None
    assert not out.exists() and not list(tmp_path.glob(".cancelled.jsonl.*"))
    dialog.reject()
    w.close()


def test_export_writes_changes_still_being_typed(qtbot, project: Path, tmp_path: Path) -> None:
    w = open_window(qtbot, project)
    press(qtbot, Key.Key_T)                    # topics: taiwan
    press(qtbot, Key.Key_N)
    qtbot.keyClicks(QApplication.focusWidget(), "fresh note")
    press(qtbot, Key.Key_Escape)
    dialog = open_export(qtbot, w)
    out = tmp_path / "labels.jsonl"
    dialog.set_out_path(out)
    dialog.what.setCurrentIndex(1)
    press(qtbot, Key.Key_Return)
    qtbot.waitUntil(lambda: w.export_result is not None and w.export_result.isVisible())
    assert w.export_result.icon() == QMessageBox.Icon.Information
    w.export_result.accept()
    states = [r for r in read_jsonl(out)[1:] if "coder" in r]
    assert states == [{**states[0], "labels": {"topics": ["taiwan"]}, "note": "fresh note"}]
    w.close()


def test_every_field_is_reached_by_its_alt_key(qtbot, project: Path) -> None:
    labelled_project(project)
    w = open_window(qtbot, project)
    dialog = open_export(qtbot, w)
    for key, widget in ((Key.Key_O, dialog.path), (Key.Key_P, dialog.split_on), (Key.Key_F, dialog.format)):
        press(qtbot, key, ALT)
        assert QApplication.focusWidget() is widget
    press(qtbot, Key.Key_Escape)
    w.close()


def test_every_choice_of_the_export_dialog_has_its_alt_key(qtbot, project: Path) -> None:
    # "Also items I have not labelled" was the one choice without an underlined key: Tab or the mouse
    w = open_window(qtbot, project)
    dialog = open_export(qtbot, w)
    assert not dialog.unlabelled.isChecked()
    press(qtbot, Key.Key_A, ALT)
    qtbot.waitUntil(dialog.unlabelled.isChecked)  # a mnemonic clicks as the mouse does, animated
    assert dialog.unlabelled.text() == "&Also items I have not labelled"
    press(qtbot, Key.Key_Escape)
