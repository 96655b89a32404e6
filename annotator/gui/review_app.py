"""Start the review window (``annotator review DB``): open the project, name the reviewer, show."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox

from annotator.core.errors import AnnotatorError
from annotator.core.store import Store, validate_coder
from annotator.gui import settings as gs
from annotator.gui.app import application
from annotator.gui.style import STYLE


def ask_reviewer() -> str | None:
    """The remembered reviewer, else asked once (suggesting "lead")."""
    remembered = gs.settings().value("last/reviewer")
    if isinstance(remembered, str) and remembered.strip():
        return remembered
    while True:
        name, ok = QInputDialog.getText(
            None, "Who is reviewing?", "Your name as reviewer (recorded with each gold label):",
            QLineEdit.EchoMode.Normal, "lead",
        )
        if not ok:
            return None
        try:
            return validate_coder(name)
        except AnnotatorError as e:
            QMessageBox.warning(None, "Reviewer name", str(e))


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
