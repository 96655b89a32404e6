"""Every option in sight, and the coder's comfort: the layout at the common laptop sizes, the
option a key changes scrolled into view, text size, the dark look and the panes, driven from
the keyboard; what the window shows is checked through the widgets' own geometry."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette, QStatusTipEvent
from PySide6.QtWidgets import QApplication

from annotator.core.store import Store
from annotator.gui.main_window import PAIR_MIN_WIDTH, MainWindow
from tests.gui.keyboard import open_window, press, press_sequence
from tests.helpers import doubled_codebook, new_project, sample_source

pytestmark = pytest.mark.gui

Key = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def sized(qtbot, window: MainWindow, width: int, height: int) -> None:
    window.resize(width, height)
    window.fit_panes()
    qtbot.waitUntil(lambda: window.size().toTuple() == (width, height))
    QApplication.processEvents()


def clipped(window: MainWindow) -> list[str]:
    """Every option box, scheme title and key caption on screen narrower than its text needs."""
    panel = window.coding.panel
    out = [b.text() for b in panel.buttons.values() if b.isVisible() and b.width() < b.sizeHint().width()]
    out += [k.text() for k in panel.keycaps.values() if k.isVisible() and k.width() < k.sizeHint().width()]
    return out


def out_of_view(window: MainWindow) -> list[tuple[str, str]]:
    panel = window.coding.panel
    shown = set(window.session.schemes_shown())
    return [sv for sv in panel.buttons if sv[0] in shown and not panel.in_view(*sv)]


@pytest.mark.parametrize("size", [(1366, 768), (1024, 768)])
def test_every_option_of_the_bundled_codebook_in_sight(qtbot, project: Path, size: tuple[int, int]) -> None:
    w = open_window(qtbot, project)
    sized(qtbot, w, *size)
    assert w.session.item is not None and w.session.item["kind"] == "qa"  # every scheme applies
    assert out_of_view(w) == []
    assert clipped(w) == []
    assert w.pages.width() >= PAIR_MIN_WIDTH
    if size[0] == 1024:  # no room for the list beside every option: it starts hidden, a key away
        assert not w.item_list.isVisible()
        press(qtbot, Key.Key_L, CTRL | SHIFT)
        assert w.item_list.isVisible() and clipped(w) == []


@pytest.mark.parametrize("size", [(1024, 768), (1366, 768), (1600, 900)])
def test_resizing_the_window_keeps_every_option_in_sight(qtbot, project: Path, size: tuple[int, int]) -> None:
    w = open_window(qtbot, project)
    sized(qtbot, w, 854, 600)
    w.resize(*size)  # as a coder drags the window's edge: nothing but the resize itself
    qtbot.waitUntil(lambda: w.size().toTuple() == size)
    # every option in sight: none scrolled away once the page's height settles
    qtbot.waitUntil(lambda: w.coding.panel.verticalScrollBar().maximum() == 0 and clipped(w) == [])
    assert out_of_view(w) == []
    assert w.pages.width() >= PAIR_MIN_WIDTH


def doubled(project: Path) -> Path:
    with Store(project) as store:
        store.set_codebook(doubled_codebook(store.codebook()))
    return project


def outside_viewport(window: MainWindow) -> list[tuple[str, str]]:
    """Every option of the schemes shown whose box (or key caption) does not lie wholly inside the
    codebook panel's viewport, read from the widgets' geometry."""
    panel = window.coding.panel
    area = panel.viewport().rect()
    out = []
    for sv in panel.buttons:
        if sv[0] not in window.session.schemes_shown():
            continue
        for widget in (panel.buttons[sv], panel.keycaps[sv]):
            rect = widget.rect().translated(widget.mapTo(panel.viewport(), widget.rect().topLeft()))
            if not widget.isVisible() or not area.contains(rect):
                out.append(sv)
                break
    return out


def test_twice_the_codebook_all_in_sight_at_1366(qtbot, project: Path) -> None:
    w = open_window(qtbot, doubled(project))
    sized(qtbot, w, 1366, 768)
    assert len(w.session.schemes_shown()) == 8 and len(w.coding.panel.buttons) == 68
    assert outside_viewport(w) == []
    assert out_of_view(w) == [] and clipped(w) == []
    qtbot.waitUntil(lambda: w.coding.panel.verticalScrollBar().maximum() == 0)  # the page's height settles: none to scroll
    assert outside_viewport(w) == []
    assert w.pages.width() >= PAIR_MIN_WIDTH
    for key in ("Ctrl+Alt+Shift+P", "t", "Ctrl+Alt+9"):  # a key anywhere: nothing moves, it is marked
        press_sequence(qtbot, key)
        assert outside_viewport(w) == []
    assert {("more_rhetoric", "protest"), ("topics", "taiwan"), ("more_question_stance", "friendly")} <= \
        w.coding.panel.checked()


def test_a_value_the_codebook_lacks_is_named_on_its_schemes_title(qtbot, project: Path) -> None:
    # After 'firm' was renamed (forced), the item showed no tone at all, though it held alice's
    # 'firm' and Enter took it as answered.
    from dataclasses import replace

    from annotator.core.codebook import default_codebook_path, parse_codebook

    with Store(project) as store:
        store.labels.set(1, "alice", "tone", "firm")
        text = default_codebook_path().read_text(encoding="utf-8").replace('value = "firm"', 'value = "stern"')
        store.set_codebook(parse_codebook(text, "renamed.toml"), force=True)
    w = open_window(qtbot, project)
    sized(qtbot, w, 1366, 768)
    w.show_item(1)
    panel = w.coding.panel
    assert panel.titles["tone"].text() == "▾ Tone of the answer *   firm: not in the codebook"
    assert panel.titles["topics"].text() == "▾ Topics *"
    press(qtbot, Key.Key_2, CTRL)  # tone folded: still said
    assert panel.titles["tone"].text().startswith("▸ Tone of the answer *   firm: not in the codebook")
    press(qtbot, Key.Key_2)  # the option's key ('stern' now) unfolds the scheme: 'firm' is no longer named
    assert panel.titles["tone"].text() == "▾ Tone of the answer *"
    assert panel.checked() >= {("tone", "stern")}
    w.close()
    with Store(project) as store:  # the rhetoric made single-choice (forced): alice's list is the other kind
        store.labels.set(1, "alice", "rhetoric", ["threat"])
        cb = store.codebook()
        store.set_codebook(replace(cb, schemes=tuple(replace(s, kind="single") if s.name == "rhetoric" else s
                                                     for s in cb.schemes)), force=True)
    w = open_window(qtbot, project)
    sized(qtbot, w, 1366, 768)
    w.show_item(1)
    assert w.coding.panel.titles["rhetoric"].text() == (
        '▾ Rhetorical acts in the answer   ["threat"]: kept as a list (single-choice now)')


def test_a_scheme_folds_and_unfolds_from_the_keyboard_and_is_remembered(qtbot, project: Path) -> None:
    w = open_window(qtbot, project)
    sized(qtbot, w, 1366, 768)
    panel = w.coding.panel
    press(qtbot, Key.Key_T)
    press(qtbot, Key.Key_U)
    press(qtbot, Key.Key_1, CTRL)  # topics, the first scheme
    assert "topics" in panel.folded
    assert not panel.buttons[("topics", "taiwan")].isVisible()
    assert panel.titles["topics"].text().startswith("▸ Topics")
    assert "Taiwan, US relations" in panel.titles["topics"].text()  # a folded scheme says what it holds
    assert panel.buttons[("tone", "firm")].isVisible()
    w.close()

    w2 = open_window(qtbot, project)
    sized(qtbot, w2, 1366, 768)
    panel = w2.coding.panel
    assert panel.folded == {"topics"} and not panel.buttons[("topics", "taiwan")].isVisible()
    press(qtbot, Key.Key_1, CTRL)
    assert panel.folded == set() and panel.in_view("topics", "taiwan")
    assert panel.titles["topics"].text().startswith("▾ Topics")
    press(qtbot, Key.Key_4, CTRL)  # rhetoric folded, then its key: unfolded, in view, marked
    assert not panel.buttons[("rhetoric", "threat")].isVisible()
    press(qtbot, Key.Key_T, SHIFT)
    assert "rhetoric" not in panel.folded
    assert panel.in_view("rhetoric", "threat") and panel.marked_option() == ("rhetoric", "threat")
    assert ("rhetoric", "threat") in panel.checked()
    w2.close()


# a menu's popup under the offscreen platform: it says so of every popup; not our warning
@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing the keyboard)")
def test_view_menu_folds_a_scheme_and_ticks_the_folded_ones(qtbot, project: Path) -> None:
    w = open_window(qtbot, project)
    sized(qtbot, w, 1366, 768)
    panel = w.coding.panel
    view = next(a.menu() for a in w.menuBar().actions() if a.text() == "&View")
    fold_menu = next(a.menu() for a in view.actions() if a.text() == "&Fold a scheme")
    entries = fold_menu.actions()
    assert [a.text() for a in entries] == [s.title for s in w.session.codebook.schemes]
    assert entries[0].shortcut().toString() == "Ctrl+1" and not any(a.isChecked() for a in entries)
    press(qtbot, Key.Key_2, CTRL)  # folded by its key: its entry ticked
    assert panel.folded == {"tone"} and [a.isChecked() for a in entries] == [False, True, False, False]
    panel.titles["tone"].clicked.emit()  # unfolded by a click on its title: the tick goes
    assert panel.folded == set() and not entries[1].isChecked()
    # from the keyboard through the menus: Alt+V, F for the submenu, Return on its first entry
    press(qtbot, Key.Key_V, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is view)
    qtbot.keyClick(view, Key.Key_F)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is fold_menu)
    qtbot.keyClick(fold_menu, Key.Key_Return)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)
    assert panel.folded == {"topics"} and entries[0].isChecked()
    assert not panel.buttons[("topics", "taiwan")].isVisible()
    w.close()


def test_a_folded_schemes_values_follow_the_panels_width(qtbot, project: Path) -> None:
    w = open_window(qtbot, project)
    sized(qtbot, w, 1366, 768)
    panel = w.coding.panel
    for key in (Key.Key_T, Key.Key_H, Key.Key_X, Key.Key_B, Key.Key_U, Key.Key_E, Key.Key_Y):
        press(qtbot, key)
    press(qtbot, Key.Key_1, CTRL)
    sizes = w.splitter.sizes()
    w.splitter.setSizes([sizes[0], sum(sizes) - sizes[0] - w.coding.width_for(1), w.coding.width_for(1)])
    QApplication.processEvents()
    narrow = panel.titles["topics"].text()
    assert narrow.endswith("…")  # shortened to fit, never widening the page
    w.splitter.setSizes([sizes[0], sum(sizes) - sizes[0] - w.coding.width_for(3), w.coding.width_for(3)])
    QApplication.processEvents()
    wide = panel.titles["topics"].text()
    assert len(wide) > len(narrow) and wide.startswith(narrow[:-1])  # more room: more of the values


def test_an_options_description_in_the_status_line_on_its_key_and_under_the_pointer(qtbot, project: Path) -> None:
    w = open_window(qtbot, project)
    sized(qtbot, w, 1366, 768)
    panel = w.coding.panel
    taiwan = w.session.codebook.scheme("topics").options[0]
    assert taiwan.value == "taiwan" and taiwan.description
    press(qtbot, Key.Key_T)
    assert w.statusBar().currentMessage() == f"Topics: Taiwan — {taiwan.description}"
    assert taiwan.description in panel.buttons[("topics", "taiwan")].toolTip()
    threat = panel.buttons[("rhetoric", "threat")]
    w.statusBar().clearMessage()
    QApplication.sendEvent(threat, QStatusTipEvent(threat.statusTip()))  # what the pointer's arrival sends
    assert w.statusBar().currentMessage().startswith("Rhetorical acts in the answer: Threat of consequences — ")


@pytest.mark.parametrize("width", [1366, 1024])
def test_a_long_description_stops_short_of_the_progress_in_the_status_line(qtbot, project: Path, width: int) -> None:
    w = open_window(qtbot, project)
    sized(qtbot, w, width, 768)
    press(qtbot, Key.Key_U, SHIFT)  # rhetoric: urging, whose description is longer than the line
    line = w.statusBar()
    assert line.currentMessage().startswith("Rhetorical acts in the answer: Urging — ")
    room = line.message_rect()
    progress = w.item_list.progress_label
    assert progress.isVisible() and progress.text()
    assert room.right() < progress.geometry().left()  # a gap between them, whatever the width
    shown = line.shown_message()
    assert shown.endswith("…") and line.fontMetrics().horizontalAdvance(shown) <= room.width()


def test_a_key_scrolls_its_option_into_view_and_marks_it(qtbot, project: Path) -> None:
    w = open_window(qtbot, doubled(project))
    sized(qtbot, w, 1024, 768)
    panel = w.coding.panel
    keyed = [(s.name, o.value, o.key) for s in w.session.codebook.schemes for o in s.options if o.key]
    assert len(keyed) == 68
    assert out_of_view(w), "twice the codebook cannot all be in sight at 1024: the test would prove nothing"
    # last to first and back, so each key lands far from the one before
    for scheme, value, key in [*reversed(keyed), *keyed]:
        press_sequence(qtbot, key)
        assert panel.in_view(scheme, value), f"{key} changed {scheme}:{value} out of sight"
        assert panel.marked_option() == (scheme, value), key
        mark = panel.marks[scheme]  # the patch lies under the option's box, in sight with it
        assert mark.geometry() == panel.buttons[(scheme, value)].geometry(), key
        assert mark.visibleRegion().boundingRect().size() == mark.size(), key
        assert w.statusBar().currentMessage().startswith(w.session.codebook.scheme(scheme).title)
    qtbot.waitUntil(lambda: panel.marked_option() is None, timeout=3000)
    assert clipped(w) == []


def test_a_keys_first_frame_shows_the_change_as_not_yet_written(qtbot, project: Path) -> None:
    """The window paints a key's change before its durable write: that frame outlines the option
    (never the usual patch), and the write is in the project before the key's handling ends."""
    from PySide6.QtCore import QEvent, QObject

    w = open_window(qtbot, project)
    sized(qtbot, w, 1366, 768)
    panel = w.coding.panel
    item_id = w.session.item["id"]
    seen: list[tuple[bool, bool, dict]] = []

    class FirstPaint(QObject):
        def eventFilter(self, obj, event) -> bool:
            if event.type() == QEvent.Type.Paint and not seen:
                with Store(project, readonly=True) as store:
                    labels = store.labels.annotation(item_id, w.session.coder).labels
                seen.append((panel.pending_marks["topics"].isVisible(), panel.marks["topics"].isVisible(), labels))
            return False

    box = panel.buttons[("topics", "taiwan")]
    spy = FirstPaint()
    box.installEventFilter(spy)
    press(qtbot, Key.Key_T)
    box.removeEventFilter(spy)
    assert box.isChecked()
    assert seen == [(True, False, {})]  # painted ticked and outlined, before the write
    with Store(project, readonly=True) as store:  # written as the key's handling ended
        assert store.labels.annotation(item_id, w.session.coder).labels == {"topics": ["taiwan"]}
    assert panel.marked_option() == ("topics", "taiwan") and not panel.pending_marks["topics"].isVisible()
    w.close()


@pytest.mark.parametrize("steps", [0, 3])
def test_what_surrounds_the_codebook_is_measured_in_the_text_size_in_force(qtbot, project: Path, steps: int) -> None:
    """The first layout, before the panel has a height, counts on the window's height less the
    widgets over and under the panel: that sum is the panel's real height once laid out."""
    w = open_window(qtbot, project)
    for _ in range(steps):  # larger text: menus, status line, flag and note all grow
        press(qtbot, Key.Key_Equal, CTRL)
    sized(qtbot, w, 1366, 768)
    qtbot.waitUntil(lambda: w.coding.panel.viewport().height() > 0)
    QApplication.processEvents()
    assert abs(w.height() - w.chrome_height() - w.coding.panel.viewport().height()) <= 2


def test_text_size_keys_are_remembered(qtbot, project: Path) -> None:
    w = open_window(qtbot, project)
    sized(qtbot, w, 1366, 768)
    body = w.pages.view.pair.answer
    usual = body.font().pointSizeF()
    press(qtbot, Key.Key_Equal, CTRL)
    press(qtbot, Key.Key_Equal, CTRL)
    assert body.font().pointSizeF() == pytest.approx(usual * 1.25, abs=0.1)
    QApplication.processEvents()
    assert clipped(w) == []  # the options are measured again in the larger text
    press(qtbot, Key.Key_T)  # an option far down still comes into view
    w.close()

    w2 = open_window(qtbot, project)
    assert w2.pages.view.pair.answer.font().pointSizeF() == pytest.approx(usual * 1.25, abs=0.1)
    press(qtbot, Key.Key_Minus, CTRL)
    assert w2.pages.view.pair.answer.font().pointSizeF() == pytest.approx(usual * 1.1, abs=0.1)
    press(qtbot, Key.Key_0, CTRL)
    assert w2.pages.view.pair.answer.font().pointSizeF() == pytest.approx(usual, abs=0.1)
    w2.close()


def test_dark_look_toggles_and_is_remembered(qtbot, project: Path) -> None:
    w = open_window(qtbot, project)
    window_colour = lambda: QApplication.palette().color(QPalette.ColorRole.Window).lightness()  # noqa: E731
    assert window_colour() > 128
    press(qtbot, Key.Key_D, CTRL | SHIFT)
    assert window_colour() < 80
    assert w.item_list.table.palette().color(QPalette.ColorRole.Base).lightness() < 80
    w.close()
    w2 = open_window(qtbot, project)
    assert window_colour() < 80
    press(qtbot, Key.Key_D, CTRL | SHIFT)
    assert window_colour() > 128
    w2.close()


def test_panes_hide_and_keys_still_label(qtbot, project: Path) -> None:
    w = open_window(qtbot, project)
    sized(qtbot, w, 1366, 768)
    assert w.item_list.isVisible()
    press(qtbot, Key.Key_L, CTRL | SHIFT)
    assert not w.item_list.isVisible()
    press(qtbot, Key.Key_T)
    assert ("topics", "taiwan") in w.coding.panel.checked()
    press(qtbot, Key.Key_F11)  # focus mode: the pair and the codebook only
    assert not w.item_list.isVisible() and not w.menuBar().isVisible()
    press(qtbot, Key.Key_J)  # the window's keys work without their menus
    press(qtbot, Key.Key_H)
    assert ("topics", "hong_kong") in w.coding.panel.checked()
    w.close()
    w2 = open_window(qtbot, project)
    assert not w2.item_list.isVisible() and not w2.menuBar().isVisible()
    press(qtbot, Key.Key_F11)
    assert w2.menuBar().isVisible() and not w2.item_list.isVisible()  # the list stays as the coder left it
    press(qtbot, Key.Key_L, CTRL | SHIFT)
    assert w2.item_list.isVisible()
    w2.close()


def test_nothing_clipped_at_the_minimum_size(qtbot, project: Path) -> None:
    w = open_window(qtbot, project)
    press(qtbot, Key.Key_L, CTRL | SHIFT)  # the list shown on purpose: the tightest the window gets
    if not w.item_list.isVisible():
        press(qtbot, Key.Key_L, CTRL | SHIFT)
    assert w.item_list.isVisible()
    smallest = w.minimumSize().expandedTo(w.minimumSizeHint())
    assert smallest.width() <= 1024 and smallest.height() <= 768
    sized(qtbot, w, smallest.width(), smallest.height())
    assert clipped(w) == []
    assert w.pages.width() >= PAIR_MIN_WIDTH
    press(qtbot, Key.Key_T, SHIFT)  # rhetoric below the fold: scrolled to
    assert w.coding.panel.in_view("rhetoric", "threat")
    w.close()


@pytest.mark.parametrize("turns", [0, 1])
def test_a_key_pressed_before_the_layout_settles_still_brings_its_option_into_view(
        qtbot, project: Path, turns: int) -> None:
    """The smallest window's old flake, made certain: a resize to one column re-lays the options
    out, and the boxes, the page's height and the scroll bar's range follow over later turns of
    the event loop. A key pressed ``turns`` turns after the resize was scrolled to from the old
    geometry and clamped to the old range, so its option ended out of sight."""
    w = open_window(qtbot, project)
    sized(qtbot, w, 1400, 900)
    press(qtbot, Key.Key_L, CTRL | SHIFT)
    if not w.item_list.isVisible():
        press(qtbot, Key.Key_L, CTRL | SHIFT)
    QApplication.processEvents()
    panel = w.coding.panel
    assert panel.columns > 1
    smallest = w.minimumSize().expandedTo(w.minimumSizeHint())
    w.resize(smallest)
    qtbot.waitUntil(lambda: w.size() == smallest)  # returns in the turn the resize arrived
    for _ in range(turns):
        QApplication.processEvents()
    press(qtbot, Key.Key_T, SHIFT)
    assert panel.columns == 1
    assert panel.in_view("rhetoric", "threat")
    for _ in range(5):  # the layout settled: the option is still where the scroll put it
        QApplication.processEvents()
    assert panel.in_view("rhetoric", "threat")


def cut_sideways(window: MainWindow) -> list[str]:
    """Every option box shown whose right edge lies past the codebook panel's visible area."""
    panel = window.coding.panel
    right = panel.viewport().width()
    return [b.text() for b in panel.buttons.values()
            if b.isVisible() and b.mapTo(panel.viewport(), b.rect().topRight()).x() >= right]


@pytest.mark.parametrize("height", [900, 640])  # every option fits without a scroll bar; then not
def test_no_option_cut_sideways_at_any_width_of_the_codebook(qtbot, project: Path, height: int) -> None:
    """Whatever width the coder drags the codebook to, no option box runs past its right edge:
    the columns chosen while one scheme shows (no scroll bar) still fit when every scheme does."""
    w = open_window(qtbot, project)
    sized(qtbot, w, 1366, height)
    press(qtbot, Key.Key_L, CTRL | SHIFT)  # the list hidden: room for three columns
    panel = w.coding.panel
    every = w.session.schemes_shown()
    for target in range(w.coding.width_for(1), w.coding.width_for(3) + 24, 5):
        sizes = w.splitter.sizes()
        w.splitter.setSizes([sizes[0], sum(sizes) - sizes[0] - target, target])
        panel.show_only(every[:1])
        QApplication.processEvents()
        panel.show_only(every)
        QApplication.processEvents()
        assert cut_sideways(w) == [], (target, panel.columns, panel.verticalScrollBar().isVisible())
        assert clipped(w) == []


def test_end_in_the_list_goes_to_the_last_item_and_keeps_the_date_in_sight(qtbot, project: Path) -> None:
    w = open_window(qtbot, project)
    sized(qtbot, w, 1366, 768)
    press(qtbot, Key.Key_L, CTRL)  # into the list
    press(qtbot, Key.Key_End)
    table = w.item_list.table
    assert table.currentIndex().row() == w.item_list.model.rowCount() - 1
    assert w.session.item["id"] == w.item_list.model.ids[-1]
    assert table.horizontalScrollBar().value() == 0
    assert table.columnViewportPosition(0) == 0  # the date column where it was
    press(qtbot, Key.Key_Home)
    assert table.currentIndex().row() == 0 and table.horizontalScrollBar().value() == 0


def test_every_option_in_sight_after_a_statement_at_1280x720(qtbot, tmp_path: Path) -> None:
    # The window opened on a conference's opening statement (no question, so no question stance) and
    # chose its columns for the three schemes shown: at 1280×720 the list fitted beside one column, and
    # the first pair's fourth scheme pushed four rhetorical acts below the panel's edge, behind a scroll.
    path = new_project(tmp_path / "kinds.db", [sample_source()])  # item 1 a statement, then pairs
    w = open_window(qtbot, path)
    sized(qtbot, w, 1280, 720)
    assert w.session.item is not None and w.session.item["kind"] == "statement"
    press(qtbot, Key.Key_J)
    qtbot.waitUntil(lambda: w.session.item["kind"] == "qa")
    QApplication.processEvents()
    assert out_of_view(w) == []
    assert w.coding.panel.verticalScrollBar().maximum() == 0
    assert clipped(w) == []
    assert w.pages.width() >= PAIR_MIN_WIDTH


def test_larger_text_keeps_every_option_in_sight_at_1366(qtbot, project: Path) -> None:
    # Two Ctrl+= at 1366×768 left the columns and the list as they were at 100 %: the codebook fell
    # to one column and the rhetorical acts to below its edge, while the list kept its room.
    w = open_window(qtbot, project)
    sized(qtbot, w, 1366, 768)
    press(qtbot, Key.Key_Equal, CTRL)
    press(qtbot, Key.Key_Equal, CTRL)
    qtbot.waitUntil(lambda: w.coding.panel.verticalScrollBar().maximum() == 0, timeout=2000)
    assert out_of_view(w) == [] and clipped(w) == []
    assert w.pages.width() >= PAIR_MIN_WIDTH
    press(qtbot, Key.Key_0, CTRL)              # back to 100 %: the list comes back, as at first
    qtbot.waitUntil(lambda: w.item_list.isVisible(), timeout=2000)
    assert out_of_view(w) == [] and clipped(w) == []


@pytest.mark.parametrize("key", ["Ctrl+F", "Ctrl+L"])
def test_the_search_and_list_keys_bring_a_hidden_list_back(qtbot, project: Path, key: str) -> None:
    # At 1024×768 the list starts hidden (and at 1280×720, in focus mode or larger text): Ctrl+F put the
    # focus in the hidden search field, and the coder's words went into a field nobody could see.
    w = open_window(qtbot, project)
    sized(qtbot, w, 1024, 768)
    assert not w.item_list.isVisible()
    press_sequence(qtbot, key)
    assert w.item_list.isVisible()
    bar = w.item_list.filter_bar
    focused = QApplication.focusWidget()
    assert focused is (bar.search if key == "Ctrl+F" else w.item_list.table) and focused.isVisible()
    assert clipped(w) == []  # the codebook laid out again beside it, as Ctrl+Shift+L does
