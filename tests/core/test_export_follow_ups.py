"""A follow-up's link to the item it follows (``follow_up_of``) in every export format, as that
item's uid -- the id each format gives its own items, so a consumer joins on it -- checked on real
pages with real follow-ups against the project file read with plain sqlite3."""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.core.export import ExportOptions, export
from annotator.core.export.native import RESERVED
from annotator.core.store import Store
from tests.helpers import copy_project, label_two_coders, new_project, read_jsonl, real_files

SCHEMA = Path(__file__).resolve().parents[2] / "resources" / "export-record.schema.json"
Links = list[tuple[str, str | None]]  # (a record's item uid, its follow_up_of), one per record


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Path:
    # pages of both languages chosen for their follow-ups: 23 of them in about 390 items
    sources = real_files(corpus, "mfa-en-more", 16, every=13) + real_files(corpus, "mfa-zh-more", 24, every=20)
    return new_project(tmp_path_factory.mktemp("follow-ups") / "template.db", sources)


@pytest.fixture
def labelled(template: Path, tmp_path: Path):
    with Store(copy_project(template, tmp_path / "p.db")) as store:
        label_two_coders(store)
        yield store


def db_links(db: Path) -> dict[str, str | None]:
    """{item uid: the uid of the item the project links it to as its follow-up, or None}, read
    with sqlite3 alone: the link resolved through a join, so a dangling one would show."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        rows = conn.execute("SELECT i.uid, i.follow_up_of, f.uid FROM items i "
                            "LEFT JOIN items f ON f.uid = i.follow_up_of").fetchall()
    assert all(stored is None or linked is not None for _uid, stored, linked in rows)  # none dangles
    return {uid: linked for uid, _stored, linked in rows}


def native(out: Path) -> Links:
    return [(r["uid"], r["follow_up_of"]) for r in read_jsonl(out)]


def labelstudio(out: Path) -> Links:
    return [(t["data"]["uid"], t["data"]["follow_up_of"]) for t in json.loads(out.read_text(encoding="utf-8"))]


def in_meta(out: Path) -> Links:
    """Prodigy's records and spacy-jsonl's lines: the item's fields in `meta`."""
    return [(r["meta"]["uid"], r["meta"]["follow_up_of"]) for r in read_jsonl(out)]


def docbin(folder: Path) -> Links:
    import spacy
    from spacy.tokens import DocBin

    docs = DocBin().from_disk(folder / "corpus.spacy").get_docs(spacy.blank("en").vocab)
    return [(d.user_data["uid"], d.user_data["follow_up_of"]) for d in docs]


FORMATS: list[tuple[str, ExportOptions, Callable[[Path], Links]]] = [
    ("native", ExportOptions(include_unlabelled=True), native),
    ("native-gold", ExportOptions(selection="gold", include_unlabelled=True), native),
    ("labelstudio", ExportOptions(format="labelstudio", include_unlabelled=True), labelstudio),
    ("prodigy", ExportOptions(format="prodigy", include_unlabelled=True), in_meta),
    ("prodigy-alice", ExportOptions(format="prodigy", selection="coder", coder="alice"), in_meta),
    ("spacy", ExportOptions(format="spacy", selection="coder", coder="alice"), docbin),
    ("spacy-jsonl", ExportOptions(format="spacy-jsonl", scheme="tone", selection="coder", coder="alice"), in_meta),
]


@pytest.mark.parametrize(("name", "options", "read"), FORMATS, ids=[f[0] for f in FORMATS])
def test_every_follow_up_carries_the_uid_of_the_item_it_follows(labelled, tmp_path, name, options, read) -> None:
    store = labelled
    out = tmp_path / ("corpus" if options.format == "spacy" else "out.json")
    summary = export(store, options, out)
    links = read(out)
    assert links and len(links) == summary.written
    truth = db_links(store.path)
    got: dict[str, str | None] = {}
    for uid, link in links:
        assert got.setdefault(uid, link) == link  # every record of one item (Prodigy's per scheme) alike
    assert got == {uid: truth[uid] for uid in got}  # follow-ups their link, the rest None
    assert sum(link is not None for link in got.values()) >= 10  # real follow-ups were exported


def test_a_follow_up_and_the_item_it_follows_are_in_one_split(labelled, tmp_path) -> None:
    """A follow-up is linked within its source, and a split keeps a conference's sources whole: a
    training set never holds a follow-up whose question it follows is in its test set."""
    store = labelled
    split = {"train": 0.6, "dev": 0.2, "test": 0.2}
    summary = export(store, ExportOptions(include_unlabelled=True, split=split, seed=3), tmp_path / "data.jsonl")
    split_of = {uid: name for name in split for uid, _ in native(tmp_path / f"data.{name}.jsonl")}
    assert len(split_of) == summary.written == store.items.count()  # every item, so every followed one
    follow_ups = {uid: link for uid, link in db_links(store.path).items() if link is not None}
    assert len(follow_ups) >= 20 and len({split_of[uid] for uid in follow_ups}) == 3
    assert all(split_of[uid] == split_of[link] for uid, link in follow_ups.items())


def test_the_schema_leaves_the_record_s_own_keys_out_of_the_scheme_names() -> None:
    """A scheme may not take a key of the record (``RESERVED``), and the schema's pattern for
    scheme keys must leave out the same names, or it would take a record's field for a label."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    (pattern,) = schema["patternProperties"]
    left_out = re.fullmatch(r"\^\(\?!\(([a-z_|]+)\)\$\).*", pattern)
    assert left_out is not None and set(left_out.group(1).split("|")) == set(RESERVED)
    assert set(RESERVED) - {"annotations", "provenance", "translation"} == set(schema["required"])
