"""A labelled project built from real transcripts for the round trips through the real tools.

Three coders (alice, bob, carol) label real MFA press conferences with a seeded random
generator: alice most items, bob and carol overlapping her; the lead then accepts every
unanimous label as gold and decides a few disagreements by hand. ``build`` returns what
the store holds, so each round trip can be checked against it exactly.
"""

from __future__ import annotations

import random
from pathlib import Path

from annotator.core.import_run import import_paths
from annotator.core.review import accept_unanimous
from annotator.core.store import Store

CODERS = ("alice", "bob", "carol")
# Label Studio keys users by e-mail; these are the addresses the round trip creates.
EMAILS = {c: f"{c}@annotator.test" for c in CODERS}


def build(path: Path, corpus: Path, n_files: int = 6, seed: int = 16) -> dict[tuple[str, str], dict]:
    """Create ``path`` from ``n_files`` real transcripts; return {(uid, coder): {scheme: value}}."""
    files = sorted((corpus / "real" / "mfa-en").glob("*.html"))[::7][:n_files]
    if len(files) < n_files:
        raise SystemExit(f"{corpus}: fewer than {n_files} real transcripts to build the interop project from")
    rng = random.Random(seed)
    expected: dict[tuple[str, str], dict] = {}
    with Store(path, create=True) as store:
        summary = import_paths(store, files)
        if summary.failed:
            raise SystemExit(f"importing the interop transcripts failed: {summary.failed[0]}")
        cb = store.codebook()
        topics, tone, stance = cb.scheme("topics"), cb.scheme("tone"), cb.scheme("question_stance")
        ids = [r[0] for r in store.db.execute("SELECT id FROM items ORDER BY id")]
        for item_id in ids:
            item = store.items.get(item_id)
            base = {
                "topics": sorted(rng.sample(topics.values, rng.randint(0, 2)), key=topics.values.index),
                "tone": rng.choice(tone.values),
            }
            if item["kind"] == "qa":
                base["question_stance"] = rng.choice(stance.values)
            for coder, share in zip(CODERS, (0.8, 0.45, 0.3), strict=True):
                if rng.random() >= share:
                    continue
                mine = dict(base) if rng.random() < 0.7 else {"tone": rng.choice(tone.values)}
                for scheme, value in mine.items():
                    store.labels.set(item_id, coder, scheme, value, seconds=round(rng.uniform(0.5, 4.0), 1))
                expected[(item["uid"], coder)] = mine
        accept_unanimous(store, "lead")
        store.checkpoint()
    return expected
