"""A coder's long session in one process: thousands of random keys from the window's own key
list (``WINDOW_KEYS`` and the codebook's keys), then Ctrl+Q, as ``tests/gui/test_soak.py`` runs it:

    QT_QPA_PLATFORM=offscreen .venv/bin/python -X dev -X faulthandler tests/gui/soak.py PROJECT.db KEYS SEED

Keys go where a coder's would, to the widget with the focus. After every key the script notes
what the window shows of the item on screen (its ticked options, the unsure flag, the note);
at the end it prints one JSON line: that record by item uid, and the references to ``True``
before and after (a PySide6 fault took one each time a signal was emitted from Python, and
the interpreter aborted at quit once they ran out). The process must then end cleanly.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings, QStandardPaths  # noqa: E402

# Keys that open a window of their own (a file chooser, a dialog, a help page, the go-to box)
# wait for a person; the soak presses every other key the window has, and quits at the end.
NOT_PRESSED = {"import", "import_folder", "export", "correct", "keyboard_help", "guidelines", "goto", "quit"}


def key_list(codebook) -> list[str]:
    from annotator.core.window_keys import WINDOW_KEYS

    keys = [k for wk in WINDOW_KEYS if wk.action not in NOT_PRESSED for k in wk.keys]
    keys += [o.key for s in codebook.schemes for o in s.options if o.key]
    return keys


def press(app, sequence: str) -> None:
    from PySide6.QtGui import QKeySequence
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    combo = QKeySequence(sequence)[0]
    target = QApplication.focusWidget() or QApplication.activeWindow()
    if target is not None:
        QTest.keyClick(target, combo.key(), combo.keyboardModifiers())
    app.processEvents()


def shown(window) -> tuple[str, dict] | None:
    """The uid of the item on screen and what the window shows of this coder's annotation."""
    item = window.session.item
    if item is None or not window.session.shown:
        return None
    panel = window.coding.panel
    ticked = sorted(f"{s}:{v}" for s, v in panel.checked())
    return item["uid"], {"options": ticked, "flag": window.coding.flag_box.isChecked(),
                         "note": window.coding.note.toPlainText()}


def main(db: Path, n_keys: int, seed: int) -> int:
    tmp = Path(tempfile.mkdtemp())
    QStandardPaths.setTestModeEnabled(True)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "settings"))
    from annotator.gui.app import application, make_window

    app = application()
    window = make_window(db, "soak")
    window.resize(1366, 768)
    window.show()
    window.activateWindow()
    while not window.session.list_loaded:
        app.processEvents()
    rng = random.Random(seed)
    keys = key_list(window.session.codebook)
    before = sys.getrefcount(True)
    record: dict[str, dict] = {}
    for _ in range(n_keys):
        press(app, rng.choice(keys))
        now = shown(window)
        if now is not None:
            record[now[0]] = now[1]
    press(app, "Escape")  # out of a note or search field: what it holds is kept as typed
    now = shown(window)
    if now is not None:
        record[now[0]] = now[1]
    press(app, "Ctrl+Q")
    closed = not window.isVisible()
    after = sys.getrefcount(True)
    del window
    print(json.dumps({"shown": record, "true_refs": [before, after], "closed": closed, "keys": len(keys)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])))
