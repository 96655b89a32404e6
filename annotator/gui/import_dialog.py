"""File > Import in the coding window: choose transcripts (files or a folder), then import
them with a progress dialog that can cancel between files (no file is ever half imported)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QProgressDialog, QWidget

from annotator.core.errors import AnnotatorError
from annotator.core.importers import TRANSCRIPT_SUFFIXES
from annotator.core.session import CodingSession

TRANSCRIPT_FILES = f"Transcripts ({' '.join('*' + x for x in TRANSCRIPT_SUFFIXES)});;All files (*)"
MAX_FAILURES_SHOWN = 20


def choose_transcripts(parent: QWidget, *, folder: bool) -> list[Path]:
    """The files (or the one folder) the coder picks; empty if they cancel."""
    if folder:
        chosen = QFileDialog.getExistingDirectory(parent, "Import a folder of transcripts")
        return [Path(chosen)] if chosen else []
    files, _ = QFileDialog.getOpenFileNames(parent, "Import transcripts", "", TRANSCRIPT_FILES)
    return [Path(f) for f in files]


def import_with_progress(parent: QWidget, session: CodingSession, paths: list[Path]) -> tuple[str, bool]:
    """Import ``paths`` into the session's project: (the summary line, or the error; whether
    the import ran). Files that failed, and an error, are also shown in a warning box."""
    dialog = QProgressDialog("Importing…", "Cancel", 0, 0, parent)
    dialog.setWindowTitle("Import")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)

    def progress(done: int, total: int, path: Path) -> bool:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(done)
        if path.name:
            dialog.setLabelText(f"Importing {path.name}")
        QApplication.processEvents()
        return not dialog.wasCanceled()

    try:
        summary = session.import_files(paths, progress)
    except AnnotatorError as e:
        dialog.close()
        QMessageBox.warning(parent, "Import", str(e))
        return str(e), False
    dialog.close()
    line = summary.line()
    if summary.failed:
        QMessageBox.warning(parent, "Import", line + "\n\n" + "\n".join(summary.failed[:MAX_FAILURES_SHOWN]))
    return line, True
