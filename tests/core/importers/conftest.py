"""Fixtures for the importer tests: the shared corpus, read in place, never copied."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from annotator.core.errors import AnnotatorError
from annotator.core.importers import parse_file
from annotator.core.items import Source

CORPUS = Path(__file__).resolve().parents[3] / ".." / "shared" / "corpus"
SEEDS = CORPUS / "seeds"
REAL = CORPUS / "real"
REAL_FOLDERS = ("mfa-en", "mfa-zh", "mfa-en-more", "mfa-zh-more", "whitehouse")

# Lines the importer tests print at the end of the run (figures such as how many pages hold).
_SUMMARY: list[str] = []


@pytest.fixture(scope="session")
def seed(corpus: Path):
    """seed("004") -> the path of seed 004."""
    return lambda prefix: next((corpus / "seeds").glob(f"{prefix}_*.txt"))


@pytest.fixture(scope="session")
def mfa_index(corpus: Path) -> dict[str, dict[str, str]]:
    with (corpus / "real" / "mfa-index.tsv").open(encoding="utf-8") as fh:
        return {row["file"]: row for row in csv.DictReader(fh, delimiter="\t")}


@pytest.fixture(scope="session")
def real_pages(corpus: Path) -> dict[str, list[Path]]:
    """Every transcript file of each real folder (HTML pages, Markdown briefings), sorted."""
    return {folder: sorted(p for p in (corpus / "real" / folder).iterdir() if p.suffix in (".html", ".md"))
            for folder in REAL_FOLDERS}


@pytest.fixture(scope="session")
def parsed(real_pages) -> dict[Path, Source | AnnotatorError]:
    """Each real page parsed once for the whole run: its Source, or the error refusing it.
    Keyed by the resolved path (tests reach the corpus by more than one spelling)."""
    out: dict[Path, Source | AnnotatorError] = {}
    for paths in real_pages.values():
        for path in paths:
            try:
                out[path.resolve()] = parse_file(path)
            except AnnotatorError as exc:
                out[path.resolve()] = exc
    return out


@pytest.fixture(scope="session")
def importer_summary() -> list[str]:
    """Append a line here to have it printed after the run, whether or not output is captured."""
    return _SUMMARY


def pytest_terminal_summary(terminalreporter) -> None:
    if _SUMMARY:
        terminalreporter.section("importer figures")
        for line in _SUMMARY:
            terminalreporter.write_line(line)
