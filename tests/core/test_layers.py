"""The layers hold: the core never imports Qt (it must work in notebooks, scripts and CI
with no display), and only the store package and the migrations speak SQL."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import tokenize
from pathlib import Path

import annotator.core

CORE = Path(annotator.core.__file__).parent
PACKAGE = CORE.parent
STORE = CORE / "store"
MIGRATIONS = CORE / "migrations.py"

_SQL_CALL = re.compile(r"\.(execute|executemany|executescript)\(|^\s*(import sqlite3|from sqlite3 )", re.M)
_SQL_TEXT = re.compile(
    r"\b(SELECT\b[\s\S]+\bFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|"
    r"CREATE\s+(TABLE|INDEX|VIRTUAL|TRIGGER)|PRAGMA\s+\w+)\b"
)


def speaks_sql(path: Path) -> bool:
    """Whether a module runs SQL or holds an SQL statement in one of its strings."""
    text = path.read_text(encoding="utf-8")
    if _SQL_CALL.search(text):
        return True
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    return any(t.type == tokenize.STRING and _SQL_TEXT.search(t.string) for t in tokens)


def test_core_imports_no_qt() -> None:
    modules = sorted(
        "annotator.core." + ".".join(p.relative_to(CORE).with_suffix("").parts)
        for p in CORE.rglob("*.py")
        if p.name != "__init__.py"
    )
    code = "import sys\n" + "".join(f"import {m}\n" for m in modules) + (
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'PyQt')))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"core imported Qt: {out.stdout}"
    assert len(modules) >= 6


def test_only_the_store_package_and_migrations_speak_sql() -> None:
    offenders = sorted(
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path != MIGRATIONS and STORE not in path.parents and speaks_sql(path)
    )
    assert offenders == []
    # and the check is not blind: it sees the SQL where it lives
    assert speaks_sql(MIGRATIONS)
    assert {p.stem for p in STORE.glob("*.py") if speaks_sql(p)} >= {
        "items", "labels", "browse", "assignments", "gold", "sync", "exports", "store",
    }
