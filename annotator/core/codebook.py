"""The codebook: which schemes a coder fills in, their options and keys (TOML).

Every problem names the file, the scheme and the option, because a lead edits
this file by hand and needs to know exactly which line to fix.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.errors import AnnotatorError

SCHEME_KINDS = ("single", "multi")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_MODIFIERS = ("ctrl", "alt", "shift", "meta")



@dataclass(frozen=True)
class WindowKey:
    """One command of the coding window and the keys bound to it."""

    action: str  # the name the window gives the command
    keys: tuple[str, ...]  # spelled as Qt's QKeySequence reads them: "Ctrl+Shift+Z", "Return", "J"
    purpose: str  # short, for a clash message: "... clashes with the window's own key for <purpose>"
    help: str  # the line in Help > Keyboard


# Every key the coding window binds, in the order Help > Keyboard lists them. This is the
# one list: the window builds its shortcuts and help from it, and a codebook (checked at
# load, whether by `annotator codebook --set` or by the window) may use none of these keys.
WINDOW_KEYS: tuple[WindowKey, ...] = (
    WindowKey("done_next", ("Return", "Enter"), "done and next",
              "Mark this item done and go to the next unlabelled item in the filter (or your assignment)"),
    WindowKey("next", ("Right", "J"), "next item", "Next item in the filter"),
    WindowKey("previous", ("Left", "K"), "previous item", "Previous item in the filter"),
    WindowKey("undo", ("Ctrl+Z",), "undo", "Undo your last change (goes to the item it changed)"),
    WindowKey("redo", ("Ctrl+Shift+Z",), "redo", "Redo the change you undid"),
    WindowKey("search", ("Ctrl+F",), "search", "Search the question and answer text (Enter applies)"),
    WindowKey("flag", ("F",), "flag", "Flag the item as unsure (again to unflag)"),
    WindowKey("note", ("N",), "note", "Write a note on the item"),
    WindowKey("context", ("Ctrl+E",), "show or hide the pairs before and after",
              "Show or hide the pairs before and after in the conference"),
    WindowKey("list", ("Ctrl+L",), "the item list", "Go to the item list (Up/Down pick an item)"),
    WindowKey("clear_filter", ("Ctrl+Shift+F",), "clear the filter", "Clear every filter"),
    WindowKey("keyboard_help", ("F1",), "the list of keys", "This list of keys"),
    WindowKey("import", ("Ctrl+I",), "import", "Import transcripts"),
    WindowKey("export", ("Ctrl+Shift+E",), "export", "Export your labels (JSONL, or a label file for the lead)"),
    WindowKey("quit", ("Ctrl+Q",), "close the window", "Close the window (everything is already saved)"),
    WindowKey("back", ("Escape",), "leave the note or search field",
              "Leave the note, search or filter field and go back to the item"),
)


def _canonical(key: str) -> str:
    # Named keys (Return, Left, Escape) cannot be a codebook key at all; listed lower-cased for completeness.
    try:
        return normalise_key(key)
    except ValueError:
        return key.lower()


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    key: str = ""
    description: str = ""


@dataclass(frozen=True)
class Scheme:
    name: str
    kind: str
    title: str
    options: tuple[Option, ...]
    ordered: bool = False

    @property
    def values(self) -> list[str]:
        return [o.value for o in self.options]

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)


@dataclass(frozen=True)
class Codebook:
    name: str
    version: int
    schemes: tuple[Scheme, ...] = field(default_factory=tuple)

    def scheme(self, name: str) -> Scheme | None:
        return next((s for s in self.schemes if s.name == name), None)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Codebook:
        data = json.loads(text)
        return cls(
            name=data["name"],
            version=data["version"],
            schemes=tuple(
                Scheme(
                    name=s["name"],
                    kind=s["kind"],
                    title=s["title"],
                    ordered=s["ordered"],
                    options=tuple(Option(**o) for o in s["options"]),
                )
                for s in data["schemes"]
            ),
        )


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


# Canonical key -> what the window does with it; a codebook may not take these keys.
RESERVED_KEYS: dict[str, str] = {_canonical(k): wk.purpose for wk in WINDOW_KEYS for k in wk.keys}


def load_codebook(path: str | Path) -> Codebook:
    """Read and validate a codebook file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AnnotatorError(f"{path}: no such codebook file") from None
    except IsADirectoryError:
        raise AnnotatorError(f"{path}: is a folder, not a codebook file") from None
    except PermissionError:
        raise AnnotatorError(f"{path}: cannot read the codebook (permission denied)") from None
    except UnicodeDecodeError:
        raise AnnotatorError(f"{path}: the codebook is not UTF-8 text") from None
    return parse_codebook(text, str(path))


def parse_codebook(text: str, where: str = "codebook") -> Codebook:
    """Parse codebook TOML text; ``where`` names the file in every error."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise AnnotatorError(f"{where}: TOML syntax error: {e}") from None
    return _validate(data, where)


def _fail(where: str, msg: str) -> AnnotatorError:
    return AnnotatorError(f"{where}: {msg}")


def _validate(data: dict[str, Any], where: str) -> Codebook:
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _fail(where, "the codebook needs a 'name' (text)")
    version = data.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool):
        raise _fail(where, "'version' must be a whole number")
    raw_schemes = data.get("schemes")
    if not isinstance(raw_schemes, list) or not raw_schemes:
        raise _fail(where, "the codebook has no [[schemes]]")
    schemes: list[Scheme] = []
    keys_seen: dict[str, str] = {}
    for i, raw in enumerate(raw_schemes, 1):
        if not isinstance(raw, dict):
            raise _fail(where, f"scheme {i} is not a table")
        sname = raw.get("name")
        if not isinstance(sname, str) or not _NAME.match(sname):
            raise _fail(where, f"scheme {i}: 'name' must be lower-case letters, digits and _ (got {sname!r})")
        at = f"{where}: scheme '{sname}'"
        if any(s.name == sname for s in schemes):
            raise AnnotatorError(f"{at}: duplicate scheme name")
        kind = raw.get("kind")
        if kind not in SCHEME_KINDS:
            raise AnnotatorError(f"{at}: unknown kind {kind!r} (use 'single' or 'multi')")
        ordered = raw.get("ordered", False)
        if not isinstance(ordered, bool):
            raise AnnotatorError(f"{at}: 'ordered' must be true or false")
        if ordered and kind != "single":
            raise AnnotatorError(f"{at}: only single-choice schemes can be ordered")
        raw_options = raw.get("options")
        if not isinstance(raw_options, list) or not raw_options:
            raise AnnotatorError(f"{at}: the scheme has no options")
        options: list[Option] = []
        for j, ro in enumerate(raw_options, 1):
            if not isinstance(ro, dict):
                raise AnnotatorError(f"{at}: option {j} is not a table")
            value = ro.get("value")
            if not isinstance(value, str) or not value.strip():
                raise AnnotatorError(f"{at}: option {j} needs a 'value' (text)")
            oat = f"{at}, option '{value}'"
            if any(o.value == value for o in options):
                raise AnnotatorError(f"{oat}: duplicate value")
            unknown = set(ro) - {"value", "label", "key", "description"}
            if unknown:
                raise AnnotatorError(f"{oat}: unknown field(s) {', '.join(sorted(unknown))}")
            key = ro.get("key", "")
            if not isinstance(key, str):
                raise AnnotatorError(f"{oat}: 'key' must be text, e.g. key = \"1\"")
            if key:
                try:
                    canon = normalise_key(key)
                except ValueError as e:
                    raise AnnotatorError(f"{oat}: {e}") from None
                if canon in RESERVED_KEYS:
                    raise AnnotatorError(
                        f"{oat}: key '{key}' clashes with the window's own key for {RESERVED_KEYS[canon]}"
                    )
                if canon in keys_seen:
                    raise AnnotatorError(f"{oat}: key '{key}' is already used by {keys_seen[canon]}")
                keys_seen[canon] = f"scheme '{sname}', option '{value}'"
            label = ro.get("label", value)
            description = ro.get("description", "")
            if not isinstance(label, str) or not isinstance(description, str):
                raise AnnotatorError(f"{oat}: 'label' and 'description' must be text")
            options.append(Option(value=value, label=label, key=key, description=description))
        title = raw.get("title", sname)
        if not isinstance(title, str):
            raise AnnotatorError(f"{at}: 'title' must be text")
        schemes.append(Scheme(name=sname, kind=kind, title=title, options=tuple(options), ordered=ordered))
    return Codebook(name=name, version=version, schemes=tuple(schemes))


def orphans(codebook: Codebook, used: dict[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    """The (scheme, value) pairs that labels use but ``codebook`` lacks, with their label counts."""
    known = {(s.name, v) for s in codebook.schemes for v in s.values}
    return {sv: n for sv, n in sorted(used.items()) if sv not in known}


def default_codebook_path() -> Path:
    return Path(__file__).resolve().parents[2] / "resources" / "codebook.toml"
