"""None, True and False kept alive under a PySide6 that does not count its references to them.

PySide6 6.12 hands ``None`` back from every method that returns nothing, and ``True`` from
``Signal.emit``, without a reference of its own: correct on Python 3.12 and later, where those
objects are immortal and their counts are never looked at, but on Python 3.11 each such call
takes one reference away. A coding session makes thousands of them a minute, so after some
minutes a count reaches zero and the interpreter aborts, mid-session or at the latest when it
collects garbage at quit ("Fatal Python error: bool_dealloc" or "none_dealloc").

``keep_alive`` measures whether the installed PySide6 takes the references (one call of each
kind, given back) and, only then, gives each of the three as many references as Python 3.12
gives an immortal object, so no session can use them up. It runs once, when the gui package
is first imported, before any window exists.
"""

from __future__ import annotations

import ctypes
import sys

IMMORTAL = 1 << 40  # references added: at a million calls a second, 12 days to use up


def _add_references(obj: object, n: int) -> None:
    # ob_refcnt is the first field of every CPython object
    ctypes.c_ssize_t.from_address(id(obj)).value += n


def references_taken() -> dict[str, int]:
    """How many references one void method call and one signal emit take from None and True
    (zero each under a PySide6, or a Python, without the fault); what they took is given back."""
    from PySide6.QtCore import QObject, Signal

    class Probe(QObject):
        ping = Signal()

    probe = Probe()
    none_before = sys.getrefcount(None)
    probe.setObjectName("probe")  # returns nothing
    none_taken = none_before - sys.getrefcount(None)
    true_before = sys.getrefcount(True)
    probe.ping.emit()
    true_taken = true_before - sys.getrefcount(True)
    for obj, taken in ((None, none_taken), (True, true_taken)):
        if taken > 0:
            _add_references(obj, taken)
    return {"None": max(none_taken, 0), "True": max(true_taken, 0)}


def keep_alive() -> bool:
    """Make None, True and False last the session where PySide6 takes references from them;
    whether it did (nothing is changed on Python 3.12+, where they are immortal already)."""
    if sys.version_info >= (3, 12) or not any(references_taken().values()):
        return False
    for obj in (None, True, False):
        _add_references(obj, IMMORTAL)
    return True
