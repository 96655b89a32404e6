"""The structural check at opening (store/structure.py): the whole check of a file up to
FULL_CHECK_BYTES, the affordable check of a larger one, and no false alarm on a good file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.core.errors import AnnotatorError
from annotator.core.store import Store, structure
from tests.helpers import copy_project, label_two_coders


def flip_page(path: Path, page: int) -> None:
    data = bytearray(path.read_bytes())
    size = 4096
    data[(page - 1) * size:page * size] = bytes(b ^ 0xFF for b in data[(page - 1) * size:page * size])
    path.write_bytes(bytes(data))


def root_of(path: Path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def labelled(project_path: Path) -> Path:
    with Store(project_path) as store:
        label_two_coders(store)
        store.checkpoint()
    return project_path


@pytest.fixture(params=["whole", "affordable"])
def way(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each case both ways: a small file's whole check, and a large file's (any file above 0 bytes)."""
    if request.param == "affordable":
        monkeypatch.setattr(structure, "FULL_CHECK_BYTES", 0)
    structure._checked.clear()
    return request.param


def test_a_good_file_opens_either_way_with_or_without_a_wal(labelled: Path, way: str) -> None:
    with Store(labelled) as store:
        store.labels.set(1, "carol", "tone", "firm")  # left in the WAL while the next one opens
        structure._checked.clear()
        with Store(labelled, readonly=True) as other:
            assert other.labels.annotation(1, "carol").labels["tone"] == "firm"


@pytest.mark.parametrize("table", ["labels", "label_events", "meta", "items"])
def test_a_damaged_table_is_refused_at_opening_naming_the_file(labelled: Path, tmp_path: Path, way: str,
                                                               table: str) -> None:
    bad = copy_project(labelled, tmp_path / "bad.db")
    flip_page(bad, root_of(bad, table))
    before = bad.read_bytes()
    with pytest.raises(AnnotatorError) as e:
        Store(bad)
    assert str(e.value).startswith(f"{bad}: the database is corrupt (")
    assert bad.read_bytes() == before


def test_a_cut_off_file_is_refused_by_the_affordable_check(labelled: Path, tmp_path: Path, way: str) -> None:
    bad = copy_project(labelled, tmp_path / "cut.db")
    data = bad.read_bytes()
    bad.write_bytes(data[: len(data) - 4096])
    with pytest.raises(AnnotatorError, match="the database is corrupt"):
        Store(bad, readonly=True)


def test_check_reads_every_page_whatever_the_size(labelled: Path, tmp_path: Path, monkeypatch) -> None:
    """A large table's index is past what opening affords to read; ``check`` reads it."""
    monkeypatch.setattr(structure, "FULL_CHECK_BYTES", 0)
    monkeypatch.setattr(structure, "SMALL_TABLE_ROWS", 0)  # every table counts as large
    structure._checked.clear()
    with Store(labelled, readonly=True) as store:
        store.check()
    bad = copy_project(labelled, tmp_path / "bad.db")
    flip_page(bad, root_of(bad, "items_outlet"))
    structure._checked.clear()
    with Store(bad, readonly=True) as store, pytest.raises(AnnotatorError) as e:
        store.check()
    line = str(e.value)
    assert line.startswith(f"{bad}: the database is corrupt (Page ") and "\n" not in line, line


def test_a_locked_file_is_not_called_corrupt(labelled: Path) -> None:
    """A check that cannot read for a lock says so: a busy project is not a damaged one."""
    conn = sqlite3.connect(labelled, isolation_level=None)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("BEGIN EXCLUSIVE")
    structure._checked.clear()
    try:
        with pytest.raises(AnnotatorError) as e:
            Store(labelled, readonly=True)
    finally:
        conn.execute("ROLLBACK")
        conn.close()
    assert "corrupt" not in str(e.value)


def test_a_long_list_of_damage_is_one_line_cut_where_it_says_so(labelled: Path, monkeypatch) -> None:
    problem = "*** in database main ***\n" + " ".join(f"Page {n} is never used" for n in range(500, 520))
    monkeypatch.setattr(structure, "_whole", lambda conn: [problem, "Page 9 is never used", "Page 8 is never used"])
    structure._checked.clear()
    with pytest.raises(AnnotatorError) as e:
        Store(labelled, readonly=True)
    line = str(e.value)
    assert "\n" not in line and "*** in database" not in line
    assert "(Page 500 is never used Page 501 is never used" in line and "...; and" not in line
    assert "..., and 2 more problems); nothing was changed" in line, line
