"""A long session and a quit: thousands of random keys from the window's own key list in a
process of its own (``tests/gui/soak.py``, under ``-X dev -X faulthandler``), then Ctrl+Q. The
process must end cleanly, and the project must hold exactly what the window showed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.core.store import Store
from annotator.gui import singletons

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]
KEYS = 2000


def stored(project: Path, coder: str) -> dict[str, dict]:
    """What the project holds of ``coder``'s work, by uid, as soak.py notes what the window shows."""
    out: dict[str, dict] = {}
    with Store(project, readonly=True) as store:
        codebook = store.codebook()
        for uid, scheme, value in store.db.execute(
            "SELECT i.uid, l.scheme, l.value FROM labels l JOIN items i ON i.id = l.item_id WHERE l.coder = ?", [coder]
        ):
            entry = out.setdefault(uid, {"options": [], "flag": False, "note": ""})
            chosen = codebook.scheme(scheme).as_set(json.loads(value))
            entry["options"] = sorted([*entry["options"], *(f"{scheme}:{v}" for v in chosen)])
        for uid, flag, note in store.db.execute(
            "SELECT i.uid, a.flag, a.note FROM annotations a JOIN items i ON i.id = a.item_id WHERE a.coder = ?", [coder]
        ):
            entry = out.setdefault(uid, {"options": [], "flag": False, "note": ""})
            entry.update(flag=bool(flag), note=note or "")
    return {uid: e for uid, e in out.items() if e != {"options": [], "flag": False, "note": ""}}


def test_thousands_of_keys_then_quit_end_cleanly_with_what_the_window_showed(project: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    run = subprocess.run(
        [sys.executable, "-X", "dev", "-X", "faulthandler", str(ROOT / "tests/gui/soak.py"), str(project), str(KEYS), "14"],
        capture_output=True, text=True, env=env, timeout=600,
    )
    assert "Fatal Python error" not in run.stderr, run.stderr[-2000:]
    assert run.returncode == 0, run.stderr[-2000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["closed"] and report["keys"] > 40  # Ctrl+Q closed it; the window's keys and the codebook's
    shown = report["shown"]
    assert sum(bool(s["options"]) for s in shown.values()) >= 3  # the keys labelled: the check below proves something
    held = stored(project, "soak")
    assert set(held) <= set(shown)  # nothing the window never showed
    assert held == {uid: s for uid, s in shown.items() if s != {"options": [], "flag": False, "note": ""}}


def test_none_and_true_outlast_any_session_where_pyside_takes_their_references() -> None:
    taken = singletons.references_taken()
    if sys.version_info >= (3, 12) or not any(taken.values()):
        pytest.skip("this PySide6 and Python count None and True right: nothing to keep alive")
    for obj in (None, True, False):  # the gui package gave them their references when first imported
        assert sys.getrefcount(obj) > singletons.IMMORTAL // 2
