"""Prodigy's ``db-out`` records for its choice interface: one record per coder and scheme.

Prodigy identifies inputs and tasks by ``_input_hash`` and ``_task_hash``, 32-bit signed
integers (murmurhash in Prodigy). Ours come from SHA-1 so they are the same on every
machine and every run: the input hash from the text, the task hash from the input hash,
the scheme and its options. ``_session_id`` and ``_annotator_id`` follow Prodigy's
"dataset-session" naming, with the project file's stem as the dataset.

A coder's answer is the value they gave (``Row.given``): a done item's untouched
multi-choice scheme is answered with nothing accepted, marked ``meta.from_done``.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from annotator.core.codebook import Scheme
from annotator.core.export.rows import DISAGREEMENT, UNLABELLED, LabelValue, Row


def hash32(*parts: Any) -> int:
    """A stable signed 32-bit integer for ``parts`` (JSON-encoded, then SHA-1)."""
    digest = hashlib.sha1(json.dumps(parts, ensure_ascii=False).encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big", signed=True)


def unix_time(stamp: str | None) -> int | None:
    if not stamp:
        return None
    try:
        return int(datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp())
    except ValueError:
        return None


class ProdigyWriter:
    def __init__(self, schemes: list[Scheme], selection: str, coder: str | None, text: str,
                 include_unlabelled: bool, dataset: str) -> None:
        self.schemes = schemes
        self.selection = selection
        self.coder = coder
        self.text = text
        self.include_unlabelled = include_unlabelled
        self.dataset = dataset
        self.options = {s.name: [{"id": o.value, "text": o.label} for o in s.options] for s in schemes}
        self.styles = {s.name: "multiple" if s.kind == "multi" else "single" for s in schemes}

    def _task(self, row: Row, scheme: Scheme, text: str, input_hash: int) -> dict[str, Any]:
        return {
            "text": text,
            "meta": {
                "uid": row.uid, "scheme": scheme.name, "kind": row.kind, "date": row.date,
                "outlet": row.outlet, "spokesperson": row.spokesperson,
                "source": row.source_name, "seq": row.seq,
            },
            "options": self.options[scheme.name],
            "_input_hash": input_hash,
            "_task_hash": hash32(input_hash, scheme.name, [o["id"] for o in self.options[scheme.name]]),
            "_view_id": "choice",
            "config": {"choice_style": self.styles[scheme.name]},
        }

    def _answered(self, task: dict[str, Any], value: LabelValue, who: str, at: str | None) -> dict[str, Any]:
        task["accept"] = value if isinstance(value, list) else [value]
        task["answer"] = "accept"
        task["_annotator_id"] = f"{self.dataset}-{who}"
        task["_session_id"] = f"{self.dataset}-{who}"
        task["_timestamp"] = unix_time(at)
        return task

    def records(self, row: Row) -> tuple[list[dict[str, Any]], str | None]:
        text = row.text(self.text)
        input_hash = hash32(text)
        out: list[dict[str, Any]] = []
        why: str | None = None
        if self.selection == "gold":
            values, why = row.consensus(self.schemes)
            if why == DISAGREEMENT:
                return [], why
            for s in self.schemes:
                if s.name in values:
                    at = row.consensus_at(s)
                    out.append(self._answered(self._task(row, s, text, input_hash), values[s.name], "gold", at))
        else:
            coders = [self.coder] if self.selection == "coder" else row.coders()
            for coder in coders:
                assert coder is not None
                for s in self.schemes:
                    value = row.given(coder, s)
                    if value is not None:
                        task = self._answered(self._task(row, s, text, input_hash), value, coder, row.given_at(coder, s))
                        if s.name not in row.labels.get(coder, {}):
                            # The value follows from the done mark, which a Prodigy record cannot carry:
                            # said so, so that ``annotator merge`` does not write it as a label row.
                            task["meta"]["from_done"] = True
                        out.append(task)
            if not out:
                why = f"not labelled by {self.coder}" if self.selection == "coder" else UNLABELLED
        if out:
            return out, None
        if self.include_unlabelled:
            # Unanswered tasks: Prodigy's input format, ready to be annotated there.
            return [self._task(row, s, text, input_hash) for s in self.schemes], None
        return [], why
