"""The window's process told to end by a signal closes the coding windows as their close button
would, so nothing is lost: SIGTERM (a logout, a shutdown, ``kill PID``), SIGHUP (the terminal the
window was started from closed) and SIGINT (Ctrl+C there).

Python's default for SIGTERM and SIGHUP ends the process at once, without the window's
``closeEvent``: a note still in its pause before it is written, changes the project refuses
(waiting in memory, the banner saying they are kept) and the window's place were lost. A
Python signal handler runs only when Python code next runs, which in Qt's event loop can be
never; so the C handler writes the signal's number to a socket (``signal.set_wakeup_fd``),
and a notifier on the other end wakes the event loop, where the windows are closed.
"""

from __future__ import annotations

import signal
import socket

from PySide6.QtCore import QObject, QSocketNotifier
from PySide6.QtWidgets import QApplication

SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, name))


class EndOnSignals(QObject):
    """Installed once the application exists; ``received`` is the signal that ended it (None: none)."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.received: int | None = None
        self._app = app
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)  # the C handler must never block on a full socket
        self._wakeup = signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        self._handlers = {sig: signal.signal(sig, _noted) for sig in SIGNALS}
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._woken)

    def _woken(self) -> None:
        try:
            numbers = self._reader.recv(64)
        except BlockingIOError:
            return
        if not numbers or self.received is not None:
            return
        self.received = numbers[0]
        from annotator.gui.main_window import MainWindow

        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible():
                widget.end_now()
        self._app.quit()  # dialogs and nested loops too: nothing is left waiting for a person

    def restore(self) -> None:
        """The event loop has ended: the handlers and wakeup descriptor before these are back (a
        caller that runs a window inside a longer process, as the tests do, keeps its own Ctrl+C),
        and the socket is closed only once no handler can write to it."""
        signal.set_wakeup_fd(self._wakeup)
        for sig, handler in self._handlers.items():
            signal.signal(sig, handler)
        self._notifier.setEnabled(False)
        self._reader.close()
        self._writer.close()

    def exit_status(self, status: int) -> int:
        """The status to exit with: a shell's 128 + the signal's number when one ended the window."""
        return 128 + self.received if self.received is not None else status


def _noted(_signum: int, _frame: object) -> None:
    """Nothing to do here: the wakeup socket carries the signal to the event loop (see the module)."""
