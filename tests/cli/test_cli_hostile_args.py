"""Hostile flags and arguments: a seed out of range, an id beyond SQLite's 64 bits, a URL that is
not one, an empty name, a scheme both on and off, a stdout that cannot be written. Each is one
line on stderr naming the value and the problem, a non-zero exit, no traceback, and every file
of the project's folder byte for byte as it was."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from annotator.cli import cli
from annotator.core.store import Store
from tests.helpers import conference_sources, label_two_coders, new_project

HUGE = "99999999999999999999"  # beyond SQLite's 64-bit INTEGER
ENTRY_POINT = "from annotator.launch import main; main()"  # what the console script runs


def run(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def labelled(folder: Path) -> Path:
    """Three conferences two coders labelled: enough for alpha's bootstrap to draw on the seed."""
    db = new_project(folder / "p.db", conference_sources())
    with Store(db) as store:
        label_two_coders(store)
        store.checkpoint()
    return db


def folder_state(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def refused(result: Result, code: int, *words: str) -> str:
    """The one line of a refusal, checked: the exit code, one line on stderr saying ``words``."""
    assert result.exit_code == code, (result.exit_code, result.output, result.stderr)
    assert "Traceback" not in result.output + result.stderr
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


# -- 1. every --seed takes 0..2**32-1, as it is parsed ---------------------------------------

SEEDED = [
    ("agreement", "{db}"),
    ("report", "{db}", "--json"),
    ("assign", "{db}", "--coders", "alice,bob"),
    ("export", "{db}", "-o", "{out}"),
    ("model", "{db}", "train"),
    ("model", "{db}", "evaluate"),
]


@pytest.mark.parametrize("command", SEEDED, ids=lambda c: " ".join(w for w in c if "{" not in w))
@pytest.mark.parametrize("seed", ["-1", str(2**32)])
def test_a_seed_out_of_range_is_a_bad_flag(tmp_path: Path, command: tuple[str, ...], seed: str) -> None:
    db = labelled(tmp_path)
    before = folder_state(tmp_path)
    args = [a.format(db=db, out=tmp_path / "out.jsonl") for a in command]
    refused(run(*args, "--seed", seed), 2, "--seed", seed, "4294967295")
    assert folder_state(tmp_path) == before


@pytest.mark.parametrize("seed", ["0", str(2**32 - 1)])
def test_a_seed_at_either_end_of_the_range_is_taken(tmp_path: Path, seed: str) -> None:
    db = labelled(tmp_path)
    result = run("agreement", db, "--json", "--bootstrap", 20, "--seed", seed)
    assert result.exit_code == 0, result.output + result.stderr


# -- 2. an id beyond SQLite's range is no such item or source ---------------------------------


@pytest.mark.parametrize("number", [HUGE, "²"], ids=["beyond 64 bits", "a superscript digit"])
@pytest.mark.parametrize("command, missing", [
    (("correct", "{db}", "{n}", "--flag", "x", "--coder", "lead"), "no item '{n}'"),
    (("align", "{db}", "{n}"), "no item '{n}'"),
    (("conferences", "{db}", "--unlink", "{n}", "--coder", "lead"), "no source '{n}'"),
    (("conferences", "{db}", "--link", "{n}", "1", "--coder", "lead"), "no source '{n}'"),
], ids=["correct", "align", "unlink", "link"])
def test_an_id_that_names_no_row_is_no_such_item(tmp_path: Path, command: tuple[str, ...], missing: str,
                                                 number: str) -> None:
    """A number SQLite cannot hold, or a digit int() refuses ('²'.isdigit() is true)."""
    db = labelled(tmp_path)
    before = folder_state(tmp_path)
    line = refused(run(*[a.format(db=db, n=number) for a in command]), 1, str(db), missing.format(n=number))
    # The same line as for an id that fits but names nothing.
    small = run(*[a.format(db=db, n="999999") for a in command])
    assert small.stderr.strip() == line.replace(number, "999999")
    assert folder_state(tmp_path) == before


# -- 3. a stdout that cannot be written: one line, for every command -----------------------------


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize("command", [("stats",), ("stats", "--json"), ("export", "--include-unlabelled"),
                                     ("report", "--json", "--bootstrap", "0")], ids=" ".join)
def test_a_full_stdout_is_one_line(tmp_path: Path, command: tuple[str, ...]) -> None:
    db = labelled(tmp_path)
    before = folder_state(tmp_path)
    with open("/dev/full", "w") as full:  # stdout only: never an -o path (as root it would be replaced)
        done = subprocess.run([sys.executable, "-c", ENTRY_POINT, command[0], str(db), *command[1:]],
                              stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines() == ["Error: stdout: cannot write (No space left on device)"], done.stderr
    assert folder_state(tmp_path) == before


def test_a_reader_gone_is_still_a_quiet_exit(tmp_path: Path) -> None:
    db = labelled(tmp_path)
    read, write = os.pipe()
    os.close(read)  # the reader stopped reading, as `| head -0` does
    try:
        done = subprocess.run([sys.executable, "-c", ENTRY_POINT, "export", str(db), "--include-unlabelled"],
                              stdout=write, stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [line for line in done.stderr.splitlines() if line.startswith("wrote ")]


# -- 4. a Label Studio URL is checked before anything is sent -----------------------------------


@pytest.mark.parametrize("url, why", [
    ("notaurl", "http:// or https://"),
    ("http://[::1", "Invalid IPv6 URL"),
    ("ftp://localhost:8080", "http:// or https://"),
    ("http://", "no host"),
    ("http://localhost:99999", "Port out of range"),
], ids=["no-scheme", "bad-ipv6", "ftp", "no-host", "port"])
@pytest.mark.parametrize("how", [("--token", "t"), ("--print",)], ids=["send", "print"])
def test_a_label_studio_url_that_is_not_one(monkeypatch: pytest.MonkeyPatch, url: str, why: str,
                                            how: tuple[str, ...]) -> None:
    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("a request was made")

    monkeypatch.setattr("urllib.request.urlopen", never)
    refused(run("labelstudio-users", url, "--ls-users", "alice=alice@lab.org", *how), 1, repr(url), why)


# -- 5. model's errors name the project file -----------------------------------------------------


@pytest.mark.parametrize("command", [("train",), ("evaluate",), ("status",), ("suggest", "--on", "tone"),
                                     ("order",), ("order", "mixed")], ids=" ".join)
def test_model_errors_name_the_project(tmp_path: Path, command: tuple[str, ...]) -> None:
    db = labelled(tmp_path)
    conn = sqlite3.connect(db)
    conn.execute("DROP TABLE meta")
    conn.commit()
    conn.close()
    before = folder_state(tmp_path)
    line = refused(run("model", db, *command), 1)
    assert line.startswith(f"Error: {db}: "), line
    assert folder_state(tmp_path) == before


# -- 6. an empty name, a scheme both on and off ------------------------------------------------


@pytest.mark.parametrize("args, flag", [
    (("conferences", "{db}", "--unlink", "", "--coder", "lead"), "--unlink"),
    (("conferences", "{db}", "--unlink", " ", "--coder", "lead"), "--unlink"),
    (("conferences", "{db}", "--link", "", "1", "--coder", "lead"), "--link"),
    (("conferences", "{db}", "--link", "1", "", "--coder", "lead"), "--link"),
    (("model", "{db}", "suggest", "--on", ""), "--on"),
    (("model", "{db}", "suggest", "--off", " , "), "--off"),
    (("model", "{db}", "suggest", "--on", "tone", "--off", "tone"), "tone"),
    (("model", "{db}", "suggest", "--on", "topics,tone", "--off", "tone"), "tone"),
    (("model", "{db}", "suggest", "--on", "all", "--off", "all"), "all"),
], ids=["unlink-empty", "unlink-blank", "link-source", "link-conference", "on-empty", "off-blank",
        "on-and-off", "one-of-two", "all-and-all"])
def test_an_empty_name_or_a_scheme_both_on_and_off(tmp_path: Path, args: tuple[str, ...], flag: str) -> None:
    db = labelled(tmp_path)
    before = folder_state(tmp_path)
    refused(run(*[a.format(db=db) for a in args]), 2, flag)
    assert folder_state(tmp_path) == before


def test_all_but_one_scheme_is_still_meant(tmp_path: Path) -> None:
    db = labelled(tmp_path)
    result = run("model", db, "suggest", "--on", "all", "--off", "tone")
    assert result.exit_code == 0, result.output + result.stderr
    assert "tone" not in result.output and "topics" in result.output
