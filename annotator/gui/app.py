"""Start the coding window: pick the project and the coder, open the store, show the window.

Every problem before the window exists (bad database, codebook key clash) is
one message box and one line on stderr, and a non-zero exit.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMessageBox, QWidget

from annotator.core.codebook import parse_codebook
from annotator.core.errors import AnnotatorError
from annotator.core.location import risky_location
from annotator.core.records import validate_coder
from annotator.core.session import coders_to_offer
from annotator.core.store import Store
from annotator.gui import settings as gs
from annotator.gui import upgrading
from annotator.gui.display import no_display
from annotator.gui.style import STYLE

SAMPLE_NAME = "sample.db"


def application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        why = no_display()
        if why is not None:
            raise AnnotatorError(why)
        app = QApplication(sys.argv[:1])
    app.setOrganizationName(gs.ORGANISATION)
    app.setApplicationName(gs.APPLICATION)
    return app


def default_project() -> Path:
    """The last project this user opened, else the sample project."""
    last = gs.settings().value("last/project")
    if isinstance(last, str) and last and Path(last).is_file():
        return Path(last)
    return sample_project()


def sample_project() -> Path:
    """The per-user sample project, in the user's data folder, built on first use."""
    from annotator.core.sample import ensure_sample_project

    # The data folder named as the settings are (not by the running application's names, which
    # a host such as a test runner may have set otherwise): ~/.local/share/annotator/annotator.
    data = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation))
    return ensure_sample_project(data / gs.ORGANISATION / gs.APPLICATION / SAMPLE_NAME)


def ask_name(key: str, title: str, prompt: str, suggestion: str = "") -> str | None:
    """A name remembered under settings ``key``, else asked once; None if the user cancels."""
    remembered = gs.settings().value(key)
    if isinstance(remembered, str) and remembered.strip():
        return remembered
    while True:
        name, ok = QInputDialog.getText(None, title, prompt, QLineEdit.EchoMode.Normal, suggestion)
        if not ok:
            return None
        try:
            return validate_coder(name)
        except AnnotatorError as e:
            QMessageBox.warning(None, title, str(e))


def ask_coder(path: Path, store: Store | None = None) -> str | None:
    """Who is coding in the project at ``path`` (read through ``store`` when it is open): the
    remembered name when it has coded there; else asked, offering the remembered name and the
    project's coders (None if cancelled)."""
    remembered = gs.settings().value("last/coder")
    remembered = remembered.strip() if isinstance(remembered, str) and remembered.strip() else None
    try:
        if store is not None:
            offer = coders_to_offer(store, remembered)
        else:
            with Store(path, readonly=True) as reader:
                offer = coders_to_offer(reader, remembered)
    except AnnotatorError:
        offer = [remembered] if remembered else []  # opening it will say what is wrong with the file
    if offer is None:
        return remembered
    prompt = (f"Who is coding in {path.name}?\n"
              + (f"{remembered} has not coded in this project yet. " if remembered else "")
              + "Your labels are kept under this name:")
    while True:
        name, ok = QInputDialog.getItem(None, "Who is coding?", prompt, offer or [""], 0, True)
        if not ok:
            return None
        try:
            return validate_coder(name)
        except AnnotatorError as e:
            QMessageBox.warning(None, "Who is coding?", str(e))


def open_store(path: Path) -> Store:
    """Open writable, a project made by an older version upgraded first under a dialog that says
    so (``upgrading``); a read-only file still opens (read-only) so the coder can read, and is told why."""
    return _ready_for_window(upgrading.opened(path, lambda: _writable_else_read_only(path)))


def _writable_else_read_only(path: Path) -> Store:
    try:
        return Store(path)
    except AnnotatorError as e:
        if "read-only" not in str(e):
            raise
        return Store(path, readonly=True)


def _ready_for_window(store: Store) -> Store:
    """The opened ``store`` ready for a window (closed if its codebook is refused)."""
    path = store.path
    try:
        store.set_busy_timeout(0.3)
        store.checkpoint_in_background()  # a coder's key never waits on a checkpoint
        toml = store.codebook_toml()
        if toml is not None:
            parse_codebook(toml, f"{path}: codebook")  # a hand-edited clash is named here, not hit mid-session
    except BaseException:
        store.close()
        raise
    return store


def make_window(path: Path, coder: str, *, restore: bool = True, store: Store | None = None):
    """The coding window of ``coder`` on the project at ``path`` (``store``: that project, already
    opened with ``open_store``; opened here otherwise)."""
    from annotator.gui.main_window import MainWindow

    store = store or open_store(path)
    try:
        store.labels.check_coder_name(coder)
        window = MainWindow(store, coder, reopen=lambda: open_store(path), restore=restore)
    except BaseException:
        store.close()
        raise
    if store.readonly:
        window.banner.setText(f"{path}: the project database is read-only. Your changes are kept and written once it can be.")
        window.banner.show()
    elif (warning := risky_location(path)) is not None:
        window.banner.setText(warning)
        window.banner.show()
    return window


def run(db: Path | None, coder: str | None, *, sample: bool = False) -> int:
    """The coding window on ``db``; without one, on the sample project (``sample``) or the last
    project opened (the sample the first time)."""
    def open_window() -> QWidget | None:
        path = db if db is not None else sample_project() if sample else default_project()
        # Opened before the coder is asked: an older project is upgraded first (a dialog says
        # so), and the question can then offer the coders it holds.
        store = open_store(path)
        try:
            name = coder or ask_coder(path, store)
        except BaseException:
            store.close()
            raise
        if name is None:
            store.close()
            return None
        return make_window(path, name, store=store)

    return show_window(open_window)


def show_window(open_window: Callable[[], QWidget | None]) -> int:
    """Run a window to its end: a problem before it exists is one message box, one line on
    stderr and exit status 1; ``open_window`` returning None (the user cancelled) is status 1 too."""
    app = application()
    app.setStyleSheet(STYLE)
    try:
        window = open_window()
    except AnnotatorError as e:
        print(f"Error: {e}", file=sys.stderr)
        QMessageBox.critical(None, "annotator", str(e))
        return 1
    if window is None:
        return 1
    from annotator.gui.ending import EndOnSignals

    ending = EndOnSignals(app)  # a logout, a shutdown or Ctrl+C closes the window as its button does
    window.show()
    try:
        status = app.exec()
    finally:
        ending.restore()
    return ending.exit_status(status)
