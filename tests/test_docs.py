"""The README documents every command, and every command's help carries an example."""

from __future__ import annotations

from pathlib import Path

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
