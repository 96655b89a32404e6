"""The one builder of test projects, for every test and benchmark (none imports another test).

A project is built through the product's own write path (``Store`` and
``store.items.add_source``) from sources made here or read from the shared corpus,
which tests reach only through the ``corpus`` fixture of ``tests/conftest.py``.
Fixtures build a template once and copy it per test (``copy_project``).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from annotator.core.codebook import Codebook, default_codebook_path, load_codebook
from annotator.core.importers.prepared import prepare
from annotator.core.items import Item, Source, sha256_bytes
from annotator.core.migrations import migrations
from annotator.core.records import now
from annotator.core.store import Store

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"  # read it through the `corpus` fixture, which fails if it is missing

# Three small conferences: (date, spokesperson, [(outlet, question, answer)]).
CONFERENCES = [
    ("2021-12-09", "Wang Wenbin", [
        ("Xinhua News Agency", "What is your comment on the Alliance for the Future of the Internet?",
         "The relevant report proves once again that the US is politicizing democracy."),
        ("Reuters", "Will China send officials to the Winter Olympics opening?",
         "Politicizing sports goes against the Olympic spirit."),
        ("AFP", "Any comment on the sanctions announced on Xinjiang officials?",
         "China firmly opposes these so-called sanctions and will take countermeasures."),
    ]),
    ("2021-12-10", "Wang Wenbin", [
        ("Bloomberg", "Are talks on tariffs planned?", "I have no information to offer on that."),
        ("Global Times", "How do you view the Taiwan arms sale?", "We urge the US to stop arms sales to Taiwan."),
    ]),
    ("2022-01-04", "Zhao Lijian", [
        ("CCTV", "Could you share updates on COVID-19 vaccine aid?", "China has provided over two billion doses."),
        ("Reuters", "Does China plan a visit to the Pacific islands?", "We will release information in due course."),
        ("NHK", "Any comment on the East China Sea?", "The Diaoyu Islands are China's inherent territory."),
    ]),
]


def new_project(path: Path, sources: Iterable[Source] = (), *, durable: bool = True,
                allow_copies: bool = False) -> Path:
    """A new project at ``path`` holding ``sources``, with the bundled codebook (a new store pins
    it). ``durable=False`` skips the disk flushes: for benchmark fixtures only. ``allow_copies``:
    sources repeating another's pairs keep items of their own (a benchmark's repeated corpus)."""
    with Store(path, create=True) as store:
        if not durable:
            store.db.execute("PRAGMA synchronous = OFF")  # building a fixture, not user work
        for src in sources:
            store.items.add_source(src, allow_copies=allow_copies)
        store.checkpoint()
    return path


def copy_project(template: Path, dest: Path) -> Path:
    """A fresh copy of a built project (the template is never written to)."""
    shutil.copy(template, dest)
    return dest


def source(name: str, items: list[Item], *, date: str | None = None, title: str | None = None,
           sha256: str | None = None) -> Source:
    """A transcript source of ``items``; its hash comes from its name unless given."""
    return Source(name=name, sha256=sha256 or sha256_bytes(name.encode()), kind="transcript", title=title,
                  date=date, items=items)


def sample_source(sha: str = "f" * 64, n: int = 5, name: str = "conference.txt") -> Source:
    """A small conference: one statement, then qa pairs from different outlets, one follow-up.
    Another ``sha`` is another conference, whose statement says so (the same pairs under another
    hash would be a copy of this one, which the store links instead of adding)."""
    outlets = ["Reuters", "AFP", "CCTV", "Global Times", "Bloomberg"]
    visit = "The Minister will visit Kenya next week" + ("." if sha == "f" * 64 else f" (conference {sha[:8]}).")
    items = [Item("statement", 0, "", visit, None, "Wang Wenbin", "2021-12-09")]
    for i in range(1, n):
        items.append(
            Item(
                "qa", i, f"Question {i} about Taiwan & trade <b>?", f"Answer {i}: China firmly opposes this.",
                outlets[i % len(outlets)], "Wang Wenbin", "2021-12-09",
                follow_up_of=i - 1 if i == n - 1 else None,
            )
        )
    return Source(name=name, sha256=sha, kind="transcript", title="Regular Press Conference", date="2021-12-09", items=items)


def labelstudio_source() -> Source:
    """The four pairs of the small project that a real Label Studio 1.23.2 imported and exported
    again (tests/core/data/labelstudio-1.23.2-export-*.json): its uids are those files' uids."""
    items = [Item("qa", i, f"Question {i} about the visit?", f"Answer {i}: we firmly oppose it.", "Reuters",
                  "Mao Ning", f"2023-03-0{i + 1}") for i in range(4)]
    return source("c.txt", items, date="2023-03-01", sha256="ab" * 32)


def conference_sources(conferences: list = CONFERENCES) -> list[Source]:
    """One source per (date, spokesperson, [(outlet, question, answer)]) conference."""
    out = []
    for n, (date, speaker, pairs) in enumerate(conferences):
        items = [
            Item(kind="qa", seq=i, question=q, answer=a, outlet=o, spokesperson=speaker, date=date)
            for i, (o, q, a) in enumerate(pairs)
        ]
        out.append(source(f"{date}.txt", items, date=date, title=f"Regular Press Conference on {date}",
                          sha256=sha256_bytes(f"{date}{speaker}{n}".encode())))
    return out


def real_sources(corpus: Path, n_files: int = 12, every: int = 5) -> list[Source]:
    """Every fifth (``every``) real English transcript of the shared corpus (spread over the years)."""
    from annotator.core.importers import parse_file

    files = sorted((corpus / "real" / "mfa-en").glob("*.html"))[::every][:n_files]
    assert len(files) == n_files, f"the corpus has only {len(files)} of the {n_files} transcripts asked for"
    return [parse_file(f) for f in files]


def label_two_coders(store: Store, seed: int = 7) -> dict[tuple[str, str], dict]:
    """alice labels ~70% of items, bob ~50% (agreeing with alice often); returns
    {(uid, coder): {scheme: value}} -- exactly what the Store holds afterwards."""
    rng = random.Random(seed)
    cb = store.codebook()
    topics, tone = cb.scheme("topics"), cb.scheme("tone")
    expected: dict[tuple[str, str], dict] = {}
    ids = [r[0] for r in store.db.execute("SELECT id FROM items ORDER BY id").fetchall()]
    for item_id in ids:
        uid = store.items.get(item_id)["uid"]
        alice = None
        if rng.random() < 0.7:
            alice = {
                "topics": [v for v in topics.values if v in set(rng.sample(topics.values, rng.randint(0, 2)))],
                "tone": rng.choice(tone.values),
            }
            for scheme, value in alice.items():
                store.labels.set(item_id, "alice", scheme, value, seconds=1.5)
            expected[(uid, "alice")] = alice
        if rng.random() < 0.5:
            bob = dict(alice) if alice and rng.random() < 0.6 else {"tone": rng.choice(tone.values)}
            for scheme, value in bob.items():
                store.labels.set(item_id, "bob", scheme, value)
            expected[(uid, "bob")] = bob
    return expected


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def mark_done(store: Store, item_id: int, coder: str) -> None:
    """Mark an item done as a coder must: each required scheme that applies and has no value yet
    gets its last option (topics: "other"), then the done mark (``store.labels.set_done``, what
    Enter calls), which says "none of these" for each untouched multi-choice scheme."""
    kind = store.items.get(item_id)["kind"]
    for s in store.codebook().unmet(kind, store.labels.annotation(item_id, coder).labels):
        store.labels.set(item_id, coder, s.name, [s.values[-1]] if s.multi else s.values[-1])
    store.labels.set_done(item_id, coder)


FIRST_STEP_OF_EXPLICIT_EMPTY_SETS = "m005_event_operations"


def older_project(path: Path, sources: Iterable[Source], labels: Iterable[tuple[int, str, str, Any]] = (),
                  done: Iterable[tuple[int, str]] = ()) -> Path:
    """A project file as annotator wrote it before empty sets were recorded explicitly: the
    schema steps before ``FIRST_STEP_OF_EXPLICIT_EMPTY_SETS``, the bundled codebook as it was
    kept then (no ``required``, no ``applies_to``), and what that version wrote -- each label
    (item id, coder, scheme, value) and each done mark (item id, coder) with its history row,
    and nothing else: a done item's untouched multi-choice scheme had no row (it then counted
    as the empty set). Items are numbered 1, 2, ... in the order of ``sources``."""
    conn = sqlite3.connect(path)
    migrations.apply(Database(conn), stop_before=FIRST_STEP_OF_EXPLICIT_EMPTY_SETS)
    codebook = json.loads(load_codebook(default_codebook_path()).to_json())
    for scheme in codebook["schemes"]:
        del scheme["required"], scheme["applies_to"]
    at = now()
    with conn:
        conn.execute("INSERT INTO meta(key, value) VALUES ('codebook', ?)", [json.dumps(codebook)])
        for src in sources:
            prepared = prepare(src)
            source_id = conn.execute(
                "INSERT INTO sources(name, sha256, kind, title, date, imported_at) VALUES (?, ?, ?, ?, ?, ?)",
                [src.name, src.sha256, src.kind, src.title, src.date, at],
            ).lastrowid
            conn.executemany(
                """INSERT INTO items(uid, kind, seq, date, outlet, spokesperson, outlet_norm, spokesperson_norm,
                                     question, answer, follow_up_of, meta, source_id)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [(*row, source_id) for row in prepared.rows],
            )
        conn.execute("INSERT INTO items_fts(items_fts) VALUES ('rebuild')")
        for item_id, coder, scheme, value in labels:
            conn.execute("INSERT INTO labels VALUES (?, ?, ?, ?, ?, ?)", [item_id, coder, scheme, json.dumps(value), at, at])
            conn.execute(
                "INSERT INTO label_events(uid, item_id, coder, field, before, after, action, at) VALUES (?, ?, ?, ?, NULL, ?, 'set', ?)",
                [uuid.uuid4().hex, item_id, coder, scheme, json.dumps(value), at],
            )
        for item_id, coder in done:
            conn.execute("INSERT INTO annotations(item_id, coder, done, updated_at) VALUES (?, ?, 1, ?)", [item_id, coder, at])
            conn.execute(
                "INSERT INTO label_events(uid, item_id, coder, field, before, after, action, at) "
                "VALUES (?, ?, ?, '@done', 'false', 'true', 'set', ?)",
                [uuid.uuid4().hex, item_id, coder, at],
            )
    conn.close()
    return path


def before_voiced_statements(path: Path) -> dict[str, str]:
    """Make a project read as the importer before it took a statement's opening words for its
    voice ("外交部发言人耿爽宣布：…", migration m018): each such release's conference of no body,
    no spokesperson and no speaker (its subject, its title, as then), under the id those facts
    make, its lead's corrections naming that id, its items of no spokesperson (the importer
    then left them so); the step not yet applied. Returns {the id now: the id then}."""
    from annotator.core.conferences import FOREIGN_MINISTRY, STATEMENT, UNKNOWN_BODY, ConferenceFacts, conference_id

    conn = sqlite3.connect(path)
    renamed = {}
    with conn:
        rows = conn.execute("SELECT id, date, subject FROM conferences WHERE body = ? AND kind = ? AND speaker != ''"
                            " AND spokespersons = json_array(speaker)", [FOREIGN_MINISTRY, STATEMENT]).fetchall()
        for cid, date, subject in rows:
            then = conference_id(ConferenceFacts(UNKNOWN_BODY, date, STATEMENT, (), "", subject))
            renamed[cid] = then
            conn.execute("UPDATE conferences SET id = ?, body = ?, spokespersons = '[]', speaker = '' WHERE id = ?",
                         [then, UNKNOWN_BODY, cid])
            conn.execute("UPDATE sources SET conference_id = ? WHERE conference_id = ?", [then, cid])
            conn.execute("UPDATE items SET spokesperson = NULL, spokesperson_norm = NULL"
                         " WHERE source_id IN (SELECT id FROM sources WHERE conference_id = ?)", [then])
            conn.execute("UPDATE conference_events SET after = ? WHERE after = ?", [then, cid])
            conn.execute("UPDATE conference_events SET before = ? WHERE before = ?", [then, cid])
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm018_statements_in_the_spokespersons_voice'")
    conn.close()
    return renamed


WRONG_PAGE = Path("real") / "mfa-en-more" / "2018-05-15_t1559633.html"


def wrongly_split_source(corpus: Path) -> Source:
    """A real page as an importer that errs would give it: its second pair's answer cut
    off into an item of its own (a wrong split), and its fourth and fifth pairs run into
    one item (a wrong merge). What ``store.corrections`` must be able to mend."""
    from annotator.core.importers import parse_file

    src = parse_file(corpus / WRONG_PAGE)
    items = src.items
    pair = items[1]
    cut = Item("qa", 0, question="", answer=pair.answer, outlet=None, spokesperson=pair.spokesperson, date=pair.date)
    pair.answer = ""
    joined = items[3]
    joined.answer = "\n\n".join([joined.answer, items[4].question, items[4].answer])
    out = [items[0], pair, cut, items[2], joined, *items[5:]]
    for n, it in enumerate(out):
        it.seq, it.follow_up_of = n, None
    src.items = out
    return src


def coder_label_file(project: Path, dest: Path, coder: str = "erin") -> Path:
    """A real ``annotator export --labels`` file: ``coder`` labels tone and topics of the first
    two items of a copy of ``project``, writes a note on the first and marks it done."""
    from annotator.core.export import ExportOptions, export

    work = copy_project(project, dest.with_suffix(".work.db"))
    with Store(work) as store:
        ids = [r[0] for r in store.db.execute("SELECT id FROM items ORDER BY id LIMIT 2").fetchall()]
        for item_id in ids:
            store.labels.set(item_id, coder, "tone", "firm")
            store.labels.set(item_id, coder, "topics", ["taiwan"], seconds=2.0)
        store.labels.set_note(ids[0], coder, "check the date")
        mark_done(store, ids[0], coder)
        export(store, ExportOptions(selection="coder", coder=coder, labels_file=True), dest)
    return dest


def doubled_codebook(codebook: Codebook) -> Codebook:
    """The codebook twice its size (the window must keep every option in reach): each scheme
    again as ``more_<name>``, its options' keys with Ctrl+Alt added (no key of the window's, and
    not Alt alone, which opens the menus)."""
    more = tuple(
        replace(scheme, name=f"more_{scheme.name}", title=f"More {scheme.title.lower()}", required=False,
                options=tuple(replace(o, key=f"Ctrl+Alt+{o.key}" if o.key else "") for o in scheme.options))
        for scheme in codebook.schemes
    )
    return replace(codebook, schemes=(*codebook.schemes, *more))


# -- labels made by a rule over real text, for the suggestion model's tests and benchmark ------
#
# No human has labelled the shared corpus, so the model is checked on a signal it must find:
# topics "taiwan" where the pair mentions Taiwan (or 台湾), else "other"; tone "firm" where
# the answer uses a word of firmness, else "neutral".
# The benchmark's project also gets the question's stance and rhetoric, by word lists too.
TAIWAN_WORDS = ("taiwan", "台湾")
FIRM_WORDS = ("firmly", "oppose", "condemn", "resolutely", "坚决", "反对", "谴责")
HOSTILE_WORDS = ("accuse", "critici", "allegation", "claim", "指责", "批评")
FRIENDLY_WORDS = ("cooperation", "friendship", "合作", "友好")
RHETORIC_WORDS = {"threat": ("countermeasure", "反制"), "demand": ("must", "demand", "必须"),
                  "urging": ("urge", "敦促"), "representations": ("representations", "交涉")}


def rule_values(question: str, answer: str) -> dict[str, Any]:
    """The rule's topics, tone, question stance and rhetoric of one pair."""
    pair, q, a = f"{question} {answer}".lower(), question.lower(), answer.lower()
    return {
        "topics": ["taiwan"] if any(w in pair for w in TAIWAN_WORDS) else ["other"],
        "tone": "firm" if any(w in a for w in FIRM_WORDS) else "neutral",
        "question_stance": "hostile" if any(w in q for w in HOSTILE_WORDS)
        else "friendly" if any(w in q for w in FRIENDLY_WORDS) else "neutral",
        "rhetoric": [o for o, words in RHETORIC_WORDS.items() if any(w in a for w in words)],
    }


def rule_gold(store: Store, schemes: tuple[str, ...] = ("topics", "tone")) -> int:
    """Gold labels by ``rule_values`` on every item, in one transaction; returns how many."""
    decisions = []
    codebook = store.codebook()
    for item in store.items.model_texts():
        values = rule_values(item.question, item.answer)
        decisions.extend((item.item_id, s, values[s]) for s in schemes if codebook.scheme(s).applies(item.kind))
    store.gold.set_many(decisions, "lead", "labelled by rule for a test", method="hand")
    return len(decisions)


def real_files(corpus: Path, folder: str, n_files: int, every: int = 1) -> list[Source]:
    """``n_files`` real transcripts of one folder of the shared corpus (mfa-en, mfa-zh...), every ``every``-th."""
    from annotator.core.importers import parse_file

    files = sorted((corpus / "real" / folder).glob("*.html"))[::every][:n_files]
    assert len(files) == n_files, f"{folder} has only {len(files)} of the {n_files} transcripts asked for"
    return [parse_file(f) for f in files]


THREE_CODERS = ("alice", "bob", "carol")


def code_three(store: Store, seed: int = 11, weeks: int = 4, overlap: float = 0.7, accuracy: float = 0.8,
               only: str | None = None) -> dict[str, list[int]]:
    """alice, bob and carol code the project as a lead's reliability sample looks: every coder
    codes the first ``overlap`` of the items (the overlap), the rest is shared out one coder an
    item; tone, topics and (on qa items) the question's stance from a latent value each coder gives
    with probability ``accuracy``, carol over-using "firm"; each item marked done. The work is spread
    over ``weeks`` weeks of coding (the label history's clock is set per item, through the
    store's own write path). ``only``: write that coder's labels alone (their own copy of the
    project), the same as they are in the whole. Returns {"overlap": ids, "single": ids}."""
    from datetime import UTC, datetime, timedelta
    from unittest import mock

    from annotator.core.records import timestamp

    rng = random.Random(seed)
    cb = store.codebook()
    topics, tone, stance = cb.scheme("topics"), cb.scheme("tone"), cb.scheme("question_stance")
    ids = [r[0] for r in store.db.execute("SELECT id FROM items ORDER BY id").fetchall()]
    shared = ids[: round(len(ids) * overlap)]
    start = datetime(2026, 3, 2, 9, tzinfo=UTC)  # a Monday
    for n, item_id in enumerate(ids):
        kind = store.items.get(item_id)["kind"]
        truth = {"tone": rng.choice(tone.values[:4]), "topics": sorted(rng.sample(topics.values[:5], rng.randint(1, 2))),
                 "question_stance": rng.choice(stance.values)}
        who = THREE_CODERS if item_id in shared else (THREE_CODERS[n % 3],)
        at = timestamp(start + timedelta(days=7 * (n * weeks // len(ids)), minutes=n))
        with mock.patch("annotator.core.store.labels.now", return_value=at):
            for coder in who:
                for name, scheme in (("tone", tone), ("topics", topics), ("question_stance", stance)):
                    if not scheme.applies(kind):
                        continue
                    value = truth[name]
                    if rng.random() > accuracy:
                        value = ([rng.choice(scheme.values[:6])] if scheme.multi else rng.choice(scheme.values))
                    if coder == "carol" and name == "tone" and rng.random() < 0.3:
                        value = "firm"
                    if only in (None, coder):
                        store.labels.set(item_id, coder, name, scheme.canonical(value))
                if only in (None, coder):
                    store.labels.set_done(item_id, coder)
    return {"overlap": shared, "single": [i for i in ids if i not in shared]}


def mark_assisted(path: Path, coder: str, item_ids: list[int], scheme: str) -> int:
    """Record that ``coder`` set ``scheme`` on these items with a suggestion on screen, as the
    coding window writes it into the label history (``label_events.suggested``); returns the
    events marked. (The window's own write of it is another change's; a test of the report
    needs the history as it will look.)"""
    conn = sqlite3.connect(path)
    try:
        with conn:
            marks = ",".join("?" * len(item_ids))
            cur = conn.execute(
                f"UPDATE label_events SET suggested = json_object(field, json_object('model', 1, 'value', after)) "
                f"WHERE coder = ? AND field = ? AND item_id IN ({marks})", [coder, scheme, *item_ids])
            return cur.rowcount
    finally:
        conn.close()


# The English and Chinese pages of one press conference each, from the shared corpus (both in the
# alignment truth, tests/core/alignment_truth/): one whose English asks a follow-up in three turns
# that the Chinese keeps in one answer, and one of the outlet-named era.
BILINGUAL_PAGES = {
    "2019-03-26": ("mfa-en-more/2019-03-26_t1648493.html", "mfa-zh-more/2019-03-26_t1648466.html"),
    "2020-06-02": ("mfa-en-more/2020-06-02_t1785090.html", "mfa-zh-more/2020-06-02_t1785064.html"),
}


def bilingual_project(path: Path, corpus: Path, dates: Iterable[str] = ("2019-03-26",),
                      extra: Iterable[Path] = ()) -> Path:
    """A project of the English and Chinese pages of ``dates`` (and ``extra`` files), imported as a
    lead imports them (``import_paths``: conferences joined, pairs aligned at the end of the run)."""
    from annotator.core.import_run import import_paths

    files = [corpus / "real" / name for date in dates for name in BILINGUAL_PAGES[date]]
    with Store(path, create=True) as store:
        summary = import_paths(store, [*files, *extra])
        assert not summary.failed, summary.failed
        store.checkpoint()
    return path


def suggesting(store: Store, coders: tuple[str, ...] = ("alice", "bob"), overlap: float = 0.3) -> None:
    """The lead's side of suggestions on a project with rule gold (``rule_gold``): models trained,
    suggestions turned on for topics and tone (not the question's stance or the rhetoric), and the
    items assigned to ``coders`` with ``overlap`` of them in the reliability sample."""
    from annotator.core.assign import assign
    from annotator.core.model import settings as model_settings
    from annotator.core.model.training import train

    train(store)
    model_settings.update(store, suggest_on=["topics", "tone"])
    assign(store, list(coders), overlap=overlap, seed=3)


def learning_from_coders(store: Store, gold_items: int = 120) -> list[int]:
    """A project whose models are to learn from its coders as they code (the background
    retrain): gold (``rule_gold``) kept on the first ``gold_items`` items only, the models trained
    from gold and single-coder labels, suggestions on for topics and tone, no assignment. Returns
    the items left without gold, in order."""
    from annotator.core.model import settings as model_settings
    from annotator.core.model.training import train

    rule_gold(store)
    ids = [t.item_id for t in store.items.model_texts()]
    store.gold.set_many([(i, s, None) for i in ids[gold_items:] for s in ("topics", "tone")], "lead",
                        "left for the coders")
    model_settings.update(store, sources=("gold", "single"), suggest_on=["topics", "tone"])
    train(store)
    return ids[gold_items:]


_FULL_DISK = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG), as on a full disk
limit = int(sys.argv.pop(1))
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
from annotator.cli import main
main()
"""


def annotator_on_a_full_disk(limit: int, *args: str) -> subprocess.CompletedProcess[str]:
    """``annotator ARGS`` as a process that can write no file past ``limit`` bytes, as on a full
    disk (POSIX: RLIMIT_FSIZE)."""
    return subprocess.run([sys.executable, "-c", _FULL_DISK, str(limit), *args], capture_output=True, text=True)


_NO_ROOT_POWERS = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner"]


def honours_permissions() -> bool:
    """Whether a process here can be made to meet file permissions: not root, or root able to
    drop the powers that ignore them (util-linux's setpriv)."""
    if os.geteuid() != 0:
        return True
    if shutil.which("setpriv") is None:
        return False
    return subprocess.run([*_NO_ROOT_POWERS, "true"], capture_output=True).returncode == 0


def annotator_meeting_permissions(*args: str) -> subprocess.CompletedProcess[str]:
    """``annotator ARGS`` as a process that file permissions stop, as they stop a user (root
    without the powers to ignore them; see ``honours_permissions``)."""
    prefix = _NO_ROOT_POWERS if os.geteuid() == 0 else []
    return subprocess.run([*prefix, sys.executable, "-c", "from annotator.cli import main; main()", *args],
                          capture_output=True, text=True)
