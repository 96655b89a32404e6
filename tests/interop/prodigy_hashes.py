"""Check annotator's Prodigy hashing against records Prodigy wrote: which hashes it reproduces.

    python tests/interop/prodigy_hashes.py db-out.jsonl [more.jsonl ...]

Each record's ``_input_hash`` and ``_task_hash`` are recomputed from the record itself with
``annotator.core.export.prodigy.get_hash`` and compared. Prodigy sets the task hash when the
task is made, before anyone answers, so a recipe that lets the annotator change ``spans`` or
``options`` (ner.manual, say) gives records whose task hash cannot be recomputed from them;
the input hash can. Prints one line per file and exits 1 if any input hash differs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from annotator.core.export.prodigy import INPUT_KEYS, TASK_KEYS, get_hash  # noqa: E402


def check(path: Path) -> tuple[int, int, int]:
    """(records with both hashes, input hashes reproduced, task hashes reproduced)."""
    n = inputs = tasks = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            rec = json.loads(line)
            if not isinstance(rec.get("_input_hash"), int) or not isinstance(rec.get("_task_hash"), int):
                continue
            n += 1
            input_hash = get_hash(rec, INPUT_KEYS)
            inputs += input_hash == rec["_input_hash"]
            tasks += get_hash(rec, TASK_KEYS, prefix=rec["_input_hash"]) == rec["_task_hash"]
    return n, inputs, tasks


def main() -> None:
    if len(sys.argv) < 2:
        raise SystemExit("usage: python tests/interop/prodigy_hashes.py FILE.jsonl ...")
    failed = False
    for name in sys.argv[1:]:
        n, inputs, tasks = check(Path(name))
        print(f"{name}: {n} records with hashes; input hash reproduced for {inputs}, task hash for {tasks}")
        failed |= inputs != n
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
