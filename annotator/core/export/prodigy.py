"""Prodigy's ``db-out`` records for its choice interface: one record per coder and scheme.

Each record is one scheme's view of the item: its ``options`` are that scheme's only, and
their ids are ``scheme:value`` (``tone:neutral`` is not ``question_stance:neutral``), so
nothing of two schemes mixes when Prodigy groups a text's answers by ``_input_hash``
(``data-to-spacy``, ``train``) -- the ids are the labels it trains. ``annotator merge``
reads them back (and plain values of the record's ``meta.scheme`` too).

The hashes are made as Prodigy's ``set_hashes`` makes them: the input hash from the values
of the input keys ``text``, ``image``, ``html``, ``input`` the task has, the task hash
from those of the task keys ``spans``, ``label``, ``options``, ``arcs`` behind the input
hash (the keys as Prodigy's documentation and its maintainers name them); each value
written as JSON (compact, sorted keys, non-ASCII escaped, ``/`` as it is), the pieces
joined with nothing, and the whole hashed with MurmurHash3 x86 32-bit, seed 0, signed
(the ``murmurhash`` package Prodigy and spaCy use). Prodigy is closed source; this rule
reproduces the ``_input_hash`` and ``_task_hash`` of every record checked by hand of a
dataset Prodigy wrote (Explosion's prodigy-recipes, ``example-datasets/
annotated_reddit-INSULT-textcat.jsonl``: text, ``spans: []`` and a label, 8 of 8, among
them non-ASCII and ``/``). Not seen in any Prodigy output: how a list of option objects
is written (taken as the same JSON), the task with none of the keys, and whether other
Prodigy versions hash the same way: the same repository's github-issues dataset and the
hashes quoted in later public examples match neither this rule nor a JSON object of the
keys (``tests/interop/prodigy_hashes.py FILE`` checks any db-out file). So: the same text
has the same input hash in every scheme and for every coder, and each scheme's task
(text + its options) its own task hash.
``_session_id`` and ``_annotator_id`` follow Prodigy's "dataset-session" naming, with the
project file's stem as the dataset.

A coder's answer is the value they gave (``Row.given``): an explicit empty set is
answered with nothing accepted; a scheme they gave no value, or that does not apply
to the item's kind, has no record.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import murmurhash

from annotator.core.codebook import Scheme
from annotator.core.export.rows import DISAGREEMENT, OUTSIDE, UNLABELLED, LabelValue, Row, in_codebook

INPUT_HASH_ATTR = "_input_hash"
TASK_HASH_ATTR = "_task_hash"
INPUT_KEYS = ("text", "image", "html", "input")
TASK_KEYS = ("spans", "label", "options", "arcs")
# Prodigy's IGNORE_HASH_KEYS as printed from prodigy.util in a support-forum thread (2024)
IGNORE_KEYS = ("score", "rank", "model", "source", "pattern", "priority", "path", "_view_id", "_session_id",
               "_annotator_id", "answer")


def _json(value: Any) -> str:
    """One value as Prodigy writes it for hashing (srsly's JSON: compact, sorted keys, ASCII, '/' kept)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def get_hash(task: dict[str, Any], keys: Iterable[str], prefix: str | int = "",
             ignore: Iterable[str] = IGNORE_KEYS) -> int:
    """Prodigy's hash of ``task`` over ``keys``: MurmurHash3 of ``prefix`` and the JSON of each of
    ``keys`` the task has, in that order. A task with none of them is hashed over its other keys
    in name order, ignored ones left out (Prodigy's fallback as described, never seen)."""
    ignored = set(ignore)
    parts = [_json(task[k]) for k in keys if k in task and k not in ignored]
    if not parts:
        parts = [_json(task[k]) for k in sorted(task) if k not in ignored and k not in (INPUT_HASH_ATTR, TASK_HASH_ATTR)]
    return murmurhash.hash(f"{prefix}{''.join(parts)}")


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
                "uid": row.uid, "follow_up_of": row.follow_up_of, "scheme": scheme.name, "kind": row.kind, "date": row.date,
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
        outside = False  # an answer left out as an option the task lacks (in_codebook)
        if self.selection == "gold":
            values, why = row.consensus(self.schemes)
            if why == DISAGREEMENT:
                return [], why
            known = in_codebook(self.schemes, values)
            outside = len(known) < len(values)
            for s in self.schemes:
                if s.name in known:
                    at = row.consensus_at(s)
                    out.append(self._answered(self._task(row, s, text), s.name, known[s.name], "gold", at))
        else:
            coders = [self.coder] if self.selection == "coder" else row.coders()
            for coder in coders:
                assert coder is not None
                for s in self.schemes:
                    value = row.given(coder, s)
                    if value is not None and s.unknown(value):
                        outside = True
                    elif value is not None:
                        out.append(self._answered(self._task(row, s, text), s.name, value, coder,
                                                  row.given_at(coder, s)))
            if not out:
                why = f"not labelled by {self.coder}" if self.selection == "coder" else UNLABELLED
        if out:
            return out, None
        if outside:
            why = OUTSIDE
        if self.include_unlabelled:
            # Unanswered tasks: Prodigy's input format, ready to be annotated there.
            return [self._task(row, s, text) for s in row.applying(self.schemes)], None
        return [], why
