"""The core never imports Qt: it must work in notebooks, scripts and CI with no display."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import annotator.core

CORE = Path(annotator.core.__file__).parent


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


def test_only_the_store_and_migrations_speak_sql() -> None:
    root = CORE.parent
    offenders = []
    for path in root.rglob("*.py"):
        if path.name in {"store.py", "migrations.py"}:
            continue
        text = path.read_text(encoding="utf-8")
        if "import sqlite3" in text or ".execute(" in text:
            offenders.append(str(path.relative_to(root)))
    assert offenders == []
