"""Every command documents itself with an example and is in the README."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.main import get_command

from zhipu_facts.cli import app

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _commands():
    root = get_command(app)
    for name, cmd in root.commands.items():
        subs = getattr(cmd, "commands", None)
        if subs:
            yield from ((f"{name} {sub}", c) for sub, c in subs.items())
        else:
            yield name, cmd


@pytest.mark.parametrize("name,cmd", list(_commands()), ids=lambda x: x if isinstance(x, str) else "")
def test_command_has_help_with_example_and_is_in_readme(name, cmd):
    assert cmd.help and "Example: zfacts" in cmd.help, f"{name}: no help or no example"
    assert f"zfacts {name}" in README, f"zfacts {name} is missing from README.md"
