"""Every command of ``python -m bot`` is in the README and answers ``--help`` (sqlite-utils)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from bot.cli import EXIT_OK, build_parser, main

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    parser = build_parser()
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return sorted(actions[0].choices)


def test_the_command_line_has_the_commands_staff_and_developers_use() -> None:
    assert set(_commands()) >= {
        "run", "validate", "ask", "stats", "schema", "export", "directory", "eval", "i18n"
    }  # fmt: skip


@pytest.mark.parametrize("command", _commands())
def test_every_command_is_documented_in_the_readme(command: str) -> None:
    assert f"`python -m bot {command}" in README, f"README does not show `python -m bot {command}`"


@pytest.mark.parametrize("command", _commands())
def test_every_command_answers_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith(f"usage: python -m bot {command}")
