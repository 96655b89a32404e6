"""Where the window remembers things between sessions (QSettings, INI format).

INI rather than the platform default so tests can point the whole thing at a
temporary folder with ``QSettings.setPath`` and never touch the user's own.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings

ORGANISATION = "annotator"
APPLICATION = "annotator"


def settings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION)


def unwritten_folder() -> Path:
    """Where changes a closing window could not write are kept (beside the settings file)."""
    return Path(settings().fileName()).parent / "unwritten"


def project_key(path: Path, coder: str) -> str:
    """A settings group per (project, coder): the last item and filter belong to both."""
    digest = hashlib.sha1(f"{Path(path).resolve()}\x1f{coder}".encode()).hexdigest()[:16]
    return f"projects/{digest}"


def get_json(s: QSettings, key: str) -> Any:
    raw = s.value(key)
    if not isinstance(raw, str):
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def put_json(s: QSettings, key: str, value: Any) -> None:
    s.setValue(key, json.dumps(value))
