"""The window's keys and the codebook's: the menus, the shortcuts and Help > Keyboard are
built from the core's ``WINDOW_KEYS`` (the one list, which the codebook loader also
checks against), so the help can never drift from the keys."""

from __future__ import annotations

from annotator.core.codebook import Codebook
from annotator.core.errors import AnnotatorError
from annotator.core.window_keys import RESERVED_KEYS, WINDOW_KEYS, WindowKey, normalise_key

__all__ = ["WINDOW_KEYS", "WindowKey", "codebook_keys", "key_for", "qt_sequence"]


def key_for(action: str) -> str:
    """The first key of a window command, as the pages that name it write it ('Ctrl+I')."""
    return next(k.keys[0] for k in WINDOW_KEYS if k.action == action)


def codebook_keys(codebook: Codebook) -> dict[str, tuple[str, str]]:
    """Canonical key -> (scheme, option value); a clash with the window's keys is refused, naming both."""
    window = RESERVED_KEYS
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
                    f"clashes with the window's own key for {window[canon]}"
                )
            if canon in out:
                other = out[canon]
                raise AnnotatorError(
                    f"codebook: scheme '{scheme.name}', option '{option.value}': key '{option.key}' "
                    f"is already used by scheme '{other[0]}', option '{other[1]}'"
                )
            out[canon] = (scheme.name, option.value)
    return out


def qt_sequence(canon: str) -> str:
    """'shift+t' -> 'Shift+T', the spelling QKeySequence understands."""
    *mods, base = canon.split("+")
    return "+".join([m.capitalize() for m in mods] + [base.upper()])
