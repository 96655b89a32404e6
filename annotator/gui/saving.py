"""Every change goes to the store at once; what cannot be written yet waits here.

A write that fails because the database is locked, read-only or gone is not
dropped: it joins a queue, the window says so, and the queue is retried every
two seconds and before the next change, in order. Queued writes are absolute
("topics is now [taiwan]"), not toggles, so retrying one twice is harmless.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from annotator.core import unwritten
from annotator.core.errors import AnnotatorError
from annotator.core.store import Store
from annotator.core.unwritten import Op

RETRY_MS = 2000


class Writer(QObject):
    """Writes ops through the store; queues and retries those the database refuses."""

    written = Signal(object, object)  # Op, Change | None
    problem = Signal(str)  # why writes are waiting ("" once they are all written)
    storeReopened = Signal(object)  # the new Store after a reopen

    def __init__(self, store: Store, coder: str, reopen: Callable[[], Store] | None = None) -> None:
        super().__init__()
        self.store = store
        self.coder = coder
        self.reopen = reopen
        self.pending: list[Op] = []
        self.last_error = ""
        self.timer = QTimer(self)
        self.timer.setInterval(RETRY_MS)
        self.timer.timeout.connect(self.flush)

    def submit(self, op: Op) -> bool:
        """Write ``op`` now, or queue it behind earlier ops still waiting. True if written."""
        if op.kind == "note":
            # only the newest text of a note matters; keep its place in the queue
            for i, queued in enumerate(self.pending):
                if queued.kind == "note" and queued.item_id == op.item_id:
                    self.pending[i] = Op("note", op.item_id, op.value, seconds=queued.seconds + op.seconds)
                    self.flush()
                    return not self.pending
        self.pending.append(op)
        self.flush()
        return op not in self.pending

    def flush(self) -> bool:
        """Write what is queued, oldest first; stop at the first refusal. True when nothing waits."""
        while self.pending:
            op = self.pending[0]
            try:
                self.store.ensure_present()
                change = op.apply(self.store, self.coder)
            except AnnotatorError as e:
                if not self._try_reopen():
                    self._fail(str(e))
                    return False
                continue
            self.pending.pop(0)
            self.written.emit(op, change)
        if self.last_error:
            self.last_error = ""
            self.problem.emit("")
        self.timer.stop()
        return True

    def _fail(self, message: str) -> None:
        n = len(self.pending)
        self.last_error = f"{message}. {n} change{'s' if n != 1 else ''} kept and retried every {RETRY_MS // 1000} s."
        self.problem.emit(self.last_error)
        if not self.timer.isActive():
            self.timer.start()

    def _try_reopen(self) -> bool:
        """A read-only, vanished or replaced file: open the project again if it is back and writable."""
        if self.reopen is None:
            return False
        try:
            self.store.ensure_present()
            if not self.store.readonly:
                return False
        except AnnotatorError:
            pass
        try:
            store = self.reopen()
        except AnnotatorError:
            return False
        old, self.store = self.store, store
        old.close()
        self.storeReopened.emit(store)
        return True

    def dump_pending(self, folder: Path) -> Path | None:
        """Last resort when the window closes with writes still refused: keep them in a file,
        which the next window on this project for this coder writes first."""
        if not self.pending:
            return None
        return unwritten.keep(folder, self.store.path, self.coder, self.pending)
