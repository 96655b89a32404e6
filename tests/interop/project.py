"""A labelled project built from real transcripts for the round trips through the real tools.

Three coders (alice, bob, carol) label real MFA press conferences with a seeded random
generator: alice most items, bob and carol overlapping her; the lead then accepts every
unanimous label as gold and decides a few disagreements by hand. ``build`` returns what
the store holds, so each round trip can be checked against it exactly.
"""

from __future__ import annotations

import random
from pathlib import Path

from annotator.core.items import Source
from annotator.core.review import accept_unanimous
from annotator.core.store import Store
from tests.helpers import new_project, real_sources

CODERS = ("alice", "bob", "carol")
# Label Studio keys users by e-mail; these are the addresses the round trip creates.
EMAILS = {c: f"{c}@annotator.test" for c in CODERS}


def transcripts(corpus: Path, n_files: int = 10) -> list[Source]:
    """Real MFA transcripts spread over the years, parsed by the importer (tests/helpers.py)."""
    return real_sources(corpus, n_files)


def unlabelled(path: Path, sources: list[Source]) -> Path:
    """The same items and no labels: where exports coming back from the tools are merged."""
    return new_project(path, sources)


def build(path: Path, sources: list[Source], seed: int = 16) -> dict[tuple[str, str], dict]:
    """Create ``path`` from ``sources``; return {(uid, coder): {scheme: value}}."""
    rng = random.Random(seed)
    expected: dict[tuple[str, str], dict] = {}
    with Store(new_project(path, sources)) as store:
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
