"""Take the screenshot of the dialog shown while a project made by an older version is upgraded.

    xvfb-run -s "-screen 0 1400x900x24" .venv/bin/python tests/gui/screenshot_upgrading.py docs/upgrading.png

Builds an older project large enough for its schema steps to take a couple of seconds
(100,000 items, three coders' labels and done marks), opens it as the window does and saves a
grab of the dialog while the steps run; prints how long the open took.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.gui.shots import SETTLE_MS, own_settings, styled_application

N_ITEMS = 100_000
CODERS = ("alice", "bob", "carol")


def main(out: Path) -> None:
    tmp = own_settings()
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from annotator.gui.app import open_store
    from tests.helpers import older_project, sample_source

    per_source = 500
    sources = [sample_source(f"{k:064x}", per_source, f"conference-{k}.txt") for k in range(N_ITEMS // per_source)]
    labels = [(i, c, "tone", "firm") for i in range(1, N_ITEMS + 1) for c in CODERS]
    db = older_project(tmp / "project.db", sources, labels, [(i, c) for i in range(1, N_ITEMS + 1) for c in CODERS])
    app = styled_application()

    def save() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            print("no dialog: the upgrade was over first", file=sys.stderr)
            return
        out.parent.mkdir(parents=True, exist_ok=True)
        dialog.grab().save(str(out))
        print(f"saved {out}")

    QTimer.singleShot(600 + SETTLE_MS, save)
    t = time.perf_counter()
    open_store(db).close()
    print(f"opened {N_ITEMS:,} items in {time.perf_counter() - t:.1f} s")
    app.quit()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/upgrading.png"))
