"""The coding window's commands and menus: one QAction for every entry of ``WINDOW_KEYS``
(the one key table, which Help > Keyboard and the codebook's clash check read too) and
for every codebook option, and the menu bar that lists them.

The window says what each command does (``commands``, by the table's action names);
this module says which key fires it and where it sits in the menus.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from annotator.core.codebook import Codebook
from annotator.core.window_keys import MENU_TITLES, NUMBERED
from annotator.gui.keys import WINDOW_KEYS, qt_sequence

CODEBOOK_MENU = MENU_TITLES["codebook"]  # one submenu per scheme, one entry per option with its key
FOLD_MENU = "&Fold a scheme"  # View's submenu: one entry per scheme, ticked while it is folded
MENUS: tuple[tuple[str, tuple[str | None, ...]], ...] = (  # None is a separator; titles: their one home
    (MENU_TITLES["file"], ("import", "import_folder", "export", None, "quit")),
    (MENU_TITLES["edit"], ("undo", "redo", "flag", "note", None, "accept_suggestions", None, "correct")),
    (MENU_TITLES["go"], ("done_next", "next", "previous", "goto", "list", "search", "clear_filter", "context",
                          "other_language")),
    (MENU_TITLES["view"], ("zoom_in", "zoom_out", "zoom_reset", None, "dark", None, "toggle_list", "focus_mode", "sort",
                           None, "fold")),
    (CODEBOOK_MENU, ()),
    (MENU_TITLES["help"], ("keyboard_help", "guidelines")),
)
# commands reached from a menu only, so without a key in WINDOW_KEYS
MENU_ONLY = {"import_folder": "Import a folder…", "guidelines": "Codebook guidelines"}


def menu_text(help_line: str) -> str:
    """A command's menu entry: its Help > Keyboard line up to what explains it, a parenthesis or a
    colon ("Go to an item", not "Go to an item: its number in the list", which read as the only way)."""
    return re.split(r" \(|: ", help_line, maxsplit=1)[0]


@dataclass(frozen=True)
class WindowActions:
    by_name: dict[str, QAction]  # WINDOW_KEYS action name (and MENU_ONLY) -> its action
    by_option: dict[tuple[str, str], QAction]  # (scheme, option value) -> its action


def install_actions(window: QMainWindow, commands: Mapping[str, Callable[..., object]], codebook: Codebook,
                    keymap: dict[str, tuple[str, str]], toggle: Callable[[str, str], None]) -> WindowActions:
    """Give ``window`` its shortcuts and menu bar. ``commands`` holds a callable for every
    WINDOW_KEYS action and MENU_ONLY entry (a NUMBERED one takes the key's number); ``keymap`` is ``codebook_keys(codebook)``;
    ``toggle(scheme, option)`` is what an option's key does."""
    by_name: dict[str, QAction] = {}
    for wk in WINDOW_KEYS:
        if wk.action in NUMBERED:  # Ctrl+1..9: an action each, the command told which
            for n, key in enumerate(wk.keys, 1):
                numbered = QAction(f"{wk.purpose.capitalize()} {n}", window)
                numbered.setShortcut(QKeySequence(key))
                numbered.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
                numbered.triggered.connect(lambda _=False, n=n, command=commands[wk.action]: command(n))
                window.addAction(numbered)
                by_name[f"{wk.action}_{n}"] = numbered
            continue
        action = QAction(menu_text(wk.help), window)
        action.setShortcuts([QKeySequence(k) for k in wk.keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(commands[wk.action])
        window.addAction(action)
        by_name[wk.action] = action
    for name, text in MENU_ONLY.items():
        action = QAction(text, window)
        action.triggered.connect(commands[name])
        by_name[name] = action
    by_option = _option_actions(window, codebook, keymap, toggle)

    bar = window.menuBar()
    for title, entries in MENUS:
        menu = bar.addMenu(title)
        if title == CODEBOOK_MENU:
            for scheme in codebook.schemes:
                sub = menu.addMenu(scheme.title)
                for option in scheme.options:
                    sub.addAction(by_option[(scheme.name, option.value)])
        for name in entries:
            if name is None:
                menu.addSeparator()
            elif name in NUMBERED:
                _numbered_menu(window, menu.addMenu(FOLD_MENU), codebook, commands[name], by_name, name)
            else:
                menu.addAction(by_name[name])
    return WindowActions(by_name, by_option)


def _numbered_menu(window: QMainWindow, menu: QMenu, codebook: Codebook, command: Callable[..., object],
                   by_name: dict[str, QAction], name: str) -> None:
    """One entry per scheme, named by its title: the first nine are the Ctrl+1..9 actions themselves
    (so the menu shows their keys); a tenth scheme on has an entry without a key. Checkable: the
    window ticks the entries of the schemes folded now."""
    for n, scheme in enumerate(codebook.schemes, 1):
        action = by_name.get(f"{name}_{n}")
        if action is None:
            action = QAction(window)
            action.triggered.connect(lambda _=False, n=n: command(n))
            by_name[f"{name}_{n}"] = action
        action.setText(scheme.title)
        action.setCheckable(True)
        menu.addAction(action)


def _option_actions(window: QMainWindow, codebook: Codebook, keymap: dict[str, tuple[str, str]],
                    toggle: Callable[[str, str], None]) -> dict[tuple[str, str], QAction]:
    keys_by_option = {sv: canon for canon, sv in keymap.items()}
    out: dict[tuple[str, str], QAction] = {}
    for scheme in codebook.schemes:
        for option in scheme.options:
            action = QAction(option.label, window)
            canon = keys_by_option.get((scheme.name, option.value))
            if canon:
                action.setShortcut(QKeySequence(qt_sequence(canon)))
                action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _=False, s=scheme.name, v=option.value: toggle(s, v))
            window.addAction(action)
            out[(scheme.name, option.value)] = action
    return out
