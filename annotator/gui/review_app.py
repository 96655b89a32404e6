"""Start the review window (``annotator review DB``): open the project, name the reviewer, show."""

from __future__ import annotations

from pathlib import Path

from annotator.core.store import Store
from annotator.gui import settings as gs
from annotator.gui import upgrading
from annotator.gui.app import ask_name, show_window


def ask_reviewer() -> str | None:
    """The remembered reviewer, else asked once (suggesting "lead")."""
    return ask_name("last/reviewer", "Who is reviewing?", "Your name as reviewer (recorded with each gold label):", "lead")


def run_review(db: Path, reviewer: str | None) -> int:
    from annotator.gui.review_window import ReviewWindow

    def open_window() -> ReviewWindow | None:
        name = reviewer or ask_reviewer()
        if name is None:
            return None
        gs.settings().setValue("last/reviewer", name)
        return ReviewWindow(upgrading.opened(db, lambda: Store(db)), name)  # an older project: see upgrading

    return show_window(open_window)
