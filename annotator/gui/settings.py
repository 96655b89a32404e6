"""What the windows remember between sessions (QSettings, INI format): the window's size
and panes, the last project and coder, and per project and coder the item, the filter, the
list's order, whether the coder has seen their assignment, and the context toggle.

INI rather than the platform default so tests can point the whole thing at a
temporary folder with ``QSettings.setPath`` and never touch the user's own.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter

from annotator.core.filters import Filter

ORGANISATION = "annotator"
APPLICATION = "annotator"
FIRST_SIZE = (1400, 900)  # a first run, before the coder has sized the window


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


def _true(value: Any) -> bool:
    return value in (True, "true")  # INI gives back the text of a bool


def restore_window(window: QMainWindow, splitter: QSplitter) -> bool:
    """Size, place and pane widths as the coder left them; False when there is nothing to restore
    (a first run: the window then picks a size for the screen)."""
    s = settings()
    geometry = s.value("window/geometry")
    state = s.value("window/splitter")
    if geometry is None or state is None:
        return False
    window.restoreGeometry(geometry)
    splitter.restoreState(state)
    return True


@dataclass(frozen=True)
class ProjectState:
    """What the coding window remembers for one project and one coder."""

    item: int | None = None  # the item on screen at close
    flt: Filter | None = None
    assignments_known: bool = False  # the coder has been offered their assignment (and may have turned it off)
    context: bool = False  # the pairs before and after were shown
    order: str = "import"  # the item list's order (filters.ORDERS)


def project_state(path: Path, coder: str) -> ProjectState:
    s = settings()
    key = project_key(path, coder)
    item = s.value(f"{key}/item")
    saved = get_json(s, f"{key}/filter")
    flt = None
    if isinstance(saved, dict):
        try:
            flt = Filter.from_dict(saved)
        except ValueError:
            flt = None  # a filter this version cannot read: start with none
    return ProjectState(
        item=int(item) if item is not None and str(item).isdigit() else None,
        flt=flt,
        assignments_known=_true(s.value(f"{key}/assignments_known")),
        context=_true(s.value(f"{key}/context")),
        order=str(s.value(f"{key}/order", "import")),  # the session refuses one it does not know
    )


def save_coding_window(window: QMainWindow, splitter: QSplitter, path: Path, coder: str, state: ProjectState) -> None:
    """The window closes: its size and panes, this project and coder as the last ones, and ``state``."""
    s = settings()
    s.setValue("window/geometry", window.saveGeometry())
    s.setValue("window/splitter", splitter.saveState())
    s.setValue("last/project", str(Path(path).resolve()))
    s.setValue("last/coder", coder)
    key = project_key(path, coder)
    if state.item is not None:
        s.setValue(f"{key}/item", state.item)
    put_json(s, f"{key}/filter", (state.flt or Filter()).to_dict())
    s.setValue(f"{key}/assignments_known", state.assignments_known)
    s.setValue(f"{key}/context", state.context)
    s.setValue(f"{key}/order", state.order)
    s.sync()


@dataclass(frozen=True)
class Look:
    """How the coder likes the window: text size, dark or light, which panes show.
    Saved the moment it changes (not only at close), so a crash never forgets it."""

    zoom: float = 1.0
    dark: bool | None = None  # None: follow the system's light or dark palette
    list_shown: bool | None = None  # None: shown where the window is wide enough beside every option
    focus: bool = False  # focus mode: the pair and the codebook only
    other_language: bool = False  # the pair in the other language under the one coded (Ctrl+T)
    folded: tuple[str, ...] = ()  # the codebook's schemes folded to their title line (by scheme name)


def look() -> Look:
    s = settings()
    try:
        zoom = float(s.value("look/zoom", 1.0))
    except (TypeError, ValueError):
        zoom = 1.0
    dark = s.value("look/dark")
    folded = get_json(s, "look/folded")
    return Look(
        zoom=zoom if 0.5 <= zoom <= 3.0 else 1.0,
        dark=None if dark in (None, "") else _true(dark),
        list_shown=None if s.value("look/list_shown") in (None, "") else _true(s.value("look/list_shown")),
        focus=_true(s.value("look/focus")),
        other_language=_true(s.value("look/other_language")),
        folded=tuple(n for n in folded if isinstance(n, str)) if isinstance(folded, list) else (),
    )


def save_look(value: Look) -> None:
    s = settings()
    s.setValue("look/zoom", value.zoom)
    if value.dark is None:
        s.remove("look/dark")
    else:
        s.setValue("look/dark", value.dark)
    if value.list_shown is None:
        s.remove("look/list_shown")
    else:
        s.setValue("look/list_shown", value.list_shown)
    s.setValue("look/focus", value.focus)
    s.setValue("look/other_language", value.other_language)
    put_json(s, "look/folded", list(value.folded))
    s.sync()
