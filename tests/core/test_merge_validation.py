"""What a merge takes in goes through ``core/validate.py``: a label file, a native export, a
coder's database. Each bad record is refused with one line naming the file and its line (or
row), and the project is byte for byte as it was."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.core.errors import AnnotatorError
from annotator.core.export import ExportOptions, export
from annotator.core.merge import merge_files
from annotator.core.store import Store
from tests.helpers import coder_label_file, copy_project, read_jsonl


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def first_state(records: list[dict]) -> dict:
    return next(r for r in records if "coder" in r and "event" not in r)


def first_event(records: list[dict]) -> dict:
    return next(r for r in records if "event" in r)["event"]


def state_of(**fields: object) -> Callable[[list[dict]], None]:
    def change(records: list[dict]) -> None:
        first_state(records).update(fields)
    return change


def event_of(**fields: object) -> Callable[[list[dict]], None]:
    def change(records: list[dict]) -> None:
        first_event(records).update(fields)
    return change


def without_events(records: list[dict]) -> None:
    records[:] = [r for r in records if "event" not in r]


def huge_label(records: list[dict]) -> None:
    first_state(records)["labels"]["tone"] = "x" * 50_000_000


# (what is wrong, the change to a good label file, what the one line must say)
BAD_LABEL_FILES = [
    ("coder starting with @", state_of(coder="@done"), "coder name '@done' is not allowed"),
    ("coder with a newline", state_of(coder="evil\nname"), "coder name 'evil\\nname' is not allowed"),
    ("coder of 1000 characters", state_of(coder="a" * 1000), "is not allowed (at most 64 characters"),
    ("coder with a path", state_of(coder="../../evil"), "coder name '../../evil' is not allowed"),
    ("done as text", state_of(done="yes"), "'done' must be true or false, not 'yes'"),
    ("flag as a list", state_of(flag=[1]), "'flag' must be true or false, not [1]"),
    ("seconds as text", state_of(seconds="lots"), "'seconds' must be a number of seconds, not 'lots'"),
    ("note as a number", state_of(note=5), "note must be text, not 5"),
    ("updated_at no time", state_of(updated_at="yesterday"), "'updated_at' must be an ISO time"),
    ("label a number", state_of(labels={"tone": 5}), "label 'tone' must be an option or a list of options, not 5"),
    ("event action unknown", event_of(action="explode"), "history action 'explode' is not one annotator writes"),
    ("event at no date", event_of(at="not a date"), "the event's 'at' must be an ISO time, not 'not a date'"),
    ("event coder bad", event_of(coder="a/b"), "coder name 'a/b' is not allowed"),
    ("event field bad", event_of(field=["tone"]), "is not a scheme's name"),
    ("event value a dict", event_of(after={"a": 1}), "must be an option or a list of options"),
    ("labels without events", without_events, "has no history event in the file; nothing merged"),
    ("a 50 MB label", huge_label, "characters long (at most 10,000)"),
    ("format true", lambda recs: recs[0].update(annotator_labels=True), "label file format true is no format"),
    ("format -1", lambda recs: recs[0].update(annotator_labels=-1), "label file format -1 is no format"),
    ("format text", lambda recs: recs[0].update(annotator_labels="x"), "label file format 'x' is no format"),
    ("format 99", lambda recs: recs[0].update(annotator_labels=99), "label file format 99 is newer than this"),
]


@pytest.mark.parametrize(("change", "says"), [c[1:] for c in BAD_LABEL_FILES], ids=[c[0] for c in BAD_LABEL_FILES])
def test_a_bad_label_file_is_one_line_and_nothing_merged(project_path, tmp_path, change, says):
    good = read_jsonl(coder_label_file(project_path, tmp_path / "erin.jsonl"))
    change(good)
    bad = write_jsonl(tmp_path / "bad.jsonl", good)
    before = digest(project_path)
    with Store(project_path) as store, pytest.raises(AnnotatorError) as e:
        merge_files(store, [bad])
    message = str(e.value)
    assert says in message, message
    assert message.startswith(f"{bad}: line ")
    assert "\n" not in message and len(message) < 400
    assert digest(project_path) == before
    assert not list(tmp_path.glob("project.db.bak-*"))


def test_the_good_label_file_merges_whole_with_its_history(project_path, tmp_path):
    path = coder_label_file(project_path, tmp_path / "erin.jsonl")
    with Store(project_path) as store:
        _, [summary] = merge_files(store, [path])
        ids = [r[0] for r in store.db.execute("SELECT id FROM items ORDER BY id LIMIT 2").fetchall()]
        first = store.labels.annotation(ids[0], "erin")
        history = store.labels.history(item_id=ids[0], coder="erin")
    assert summary.labels_added >= 4
    assert first.labels["tone"] == "firm" and first.note == "check the date" and first.done
    assert {e["field"] for e in history} >= {"tone", "topics", "@note", "@done"}


def test_a_label_file_with_a_byte_order_mark_merges(project_path, tmp_path):
    path = coder_label_file(project_path, tmp_path / "erin.jsonl")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    with Store(project_path) as store:
        _, [summary] = merge_files(store, [path])
    assert summary.kind == "labels" and summary.labels_added >= 4


BAD_NATIVE = [
    ({"coder": "@x", "labels": {"tone": "firm"}}, "coder name '@x' is not allowed"),
    ({"coder": "x", "labels": {"tone": "firm"}, "done": 1}, "'done' must be true or false, not 1"),
    ({"coder": "x", "labels": {"tone": ["firm", 3]}}, "must be an option or a list of options"),
]


@pytest.mark.parametrize(("annotation", "says"), BAD_NATIVE)
def test_a_bad_native_record_names_its_line(project_path, tmp_path, annotation, says):
    with Store(project_path) as store:
        uid = store.items.texts()[0][0]
    bad = write_jsonl(tmp_path / "native.jsonl", [{"uid": uid, "annotations": [annotation]}])
    before = digest(project_path)
    with Store(project_path) as store, pytest.raises(AnnotatorError, match=r"native\.jsonl: line 1") as e:
        merge_files(store, [bad])
    assert says in str(e.value)
    assert digest(project_path) == before


def hostile_database(project_path: Path, tmp_path: Path, sql: str) -> Path:
    """A coder's database (a real one, labelled through the store) changed behind the store's back."""
    other = copy_project(project_path, tmp_path / "other.db")
    with Store(other) as store:
        item = store.db.execute("SELECT min(id) FROM items").fetchone()[0]
        store.labels.set(item, "erin", "tone", "firm")
    conn = sqlite3.connect(other)
    with conn:
        conn.execute(sql)
    conn.close()
    return other


BAD_DATABASES = [
    ("UPDATE labels SET coder = 'evil/../x'", "coder name 'evil/../x' is not allowed"),
    ("UPDATE label_events SET action = 'explode'", "history action 'explode'"),
    ("UPDATE label_events SET at = 'soon'", "its time must be an ISO time"),
    ("DELETE FROM label_events", "label 'tone' has no history row"),
    ("UPDATE labels SET value = json_quote(printf('%.50000c', 'x'))", "characters long (at most 10,000)"),
    ("DROP TABLE label_events", "database error: no such table: label_events"),  # named, not the project
]


@pytest.mark.parametrize(("sql", "says"), BAD_DATABASES)
def test_a_bad_coder_database_is_named_and_nothing_merged(project_path, tmp_path, sql, says):
    other = hostile_database(project_path, tmp_path, sql)
    before = digest(project_path)
    with Store(project_path) as store, pytest.raises(AnnotatorError) as e:
        merge_files(store, [other])
    message = str(e.value)
    assert message.startswith(f"{other}: ") and says in message, message
    assert len(message) < 400
    assert digest(project_path) == before


def test_the_longest_labels_a_codebook_allows_merge_back_from_a_label_file_and_a_database(project_path,
                                                                                          tmp_path) -> None:
    # A codebook at the limit of a label (validate.fits_a_label): its coder's label file and
    # database must both merge. A database's JSON text was held to another measure (quotes and
    # ", " counted), so every option of a multi-choice scheme ticked was refused from a database.
    from annotator.core.codebook import parse_codebook

    longest, every = "s" * 10_000, [c * 997 for c in "abcdefghij"]
    options = "".join(f'[[schemes.options]]\nvalue = "{v}"\n' for v in every)
    codebook = parse_codebook(f'name = "long"\n[[schemes]]\nname = "tone"\nkind = "single"\n[[schemes.options]]\n'
                              f'value = "{longest}"\n[[schemes]]\nname = "topics"\nkind = "multi"\n{options}')
    lead = copy_project(project_path, tmp_path / "lead.db")
    with Store(lead) as store:
        store.set_codebook(codebook, force=True)
    coder = copy_project(lead, tmp_path / "erin.db")
    with Store(coder) as store:
        store.labels.set(1, "erin", "tone", longest)
        store.labels.set(1, "erin", "topics", every)
        export(store, ExportOptions(selection="coder", coder="erin", labels_file=True), tmp_path / "erin.jsonl")
    for given in (tmp_path / "erin.jsonl", coder):
        with Store(copy_project(lead, tmp_path / f"merged-{given.suffix[1:]}.db")) as store:
            merge_files(store, [given], backup=False)
            assert store.labels.annotation(1, "erin").labels == {"tone": longest, "topics": every}, given
