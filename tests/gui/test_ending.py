"""The window's process told to end (a logout or shutdown's SIGTERM, a closed terminal's SIGHUP,
Ctrl+C) closes the window as its close button does: the note typed a moment ago is written, and
a change the project refuses is kept for the next open, not lost with the process."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.core import unwritten
from annotator.core.store import Store
from annotator.gui import settings as gs

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]

# The coding window as `annotator gui` runs it; once it is up the coder types the keys given
# (a letter per key; "N" opens the note), with no pause, then the process is told to end.
CODER = """
import os, signal, sys
from pathlib import Path
from PySide6.QtCore import QSettings, QStandardPaths, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
QStandardPaths.setTestModeEnabled(True)
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, sys.argv[2])
from annotator.gui import app
from annotator.gui.main_window import MainWindow

def type_then_end():
    up = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    if not up or not up[0].session.list_loaded:
        QTimer.singleShot(20, type_then_end)
        return
    print("up", flush=True)
    sys.stdin.readline()  # the test may take the project's lock first
    for key in sys.argv[3]:
        QTest.keyClick(QApplication.focusWidget(), key)
    os.kill(os.getpid(), signal.SIGTERM)

app.application()
QTimer.singleShot(0, type_then_end)
sys.exit(app.run(Path(sys.argv[1]), "alice"))
"""


def code_then_end(project: Path, settings: Path, keys: str, *, locked: bool = False) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-c", CODER, str(project), str(settings), keys], env=env, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    holder = None
    try:
        assert proc.stdout.readline() == "up\n", proc.stderr.read()
        if locked:  # another program holds the project's write lock: the window's writes are refused
            holder = sqlite3.connect(project, isolation_level=None)
            holder.execute("BEGIN IMMEDIATE")
        out, err = proc.communicate("\n", timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        if holder is not None:
            holder.execute("ROLLBACK")
            holder.close()
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def test_a_note_typed_without_a_pause_is_written_when_the_process_is_told_to_end(project: Path,
                                                                               isolated_settings: Path) -> None:
    ended = code_then_end(project, isolated_settings, "nask the lead")
    with Store(project, readonly=True) as store:
        assert store.labels.annotation(1, "alice").note == "ask the lead", ended.stderr
    assert ended.returncode == 128 + signal.SIGTERM, ended.stderr  # as a shell reports a process a signal ended


def test_a_change_the_project_refuses_is_kept_when_the_process_is_told_to_end(project: Path,
                                                                             isolated_settings: Path) -> None:
    ended = code_then_end(project, isolated_settings, "t", locked=True)  # topics: taiwan, refused
    with Store(project, readonly=True) as store:
        assert "topics" not in store.labels.annotation(1, "alice").labels
    kept = unwritten.kept_for(gs.unwritten_folder(), project, "alice")
    assert len(kept) == 1 and "taiwan" in kept[0].read_text(encoding="utf-8"), ended.stderr
    assert ended.returncode == 128 + signal.SIGTERM, ended.stderr
