"""Prodigy's ``db-out`` records for its choice interface: one record per coder and scheme.

Each record is one scheme's view of the item: its ``options`` are that scheme's only, and
their ids are ``scheme:value`` (``tone:neutral`` is not ``question_stance:neutral``), so
nothing of two schemes mixes when Prodigy groups a text's answers by ``_input_hash``
(``data-to-spacy``, ``train``) -- the ids are the labels it trains. ``annotator merge``
reads them back (and plain values of the record's ``meta.scheme`` too).

The hashes are computed the way Prodigy's ``set_hashes`` is documented to compute them
(prodi.gy/docs/api-components#set_hashes, and Explosion's answers on its forum): the
input hash from the input keys ``text``, ``image``, ``html``, ``input`` present in the
task; the task hash from the task keys ``spans``, ``label``, ``options``, ``arcs``,
prefixed by the input hash; keys in the ignore list never count; each a MurmurHash3
(x86, 32-bit, seed 0: the ``murmurhash`` package Prodigy and spaCy use) of the keys'
values serialised as JSON with sorted keys (what ``srsly.json_dumps(..., sort_keys=True)``
writes). Prodigy itself is closed source, so the serialisation is as documented, not
checked against Prodigy. So: the same text has the same input hash in every scheme and
for every coder, and each scheme's task (text + its options) its own task hash.
``_session_id`` and ``_annotator_id`` follow Prodigy's "dataset-session" naming, with the
project file's stem as the dataset.

A coder's answer is the value they gave (``Row.given``): a done item's untouched
multi-choice scheme is answered with nothing accepted, marked ``meta.from_done`` (not
hashed: ``meta`` is no input or task key), which ``annotator merge`` skips.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import murmurhash

from annotator.core.codebook import Scheme
from annotator.core.export.rows import DISAGREEMENT, UNLABELLED, LabelValue, Row

INPUT_HASH_ATTR = "_input_hash"
TASK_HASH_ATTR = "_task_hash"
INPUT_KEYS = ("text", "image", "html", "input")
TASK_KEYS = ("spans", "label", "options", "arcs")
IGNORE_KEYS = ("score", "rank", "model", "source", "_view_id", "_session_id", "_annotator_id", "answer")


def get_hash(task: dict[str, Any], keys: Iterable[str], prefix: str | int = "",
             ignore: Iterable[str] = IGNORE_KEYS) -> int:
    """Prodigy's hash of ``task`` over ``keys`` (all the task's keys if it has none of them)."""
    ignored = set(ignore)
    values = {k: task[k] for k in keys if k in task and k not in ignored}
    if not values:
        values = {k: v for k, v in task.items() if k not in ignored and k not in (INPUT_HASH_ATTR, TASK_HASH_ATTR)}
    dumped = json.dumps(values, sort_keys=True, separators=(",", ":"))
    return murmurhash.hash(f"{prefix}{dumped}")


def set_hashes(task: dict[str, Any]) -> dict[str, Any]:
    """Add ``_input_hash`` and ``_task_hash`` to ``task`` (in place), as Prodigy's ``set_hashes``."""
    task[INPUT_HASH_ATTR] = get_hash(task, INPUT_KEYS)
    task[TASK_HASH_ATTR] = get_hash(task, TASK_KEYS, prefix=task[INPUT_HASH_ATTR])
    return task


def option_id(scheme: str, value: str) -> str:
    return f"{scheme}:{value}"


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
        self.options = {s.name: [{"id": option_id(s.name, o.value), "text": o.label} for o in s.options] for s in schemes}
        self.styles = {s.name: "multiple" if s.kind == "multi" else "single" for s in schemes}

    def _task(self, row: Row, scheme: Scheme, text: str) -> dict[str, Any]:
        task = {
            "text": text,
            "meta": {
                "uid": row.uid, "scheme": scheme.name, "kind": row.kind, "date": row.date,
                "outlet": row.outlet, "spokesperson": row.spokesperson,
                "source": row.source_name, "seq": row.seq,
            },
            "options": self.options[scheme.name],
        }
        set_hashes(task)  # before any answer: a task is the question, not what was said
        task["_view_id"] = "choice"
        task["config"] = {"choice_style": self.styles[scheme.name]}
        return task

    def _answered(self, task: dict[str, Any], scheme: str, value: LabelValue, who: str,
                  at: str | None) -> dict[str, Any]:
        chosen = value if isinstance(value, list) else [value]
        task["accept"] = [option_id(scheme, v) for v in chosen if v is not None]
        task["answer"] = "accept"
        task["_annotator_id"] = f"{self.dataset}-{who}"
        task["_session_id"] = f"{self.dataset}-{who}"
        task["_timestamp"] = unix_time(at)
        return task

    def records(self, row: Row) -> tuple[list[dict[str, Any]], str | None]:
        text = row.text(self.text)
        out: list[dict[str, Any]] = []
        why: str | None = None
        if self.selection == "gold":
            values, why = row.consensus(self.schemes)
            if why == DISAGREEMENT:
                return [], why
            for s in self.schemes:
                if s.name in values:
                    at = row.consensus_at(s)
                    out.append(self._answered(self._task(row, s, text), s.name, values[s.name], "gold", at))
        else:
            coders = [self.coder] if self.selection == "coder" else row.coders()
            for coder in coders:
                assert coder is not None
                for s in self.schemes:
                    value = row.given(coder, s)
                    if value is not None:
                        task = self._answered(self._task(row, s, text), s.name, value, coder, row.given_at(coder, s))
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
            return [self._task(row, s, text) for s in self.schemes], None
        return [], why
