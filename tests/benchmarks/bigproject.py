"""A generated project of N items for the benchmarks, built once and cached under the temp folder.

Items are written by ``tests/helpers.new_project`` through ``store.items.add_source``
(the importer's own write path), one source per conference of 20 pairs, so the file
looks like a real project.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import inspect
import json
import random
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path

from annotator.core.items import Item, Source
from annotator.core.store import Store
from tests.helpers import new_project

CACHE = Path(tempfile.gettempdir()) / "annotator-bench"
OUTLETS = ["Reuters", "AFP", "CCTV", "Bloomberg", "Global Times", "Xinhua News Agency", "Kyodo News", "NHK", "AP"]
SPOKESPEOPLE = ["Wang Wenbin", "Zhao Lijian", "Hua Chunying", "Mao Ning", "Lin Jian"]
WORDS = ["china", "firmly", "opposes", "the", "us", "side", "taiwan", "trade", "cooperation", "development", "relations", "peace", "security", "international", "community", "sovereignty", "urge", "stop", "interference", "dialogue", "consultation", "people", "friendship"]

# The export benchmarks' floor: one JSON object per item straight from SQLite (no Python).
EXPORT_FLOOR_SQL = """
SELECT json_object(
  'uid', i.uid, 'kind', i.kind, 'date', i.date, 'outlet', i.outlet, 'spokesperson', i.spokesperson,
  'question', i.question, 'answer', i.answer, 'text', i.question || char(10) || char(10) || i.answer,
  'source', json_object('name', s.name, 'sha256', s.sha256, 'seq', i.seq),
  'labels', (SELECT json_group_array(json_array(l.coder, l.scheme, json(l.value), l.updated_at))
             FROM labels l WHERE l.item_id = i.id),
  'annotations', (SELECT json_group_array(json_array(a.coder, a.note, a.flag, a.done, a.updated_at))
             FROM annotations a WHERE a.item_id = i.id))
FROM items i JOIN sources s ON s.id = i.source_id ORDER BY i.id;
"""


def built_once(build: Callable) -> Callable:
    """A fixture builder that takes turns: two benchmark processes wanting the same fixture at
    once (two people's runs on one machine) wait for each other, and the second finds the
    file built instead of deleting the first one's half-written copy."""
    @functools.wraps(build)
    def in_turn(*args, **kwargs):
        CACHE.mkdir(parents=True, exist_ok=True)
        call = inspect.signature(build).bind(*args, **kwargs)
        call.apply_defaults()  # big_project() and big_project(1_000_000) are one fixture
        key = hashlib.sha1(repr(call.arguments).encode()).hexdigest()[:12]
        with open(CACHE / f"{build.__name__}-{key}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            return build(*args, **kwargs)
    return in_turn


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


@built_once
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
    """A cached file made by an earlier version gets this version's schema steps before use
    (without a backup: it is made again from nothing whenever need be)."""
    Store(path, back_up=False).close()
    return path


def fresh_copy(n_items: int, dest: Path) -> Path:
    shutil.copy(big_project(n_items), dest)
    return dest


@built_once
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

    # The repeats are further conferences by design, not copies to catch.
    new_project(tmp, sources(), durable=False, allow_copies=True)
    with Store(tmp) as store:
        rule_gold(store, ("topics", "tone", "question_stance", "rhetoric"))
        store.checkpoint()
    shutil.move(tmp, path)
    return path


CODERS = ("alice", "bob", "carol")


@built_once
def coded_project(n_items: int) -> Path:
    """The ``n_items`` project coded by three coders over the four default schemes, cached.

    Each coder labels every item and marks it done: topics, tone, and question_stance (on
    three items in four) or rhetoric (on the fourth) -- three labels each, so 100,000 items
    hold 900,000 labels and 300,000 done marks -- each with its history event. A latent
    value per item that each coder gives four times in five makes agreement realistic.
    Written in bulk (a fixture, not user work: the store's one-change-per-transaction
    path would take hours); label values are ``Scheme.canonical``'s stored form.
    """
    path = CACHE / f"coded-{n_items}.db"
    if path.exists():
        return upgraded(path)
    tmp = CACHE / f"coded-{n_items}.building.db"
    shutil.copy(big_project(n_items), tmp)
    with Store(tmp) as store:
        codebook = store.codebook()
    rng = random.Random(3)
    options = {s.name: s.values for s in codebook.schemes}
    multi = {s.name: s.multi for s in codebook.schemes}
    texts: dict[tuple[str, tuple[str, ...] | str], str] = {}

    def text(scheme: str, value: tuple[str, ...] | str) -> str:
        key = (scheme, value)
        if key not in texts:
            s = codebook.scheme(scheme)
            texts[key] = json.dumps(s.canonical(list(value)) if multi[scheme] else value)
        return texts[key]

    def draw(scheme: str) -> tuple[str, ...] | str:
        values = options[scheme]
        if multi[scheme]:
            return tuple(rng.sample(values[:6], rng.choice((1, 1, 1, 2, 2, 3))))
        return values[min(int(rng.expovariate(1.0)), len(values) - 1)]

    conn = sqlite3.connect(tmp)
    conn.execute("PRAGMA synchronous = OFF")
    ids = [r[0] for r in conn.execute("SELECT id FROM items ORDER BY id")]
    for start in range(0, len(ids), 50_000):  # in batches: a million items' rows do not fit in memory at once
        labels, events, done = [], [], []
        for item_id in ids[start:start + 50_000]:
            third = "question_stance" if item_id % 4 else "rhetoric"
            truth = {s: draw(s) for s in ("topics", "tone", third)}
            for c, coder in enumerate(CODERS):
                at = f"2026-0{c + 1}-01T09:{item_id // 60_000 % 60:02d}:{item_id // 1000 % 60:02d}.{item_id % 1000:03d}000Z"
                for scheme, value in truth.items():
                    given = text(scheme, value if rng.random() < 0.8 else draw(scheme))
                    labels.append((item_id, coder, scheme, given, at, at))
                    events.append((f"e{item_id}-{c}-{scheme}", item_id, coder, scheme, None, given, "set", at, 2.0))
                done.append((item_id, coder, 1, 6.0, at))
                events.append((f"e{item_id}-{c}-done", item_id, coder, "@done", "false", "true", "set", at, 0.0))
        with conn:
            conn.executemany("INSERT INTO labels VALUES (?, ?, ?, ?, ?, ?)", labels)
            conn.executemany("INSERT INTO annotations(item_id, coder, done, seconds, updated_at) VALUES (?, ?, ?, ?, ?)",
                             done)
            conn.executemany(
                "INSERT INTO label_events(uid, item_id, coder, field, before, after, action, at, seconds) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", events)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    shutil.move(tmp, path)
    return path


@built_once
def label_files(n_items: int) -> list[Path]:
    """Each coder's label file of ``coded_project(n_items)`` (``annotator export --labels
    --coder NAME``, the file a coder e-mails to the lead), cached."""
    folder = CACHE / f"label-files-{n_items}"
    paths = [folder / f"{coder}.jsonl" for coder in CODERS]
    if all(p.exists() for p in paths):
        return paths
    from annotator.core.export import ExportOptions, export

    folder.mkdir(parents=True, exist_ok=True)
    with Store(coded_project(n_items), readonly=True) as store:
        for coder, path in zip(CODERS, paths, strict=True):
            tmp = path.with_suffix(".building")
            export(store, ExportOptions(labels_file=True, coder=coder), str(tmp))
            tmp.rename(path)
    return paths


# -- a corpus of transcripts for the import benchmarks ----------------------------------

PER_FILE = 20
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]


@built_once
def corpus(n_pairs: int) -> Path:
    """A folder of generated transcripts, 20 pairs a file (one to three answer turns each), cached."""
    folder = CACHE / f"corpus-{n_pairs}"
    if folder.is_dir():
        return folder
    tmp = CACHE / f"corpus-{n_pairs}.building"
    tmp.mkdir(parents=True, exist_ok=True)
    rng = random.Random(5)
    for f in range(n_pairs // PER_FILE):
        speaker = SPOKESPEOPLE[f % len(SPOKESPEOPLE)]
        year, month, day = 2015 + f % 10, f % 12, 1 + f % 28
        lines = [f"Foreign Ministry Spokesperson {speaker}'s Regular Press Conference on {MONTHS[month]} {day}, {year}", ""]
        for _ in range(PER_FILE):
            lines += [f"{rng.choice(OUTLETS)}: " + " ".join(rng.choices(WORDS, k=30)) + "?", ""]
            for _ in range(rng.randint(1, 3)):
                lines += [f"{speaker}: " + " ".join(rng.choices(WORDS, k=60)) + ".", ""]
        (tmp / f"{year}-{month + 1:02d}-{day:02d}_{f:05d}.txt").write_text("\n".join(lines), encoding="utf-8")
    tmp.rename(folder)
    return folder


SPEAKER = re.compile(r"^([A-Z][\w .'-]{1,40}): (.*)$")


def split_and_insert(folder: Path, db_path: Path) -> int:
    """Split on speaker lines, pair questions with answers, insert_all in one transaction."""
    import sqlite_utils  # here: a benchmark process may first mark pandas absent (launch.skip_unused_imports)

    db = sqlite_utils.Database(db_path)
    rows = []
    for path in sorted(folder.iterdir()):
        question = None
        for line in path.read_text(encoding="utf-8").split("\n"):
            m = SPEAKER.match(line)
            if not m:
                continue
            if m.group(2).endswith("?"):
                question = {"file": path.name, "outlet": m.group(1), "question": m.group(2), "answer": ""}
                rows.append(question)
            elif question is not None:
                question["answer"] += m.group(2) + "\n\n"
    with db.conn:
        db["items"].insert_all(rows, batch_size=1000)
    n = db["items"].count
    db.close()
    return n
