"""Opening a project made by an older version: its one-time upgrade under a dialog that says so.

A schema step can take half a minute at a million items (``m019`` rebuilds an index over nine
million labels). Run on the window's thread it left the screen empty, as if the program had
hung, until the window appeared. The open runs on a thread of its own instead (SQLite lets go of
the GIL while it works) and a modal dialog, which Esc does not close, says what is happening. A
project already at this version's schema opens on the calling thread, with no dialog.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import QApplication, QProgressDialog

from annotator.core.store import Store, steps_to_upgrade
from annotator.core.wording import plural

# An upgrade that is over before this is never shown: a small project's steps take milliseconds,
# and a dialog flashing past says nothing.
SHOW_AFTER_S = 0.3
POLL_MS = 30


class UpgradeDialog(QProgressDialog):
    """A busy bar and what is happening; no Cancel: a step stopped halfway would only start again."""

    def __init__(self, path: Path, steps: list[str]) -> None:
        super().__init__()
        self.setWindowTitle("Upgrading the project")
        self.setLabelText(
            f"Upgrading {path.name} to this version of annotator ({plural(len(steps), 'schema step')}).\n\n"
            "This happens once, and takes longer the larger the project. The file as it was is kept\n"
            f"beside it first, as {path.name}.bak-<date>-<time>. Each step is saved whole: if it is\n"
            "stopped, nothing is lost and the next open goes on from there."
        )
        self.setCancelButton(None)
        self.setRange(0, 0)  # busy: a step says nothing of how far it has got
        self.setMinimumDuration(0)
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.finished_opening = False

    def reject(self) -> None:  # Esc: the upgrade goes on, and so does the dialog
        pass

    def closeEvent(self, event: Any) -> None:
        if self.finished_opening:
            event.accept()
        else:
            event.ignore()


def opened(path: Path, open_store: Callable[[], Store]) -> Store:
    """``open_store()``, on a thread of its own under an ``UpgradeDialog`` when the project at
    ``path`` lacks schema steps; its failure is raised here, as if it had run on this thread."""
    steps = steps_to_upgrade(path)
    if not steps:
        return open_store()
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["store"] = open_store()
        except BaseException as e:  # noqa: BLE001 -- handed to the waiting thread, raised there
            outcome["error"] = e

    thread = threading.Thread(target=work, name="annotator-upgrade", daemon=True)
    dialog = UpgradeDialog(path, steps)
    show_at = time.monotonic() + SHOW_AFTER_S
    thread.start()
    try:
        while thread.is_alive():
            if not dialog.isVisible() and time.monotonic() >= show_at:
                dialog.show()
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, POLL_MS)
            thread.join(POLL_MS / 1000)
    finally:
        dialog.finished_opening = True
        dialog.close()
        dialog.deleteLater()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["store"]
