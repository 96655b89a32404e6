"""The coding window's own keys, and the one spelling of a key by which clashes are found.

``WINDOW_KEYS`` is the one list: the window builds its shortcuts, menus and Help >
Keyboard from it, and the codebook loader refuses an option key that is one of
them, or Alt and the letter that opens one of the menus (``MENU_TITLES``): ``RESERVED_KEYS``,
whether the codebook is set by ``annotator codebook --set`` or opened by the window. No Qt here: the spellings are those Qt's QKeySequence reads.
"""

from __future__ import annotations

from dataclasses import dataclass

_MODIFIERS = ("ctrl", "alt", "shift", "meta")


@dataclass(frozen=True)
class WindowKey:
    """One command of the coding window and the keys bound to it."""

    action: str  # the name the window gives the command
    keys: tuple[str, ...]  # spelled as Qt's QKeySequence reads them: "Ctrl+Shift+Z", "Return", "J"
    purpose: str  # short, for a clash message: "... clashes with the window's own key for <purpose>"
    help: str  # the line in Help > Keyboard


# Every key the coding window binds, in the order Help > Keyboard lists them.
WINDOW_KEYS: tuple[WindowKey, ...] = (
    WindowKey("done_next", ("Return", "Enter"), "done and next",
              "Mark this item done and go to the next unlabelled item in the filter (or your assignment)"),
    WindowKey("next", ("Right", "J"), "next item", "Next item in the filter"),
    WindowKey("previous", ("Left", "K"), "previous item", "Previous item in the filter"),
    WindowKey("undo", ("Ctrl+Z",), "undo", "Undo your last change (goes to the item it changed)"),
    WindowKey("redo", ("Ctrl+Shift+Z",), "redo", "Redo the change you undid"),
    WindowKey("search", ("Ctrl+F",), "search", "Search the question and answer text (Enter applies)"),
    WindowKey("accept_suggestions", ("Ctrl+Return", "Ctrl+Enter"), "take the suggestions",
              "Take the suggestions marked beside the options (all of this item's, one undo step; "
              "never shown on the reliability sample)"),
    WindowKey("flag", ("F",), "flag", "Flag the item as unsure (again to unflag)"),
    WindowKey("note", ("N",), "note", "Write a note on the item"),
    WindowKey("context", ("Ctrl+E",), "show or hide the pairs before and after",
              "Show or hide the pairs before and after in the conference"),
    WindowKey("other_language", ("Ctrl+T",), "show or hide the other language",
              "Show or hide this pair in the other language: the Chinese under an English pair, the English under "
              "a Chinese one (remembered)"),
    WindowKey("list", ("Ctrl+L",), "the item list", "Go to the item list (Up/Down pick an item)"),
    WindowKey("goto", ("Ctrl+G",), "go to an item",
              "Go to an item: its number in the list (12), its number in the conference on screen (c3), or its uid"),
    WindowKey("sort", ("Ctrl+Shift+O",), "sort the list",
              "Sort the list by date, outlet, spokesperson, status, or back to import order (again for the next)"),
    WindowKey("clear_filter", ("Ctrl+Shift+F",), "clear the filter", "Clear every filter"),
    WindowKey("keyboard_help", ("F1",), "the list of keys", "This list of keys"),
    WindowKey("correct", ("Ctrl+K",), "correct the import",
              "Correct the import of this item (split, merge with the next, where the question ends, "
              "outlet, spokesperson, date; or flag a problem for the lead)"),
    WindowKey("import", ("Ctrl+I",), "import", "Import transcripts"),
    WindowKey("export", ("Ctrl+Shift+E",), "export", "Export your labels (JSONL, or a label file for the lead)"),
    WindowKey("quit", ("Ctrl+Q",), "close the window", "Close the window (everything is already saved)"),
    WindowKey("back", ("Escape",), "leave the note or search field",
              "Leave the note, search or filter field and go back to the item"),
    WindowKey("zoom_in", ("Ctrl+=", "Ctrl++"), "larger text", "Larger text (remembered)"),
    WindowKey("zoom_out", ("Ctrl+-",), "smaller text", "Smaller text (remembered)"),
    WindowKey("zoom_reset", ("Ctrl+0",), "text at its usual size", "Text at its usual size"),
    WindowKey("dark", ("Ctrl+Shift+D",), "the dark look", "Dark or light look (first follows the system; remembered)"),
    WindowKey("toggle_list", ("Ctrl+Shift+L",), "show or hide the item list", "Show or hide the item list"),
    WindowKey("focus_mode", ("F11",), "focus mode",
              "Focus mode: the pair and the codebook only (F11 again brings the list and menus back)"),
    WindowKey("fold", tuple(f"Ctrl+{n}" for n in range(1, 10)), "fold a scheme",
              "Fold or unfold the codebook's first to ninth scheme, in the codebook's order (a click on its "
              "title too; remembered): a folded scheme shows its values on its title line, and an option's key "
              "unfolds it"),
)
NUMBERED = {"fold"}  # one command for all its keys, told which key it was by its number (Ctrl+3 -> 3)


def normalise_key(key: str) -> str:
    """Canonical form of a key sequence such as 'Shift+T', so clashes are found whatever the spelling."""
    parts = [p.strip().lower() for p in key.split("+")]
    if any(not p for p in parts):
        raise ValueError(f"malformed key {key!r}")
    *mods, base = parts
    if any(m not in _MODIFIERS for m in mods) or len(set(mods)) != len(mods):
        raise ValueError(f"malformed key {key!r}")
    if len(base) != 1 and base not in {"f%d" % i for i in range(1, 13)}:
        raise ValueError(f"key {key!r} must be one character or F1-F12, with optional Ctrl/Alt/Shift")
    ordered_mods = [m for m in _MODIFIERS if m in mods]
    return "+".join(ordered_mods + [base])


def _canonical(key: str) -> str:
    # Named keys (Return, Left, Escape) cannot be a codebook key at all; listed lower-cased for completeness.
    try:
        return normalise_key(key)
    except ValueError:
        return key.lower()


# The coding window's menu bar, by name. Alt and the letter after "&" opens a menu (Qt's
# mnemonic): an option given that key was accepted and then never reached its option.
MENU_TITLES: dict[str, str] = {"file": "&File", "edit": "&Edit", "go": "&Go", "view": "&View",
                               "codebook": "&Codebook", "help": "&Help"}


def _mnemonic(title: str) -> str:
    return "alt+" + title[title.index("&") + 1].lower()


# Canonical key -> what the window does with it; a codebook may not take these keys.
RESERVED_KEYS: dict[str, str] = {
    **{_mnemonic(t): f"the {t.replace('&', '')} menu" for t in MENU_TITLES.values()},
    **{_canonical(k): wk.purpose for wk in WINDOW_KEYS for k in wk.keys},
}
