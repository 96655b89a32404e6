"""The coding window on a generated project of 1,000,000 items (run with QT_QPA_PLATFORM=offscreen).

Prints, one JSON object a line, each with a baseline measured in the same run:

- gui_first_item_s: process start to the window shown with its first item, in a
  fresh process; baseline: a bare QApplication showing one item's text in a
  QLabel, read with sqlite3 (the floor any Qt + SQLite program pays).
- gui_next_item_p95_ms: a Right key press to the next item painted;
  baseline: a bare QLabel window stepping to the next row (SELECT + setText + paint).
- gui_rss_mb: resident memory of the window after 300 steps and a scroll to the
  end of the item list; baseline: a bare QApplication with one QLabel window.
"""

from __future__ import annotations

import compileall
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tests.benchmarks.bigproject import big_project, fresh_copy

N_ITEMS = 1_000_000
STEPS = 300

FIRST_ITEM_CHILD = r"""
import sys, time
t0 = float(sys.argv[2])
from pathlib import Path
from PySide6.QtCore import QSettings, QTimer
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, sys.argv[3])
from annotator.launch import skip_unused_imports
skip_unused_imports()
import annotator.cli  # the path `annotator gui` takes: the CLI module first, then the window
from annotator.gui.app import application, make_window
app = application()
w = make_window(Path(sys.argv[1]), "bench")
w.show()
def ready():
    print(f"READY {time.time() - t0:.4f} {w.session.item['id']}", flush=True)
    w.close()
    app.quit()
QTimer.singleShot(0, ready)
app.exec()
"""

BARE_FIRST_CHILD = r"""
import sys, time, sqlite3
t0 = float(sys.argv[2])
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
conn = sqlite3.connect(sys.argv[1])
q, a = conn.execute("SELECT question, answer FROM items ORDER BY id LIMIT 1").fetchone()
label = QLabel(q + "\n\n" + a)
label.setWordWrap(True)
label.resize(1000, 700)
label.show()
def ready():
    rss = [l for l in open("/proc/self/status") if l.startswith("VmRSS")][0].split()[1]
    print(f"READY {time.time() - t0:.4f} {int(rss) / 1024:.1f}", flush=True)
    app.quit()
QTimer.singleShot(0, ready)
app.exec()
"""


def run_child(script: str, db: Path, settings: Path) -> list[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    out = subprocess.run([sys.executable, "-c", script, str(db), repr(time.time()), str(settings)],
                         capture_output=True, text=True, env=env, check=True).stdout
    return next(line for line in out.splitlines() if line.startswith("READY")).split()[1:]


def p95(samples: list[float]) -> float:
    samples = sorted(samples)
    return samples[int(0.95 * (len(samples) - 1))]


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        kb = next(int(line.split()[1]) for line in f if line.startswith("VmRSS"))
    return kb / 1024


def emit(name: str, value: float, unit: str, baseline: float) -> None:
    print(json.dumps({"name": name, "value": round(value, 3), "unit": unit,
                      "baseline": round(baseline, 3), "ratio": round(value / baseline, 2)}), flush=True)


def main() -> None:
    # as an installed package has it (bench_commands): under PYTHONDONTWRITEBYTECODE=1 an
    # editable checkout would otherwise compile every module on every start it times
    compileall.compile_dir(ROOT / "annotator", quiet=1)
    big_project(N_ITEMS)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        db = fresh_copy(N_ITEMS, tmp_path / "p.db")
        settings = tmp_path / "settings"
        settings.mkdir()

        # first item: best of three fresh processes each, so a cold disk cache does not decide
        firsts = [float(run_child(FIRST_ITEM_CHILD, db, settings)[0]) for _ in range(3)]
        bares = [run_child(BARE_FIRST_CHILD, db, settings) for _ in range(3)]
        emit("gui_first_item_s", min(firsts), "s", min(float(b[0]) for b in bares))
        bare_rss = min(float(b[1]) for b in bares)

        from PySide6.QtCore import QSettings, Qt
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QLabel

        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(settings / "inproc"))
        from annotator.gui.app import application, make_window

        app = application()
        window = make_window(db, "bench", restore=False)
        window.show()
        while not window.session.list_loaded:
            app.processEvents()
        window.show_item(N_ITEMS // 2)
        app.processEvents()
        times = []
        for _ in range(STEPS):
            t = time.perf_counter()
            QTest.keyClick(window.pages.view, Qt.Key.Key_Right)
            app.processEvents()
            times.append((time.perf_counter() - t) * 1000)
        assert window.session.item is not None and window.session.item["id"] == N_ITEMS // 2 + STEPS
        window.item_list.table.scrollToBottom()
        app.processEvents()
        gui_rss = rss_mb()
        window.close()

        import sqlite3

        conn = sqlite3.connect(db)
        label = QLabel()
        label.setWordWrap(True)
        label.resize(1000, 700)
        label.show()
        base = []
        item_id = N_ITEMS // 2
        for _ in range(STEPS):
            t = time.perf_counter()
            item_id, q, a = conn.execute(
                "SELECT id, question, answer FROM items WHERE id > ? ORDER BY id LIMIT 1", [item_id]
            ).fetchone()
            label.setText(q + "\n\n" + a)
            app.processEvents()
            base.append((time.perf_counter() - t) * 1000)
        conn.close()
        label.close()
        emit("gui_next_item_p95_ms", p95(times), "ms", p95(base))
        emit("gui_rss_mb", gui_rss, "MB", bare_rss)
    sys.stdout.flush()
    # PySide6 6.x can abort while tearing widgets down at interpreter exit; the figures are out
    os._exit(0)


if __name__ == "__main__":
    main()
