"""annotator report: the multi-coder flow's project to a report in each format; bad flags and
paths in one line, a non-zero exit and no file."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.core.store import Store
from tests.helpers import code_three, new_project, real_sources


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture(scope="module")
def _merged(tmp_path_factory, corpus) -> Path:
    """Three coders' copies of one project, each coded by its coder and merged back, as README's
    flow does it."""
    folder = tmp_path_factory.mktemp("flow")
    lead = new_project(folder / "project.db", real_sources(corpus, 4, every=9))
    copies = []
    for coder in ("alice", "bob", "carol"):
        path = folder / f"{coder}.db"
        shutil.copy(lead, path)
        with Store(path) as store:
            code_three(store, seed=5, only=coder)
        copies.append(path)
    result = run("merge", lead, *copies)
    assert result.exit_code == 0, result.output
    return lead


@pytest.fixture
def merged(_merged, tmp_path) -> Path:
    return Path(shutil.copy(_merged, tmp_path / "project.db"))


@pytest.mark.parametrize("name, first", [("report.html", "<!DOCTYPE html>"), ("table.md", "| Variable |"),
                                         ("table.tex", "\\begin{table}"), ("report.json", "{")])
def test_each_format_from_the_file_name(merged, tmp_path, name, first):
    out = tmp_path / name
    result = run("report", merged, "-o", out, "--bootstrap", 100)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith(first)
    assert f"{out}: the reliability report" in result.output


def test_json_to_stdout_matches_the_agreement_command(merged):
    result = run("report", merged, "--json", "--scheme", "tone", "--bootstrap", 200, "--seed", 3)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    agreement = json.loads(run("agreement", merged, "--json", "--scheme", "tone", "--bootstrap", 200, "--seed", 3).output)
    row = data["schemes"]["tone"]["row"]
    assert (row["alpha"], row["alpha_ci95"]) == (agreement["tone"]["alpha"], agreement["tone"]["alpha_ci95"])
    assert list(data["schemes"]) == ["tone"]


def test_markdown_to_stdout(merged):
    result = run("report", merged, "--format", "md", "-o", "-")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("| Variable | Coefficient | α |")


@pytest.mark.parametrize("args, message", [
    (["--format", "pdf", "-o", "x.pdf"], "Invalid value for '--format'"),
    (["--by", "year", "-o", "x.html"], "Invalid value for '--by'"),
    (["-o", "x.md", "--format", "tex"], "x.md: the name says md, but --format is tex"),
    (["--json", "--format", "md"], "--json and --format md ask for two formats"),
    ([], "report: give -o FILE"),
    (["-o", "no/such/folder/report.html"], "cannot write the report (no folder no/such/folder)"),
    (["-o", "."], "is a folder"),
    (["--scheme", "tones", "-o", "x.html"], "the codebook has no scheme 'tones'"),
])
def test_bad_flags_and_paths_are_one_line(merged, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = run("report", merged, *args)
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0], result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.html").exists() and not (tmp_path / "x.md").exists()


def test_a_file_that_is_not_a_project_is_one_line(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("not a database")
    result = run("report", bad, "-o", tmp_path / "r.html")
    assert result.exit_code != 0 and len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "r.html").exists()
    missing = run("report", tmp_path / "none.db", "-o", tmp_path / "r.html")
    assert missing.exit_code != 0 and len(missing.output.strip().splitlines()) == 1


CHROMIUM = shutil.which("chromium-headless-shell") or shutil.which("chromium")


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (.ci/run installs chromium-headless-shell)")
def test_the_page_renders_in_chromium_without_a_request(merged, tmp_path):
    """Chromium draws the page with every request sent through a proxy that only counts them."""
    out = tmp_path / "report.html"
    assert run("report", merged, "-o", out, "--bootstrap", 50).exit_code == 0
    asked: list[bytes] = []
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    done = threading.Event()

    def count() -> None:
        while not done.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            asked.append(conn.recv(200))
            conn.close()

    counter = threading.Thread(target=count, daemon=True)
    counter.start()
    png = tmp_path / "report.png"
    try:
        subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        f"--proxy-server=http://127.0.0.1:{server.getsockname()[1]}", "--proxy-bypass-list=<-loopback>",
                        "--window-size=1200,1600", f"--screenshot={png}", out.as_uri()],
                       check=True, capture_output=True, timeout=120)
    finally:
        done.set()
        counter.join()
        server.close()
    assert asked == []
    from PySide6.QtGui import QImage

    image = QImage(str(png))
    assert image.width() == 1200 and image.height() == 1600
    colours = {image.pixel(x, y) for x in range(0, 1200, 7) for y in range(0, 1600, 7)}
    assert len(colours) > 20  # text, tables and pictures, not a blank page
