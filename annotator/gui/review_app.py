"""Start the review window (``annotator review DB``): open the project, name the reviewer, show."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from annotator.core.errors import AnnotatorError
from annotator.core.store import Store
from annotator.gui import settings as gs
from annotator.gui.app import application, ask_name
from annotator.gui.style import STYLE


def ask_reviewer() -> str | None:
    """The remembered reviewer, else asked once (suggesting "lead")."""
    return ask_name("last/reviewer", "Who is reviewing?", "Your name as reviewer (recorded with each gold label):", "lead")


def run_review(db: Path, reviewer: str | None) -> int:
    app = application()
    app.setStyleSheet(STYLE)
    from annotator.gui.review_window import ReviewWindow

    try:
        reviewer = reviewer or ask_reviewer()
        if reviewer is None:
            return 1
        gs.settings().setValue("last/reviewer", reviewer)
        window = ReviewWindow(Store(db), reviewer)
    except AnnotatorError as e:
        print(f"Error: {e}", file=sys.stderr)
        QMessageBox.critical(None, "annotator", str(e))
        return 1
    window.show()
    return app.exec()
