"""The README documents every command, and every command's help carries an example."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from annotator.cli import cli

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
