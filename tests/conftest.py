"""Shared fixtures: real project databases, built once by tests/helpers.py and copied per test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from annotator.core.store import Store
from tests.helpers import CORPUS, copy_project, new_project, real_files, rule_gold, sample_source, suggesting

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


# -- real transcripts with labels made by a rule (tests/helpers.rule_gold), for the model -------


def _ruled(path: Path, sources: list) -> Path:
    new_project(path, sources)
    with Store(path) as store:
        rule_gold(store)
        store.checkpoint()
    return path


@pytest.fixture(scope="session")
def _english(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Path:
    return _ruled(tmp_path_factory.mktemp("model") / "english.db", real_files(corpus, "mfa-en", 40))


@pytest.fixture(scope="session")
def _chinese(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Path:
    return _ruled(tmp_path_factory.mktemp("model") / "chinese.db", real_files(corpus, "mfa-zh", 40))


@pytest.fixture
def english(_english: Path, tmp_path: Path) -> Path:
    """A copy of 40 real English conferences with gold topics and tone by the rule."""
    return copy_project(_english, tmp_path / "english.db")


@pytest.fixture
def chinese(_chinese: Path, tmp_path: Path) -> Path:
    """A copy of 40 real Chinese conferences with gold topics and tone by the rule."""
    return copy_project(_chinese, tmp_path / "chinese.db")


@pytest.fixture(scope="session")
def _suggesting(_english: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = copy_project(_english, tmp_path_factory.mktemp("model") / "suggesting.db")
    with Store(path) as store:
        suggesting(store)
        store.checkpoint()
    return path


@pytest.fixture
def suggesting_project(_suggesting: Path, tmp_path: Path) -> Path:
    """``english`` with the lead's side of suggestions done (``helpers.suggesting``): models
    trained, suggestions on for topics and tone, items assigned to alice and bob with 30 %
    of them in the reliability sample."""
    return copy_project(_suggesting, tmp_path / "suggesting.db")
