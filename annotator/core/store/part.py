"""What every part of the store shares: the store's connection, its file, its transactions."""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3
    from pathlib import Path

    from annotator.core.store.store import Store


class Part:
    """One concern of an open project (``store.labels``, ``store.gold``, ...).

    Made by the ``Store`` that owns it, as Anki's collection makes its managers: it
    shares the store's connection and reaches the store itself only through a weak
    reference, so a part never keeps a closed project alive.
    """

    def __init__(self, store: Store) -> None:
        self._store: Store = weakref.proxy(store)
        self._conn: sqlite3.Connection = store.connection

    @property
    def path(self) -> Path:
        return self._store.path
