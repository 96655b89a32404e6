"""Fixtures for the coding-window tests: real project files built with the Store API,
and settings kept in a temporary folder so no test touches the user's own."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QStandardPaths

from annotator.core.codebook import default_codebook_path, load_codebook
from annotator.core.items import Item, Source, sha256_bytes
from annotator.core.store import Store

CONFERENCES = [
    ("2021-12-09", "Wang Wenbin", [
        ("Xinhua News Agency", "What is your comment on the Alliance for the Future of the Internet?",
         "The relevant report proves once again that the US is politicizing democracy."),
        ("Reuters", "Will China send officials to the Winter Olympics opening?",
         "Politicizing sports goes against the Olympic spirit."),
        ("AFP", "Any comment on the sanctions announced on Xinjiang officials?",
         "China firmly opposes these so-called sanctions and will take countermeasures."),
    ]),
    ("2021-12-10", "Wang Wenbin", [
        ("Bloomberg", "Are talks on tariffs planned?", "I have no information to offer on that."),
        ("Global Times", "How do you view the Taiwan arms sale?", "We urge the US to stop arms sales to Taiwan."),
    ]),
    ("2022-01-04", "Zhao Lijian", [
        ("CCTV", "Could you share updates on COVID-19 vaccine aid?", "China has provided over two billion doses."),
        ("Reuters", "Does China plan a visit to the Pacific islands?", "We will release information in due course."),
        ("NHK", "Any comment on the East China Sea?", "The Diaoyu Islands are China's inherent territory."),
    ]),
]


def build_project(path: Path, conferences: list = CONFERENCES) -> Path:
    cb_path = default_codebook_path()
    with Store(path, create=True) as store:
        store.set_codebook(load_codebook(cb_path), cb_path.read_text(encoding="utf-8"))
        for n, (date, speaker, pairs) in enumerate(conferences):
            items = [
                Item(kind="qa", seq=i, question=q, answer=a, outlet=o, spokesperson=speaker, date=date)
                for i, (o, q, a) in enumerate(pairs)
            ]
            raw = f"{date}{speaker}{n}".encode()
            store.add_source(Source(name=f"{date}.txt", sha256=sha256_bytes(raw), kind="transcript",
                                    title=f"Regular Press Conference on {date}", date=date, items=items))
    return path


_TEMPLATE: dict[str, Path] = {}


@pytest.fixture
def project(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Path:
    """A fresh copy of a small migrated project (built once per session, copied per test)."""
    if "p" not in _TEMPLATE:
        _TEMPLATE["p"] = build_project(tmp_path_factory.mktemp("template") / "template.db")
    target = tmp_path / "project.db"
    shutil.copy(_TEMPLATE["p"], target)
    return target


@pytest.fixture
def make_project():
    """Build a project from your own conferences: ``make_project(path, [(date, speaker, [(outlet, q, a)])])``."""
    return build_project


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "settings"
    QStandardPaths.setTestModeEnabled(True)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    yield folder
