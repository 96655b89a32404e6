"""What an export is asked to do (``ExportOptions``) and what it did (``ExportSummary``)."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from annotator.core.errors import AnnotatorError
from annotator.core.wording import figure, plural

FORMATS = ("native", "prodigy", "spacy", "spacy-jsonl", "labelstudio")
TEXTS = ("pair", "answer", "question")
SELECTIONS = ("all", "gold", "coder")
LANGUAGE_WORDS = {"en": "English", "zh": "Chinese"}
DEFAULT_SPLIT = "train=0.8,dev=0.1,test=0.1"
_SPLIT_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass
class ExportOptions:
    """``selection``: "all" (every coder), "gold" (adjudicated, else unanimous among >= 2
    coders) or "coder" (``coder``'s own labels). ``None`` picks the format's default:
    every coder, except for spaCy, which needs one label per item and so a choice."""

    format: str = "native"
    selection: str | None = None
    coder: str | None = None
    include_unlabelled: bool = False
    text: str = "pair"
    scheme: str | None = None
    split: dict[str, float] | None = None
    seed: int = 0
    labels_file: bool = False
    ls_users: dict[str, str | int] | None = None  # Label Studio: coder -> user e-mail or id (--ls-users)
    provenance: bool = False  # with --gold, native: where each gold value came from
    with_translation: bool = False  # native: the aligned pair(s) in the other language (store.alignments)
    language: str | None = None  # only items of sources in this language ('en', 'zh')


@dataclass
class ExportSummary:
    format: str
    items: int = 0
    written: int = 0
    left_out: Counter[str] = field(default_factory=Counter)
    per_split: dict[str, int] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    cancelled: bool = False
    events: int = 0
    # A split that came out empty or more than 5 points off its share (``split.share_warnings``).
    split_warnings: list[str] = field(default_factory=list)
    per_split_conferences: dict[str, int] = field(default_factory=dict)
    # --format spacy: docs per tokenizer language, and the one config.cfg's pipeline has
    languages: dict[str, int] = field(default_factory=dict)
    config_lang: str | None = None

    def line(self) -> str:
        if self.cancelled:
            return f"export cancelled after {plural(self.items, 'item')}; nothing written"
        what = "label record" if self.format == "labels" else f"{self.format} record"
        parts = [f"wrote {plural(self.written, what)} from {plural(self.items, 'item')}"]
        if self.format == "labels":
            parts[0] += f" and {plural(self.events, 'history event')}"
        if self.per_split:
            parts.append(", ".join(f"{name} {figure(n)}" for name, n in self.per_split.items()))
        if self.left_out:
            reasons = ", ".join(f"{figure(n)} {why}" for why, n in sorted(self.left_out.items(), key=lambda kv: -kv[1]))
            parts.append(f"left out {plural(sum(self.left_out.values()), 'item')} ({reasons})")
        if len(self.languages) > 1:
            docs = " and ".join(f"{figure(n)} {LANGUAGE_WORDS.get(lang, lang)}" for lang, n in sorted(self.languages.items()))
            trained = LANGUAGE_WORDS.get(self.config_lang or "", self.config_lang)
            parts.append(f"docs in {docs}: config.cfg trains one pipeline, for {trained} (one tokenizer); "
                         "--language exports one language alone")
        if self.files:
            parts.append("to " + ", ".join(self.files))
        return "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "items": self.items,
            "written": self.written,
            "events": self.events,
            "left_out": dict(self.left_out),
            "per_split": self.per_split,
            "per_split_conferences": self.per_split_conferences,
            "split_warnings": self.split_warnings,
            "languages": self.languages,
            "config_lang": self.config_lang,
            "files": self.files,
            "cancelled": self.cancelled,
        }


def parse_split(text: str) -> dict[str, float]:
    """``train=0.8,dev=0.1,test=0.1`` -> ordered {name: fraction}; one clear error otherwise."""
    bad = f"--split {text!r}: expected name=fraction pairs that sum to 1, e.g. {DEFAULT_SPLIT}"
    out: dict[str, float] = {}
    for part in text.split(","):
        name, eq, frac = part.strip().partition("=")
        name = name.strip()
        if not eq or not _SPLIT_NAME.match(name) or name in out:
            raise AnnotatorError(bad)
        try:
            value = float(frac)
        except ValueError:
            raise AnnotatorError(bad) from None
        # 0 is allowed: "train=0.9,dev=0,test=0.1" writes an empty dev file, as asked.
        if not math.isfinite(value) or value < 0:
            raise AnnotatorError(f"--split {text!r}: fraction for {name!r} must be 0 or more")
        out[name] = value
    if len(out) < 2:
        raise AnnotatorError(bad)
    total = sum(out.values())
    if abs(total - 1.0) > 1e-6:
        raise AnnotatorError(f"--split {text!r}: fractions sum to {total:g}, not 1")
    return out
