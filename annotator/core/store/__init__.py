"""The project database: the one package that speaks SQL (with ``migrations.py``).

``Store`` (``store.py``) opens and closes a project and hands out its parts, one
module each: ``items``, ``labels``, ``browse``, ``assignments``, ``gold``,
``sync``, ``exports``. ``errors`` is the one translation of SQLite's failures,
``opening`` the checks before a file is used, ``history`` the shape both undo
histories share. The rows the parts hand out are named in ``core/records.py``.
"""

from annotator.core.store.errors import DatabaseFailure, database_error
from annotator.core.store.store import Store, reading, steps_to_upgrade

__all__ = ["DatabaseFailure", "Store", "database_error", "reading", "steps_to_upgrade"]
