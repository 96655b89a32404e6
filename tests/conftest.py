"""Shared fixtures: real project databases, built once from the real migrations and copied per test."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from annotator.core.items import Item, Source
from annotator.core.store import Store

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"the shared corpus is missing at {CORPUS}")
    return CORPUS


@pytest.fixture(scope="session")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    with Store(path, create=True) as store:  # comes with the bundled codebook
        store.items.add_source(sample_source())
        store.checkpoint()
    return path


@pytest.fixture
def project_path(_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of a migrated project with the default codebook and one small conference."""
    path = tmp_path / "project.db"
    shutil.copy(_template, path)
    return path


@pytest.fixture
def store(project_path: Path):
    with Store(project_path) as s:
        yield s


def sample_source(sha: str = "f" * 64, n: int = 5, name: str = "conference.txt") -> Source:
    """A small conference: one statement, then qa pairs from different outlets, one follow-up."""
    outlets = ["Reuters", "AFP", "CCTV", "Global Times", "Bloomberg"]
    items = [Item("statement", 0, "", "The Minister will visit Kenya next week.", None, "Wang Wenbin", "2021-12-09")]
    for i in range(1, n):
        items.append(
            Item(
                "qa", i, f"Question {i} about Taiwan & trade <b>?", f"Answer {i}: China firmly opposes this.",
                outlets[i % len(outlets)], "Wang Wenbin", "2021-12-09",
                follow_up_of=i - 1 if i == n - 1 else None,
            )
        )
    return Source(name=name, sha256=sha, kind="transcript", title="Regular Press Conference", date="2021-12-09", items=items)
