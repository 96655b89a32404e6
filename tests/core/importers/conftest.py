"""Fixtures for the importer tests: the shared corpus, read in place, never copied."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[3] / ".." / "shared" / "corpus"
SEEDS = CORPUS / "seeds"
REAL = CORPUS / "real"


@pytest.fixture(scope="session")
def seed(corpus: Path):
    """seed("004") -> the path of seed 004."""
    return lambda prefix: next((corpus / "seeds").glob(f"{prefix}_*.txt"))


@pytest.fixture(scope="session")
def mfa_index(corpus: Path) -> dict[str, dict[str, str]]:
    with (corpus / "real" / "mfa-index.tsv").open(encoding="utf-8") as fh:
        return {row["file"]: row for row in csv.DictReader(fh, delimiter="\t")}
