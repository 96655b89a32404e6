"""The review mode with real keys on a real project: disagreements, decisions, undo, the panel."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.core.report import build_report
from annotator.core.report.summary import summary_lines
from annotator.core.store import Store
from annotator.gui.review_values import ValueDialog
from annotator.gui.review_window import ReviewWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def window(project, qtbot):
    store = Store(project)
    ids = [i for i, _s in store.assignments.strata()]
    tones = {"alice": ["firm", "firm", "neutral", "warm"], "bob": ["firm", "warm", "neutral", "neutral"],
             "carol": [None, None, None, "firm"]}
    for coder, values in tones.items():
        for item_id, tone in zip(ids, values, strict=False):  # the first items only
            if tone:
                store.labels.set(item_id, coder, "tone", tone)
    store.labels.set_note(ids[1], "bob", "sounds warm to me")
    store.labels.set_flag(ids[1], "alice", True)
    store.labels.set(ids[1], "alice", "topics", ["taiwan"])
    w = ReviewWindow(store, "lead")
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.ids = ids
    return w


def test_lists_disagreements_most_apart_first_with_every_coders_labels(window):
    ids = window.ids
    # item 4: alice warm, bob neutral, carol firm: a three-way tie; item 2: alice firm vs bob warm
    assert [(d.item_id, d.scheme) for d in window.rows] == [(ids[3], "tone"), (ids[1], "tone")]
    assert window.list.count() == 2 and "tie" in window.list.item(0).text()
    window.list.setCurrentRow(1)
    cells = [[window.disagreement.coders.item(r, c).text() for c in range(5)] for r in range(window.disagreement.coders.rowCount())]
    # the codebook's labels and titles, as the coding window shows them, not the stored values
    assert cells[0][:3] == ["1", "alice", "Firm"] and "Topics: Taiwan" in cells[0][3] and "unsure" in cells[0][4]
    assert cells[1][:3] == ["2", "bob", "Warm"] and cells[1][4] == "sounds warm to me"
    assert cells[0][3] == "Topics: Taiwan; Tone of the answer: Firm"  # in the codebook's order
    item = window.store.items.get(ids[1])
    assert window.disagreement.text.toPlainText() == f"Q: {item['question']}\n\nA: {item['answer']}"
    assert "Winter Olympics" in window.disagreement.text.toPlainText()
    assert window.disagreement.gold_label.text() == "Gold Tone of the answer: not decided"


def test_the_list_names_schemes_and_values_as_the_coding_window_does(window, qtbot):
    ids = window.ids
    texts = [window.list.item(r).text() for r in range(window.list.count())]
    assert texts[1] == f"#{ids[1]} Tone of the answer: Firm vs Warm"
    assert texts[0].startswith(f"#{ids[3]} Tone of the answer: ") and texts[0].endswith(" · tie")
    assert sorted(texts[0].split(": ", 1)[1].removesuffix(" · tie").split(" vs ")) == ["Firm ×1", "Neutral ×1", "Warm ×1"]
    assert window.count_label.text() == "2 disagreements, 0 decided"
    # the filter names the schemes by their titles too, and filters by the scheme behind the title
    assert [window.scheme_box.itemText(i) for i in range(window.scheme_box.count())] == [
        "All schemes", "Topics", "Tone of the answer", "Stance of the question", "Rhetorical acts in the answer"]
    window.scheme_box.setFocus()
    qtbot.keyClick(window.scheme_box, Qt.Key.Key_Down)
    qtbot.keyClick(window.scheme_box, Qt.Key.Key_Down)
    assert window.scheme_filter() == "tone" and window.list.count() == 2
    qtbot.keyClick(window.scheme_box, Qt.Key.Key_Down)
    assert window.scheme_filter() == "question_stance" and window.list.count() == 0


def test_one_key_decisions_reason_and_undo(window, qtbot):
    ids = window.ids
    window.list.setCurrentRow(1)
    window.set_reason("bob misread the answer")
    qtbot.keyClick(window, Qt.Key.Key_1)  # take alice's
    gold = window.store.gold.of(ids[1])["tone"]
    assert (gold["value"], gold["decided_by"], gold["reason"]) == ("firm", "lead", "bob misread the answer")
    # where it came from: alice's value, taken with both coders' values beside it
    assert (gold["method"], gold["taken_from"], gold["coder_values"]) == ("coder", "alice", {"alice": "firm", "bob": "warm"})
    window.list.setCurrentRow([d.item_id for d in window.rows].index(ids[1]))
    assert window.disagreement.gold_label.text() == (
        f"Gold Tone of the answer: Firm — lead took alice's value on {gold['decided_at'][:10]} (alice: Firm, bob: Warm)"
        " — bob misread the answer")
    window.list.setCurrentRow([d.item_id for d in window.rows].index(ids[3]))
    assert window.count_label.text() == "2 disagreements, 1 decided"
    # the cursor moved on to the undecided item; 3 takes carol's value there
    assert window.current().item_id == ids[3]
    qtbot.keyClick(window, Qt.Key.Key_3)
    assert window.store.gold.of(ids[3])["tone"]["value"] == "firm"
    assert "decided 2 of 2" in window.agreement.summaries["tone"].text()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.store.gold.of(ids[3]) == {}
    assert window.current().item_id == ids[3]
    assert "decided 1 of 2" in window.agreement.summaries["tone"].text()
    qtbot.keyClick(window, Qt.Key.Key_9)  # no ninth coder: nothing happens
    assert window.store.gold.of(ids[3]) == {}


def test_set_by_hand_with_e(window, qtbot, when_dialog):
    ids = window.ids
    window.list.setCurrentRow(0)

    def pick(dialog, _keys) -> None:
        assert isinstance(dialog, ValueDialog)
        match = dialog.options.findItems("Conciliatory", Qt.MatchFlag.MatchFixedString)
        dialog.options.setCurrentItem(match[0] if match else dialog.options.item(3))
        dialog.accept()

    when_dialog(pick)
    qtbot.keyClick(window, Qt.Key.Key_E)
    gold = window.store.gold.of(ids[3])["tone"]
    assert (gold["value"], gold["method"], gold["taken_from"]) == ("conciliatory", "hand", None)
    assert gold["coder_values"] == {"alice": "warm", "bob": "neutral", "carol": "firm"}
    window.list.setCurrentRow(0)
    assert "lead set it by hand" in window.disagreement.gold_label.text()


def test_value_dialog_for_a_multi_choice_scheme(window, qtbot):
    dialog = ValueDialog(window.store.codebook().scheme("topics"), ["taiwan"])
    qtbot.addWidget(dialog)
    assert dialog.value() == ["taiwan"]
    dialog.options.item(2).setCheckState(Qt.CheckState.Checked)
    assert dialog.value() == ["taiwan", "xinjiang"]


def test_agreement_panel_draws_a_bar_per_used_option(window, qtbot):
    chart = window.agreement.charts["tone"]
    assert [name for name, _a in chart.bars] == ["Firm", "Neutral", "Warm"]  # the codebook's labels, as a lead reads them
    image = chart.grab().toImage()
    assert image.width() > 0 and image.height() >= 3 * 16
    report = build_report(window.store, bootstrap=0, details=False)  # the panel's words are the report's
    assert window.agreement.summaries["tone"].text() == "\n".join(summary_lines(report["schemes"]["tone"]))
    assert [a for _n, a in chart.bars] == [po["alpha"] for po in report["schemes"]["tone"]["per_option"].values()
                                           if any(po["usage"].values())]
    window.scheme_box.setCurrentText("Topics")
    assert window.rows == [] and window.disagreement.text.toPlainText() == "No disagreements."
    assert set(window.agreement.charts) == {"topics"}


def _activate(window, qtbot) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def _firm_and_warm(project, qtbot, items: int = 1) -> tuple[Store, list[int], ReviewWindow]:
    """The review window, active, on a project where alice said firm and bob warm of the first ``items``."""
    store = Store(project)
    ids = [i for i, _s in store.assignments.strata()]
    for item_id in ids[:items]:
        store.labels.set(item_id, "alice", "tone", "firm")
        store.labels.set(item_id, "bob", "tone", "warm")
    w = ReviewWindow(store, "lead")
    qtbot.addWidget(w)
    w.show()
    _activate(w, qtbot)
    return store, ids, w


def test_with_decided_hidden_a_decision_moves_on_to_the_next_row(project, qtbot):
    store, _ids, w = _firm_and_warm(project, qtbot, items=5)
    w.show_decided.setChecked(False)
    order = [d.item_id for d in w.rows]
    assert len(order) == 5
    w.list.setCurrentRow(2)
    qtbot.keyClick(w, Qt.Key.Key_1)            # decided: the row leaves the list
    assert store.gold.of(order[2])["tone"]["value"] == "firm"
    assert [d.item_id for d in w.rows] == order[:2] + order[3:]
    assert w.current().item_id == order[3]     # the one after it, not back near the top
    qtbot.keyClick(w, Qt.Key.Key_2)
    assert store.gold.of(order[3])["tone"]["value"] == "warm"
    assert w.current().item_id == order[4]
    qtbot.keyClick(w, Qt.Key.Key_1)            # the last row: on to the first undecided one
    assert w.current().item_id == order[0]


def test_with_decided_hidden_the_count_still_counts_every_disagreement(project, qtbot):
    store, _ids, w = _firm_and_warm(project, qtbot, items=3)
    w.show_decided.setChecked(False)
    assert w.count_label.text() == "3 disagreements, 0 decided"
    for _ in range(3):
        qtbot.keyClick(w, Qt.Key.Key_1)
    assert w.list.count() == 0                 # every row decided, so none listed
    assert w.count_label.text() == "3 disagreements, 3 decided"  # not "0 disagreements, 0 decided"
    w.show_decided.setChecked(True)
    assert w.list.count() == 3 and w.count_label.text() == "3 disagreements, 3 decided"


def test_undo_on_a_locked_database_says_so_and_keeps_the_decision(project, qtbot):
    import sqlite3

    store, ids, w = _firm_and_warm(project, qtbot)
    qtbot.keyClick(w, Qt.Key.Key_1)
    blocker = sqlite3.connect(project, isolation_level=None, timeout=0)
    blocker.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        qtbot.keyClick(w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        assert "locked" in w.statusBar().currentMessage()
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert store.gold.of(ids[0])["tone"]["value"] == "firm"


def test_set_by_hand_then_enter_without_a_choice_decides_nothing(project, qtbot, when_dialog):
    # the list puts its cursor on the first option when it takes the focus; that is not a choice
    store, ids, w = _firm_and_warm(project, qtbot)
    seen = []

    def enter(dialog, keys) -> None:
        seen.append(dialog)
        qtbot.keyClick(keys, Qt.Key.Key_Return)

    when_dialog(enter)
    qtbot.keyClick(w, Qt.Key.Key_E)
    assert isinstance(seen[0], ValueDialog)
    assert store.gold.of(ids[0]) == {}

    def down_enter(_dialog, keys) -> None:     # Down picks the first option: that is a choice
        qtbot.keyClick(keys, Qt.Key.Key_Down)
        qtbot.keyClick(keys, Qt.Key.Key_Return)

    _activate(w, qtbot)
    when_dialog(down_enter)
    qtbot.keyClick(w, Qt.Key.Key_E)
    assert store.gold.of(ids[0])["tone"]["value"] in {"confrontational", "firm"}


def test_a_value_is_shown_in_codebook_order_and_none_of_these_apart_from_no_label(window):
    from annotator.gui.review_values import show_value

    topics = window.store.codebook().scheme("topics")
    assert show_value(["hong_kong", "taiwan"], topics) == "Taiwan, Hong Kong / Macao"  # the labels, in codebook order
    assert show_value([], topics) == "(none)" and show_value(None, topics) == "—"
    assert show_value(["taiwan", "gone_option"], topics) == "Taiwan, gone_option"  # a value kept with --force
    assert show_value(["taiwan", "gone_option"], None) == "taiwan, gone_option"  # a scheme the codebook lost


def answer_input(when_dialog, qtbot, text: str) -> None:
    """Type ``text`` into the input dialog the next key opens, and press Enter there."""
    def fill(_dialog, keys) -> None:
        qtbot.keyClicks(keys, text)
        qtbot.keyClick(keys, Qt.Key.Key_Return)
    when_dialog(fill)


def press_r(window, qtbot) -> None:
    """R, then the window active again once its dialog closed (as a window manager makes it)."""
    qtbot.keyClick(window, Qt.Key.Key_R)
    QApplication.processEvents()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def test_r_gives_the_reason_to_the_decision_it_belongs_to(window, qtbot, when_dialog):
    ids = window.ids
    window.list.setCurrentRow(1)
    assert window.current().item_id == ids[1]
    qtbot.keyClick(window, Qt.Key.Key_1)          # decide: alice's firm; the window moves on to ids[3]
    assert window.current().item_id == ids[3]
    answer_input(when_dialog, qtbot, "bob misread the answer")
    press_r(window, qtbot)                        # right after the decision: its reason
    assert window.store.gold.of(ids[1])["tone"]["reason"] == "bob misread the answer"
    assert "item" in window.statusBar().currentMessage() and str(ids[1]) in window.statusBar().currentMessage()
    qtbot.keyClick(window, Qt.Key.Key_3)          # the next decision carries no reason of another item's
    assert window.store.gold.of(ids[3])["tone"]["reason"] == ""
    # undo takes back the decision on ids[3]; the reason given to ids[1] stays
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.store.gold.of(ids[3]) == {}
    assert window.store.gold.of(ids[1])["tone"]["reason"] == "bob misread the answer"
    # R before deciding is for the item shown, and is dropped if the reviewer moves away
    window.list.setCurrentRow([d.item_id for d in window.rows].index(ids[3]))
    answer_input(when_dialog, qtbot, "carol alone")
    press_r(window, qtbot)
    assert "this item" in window.disagreement.reason_label.text()
    assert window.list.currentRow() == 0
    qtbot.keyClick(window, Qt.Key.Key_J)          # away to the other disagreement, and back
    qtbot.keyClick(window, Qt.Key.Key_K)
    assert window.current().item_id == ids[3] and window.disagreement.reason_label.text() == ""
    qtbot.keyClick(window, Qt.Key.Key_3)
    assert window.store.gold.of(ids[3])["tone"]["reason"] == ""
    # and kept when the reviewer decides on it
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    window.list.setCurrentRow([d.item_id for d in window.rows].index(ids[3]))
    answer_input(when_dialog, qtbot, "carol alone")
    press_r(window, qtbot)
    qtbot.keyClick(window, Qt.Key.Key_3)
    assert window.store.gold.of(ids[3])["tone"]["reason"] == "carol alone"


def test_review_window_closes_from_the_keyboard_and_the_file_menu(window, qtbot):
    assert [a.text() for a in window.menuBar().actions()] == ["&File", "&Help"]
    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()


def test_each_coders_value_is_shown_whole_at_1366(project, qtbot):
    # "Confrontational" was cut to "Confrontati…" in a fixed 100 px column while "all labels" took
    # the room: the value the lead decides on, unreadable in the row that offers it.
    store = Store(project)
    item_id = next(i for i, _s in store.assignments.strata())
    store.labels.set(item_id, "alice", "tone", "confrontational")
    store.labels.set(item_id, "bob", "tone", "conciliatory")
    store.labels.set(item_id, "alice", "topics", ["technology", "trade_sanctions", "taiwan"])
    store.labels.set(item_id, "bob", "topics", ["technology"])
    w = ReviewWindow(store, "lead")
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    table = w.disagreement.coders
    for row in range(w.list.count()):
        w.list.setCurrentRow(row)
        QApplication.processEvents()
        for r in range(table.rowCount()):
            cell = table.item(r, 2)
            rect = table.visualItemRect(cell)
            # every word of the value on a line of its own at least (the cell wraps), none cut
            widest = max(table.fontMetrics().horizontalAdvance(word) for word in cell.text().split())
            assert widest + 8 <= rect.width(), (cell.text(), rect.width())
            assert table.rowHeight(r) >= table.sizeHintForRow(r)


def test_a_negative_alpha_is_drawn_whole_inside_its_bar_chart(qtbot):
    # "−.129" was drawn in a 40 px box that ran 2 px past the chart's right edge: its last digit cut
    from annotator.core.report.tables import coefficient
    from annotator.gui.agreement_panel import AlphaBars

    chart = AlphaBars({"us": {"label": "US relations", "alpha": -0.129, "usage": {"alice": 3}},
                       "tw": {"label": "Taiwan", "alpha": 1.0, "usage": {"bob": 2}}})
    qtbot.addWidget(chart)
    font = chart.font()
    font.setPointSizeF(font.pointSizeF() * 1.25)  # the text one step larger (Ctrl+= in the coding window's sheet)
    chart.setFont(font)
    chart.resize(340, chart.sizeHint().height())
    image = chart.grab().toImage()
    edge = [image.pixelColor(image.width() - 1 - dx, y).lightness() for dx in range(2) for y in range(image.height())]
    assert min(edge) > 200  # nothing of the text in the chart's last two columns of pixels
    box = chart.value_rect(0)
    assert chart.fontMetrics().horizontalAdvance(coefficient(-1.0)) <= box.width() and box.right() <= chart.width()


def test_the_scheme_filter_and_show_decided_have_keys(project, qtbot):
    # The scheme list and "Show decided" were reached with the mouse alone (Tab from the list went
    # on to the pair's text); the keys list named neither.
    from annotator.gui.review_window import KEYS_HTML

    store, ids, w = _firm_and_warm(project, qtbot, items=2)
    w.list.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: not w.show_decided.isChecked())  # a mnemonic clicks as the mouse does, animated
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is w.scheme_box
    qtbot.keyClick(w.scheme_box, Qt.Key.Key_Down)
    assert w.scheme_filter() == "topics" and w.rows == []
    assert "Alt+S" in KEYS_HTML and "Alt+D" in KEYS_HTML
