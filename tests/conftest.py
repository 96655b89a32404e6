"""Shared fixtures: real project databases, built once by tests/helpers.py and copied per test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from annotator.core.store import Store
from tests.helpers import CORPUS, copy_project, new_project, sample_source

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"the shared corpus is missing at {CORPUS}")
    return CORPUS


@pytest.fixture(scope="session")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return new_project(tmp_path_factory.mktemp("template") / "template.db", [sample_source()])


@pytest.fixture
def project_path(_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of a migrated project with the default codebook and one small conference."""
    return copy_project(_template, tmp_path / "project.db")


@pytest.fixture
def store(project_path: Path):
    with Store(project_path) as s:
        yield s
