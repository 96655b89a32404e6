"""annotator check compares a project's schema with this version's: what another program dropped
is named in one line; what another tool added is no fault."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from annotator.core.errors import AnnotatorError
from annotator.core.store import Store
from tests.helpers import copy_project, new_project, sample_source


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = new_project(tmp_path_factory.mktemp("schema") / "p.db", [sample_source()])
    with Store(db) as store:
        store.labels.set(1, "alice", "tone", "firm")
        store.checkpoint()
    return db


def changed(template: Path, tmp_path: Path, sql: str) -> Path:
    db = copy_project(template, tmp_path / "p.db")
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(sql)
    conn.close()
    return db


@pytest.mark.parametrize("sql, missing", [
    ("DROP TABLE gold", "table gold is missing"),
    ("ALTER TABLE annotations DROP COLUMN seconds", "column annotations.seconds is missing"),
    ("DROP INDEX labels_coder", "index labels_coder is missing"),
    ("DROP TRIGGER labels_tally_insert", "trigger labels_tally_insert is missing"),
])
def test_a_part_of_the_schema_dropped_is_named(template: Path, tmp_path: Path, sql: str, missing: str) -> None:
    db = changed(template, tmp_path, sql)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    with Store(db, readonly=True) as store, pytest.raises(AnnotatorError) as e:
        store.check()
    assert str(e.value).startswith(f"{db}: {missing} from the project") and "\n" not in str(e.value)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_this_versions_schema_and_a_table_of_anothers_pass(template: Path, tmp_path: Path) -> None:
    with Store(template, readonly=True) as store:
        store.check()
    db = changed(template, tmp_path, "CREATE TABLE my_notes (item_id INTEGER, text TEXT)")
    with Store(db, readonly=True) as store:
        store.check()
