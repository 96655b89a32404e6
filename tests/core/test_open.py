"""Opening a project: upgrades of older files, refusals of everything that is not one."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from annotator.core.errors import AnnotatorError
from annotator.core.migrations import migrations
from annotator.core.store import Store
from tests.helpers import sample_source


def test_a_database_from_an_older_version_is_upgraded_in_place(tmp_path) -> None:
    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before="m002_full_text_search")
    assert "items_fts" not in db.table_names()
    db.close()
    with Store(path, create=False) as store:  # first open by this version: the remaining steps run
        store.items.add_source(sample_source())
        assert [m.name for m in migrations.applied(store.db)] == [m.name for m in migrations._migrations]
        assert store.db.execute("SELECT count(*) FROM items_fts WHERE items_fts MATCH 'Kenya'").fetchone()[0] == 1


def test_items_written_before_the_upgrade_are_searchable_after_it(tmp_path) -> None:
    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before="m002_full_text_search")
    db.execute(
        "INSERT INTO sources(id, name, sha256, kind, imported_at) VALUES (1, 'a.txt', 'abc', 'transcript', 'x')"
    )
    db.execute("INSERT INTO items(uid, kind, source_id, seq, question, answer) VALUES ('u1', 'qa', 1, 0, 'Q', 'pandas')")
    db.conn.commit()
    db.close()
    with Store(path) as store:
        assert store.db.execute("SELECT rowid FROM items_fts WHERE items_fts MATCH 'pandas'").fetchall() == [(1,)]


def test_labels_written_before_their_times_joined_the_coder_index_are_read_from_it_after(tmp_path) -> None:
    path = tmp_path / "old.db"
    with Store(path, create=True) as store:
        store.items.add_source(sample_source())
        store.labels.set(1, "alice", "tone", "firm")
        store.labels.set(2, "bob", "topics", ["taiwan"])
        before = list(store.labels.days())
    conn = sqlite3.connect(path)
    with conn:  # the project as the version before m019 left it
        conn.execute("DROP INDEX labels_coder")
        conn.execute("CREATE INDEX labels_coder ON labels(coder, scheme, value, item_id)")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm019_label_times_in_the_coder_index'")
    conn.close()
    with Store(path) as store:
        columns = [r[2] for r in store.db.execute("PRAGMA index_info(labels_coder)")]
        assert columns == ["coder", "scheme", "value", "item_id", "updated_at"]
        assert list(store.labels.days()) == before
        plan = " ".join(r[3] for r in store.db.execute(
            "EXPLAIN QUERY PLAN SELECT coder, scheme, item_id, updated_at FROM labels INDEXED BY labels_coder"))
        assert "COVERING INDEX labels_coder" in plan  # the times come from the index, not the table


def test_a_database_with_an_unknown_step_is_refused_untouched(project_path) -> None:
    conn = sqlite3.connect(project_path)
    conn.execute(
        "INSERT INTO _sqlite_migrations(migration_set, name, applied_at) VALUES ('annotator', 'm999_future', 'x')"
    )
    conn.commit()
    conn.close()
    before = project_path.read_bytes()
    with pytest.raises(AnnotatorError, match=r"newer version of annotator \(unknown schema step m999_future\)"):
        Store(project_path)
    assert project_path.read_bytes() == before


@pytest.mark.parametrize(
    "content, message",
    [
        (b"hello, this is a text file, not a database\n", "not an SQLite database"),
        (b"", "empty file, not an annotator project"),
    ],
)
def test_files_that_are_not_projects_are_refused(tmp_path, content, message) -> None:
    path = tmp_path / "x.db"
    path.write_bytes(content)
    with pytest.raises(AnnotatorError, match=message):
        Store(path)
    assert path.read_bytes() == content


def test_another_programs_sqlite_database_is_refused(tmp_path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE songs(title TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(AnnotatorError, match="an SQLite database, but not an annotator project"):
        Store(path)


def test_a_corrupt_database_is_refused(project_path) -> None:
    data = bytearray(project_path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # smash the schema page after the header
    project_path.write_bytes(bytes(data))
    with pytest.raises(AnnotatorError, match="corrupt|not an SQLite database"):
        Store(project_path)


def test_missing_folder_and_directory(tmp_path) -> None:
    with pytest.raises(AnnotatorError, match="no such project database"):
        Store(tmp_path / "missing.db")
    with pytest.raises(AnnotatorError, match="is a folder"):
        Store(tmp_path)
    with pytest.raises(AnnotatorError, match="no folder"):
        Store(tmp_path / "nowhere" / "p.db", create=True)


def test_read_only_open_reads_without_writing(project_path, tmp_path) -> None:
    copy = tmp_path / "copy.db"
    shutil.copy(project_path, copy)
    with Store(copy, readonly=True) as store:
        assert store.items.count() == 5
        with pytest.raises(AnnotatorError, match="read-only"):
            store.labels.set(2, "alice", "tone", "firm")


def test_reading_commands_leave_no_wal_files_behind(project_path) -> None:
    with Store(project_path, readonly=True) as store:
        assert store.items.count() == 5
    assert sorted(p.name for p in project_path.parent.iterdir()) == ["project.db"]


def test_a_new_project_keeps_its_own_copy_of_the_bundled_codebook(tmp_path) -> None:
    from annotator.core.codebook import default_codebook_path

    with Store(tmp_path / "new.db", create=True) as store:
        assert store.codebook_toml() == default_codebook_path().read_text(encoding="utf-8")
        assert [s.name for s in store.codebook().schemes] == ["topics", "tone", "question_stance", "rhetoric"]


def test_upgrading_is_told_the_steps_an_older_project_lacks_before_they_run(tmp_path) -> None:
    from annotator.core.store import steps_to_upgrade
    from annotator.core.store.backups import backups
    from tests.helpers import older_project

    db = older_project(tmp_path / "old.db", [sample_source()], [(1, "alice", "tone", "firm")])
    lacking = steps_to_upgrade(db)
    told: list[tuple[list[str], list[str], Path | None, bool]] = []

    def upgrading(steps: list[str], kept: Path | None) -> None:
        told.append((steps, steps_to_upgrade(db), kept, kept is not None and kept.exists()))

    Store(db, upgrading=upgrading).close()
    [(steps, still_lacking, kept, kept_already)] = told
    assert steps == still_lacking == lacking  # the file still lacked them when told
    assert kept is not None and kept.name.startswith("old.db.bak-") and not kept_already  # told before the copy
    assert steps_to_upgrade(db) == []
    # the backup is the file as it was: an older project with the same labels
    assert steps_to_upgrade(kept) == lacking
    conn = sqlite3.connect(kept)
    try:
        assert conn.execute("SELECT item_id, coder, scheme, value FROM labels").fetchall() == [(1, "alice", "tone", '"firm"')]
    finally:
        conn.close()
    Store(db, upgrading=upgrading).close()  # at this version's: not told, no backup
    Store(tmp_path / "new.db", create=True, upgrading=upgrading).close()  # made, not upgraded
    assert len(told) == 1 and backups(db) == [kept]


def test_a_copy_opened_without_a_backup_is_upgraded_with_none_beside_it(tmp_path) -> None:
    from annotator.core.store import steps_to_upgrade
    from tests.helpers import older_project

    db = older_project(tmp_path / "copy.db", [sample_source()])
    told: list[Path | None] = []
    Store(db, back_up=False, upgrading=lambda steps, kept: told.append(kept)).close()
    assert told == [None] and steps_to_upgrade(db) == [] and not list(tmp_path.glob("*.bak*"))


def test_opening_the_project_again_in_the_same_process_keeps_the_first_connection_s_locks(project_path) -> None:
    """A window (or a notebook) holds the project; the same process opens and closes it again;
    then another program opens and closes it. That program must not take itself for the file's
    last user and delete the WAL under the first connection: the writes it makes next would go to
    the deleted file, unseen by every other program until it closed."""
    import subprocess
    import sys

    def another_program(sql: str) -> str:
        code = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
                "print(c.execute(sys.argv[2]).fetchone()); c.close()")
        return subprocess.run([sys.executable, "-c", code, str(project_path), sql],
                              capture_output=True, text=True, check=True).stdout.strip()

    held = Store(project_path)
    try:
        item_id = held.items.first_id()
        held.labels.set(item_id, "alice", "tone", "firm")
        with Store(project_path, readonly=True) as again:  # e.g. the window opening it once more
            assert again.labels.value_of(item_id, "alice", "tone") == "firm"
        another_program("SELECT count(*) FROM items")
        assert Path(f"{project_path}-wal").exists()
        held.labels.set(item_id, "alice", "tone", "warm")
        assert another_program(f"SELECT value FROM labels WHERE item_id = {item_id} AND coder = 'alice'") == "('\"warm\"',)"
    finally:
        held.close()
