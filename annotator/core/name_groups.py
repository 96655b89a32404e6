"""One entry for each outlet and spokesperson, whatever the language a page writes its name in.

A project holding the English and the Chinese pages of the same briefings names one
spokesperson twice ("Hua Chunying", "华春莹") and one outlet in several spellings ("AFP",
"Agence France-Presse", "法新社"). The filters offer each once, under its English name, and a
filter on it finds every spelling: the people from ``speakers``' table (what puts both
languages in one conference), the outlets from the alignment's (``resources/alignment.toml``).
A name neither table knows is its own group, as the importer normalised it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from annotator.core.alignment.lexicon import outlet_name
from annotator.core.importers.conference import romanised

OUTLET, SPOKESPERSON = "outlet_norm", "spokesperson_norm"  # the items' columns the groups are of


def group_name(column: str, name: str) -> str:
    """The name of the group ``name`` (a normalised outlet or spokesperson) belongs to."""
    if column == OUTLET:
        return outlet_name(name) or name
    if column == SPOKESPERSON:
        return romanised(name)
    raise ValueError(column)


@dataclass(frozen=True)
class NameGroup:
    """One outlet or spokesperson: the name a filter holds, its spellings in the project (the
    most frequent first) and the items that carry any of them."""

    name: str
    spellings: tuple[str, ...]
    count: int

    @property
    def label(self) -> str:
        """"Hua Chunying · 华春莹": the group's name, then its other spellings."""
        return " · ".join([self.name, *(s for s in self.spellings if s != self.name)])


def grouped(column: str, counts: Iterable[tuple[str, int]]) -> list[NameGroup]:
    """The groups of ``counts`` (each spelling with its items, as the store counts them), the
    most frequent first, then by name."""
    spellings: dict[str, list[tuple[str, int]]] = {}
    for name, n in counts:
        spellings.setdefault(group_name(column, name), []).append((name, n))
    groups = [NameGroup(name, tuple(s for s, _ in sorted(members, key=lambda m: (-m[1], m[0]))),
                        sum(n for _, n in members))
              for name, members in spellings.items()]
    return sorted(groups, key=lambda g: (-g.count, g.name))


def spellings_of(column: str, name: str, present: Iterable[str]) -> list[str]:
    """The names in ``present`` (a column's values) in the group ``name`` belongs to, and ``name``
    itself: what a filter on ``name`` matches."""
    group = group_name(column, name)
    return sorted({name, *(p for p in present if group_name(column, p) == group)})
