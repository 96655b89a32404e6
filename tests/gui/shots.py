"""What the screenshot scripts of tests/gui share: settings of their own (never the user's),
the window's style, and the grab taken once the window has settled.

Not a test module: the scripts run under a virtual display (``xvfb-run``), each building the
project its picture needs and calling ``shoot``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QTimer

SETTLE_MS = 400  # word-wrapped labels settle over a few layout passes; grab once they have


def own_settings() -> Path:
    """A temporary folder for the script's files, whose window settings are kept there too."""
    tmp = Path(tempfile.mkdtemp())
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "settings"))
    return tmp


def styled_application() -> Any:
    from annotator.gui.app import application
    from annotator.gui.style import STYLE

    app = application()
    app.setStyleSheet(STYLE)
    return app


def shoot(app: Any, window: Any, out: Path, act: Callable[[], Any] = lambda: None, *,
          grab: Callable[[], Any] | None = None, after_ms: int = 800) -> None:
    """Once the shown ``window`` is up (``after_ms``), do what the coder would (``act``), then save a
    grab of ``grab()`` (a dialog, say; the window by default) as ``out`` and end the program."""

    def save() -> None:
        widget = grab() if grab else window
        out.parent.mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(out))
        print(f"saved {out}")
        if widget is not window:
            widget.close()
        window.close()
        app.quit()

    def go() -> None:
        act()
        QTimer.singleShot(SETTLE_MS, save)

    QTimer.singleShot(after_ms, go)
    app.exec()


def size_of(arg: str | None, default: str = "1366x768") -> tuple[int, int]:
    """``1366x768`` as (width, height)."""
    width, height = (int(n) for n in (arg or default).split("x"))
    return width, height
