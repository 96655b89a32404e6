"""Training again in the background as labels accumulate, never in the way of a key.

The coding window counts the coder's label changes; every ``CHECK_EVERY`` of them, unless a
retrain is already running, it starts this module in a process of its own
(``python -m annotator.core.model.retrain DB``: scikit-learn's work then never holds the
window's interpreter). The process opens the project, and retrains -- every scheme, from the
sources and seed the lead chose, so the result is the model ``annotator model DB train`` would
make -- only when it is due: some scheme's sources now give at least ``RETRAIN_AFTER`` more
items than its model learnt from (with ``single`` among the sources, the coder's own labels
count; with gold and consensus only, new gold and agreed labels do). It prints one JSON line
(``{"retrained": [...], "new": {scheme: items}}``) and exits 0; a failure is one line on stderr
and exit 1. The window then reloads its suggestions.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from annotator.core.errors import AnnotatorError
from annotator.core.model import settings as model_settings
from annotator.core.model.records import examples, scheme_fingerprint
from annotator.core.store import Store

RETRAIN_AFTER = 20  # items newly given a value to learn from, per scheme, before its model is trained again
CHECK_EVERY = 10  # the window asks whether a retrain is due after this many label changes


def new_examples(store: Store) -> dict[str, int]:
    """{scheme: items its sources give now beyond those its model learnt from}, for every scheme
    with a stored model (an unreadable model's description counts as none learnt, and so does a
    model of the scheme as it was before the codebook changed, when the scheme can be trained
    now: that model is not used, and waiting for 20 new labels left the coders without
    suggestions)."""
    from annotator.core.model.training import plan

    sources = tuple(model_settings.read(store)["sources"])
    codebook = store.codebook()
    texts = store.items.model_texts() if store.models.rows() else []
    ids = {t.uid: t.item_id for t in texts}
    out: dict[str, int] = {}
    for row in store.models.rows():
        scheme = codebook.scheme(row.scheme)
        if scheme is None:
            continue
        found = examples(store, scheme, sources, ids)
        try:
            meta = json.loads(row.meta)
            learnt = int(meta.get("examples", 0))
            stale = meta.get("codebook") != scheme_fingerprint(scheme)
        except (ValueError, TypeError, AttributeError):
            learnt, stale = 0, False
        if stale and not isinstance(plan(scheme, found, sources), str):
            learnt = 0
        out[row.scheme] = len(found) - learnt
    return out


def due(store: Store) -> dict[str, int]:
    """The schemes whose models are due to be trained again ({scheme: new items})."""
    return {name: n for name, n in new_examples(store).items() if n >= RETRAIN_AFTER}


def retrain_if_due(store: Store) -> dict[str, Any]:
    """Train every scheme again when one is due; {"retrained": schemes trained, "new": ``new_examples``}."""
    from annotator.core.model.training import train

    new = new_examples(store)
    if not any(n >= RETRAIN_AFTER for n in new.values()):
        return {"retrained": [], "new": new}
    result = train(store)
    return {"retrained": sorted(result["trained"]), "new": new}


def command(db: Path) -> list[str]:
    """The process the window starts to retrain ``db`` (this interpreter, this module)."""
    return [sys.executable, "-m", "annotator.core.model.retrain", str(db)]


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m annotator.core.model.retrain DB", file=sys.stderr)
        return 2
    try:
        with Store(Path(argv[0])) as store:
            result = retrain_if_due(store)
    except AnnotatorError as e:
        print(str(e), file=sys.stderr)
        return 1
    print(json.dumps(result, sort_keys=True), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
