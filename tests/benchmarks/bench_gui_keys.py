"""The coding window's keys on a generated project of 1,000,000 items (run with QT_QPA_PLATFORM=offscreen).

Prints, one JSON object a line, each with a baseline measured in the same run:

- gui_key_to_paint_p95_ms: an option's key pressed to the repaint of its box showing the
  change, over the bundled codebook's keys. The window paints the change outlined as not yet
  written, then writes it durably (label and history row, one transaction) before it handles
  anything else;
- gui_key_to_written_p95_ms: the same key to the repaint that shows the change written (the
  outline become the usual mark), so the durable write is in this one;
  baseline of both: a bare window whose one check box a shortcut ticks after a write with
  sqlite3 (an INSERT in a transaction), to its repaint.
- gui_sort_ms: the whole list sorted again (by date, then by outlet: Ctrl+Shift+O), from the
  key to the list and the item shown in the new order; the median of the runs;
  baseline: sqlite3 alone reading the million ids in date order into a Python array.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import sys
import tempfile
import time
from array import array
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tests.benchmarks.bigproject import big_project, fresh_copy

N_ITEMS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
KEY_PRESSES = 200
SORTS = 3


def p95(samples: list[float]) -> float:
    samples = sorted(samples)
    return samples[int(0.95 * (len(samples) - 1))]


def emit(name: str, value: float, unit: str, baseline: float) -> None:
    print(json.dumps({"name": name, "value": round(value, 3), "unit": unit,
                      "baseline": round(baseline, 3), "ratio": round(value / baseline, 2)}), flush=True)


class PaintClock:
    """The time of a widget's next paint after ``arm``."""

    def __init__(self, widget) -> None:
        from PySide6.QtCore import QEvent, QObject

        clock = self

        class Filter(QObject):
            def eventFilter(self, obj, event) -> bool:
                if event.type() == QEvent.Type.Paint and clock.armed and clock.painted is None:
                    clock.painted = time.perf_counter()
                return False

        self.filter = Filter()
        self.armed = False
        self.painted: float | None = None
        widget.installEventFilter(self.filter)

    def arm(self) -> None:
        self.armed, self.painted = True, None


def press_to_paint(app, target, key, mods, clock: PaintClock, *later: PaintClock) -> float:
    """Milliseconds from the key to ``clock``'s paint; each of ``later`` is waited for too (its
    ``painted`` read by the caller)."""
    from PySide6.QtTest import QTest

    clocks = (clock, *later)
    for c in clocks:
        c.arm()
    t = time.perf_counter()
    QTest.keyClick(target, key, mods)
    deadline = t + 15.0
    while any(c.painted is None for c in clocks) and time.perf_counter() < deadline:
        app.processEvents()
    assert all(c.painted is not None for c in clocks), "the box or its mark never repainted"
    for c in clocks:
        c.painted -= t
    return clock.painted * 1000


def main() -> None:
    big_project(N_ITEMS)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        db = fresh_copy(N_ITEMS, tmp_path / "p.db")
        from PySide6.QtCore import QSettings, Qt
        from PySide6.QtGui import QKeySequence

        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
        from annotator.gui.app import application, make_window
        from annotator.gui.keys import qt_sequence

        app = application()
        window = make_window(db, "bench", restore=False)
        window.resize(1366, 768)
        window.show()
        while not window.session.list_loaded:
            app.processEvents()
        window.show_item(N_ITEMS // 2)
        app.processEvents()
        keyed = [(s.name, o.value, QKeySequence(qt_sequence(o.key.lower() if len(o.key) == 1 else o.key))[0])
                 for s in window.session.codebook.schemes for o in s.options if o.key]
        panel = window.coding.panel
        clocks = {(s, v): PaintClock(panel.buttons[(s, v)]) for s, v, _ in keyed}
        written = {s.name: PaintClock(panel.marks[s.name]) for s in window.session.codebook.schemes}
        window.activateWindow()
        for scheme, value, combo in keyed:  # once round the keys first: the pages they touch read once
            press_to_paint(app, window.pages.view, combo.key(), combo.keyboardModifiers(), clocks[(scheme, value)],
                           written[scheme])
        times, written_times = [], []
        for i in range(KEY_PRESSES):
            scheme, value, combo = keyed[i % len(keyed)]
            times.append(press_to_paint(app, window.pages.view, combo.key(), combo.keyboardModifiers(),
                                        clocks[(scheme, value)], written[scheme]))
            written_times.append(written[scheme].painted * 1000)
        assert not window.session.pending
        app.processEvents()

        sorts = []
        for order in ["date", "outlet", "date", "outlet", "date", "outlet"][: 2 * SORTS]:
            t = time.perf_counter()
            window.sort_list(order)
            app.processEvents()
            sorts.append((time.perf_counter() - t) * 1000)
        assert window.session.order == "outlet" and len(window.item_list.model.ids) == N_ITEMS
        window.close()

        from PySide6.QtGui import QShortcut
        from PySide6.QtWidgets import QCheckBox

        conn = sqlite3.connect(db)
        conn.execute("CREATE TABLE bench_marks(item INTEGER, value TEXT)")
        box = QCheckBox("Taiwan")
        box.resize(300, 40)
        box.show()
        n = [0]

        def tick() -> None:
            with conn:
                conn.execute("INSERT INTO bench_marks VALUES (?, ?)", [n[0], "taiwan"])
            n[0] += 1
            box.setChecked(not box.isChecked())

        QShortcut(QKeySequence("T"), box, activated=tick)
        bare_clock = PaintClock(box)
        base = [press_to_paint(app, box, Qt.Key.Key_T, Qt.KeyboardModifier.NoModifier, bare_clock)
                for _ in range(KEY_PRESSES)]
        bare_sorts = []
        for _ in range(SORTS):
            t = time.perf_counter()
            joined = conn.execute("SELECT group_concat(id) FROM (SELECT id FROM items ORDER BY date, id)").fetchone()[0]
            ids = array("q", map(int, joined.split(",")))
            bare_sorts.append((time.perf_counter() - t) * 1000)
        assert len(ids) == N_ITEMS
        conn.close()
        emit("gui_key_to_paint_p95_ms", p95(times), "ms", p95(base))
        emit("gui_key_to_written_p95_ms", p95(written_times), "ms", p95(base))
        emit("gui_sort_ms", statistics.median(sorts), "ms", statistics.median(bare_sorts))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
