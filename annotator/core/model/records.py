"""What a model learns from: one value per (item, scheme), from the sources the lead chose.

``gold``: the adjudicated labels. ``consensus``: items two or more coders gave a value and
all gave the same one (``Scheme.same``). ``single``: items exactly one coder gave a value
(most of a project: everything outside the reliability sample). Where several sources
have a value for one item, gold wins over consensus, consensus over single. Values are
read as every other part of annotator reads them: coders' through
``agreement.project.coder_values`` and gold through ``Scheme.given``, so an empty set
("none of these") is a value and a scheme that does not apply is never one. A value the
codebook in force lacks (an option renamed or dropped, or the other kind of value, kept by a
forced ``codebook --set`` or merge: ``Scheme.unknown``) is not learnt from: its meaning under
the scheme now is not known, and the model can only suggest what the codebook offers.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from json.encoder import encode_basestring as _text  # json.dumps of a str, ensure_ascii=False
from typing import Any

from annotator.core.agreement.project import coder_values
from annotator.core.codebook import LabelValue, Scheme
from annotator.core.errors import AnnotatorError
from annotator.core.store import Store

SOURCES = ("gold", "consensus", "single")
DEFAULT_SOURCES = ("gold", "consensus")


def parse_sources(text: str) -> tuple[str, ...]:
    """``--from gold,consensus`` as the sources in their one order, or one clear line."""
    names = [s.strip() for s in text.split(",") if s.strip()]
    if not names:
        raise AnnotatorError(f"--from: name the sources to learn from ({', '.join(SOURCES)})")
    for n in names:
        if n not in SOURCES:
            raise AnnotatorError(f"--from: no source {n!r} (sources: {', '.join(SOURCES)})")
    return tuple(s for s in SOURCES if s in names)


@dataclass(frozen=True)
class Example:
    """One item's value of one scheme, and where it came from."""

    item_id: int
    value: LabelValue
    origin: str


def examples(store: Store, scheme: Scheme, sources: tuple[str, ...], ids: dict[str, int]) -> list[Example]:
    """The values of ``scheme`` to learn from, one per item, in item order (``ids``: item id by uid).
    An item whose value the codebook lacks gives none from that source (the module's docstring)."""
    found: dict[int, Example] = {}
    if "consensus" in sources or "single" in sources:
        for uid, by_coder in coder_values(store, scheme).items():
            values = list(by_coder.values())
            if any(scheme.unknown(v) for v in values):
                continue  # neither agreed on nor one coder's value in the codebook's terms
            if len(values) >= 2 and "consensus" in sources and all(scheme.same(values[0], v) for v in values[1:]):
                found[ids[uid]] = Example(ids[uid], values[0], "consensus")
            elif len(values) == 1 and "single" in sources:
                found[ids[uid]] = Example(ids[uid], values[0], "single")
    if "gold" in sources:
        for g in store.gold.values(scheme.name):
            value = scheme.given(g.value, kind=g.kind)
            if value is not None and not scheme.unknown(value):
                found[g.item_id] = Example(g.item_id, value, "gold")
    return [found[i] for i in sorted(found)]


def fingerprint(scheme: Scheme, found: list[Example], sources: tuple[str, ...], seed: int,
                uids: dict[int, str]) -> str:
    """Which labels trained a model: the hash of every (item uid, value, origin), the sources
    and the seed. The same labels give the same fingerprint in any copy of the project."""
    h = hashlib.sha256(json.dumps([scheme.name, list(sources), seed], ensure_ascii=False).encode("utf-8"))
    # Each line is json.dumps([uid, canonical value, origin], ensure_ascii=False), written out
    # of its parts: a scheme has a handful of values, each encoded once, not once an item.
    encoded: dict[Any, str] = {}
    for e in sorted(found, key=lambda e: uids[e.item_id]):
        key = (type(e.value), tuple(e.value) if isinstance(e.value, list) else e.value)
        value = encoded.get(key)
        if value is None:
            value = encoded[key] = json.dumps(scheme.canonical(e.value), ensure_ascii=False)
        h.update(f"[{_text(uids[e.item_id])}, {value}, {_text(e.origin)}]".encode())
    return h.hexdigest()[:16]


def scheme_fingerprint(scheme: Scheme) -> str:
    """What a model of ``scheme`` depends on in the codebook: its kind, options (values, labels,
    descriptions: what coders were asked) and the item kinds it applies to."""
    spec = {"name": scheme.name, "kind": scheme.kind, "applies_to": list(scheme.applies_to),
            "options": [[o.value, o.label, o.description] for o in scheme.options]}
    return hashlib.sha256(json.dumps(spec, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()[:16]
