"""The window's own keys and the codebook's, in one table: the menus, the shortcuts
and Help > Keyboard are all built from it, so the help can never drift from the keys."""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.codebook import RESERVED_KEYS, Codebook, normalise_key
from annotator.core.errors import AnnotatorError


@dataclass(frozen=True)
class WindowKey:
    action: str  # the name MainWindow uses for the QAction
    keys: tuple[str, ...]  # QKeySequence strings
    what: str


WINDOW_KEYS: tuple[WindowKey, ...] = (
    WindowKey("done_next", ("Return", "Enter"), "Mark this item done and go to the next unlabelled item in the filter"),
    WindowKey("next", ("Right", "J"), "Next item in the filter"),
    WindowKey("previous", ("Left", "K"), "Previous item in the filter"),
    WindowKey("undo", ("Ctrl+Z",), "Undo your last change (goes to the item it changed)"),
    WindowKey("redo", ("Ctrl+Shift+Z",), "Redo the change you undid"),
    WindowKey("search", ("Ctrl+F",), "Search the question and answer text (Enter applies)"),
    WindowKey("flag", ("F",), "Flag the item as unsure (again to unflag)"),
    WindowKey("note", ("N",), "Write a note on the item"),
    WindowKey("context", ("Ctrl+E",), "Show or hide the pairs before and after in the conference"),
    WindowKey("list", ("Ctrl+L",), "Go to the item list (Up/Down pick an item)"),
    WindowKey("clear_filter", ("Ctrl+Shift+F",), "Clear every filter"),
    WindowKey("keyboard_help", ("F1",), "This list of keys"),
    WindowKey("import", ("Ctrl+I",), "Import transcripts"),
    WindowKey("quit", ("Ctrl+Q",), "Close the window (everything is already saved)"),
)
# Escape is handled by the note and search fields themselves.
ESCAPE_HELP = ("Escape", "Leave the note, search or filter field and go back to the item")


def codebook_keys(codebook: Codebook) -> dict[str, tuple[str, str]]:
    """Canonical key -> (scheme, option value); a clash with the window's keys is refused, naming both."""
    window = {normalise_key(k): wk.what for wk in WINDOW_KEYS for k in wk.keys if _single(k)}
    window.update({k: v for k, v in RESERVED_KEYS.items()})
    out: dict[str, tuple[str, str]] = {}
    for scheme in codebook.schemes:
        for option in scheme.options:
            if not option.key:
                continue
            try:
                canon = normalise_key(option.key)
            except ValueError as e:
                raise AnnotatorError(f"codebook: scheme '{scheme.name}', option '{option.value}': {e}") from None
            if canon in window:
                raise AnnotatorError(
                    f"codebook: scheme '{scheme.name}', option '{option.value}': key '{option.key}' "
                    f"clashes with the window's own key for {window[canon].lower()}"
                )
            if canon in out:
                other = out[canon]
                raise AnnotatorError(
                    f"codebook: scheme '{scheme.name}', option '{option.value}': key '{option.key}' "
                    f"is already used by scheme '{other[0]}', option '{other[1]}'"
                )
            out[canon] = (scheme.name, option.value)
    return out


def _single(key: str) -> bool:
    try:
        normalise_key(key)
    except ValueError:
        return False
    return True


def qt_sequence(canon: str) -> str:
    """'shift+t' -> 'Shift+T', the spelling QKeySequence understands."""
    *mods, base = canon.split("+")
    return "+".join([m.capitalize() for m in mods] + [base.upper()])
