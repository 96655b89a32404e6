"""The coding window's background retrain: a process of its own (``core/model/retrain.py``)
started every ``CHECK_EVERY`` label changes while none runs, so training never blocks a key;
``retrained`` says which schemes got new models, and the window reloads its suggestions."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, Signal

from annotator.core.model.retrain import CHECK_EVERY, command


class Retrainer(QObject):
    retrained = Signal(list)  # the schemes trained again
    failed = Signal(str)  # the process's one line

    def __init__(self, db: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.changes = 0  # label changes since the last check
        self.runs = 0  # processes started (tests read it)
        self.process: QProcess | None = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.state() != QProcess.ProcessState.NotRunning

    def label_changed(self) -> None:
        """One more label change; every ``CHECK_EVERY``, a check (and retrain when due) in the background."""
        self.changes += 1
        if self.changes >= CHECK_EVERY and not self.running:
            self.start()

    def start(self) -> None:
        self.changes = 0
        self.runs += 1
        program, *args = command(self.db)
        process = QProcess(self)
        process.finished.connect(lambda code, _status, p=process: self._finished(p, code))
        self.process = process
        process.start(program, args)

    def _finished(self, process: QProcess, code: int) -> None:
        out = bytes(process.readAllStandardOutput().data()).decode("utf-8", "replace").strip()
        err = bytes(process.readAllStandardError().data()).decode("utf-8", "replace").strip()
        if self.process is process:
            self.process = None
        process.deleteLater()
        if code != 0:
            self.failed.emit(err.splitlines()[-1] if err else f"retraining stopped (exit {code})")
            return
        try:
            trained = json.loads(out.splitlines()[-1]).get("retrained", []) if out else []
        except ValueError:
            trained = []
        if trained:
            self.retrained.emit(trained)

    def stop(self) -> None:
        """The window closes: a retrain still running is ended (the project keeps the models it had)."""
        if self.running and self.process is not None:
            self.process.kill()
            self.process.waitForFinished(3000)
