"""The codebook: which schemes a coder fills in, their options and keys (TOML).

Every problem names the file, the scheme and the option, because a lead edits
this file by hand and needs to know exactly which line to fix.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from annotator.core.errors import AnnotatorError
from annotator.core.items import KINDS as ITEM_KINDS
from annotator.core.validate import MAX_VALUE_CHARS, check_regular_file, fits_a_label, label_size, short
from annotator.core.window_keys import RESERVED_KEYS, normalise_key
from annotator.core.wording import plural

SCHEME_KINDS = ("single", "multi")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_SCHEME_FIELDS = {"name", "kind", "title", "ordered", "required", "applies_to", "options"}

# What a coder's label for one scheme on one item is (``Scheme.meaning``): a value, the
# multi-choice empty set ("none of these", said explicitly), no label although the scheme
# asks for one, or nothing to say because the scheme does not apply to the item's kind.
VALUE, EMPTY, MISSING, NOT_APPLICABLE = "value", "empty", "missing", "not applicable"


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    key: str = ""
    description: str = ""


# A label's value: a string for a single-choice scheme, a list for a multi-choice one;
# None means "no label" (no row in ``labels``, SQL NULL in history).
LabelValue = str | list[str] | None


@dataclass(frozen=True)
class Scheme:
    """One question of the codebook, and the one home of every rule about its values.

    A single-choice value is one option's value; a multi-choice value is a list of
    option values in codebook order, without repeats. ``None`` is "no label". An
    empty list is a multi-choice value of its own ("none of these"), kept apart
    from ``None``: unticking the last option goes back to no label (``toggle``),
    and only a row that says ``[]`` is the empty set (``given``).

    ``applies_to`` are the item kinds the scheme is asked of (``applies``); on an item
    of another kind it is *not applicable*: never shown, never missing, never a value.
    ``required``: an item is not done while the scheme applies and has no value
    (``satisfied``).
    """

    name: str
    kind: str
    title: str
    options: tuple[Option, ...]
    ordered: bool = False
    required: bool = False
    applies_to: tuple[str, ...] = ITEM_KINDS

    @cached_property
    def values(self) -> tuple[str, ...]:
        # Cached: merge and export ask for it once per label, hundreds of thousands of times.
        return tuple(o.value for o in self.options)

    @cached_property
    def _known(self) -> frozenset[str]:
        return frozenset(self.values)

    @cached_property
    def _order(self) -> dict[str, int]:
        return {v: i for i, v in enumerate(self.values)}

    @property
    def multi(self) -> bool:
        return self.kind == "multi"

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)

    @cached_property
    def _labels(self) -> dict[str, str]:
        return {o.value: o.label for o in self.options}

    def label_of(self, value: str) -> str:
        """What a reader sees for an option value: the codebook's label ("hong_kong" reads
        "Hong Kong / Macao"); a value the codebook lacks (kept with ``--force``) as stored.
        The one rule of value to display text: the coding window, review and the report."""
        return self._labels.get(value, value)

    def canonical(self, value: Any, *, allow_unknown: bool = False) -> LabelValue:
        """``value`` in its one stored form, or AnnotatorError naming what does not fit.

        Multi-choice: a list in codebook order without repeats. With ``allow_unknown`` (a
        merge told to ``--force``), values the codebook lacks are kept, after the known
        ones and sorted, and a value of the wrong shape is returned as it is.
        """
        if value is None:
            return None
        if not self.multi:
            if isinstance(value, str) and value in self._known:
                return value
            if allow_unknown:
                return value
            if not isinstance(value, str):
                raise AnnotatorError(f"scheme '{self.name}' is single-choice: give one option, not {short(value)}")
            raise AnnotatorError(f"scheme '{self.name}' has no option '{short(value)}'")
        if isinstance(value, str):
            if not allow_unknown:
                raise AnnotatorError(f"scheme '{self.name}' is multi-choice: give a list of options")
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            if allow_unknown:
                return value
            raise AnnotatorError(f"scheme '{self.name}' is multi-choice: give a list of options")
        unknown = self.unknown(value)
        if unknown and not allow_unknown:
            raise AnnotatorError(f"scheme '{self.name}' has no option '{short(unknown[0])}'")
        chosen = set(value)
        return sorted(chosen, key=lambda v: (self._order.get(v, len(self._order)), v))

    def unknown(self, value: Any) -> list[str]:
        """The parts of ``value`` this scheme has no option for (a wrong shape counts whole)."""
        if value is None:
            return []
        if self.multi:
            if not isinstance(value, list):
                return [short(value)]
            return [v if isinstance(v, str) else short(v) for v in value if v not in self._known]
        return [] if isinstance(value, str) and value in self._known else [value if isinstance(value, str) else short(value)]

    def misshapen(self, value: Any) -> bool:
        """Whether ``value`` is of the other kind than this scheme's: a list where it is
        single-choice, one value where it is multi-choice (a value kept from before the scheme
        changed kind, by a forced codebook change)."""
        return value is not None and isinstance(value, list) != self.multi

    def as_set(self, value: Any) -> frozenset[str]:
        """The options a value holds, whatever its shape: what comparisons between coders use."""
        return value_options(value)

    def same(self, a: Any, b: Any) -> bool:
        """Whether two stored values say the same thing (a multi-choice list's order carries no meaning)."""
        if a is None or b is None:
            return a is b
        if self.multi and isinstance(a, list) and isinstance(b, list):
            return self.as_set(a) == self.as_set(b)
        return a == b

    def applies(self, kind: str) -> bool:
        """Whether the scheme is asked of an item of ``kind`` (``qa``, ``statement``, ``reported``)."""
        return kind in self.applies_to

    def given(self, value: LabelValue, *, kind: str) -> LabelValue:
        """The value a coder gave this scheme on one item of ``kind``, from their label row
        (``value``; None when there is no row). None: they gave none (``meaning`` says why).

        The one home of what a label means; agreement, review, gold and every export read a
        coder's value through here:

        * a scheme that does not apply to the item's kind has no value, whatever row a
          codebook change or a merge left behind (not applicable: never missing, never empty);
        * a label row is the coder's value, an explicit ``[]`` included ("none of these"):
          the window writes it when the coder marks the item done with the scheme on screen
          and nothing ticked, a label file or database brings it when it says so;
        * no row is no label (missing), however the item is marked: a scheme the coder never
          had on screen (added later, left out of a merged file) is never agreed on.
        """
        return value if kind in self.applies_to else None

    def meaning(self, value: LabelValue, *, kind: str) -> str:
        """What the label row ``value`` (None: none) says on an item of ``kind``: VALUE,
        EMPTY (the multi-choice "none of these"), MISSING or NOT_APPLICABLE."""
        if kind not in self.applies_to:
            return NOT_APPLICABLE
        if value is None:
            return MISSING
        return EMPTY if value == [] else VALUE

    def satisfied(self, value: LabelValue, *, kind: str) -> bool:
        """Whether this scheme lets an item of ``kind`` be done with ``value`` (its given value):
        a required scheme that applies needs a value, a multi-choice one at least one option.
        (``store.browse`` says the same in SQL, for the coder's list and counts.)"""
        if not self.required or kind not in self.applies_to:
            return True
        return value is not None and value != []

    def category(self, value: Any) -> str | frozenset[str]:
        """A value as one category that can be counted and compared: the set of its options
        (multi-choice), or the option itself (single-choice; a value of the wrong shape, kept
        by a forced merge, as its JSON text)."""
        if self.multi:
            return self.as_set(value)
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)

    def toggle(self, value: LabelValue, option: str) -> LabelValue:
        """The value after the coder presses ``option``'s key: a multi-choice option joins or
        leaves the set (leaving none is no label again); a single-choice option becomes the
        value or, if it was the value, clears it. An option the codebook lacks is refused;
        options a forced merge kept outside the codebook do not survive a toggle (the coder
        cannot see them, and the value written must be one the codebook takes)."""
        if option not in self._known:
            raise AnnotatorError(f"scheme '{self.name}' has no option '{short(option)}'")
        if self.multi:
            chosen = (self.as_set(value) & self._known) ^ {option}
            return self.canonical(list(chosen)) if chosen else None
        return None if value == option else option


def shape_of(value: Any) -> str:
    """A value's kind in words, as the messages about a misshapen value (``Scheme.misshapen``) say it."""
    return "a list" if isinstance(value, list) else "one value"


def value_options(value: Any) -> frozenset[str]:
    """The options a stored value holds, whatever its shape or scheme (a scheme the codebook
    lacks included): a list's members, or the one value; parts that are not text as short JSON."""
    if value is None:
        return frozenset()
    if isinstance(value, list):
        return frozenset(v if isinstance(v, str) else short(v) for v in value)
    return frozenset([value if isinstance(value, str) else short(value)])


@dataclass(frozen=True)
class Codebook:
    name: str
    version: int
    schemes: tuple[Scheme, ...] = field(default_factory=tuple)

    def scheme(self, name: str) -> Scheme | None:
        return self._by_name.get(name)

    def applying(self, kind: str) -> list[Scheme]:
        """The schemes asked of an item of ``kind``: what the coding window shows for it."""
        return [s for s in self.schemes if s.applies(kind)]

    def unmet(self, kind: str, labels: dict[str, LabelValue]) -> list[Scheme]:
        """The required schemes that keep an item of ``kind`` with label rows ``labels`` from
        being done (``Scheme.satisfied``), in codebook order."""
        return [s for s in self.schemes if not s.satisfied(s.given(labels.get(s.name), kind=kind), kind=kind)]

    @cached_property
    def _by_name(self) -> dict[str, Scheme]:
        # Merge and export look a scheme up once per label.
        return {s.name: s for s in self.schemes}

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
                    # a codebook kept by an older version has neither: it reads as the defaults
                    required=s.get("required", False),
                    applies_to=tuple(s.get("applies_to", ITEM_KINDS)),
                )
                for s in data["schemes"]
            ),
        )


def load_codebook(path: str | Path) -> Codebook:
    """Read and validate a codebook file."""
    path = Path(path)
    check_regular_file(path, "a codebook file")
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
    except RecursionError:  # tomllib descends once per level of nesting
        raise AnnotatorError(f"{where}: nested too deeply to be a codebook") from None
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
            raise _fail(where, f"scheme {i}: 'name' must be lower-case letters, digits and _ (got '{short(sname)}')")
        at = f"{where}: scheme '{sname}'"
        if any(s.name == sname for s in schemes):
            raise AnnotatorError(f"{at}: duplicate scheme name")
        unknown_fields = set(raw) - _SCHEME_FIELDS
        if unknown_fields:  # a misspelt 'required' or 'applies_to' must not pass for its default
            raise AnnotatorError(f"{at}: {plural(len(unknown_fields), 'unknown field')}: {', '.join(sorted(unknown_fields))}")
        kind = raw.get("kind")
        if kind not in SCHEME_KINDS:
            raise AnnotatorError(f"{at}: unknown kind '{short(kind)}' (use 'single' or 'multi')")
        ordered = raw.get("ordered", False)
        if not isinstance(ordered, bool):
            raise AnnotatorError(f"{at}: 'ordered' must be true or false")
        if ordered and kind != "single":
            raise AnnotatorError(f"{at}: only single-choice schemes can be ordered")
        required = raw.get("required", False)
        if not isinstance(required, bool):
            raise AnnotatorError(f"{at}: 'required' must be true or false")
        applies_to = _applies_to(raw.get("applies_to", list(ITEM_KINDS)), at)
        raw_options = raw.get("options")
        if not isinstance(raw_options, list) or not raw_options:
            if required:
                raise AnnotatorError(f"{at}: 'required' on a scheme with no options (nothing could satisfy it)")
            raise AnnotatorError(f"{at}: the scheme has no options")
        options: list[Option] = []
        for j, ro in enumerate(raw_options, 1):
            if not isinstance(ro, dict):
                raise AnnotatorError(f"{at}: option {j} is not a table")
            value = ro.get("value")
            if not isinstance(value, str) or not value.strip():
                raise AnnotatorError(f"{at}: option {j} needs a 'value' (text)")
            oat = f"{at}, option '{short(value)}'"
            if not fits_a_label(value):
                raise AnnotatorError(f"{oat}: the value is {len(value):,} characters long (at most "
                                     f"{MAX_VALUE_CHARS:,}, what a label file holds)")
            if any(o.value == value for o in options):
                raise AnnotatorError(f"{oat}: duplicate value")
            unknown = set(ro) - {"value", "label", "key", "description"}
            if unknown:
                raise AnnotatorError(f"{oat}: {plural(len(unknown), 'unknown field')}: {', '.join(sorted(unknown))}")
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
        everything = [o.value for o in options]  # a coder may tick every option of a multi-choice scheme
        if kind == "multi" and not fits_a_label(everything):
            raise AnnotatorError(f"{at}: its options together are {label_size(everything):,} characters as one label "
                                 f"(at most {MAX_VALUE_CHARS:,}, what a label file holds): shorten their values")
        title = raw.get("title", sname)
        if not isinstance(title, str):
            raise AnnotatorError(f"{at}: 'title' must be text")
        schemes.append(Scheme(name=sname, kind=kind, title=title, options=tuple(options), ordered=ordered,
                              required=required, applies_to=applies_to))
    return Codebook(name=name, version=version, schemes=tuple(schemes))


def _applies_to(raw: Any, at: str) -> tuple[str, ...]:
    """``applies_to = ["qa", ...]`` as the item kinds in their one order, or one clear error."""
    kinds = ", ".join(repr(k) for k in ITEM_KINDS)
    if not isinstance(raw, list) or not all(isinstance(k, str) for k in raw):
        raise AnnotatorError(f"{at}: 'applies_to' must be a list of item kinds, e.g. applies_to = [\"qa\"] (kinds: {kinds})")
    if not raw:
        raise AnnotatorError(f"{at}: 'applies_to' is empty: the scheme would apply to no item (kinds: {kinds})")
    for k in raw:
        if k not in ITEM_KINDS:
            raise AnnotatorError(f"{at}: 'applies_to' names '{short(k)}', which is no item kind (kinds: {kinds})")
    return tuple(k for k in ITEM_KINDS if k in raw)


def orphans(codebook: Codebook, used: dict[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    """The (scheme, value) pairs that labels use but ``codebook`` lacks, with their label counts."""
    known = {(s.name, v) for s in codebook.schemes for v in s.values}
    return {sv: n for sv, n in sorted(used.items()) if sv not in known}


def rescaled(old: Codebook, new: Codebook, used: set[str]) -> list[str]:
    """What putting ``new`` in force in place of ``old`` changes in how agreement weighs the labels
    of a scheme that keeps its name and has labels (``used``: the schemes they are of), in words:
    an ordered scheme whose options come in another order (its ordinal alpha counts a disagreement
    by what lies between the two values in that order, so the same labels give another figure),
    or a scheme made ordered or unordered (ordinal alpha, or nominal). The labels keep their values."""
    out: list[str] = []
    for scheme in new.schemes:
        before = old.scheme(scheme.name)
        if before is None or scheme.name not in used or before.kind != scheme.kind:
            continue
        if before.ordered != scheme.ordered:
            out.append(f"scheme '{scheme.name}' is {'now' if scheme.ordered else 'no longer'} ordered: its agreement "
                       f"is {'ordinal' if scheme.ordered else 'nominal'} alpha from now on, on the same labels")
            continue
        kept = [v for v in scheme.values if v in before._known]
        was = [v for v in before.values if v in scheme._known]
        if scheme.ordered and kept not in (was, was[::-1]):  # the scale turned round measures the same distances
            out.append(f"the ordered scheme '{scheme.name}' now orders its options {', '.join(kept)} (was "
                       f"{', '.join(was)}): its ordinal alpha measures the "
                       "same labels' distances in the new order")
    return out


def default_codebook_path() -> Path:
    return Path(__file__).resolve().parents[2] / "resources" / "codebook.toml"
