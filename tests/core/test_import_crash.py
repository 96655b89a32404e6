"""kill -9 in the middle of an import keeps whole files only, searchable; importing the folder
again brings in the rest and nothing twice (``store.bulk_writes``: each file a savepoint of a
transaction committed about every half second, not flushed to the disk until the end)."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.core.import_run import import_paths
from annotator.core.store import Store

IMPORTER = """
import sys
from pathlib import Path
from annotator.core.import_run import import_paths
from annotator.core.store import Store
with Store(Path(sys.argv[1]), create=True) as store:
    import_paths(store, [Path(sys.argv[2])])
"""
PER_SOURCE = "SELECT s.name, count(i.id) FROM sources s LEFT JOIN items i ON i.source_id = s.id GROUP BY s.id"


def committed_sources(db: Path) -> int:
    """What another program sees of the project now (0 until the first commit)."""
    if not db.exists():
        return 0
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM sources").fetchone()[0]
    except sqlite3.OperationalError:  # not made yet, or being made
        return 0
    finally:
        conn.close()


@pytest.mark.slow
def test_an_import_killed_midway_keeps_whole_files_and_importing_again_completes_it(corpus, tmp_path) -> None:
    # enough pages that the import is still writing well after its first commit
    folder = tmp_path / "pages"
    folder.mkdir()
    for page in sorted((corpus / "real" / "mfa-en-more").iterdir())[:150]:
        shutil.copy(page, folder)
    with Store(tmp_path / "whole.db", create=True) as whole:
        import_paths(whole, [folder])
        expected = dict(whole.db.execute(PER_SOURCE).fetchall())

    killed = tmp_path / "killed.db"
    proc = subprocess.Popen([sys.executable, "-c", IMPORTER, str(killed), str(folder)],
                            start_new_session=True, cwd=os.getcwd())
    try:
        while committed_sources(killed) == 0 and proc.poll() is None:
            time.sleep(0.02)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the importer and its parse-ahead worker
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the import ended before it could be killed"

    with Store(killed) as store:
        assert store.integrity_check() == "ok"
        # rank 1: the full-text index agrees with the items (an item written but not indexed fails it)
        store.db.execute("INSERT INTO items_fts(items_fts, rank) VALUES ('integrity-check', 1)")
        kept = dict(store.db.execute(PER_SOURCE).fetchall())
        assert 0 < len(kept) < len(expected)
        # every file that is there is all there: no file is half imported
        assert {name: expected[name] for name in kept} == kept
        again = import_paths(store, [folder])
        assert len(again.duplicate_files) == len(kept)  # matched by their sha256: nothing twice
        assert dict(store.db.execute(PER_SOURCE).fetchall()) == expected

    with Store(killed) as reopened:  # what the finished import wrote is there after reopening
        assert dict(reopened.db.execute(PER_SOURCE).fetchall()) == expected
        reopened.db.execute("INSERT INTO items_fts(items_fts, rank) VALUES ('integrity-check', 1)")
