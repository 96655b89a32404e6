"""spaCy's text-classification records: ``{"text": ..., "cats": {LABEL: 1.0 | 0.0}}``.

Every option of the chosen scheme is present in ``cats`` (spaCy's textcat treats a
missing label as unknown, not as false). A single-choice scheme gives exactly one 1.0
(``textcat``); a multi-choice scheme any number (``textcat_multilabel``). An item
with no label for the scheme is left out: all zeros would be a claim nobody made.
"""

from __future__ import annotations

from typing import Any

from annotator.core.codebook import Scheme
from annotator.core.export.rows import Row


class SpacyWriter:
    def __init__(self, scheme: Scheme, selection: str, coder: str | None, text: str) -> None:
        self.scheme = scheme
        self.values = scheme.values
        self.selection = selection
        self.coder = coder
        self.text = text

    def records(self, row: Row) -> tuple[list[dict[str, Any]], str | None]:
        if self.selection == "coder":
            assert self.coder is not None
            value = row.given(self.coder, self.scheme)
            if value is None:
                return [], f"no {self.scheme.name} label by {self.coder}"
        else:
            values, why = row.consensus([self.scheme])
            if self.scheme.name not in values:
                return [], f"no gold {self.scheme.name} label ({why})"
            value = values[self.scheme.name]
        chosen = self.scheme.as_set(value)
        cats = {v: 1.0 if v in chosen else 0.0 for v in self.values}
        return [{"text": row.text(self.text), "cats": cats, "meta": {"uid": row.uid}}], None
