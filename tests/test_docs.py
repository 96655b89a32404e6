"""The README documents every command, and every command's help carries an example."""

from __future__ import annotations

import re
import shlex
import shutil
import sqlite3
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.core.store import Store
from tests.helpers import mark_done

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_is_in_the_readme(name: str) -> None:
    assert f"`annotator {name} " in README or f"`annotator {name}`" in README


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_help_has_an_example(name: str) -> None:
    assert "Example:" in (cli.commands[name].help or ""), f"'annotator {name} --help' gives no example"


def test_the_readme_starts_with_the_two_commands() -> None:
    first_block = README.split("```")[1]
    assert first_block.split() [:2] == ["make", "run"] and "make test" in first_block


def _readme_commands() -> list[str]:
    """Every `annotator ...` the README shows: inline spans and the lines of its shell blocks."""
    shown = re.findall(r"`(annotator [^`]+)`", README)
    for block in README.split("```")[1::2]:
        shown += [line.split("  #")[0].strip() for line in block.splitlines() if line.startswith("annotator ")]
    return shown


def _options(command: click.Command) -> set[str]:
    names = {name for param in command.params for name in (*param.opts, *param.secondary_opts)}
    if isinstance(command, click.Group):  # `model DB train --from ...`: the subcommands' options too
        for sub in command.commands.values():
            names |= _options(sub)
    return names


def test_every_flag_the_readme_shows_is_an_option_of_its_command() -> None:
    wrong = []
    for shown in _readme_commands():
        name = shown.split()[1]
        if name not in cli.commands:  # `annotator COMMAND --help`, `annotator …`
            continue
        options = _options(cli.commands[name]) | {"--help", "-h"}
        wrong += [f"{shown!r}: {flag}" for flag in re.findall(r"(?<![\w-])(--?[a-z][\w-]*)", shown) if flag not in options]
    assert not wrong, "the README shows options its commands do not have:\n" + "\n".join(wrong)


def test_the_files_the_readme_names_exist() -> None:
    root = Path(__file__).resolve().parents[1]
    named = set(re.findall(r"`((?:annotator|tests|resources|docs)/[\w./-]*)`", README))
    named |= set(re.findall(r"\]\(([^)#]+)\)", README))  # images and links
    assert named and not [p for p in sorted(named) if not (root / p).exists()]


def test_the_readme_names_every_screenshot_script() -> None:
    scripts = sorted(p.name for p in (Path(__file__).parent / "gui").glob("screenshot*.py"))
    assert scripts and [s for s in scripts if f"tests/gui/{s}" not in README] == []


def _block_after(heading: str) -> list[str]:
    """The lines of the first shell block after ``heading``, comments left off."""
    block = README.split(heading, 1)[1].split("```")[1]
    return [line for line in block.splitlines() if line.strip()]


def test_the_readme_study_runs_as_written(tmp_path, monkeypatch) -> None:
    # "A study with several coders" and "Reliability report", line by line, from a folder holding
    # the bundled samples as `transcripts/` (what the README says to put there to try it). The
    # windows are the GUI tests' (a coder's keys are labels in their copy here; review is left out).
    shutil.copytree(Path(__file__).resolve().parents[1] / "resources" / "samples", tmp_path / "transcripts")
    monkeypatch.chdir(tmp_path)
    lines = _block_after("## A study with several coders") + _block_after("### Reliability report")
    ran = []
    for line in lines:
        args = shlex.split(line, comments=True)
        if args[0] == "cp":  # "each coder gets a copy (bob.db, carol.db too)"
            for coder in ("alice", "bob", "carol"):
                shutil.copy(args[1], f"{coder}.db")
            continue
        assert args[0] == "annotator", line
        if args[1] == "gui":  # each coder codes their assignment in their own copy
            for coder in ("alice", "bob", "carol"):
                with Store(Path(f"{coder}.db")) as store:
                    for item_id in store.assignments.item_ids(coder):
                        store.labels.set(item_id, coder, "tone", "firm" if item_id % 3 else "neutral")
                        mark_done(store, item_id, coder)
            continue
        if args[1] == "review":
            continue
        result = CliRunner().invoke(cli, args[1:])
        assert result.exit_code == 0, f"{line}\n{result.output}"
        ran.append(args[1])
    assert ran.count("report") == 5 and {"import", "assign", "merge", "agreement", "gold", "export"} <= set(ran)
    for made in ("reliability.html", "reliability.md", "reliability.tex", "train.train.jsonl"):
        assert (tmp_path / made).stat().st_size, made
    # then the exports of the table of tools ("| pandas | `annotator export ...` | ..."), on the same project
    exports = re.findall(r"^\| [^|]+ \| `(annotator export [^`]+)` \|", README, re.M)
    assert len(exports) == 5, exports
    for line in exports:
        result = CliRunner().invoke(cli, shlex.split(line)[1:])
        assert result.exit_code == 0, f"{line}\n{result.output}"
    for made in ("data.jsonl", "data.train.jsonl", "corpus/config.cfg", "corpus/train.spacy", "answers.jsonl",
                 "tasks.json", "tasks.xml"):
        assert (tmp_path / made).stat().st_size, made
    # and the one query the README gives for reading the project with sqlite3
    query = re.search(r'^sqlite3 project\.db "([^"]+)"$', README, re.M).group(1)
    with sqlite3.connect(tmp_path / "project.db") as db:
        counted = {(coder, scheme) for coder, scheme, _, _ in db.execute(query)}
    assert {("alice", "tone"), ("bob", "tone"), ("carol", "tone")} <= counted
