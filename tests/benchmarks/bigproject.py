"""A generated project of N items for the benchmarks, built once and cached under the temp folder.

Items are written by ``tests/helpers.new_project`` through ``store.items.add_source``
(the importer's own write path), one source per conference of 20 pairs, so the file
looks like a real project.
"""

from __future__ import annotations

import random
import shutil
import tempfile
from pathlib import Path

from annotator.core.items import Item, Source
from annotator.core.store import Store
from tests.helpers import new_project

CACHE = Path(tempfile.gettempdir()) / "annotator-bench"
OUTLETS = ["Reuters", "AFP", "CCTV", "Bloomberg", "Global Times", "Xinhua News Agency", "Kyodo News", "NHK", "AP"]
SPOKESPEOPLE = ["Wang Wenbin", "Zhao Lijian", "Hua Chunying", "Mao Ning", "Lin Jian"]
WORDS = ["china", "firmly", "opposes", "the", "us", "side", "taiwan", "trade", "cooperation", "development", "relations", "peace", "security", "international", "community", "sovereignty", "urge", "stop", "interference", "dialogue", "consultation", "people", "friendship"]


def conference(rng: random.Random, index: int, pairs: int = 20) -> Source:
    date = f"{2015 + index % 10}-{1 + index % 12:02d}-{1 + index % 28:02d}"
    speaker = SPOKESPEOPLE[index % len(SPOKESPEOPLE)]
    items = [
        Item(
            "qa", seq,
            " ".join(rng.choices(WORDS, k=25)) + "?",
            " ".join(rng.choices(WORDS, k=120)) + ".",
            OUTLETS[rng.randrange(len(OUTLETS))], speaker, date,
        )
        for seq in range(pairs)
    ]
    return Source(name=f"conf-{index}.txt", sha256=f"{index:064x}", kind="transcript", date=date, items=items)


def big_project(n_items: int = 1_000_000) -> Path:
    """Path of a cached project with ``n_items`` items; copy it before writing to it."""
    path = CACHE / f"project-{n_items}.db"
    if path.exists():
        return upgraded(path)
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = CACHE / f"building-{n_items}.db"
    for p in CACHE.glob(f"building-{n_items}.db*"):
        p.unlink()
    rng = random.Random(1)
    new_project(tmp, (conference(rng, index) for index in range(n_items // 20)), durable=False)
    shutil.move(tmp, path)
    return path


def upgraded(path: Path) -> Path:
    """A cached file made by an earlier version gets this version's schema steps before use."""
    Store(path).close()
    return path


def fresh_copy(n_items: int, dest: Path) -> Path:
    shutil.copy(big_project(n_items), dest)
    return dest


def rule_labelled_project(corpus: Path, n_items: int = 100_000) -> Path:
    """Path of a cached project of ``n_items`` real question-answer pairs with gold labels of the
    four default schemes by ``tests/helpers.rule_gold``; copy it before writing to it.

    The real English and Chinese transcripts of the shared corpus hold fewer pairs than that,
    so their conferences are imported again as further conferences (new file hashes) until
    there are ``n_items``: the texts, their vocabulary and length are real; repeats are not.
    """
    from annotator.core.errors import NotATranscript
    from annotator.core.importers import parse_file
    from annotator.core.items import Source
    from tests.helpers import rule_gold

    path = CACHE / f"rule-labelled-v1-{n_items}.db"  # v1: the rules of tests/helpers.rule_values as they are
    if path.exists():
        return upgraded(path)
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = CACHE / f"building-rule-{n_items}.db"
    for p in CACHE.glob(f"building-rule-{n_items}.db*"):
        p.unlink()
    files = sorted(f for folder in ("mfa-en", "mfa-en-more", "mfa-zh", "mfa-zh-more")
                   for f in (corpus / "real" / folder).glob("*.html"))
    parsed = []
    for f in files:
        try:
            src = parse_file(f)
        except NotATranscript:  # the corpus keeps some listing pages beside the transcripts
            continue
        qa = [i for i in src.items if i.kind == "qa"]
        if qa:
            parsed.append((src, qa))

    def sources():
        made, copy = 0, 0
        while made < n_items:
            for src, qa in parsed:
                items = qa[: n_items - made]
                yield Source(name=f"{copy}-{src.name}", sha256=f"{copy:08x}{src.sha256[8:]}", kind=src.kind,
                             title=src.title, date=src.date, items=items)
                made += len(items)
                if made >= n_items:
                    return
            copy += 1

    new_project(tmp, sources(), durable=False)
    with Store(tmp) as store:
        rule_gold(store, ("topics", "tone", "question_stance", "rhetoric"))
        store.checkpoint()
    shutil.move(tmp, path)
    return path
