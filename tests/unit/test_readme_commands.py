"""Every command the READMEs show exists once `make` has installed the project.

A user copies these lines from the README into a shell: a `.venv/bin/X` that
is not installed, a `python -m module` that is not there, a `make target`
the Makefile lacks or a subcommand the CLI does not know answers
`command not found` on their machine, not on ours.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
READMES = (ROOT / "README.md", ROOT / "dbt_project" / "README.md")
VENV_BIN = Path(sys.executable).parent


def shown_commands() -> list[str]:
    """The shell lines of every ```sh block, joined over trailing backslashes."""
    lines: list[str] = []
    for readme in READMES:
        blocks = re.findall(r"```sh\n(.*?)```", readme.read_text(), flags=re.S)
        for block in blocks:
            text = re.sub(r"\\\n\s*", " ", block)
            lines += [line.split("#")[0].strip() for line in text.splitlines() if line.strip()]
    return [line for line in lines if line]


def words_after_env(line: str) -> list[str]:
    """The command's words without leading `NAME=value` assignments."""
    words = shlex.split(line)
    while words and re.fullmatch(r"[A-Z_]+=.*", words[0], flags=re.S):  # a quoted value too
        words.pop(0)
    return words


COMMANDS = shown_commands()


def test_the_readmes_show_commands():
    assert any(line.startswith("make run") for line in COMMANDS)
    assert any(line.startswith("make test") for line in COMMANDS)


@pytest.mark.parametrize("line", COMMANDS)
def test_a_shown_command_exists(line):
    cwd = ROOT
    for part in line.split("&&"):
        words = words_after_env(part)
        if words[0] == "cd":
            cwd = Path(os.path.normpath(cwd / words[1]))
            assert cwd.is_dir(), f"no folder {words[1]}"
        else:
            check_command(words, cwd)


def check_command(words: list[str], cwd: Path) -> None:
    program = Path(os.path.normpath(cwd / words[0])) if "/" in words[0] else words[0]
    if program == "make":
        targets = re.findall(r"^([a-z][\w-]*):", (ROOT / "Makefile").read_text(), flags=re.M)
        assert words[1] in targets, f"the Makefile has no target {words[1]!r}"
    elif isinstance(program, Path) and program.parent == ROOT / ".venv" / "bin":
        assert (VENV_BIN / program.name).exists(), f"{program.name} is not installed in the venv"
        if program.name == "python" and words[1] == "-m":
            assert importlib.util.find_spec(words[2]), f"no module {words[2]}"
            check_subcommand(words[2], words[3:])
        elif program.name == "python":
            assert (cwd / words[1]).exists(), f"no script {words[1]}"
    else:
        pytest.fail(f"{words[0]!r}: run it from the venv (.venv/bin/…) or through make")


def check_subcommand(module: str, args: list[str]) -> None:
    """A `python -m module sub …` line names a subcommand the module's CLI knows."""
    if not args or args[0].startswith("-") or not re.fullmatch(r"[a-z][\w-]*", args[0]):
        return
    help_text = subprocess.run(
        [sys.executable, "-m", module, "--help"], capture_output=True, text=True, timeout=120
    ).stdout
    if "{" in help_text:  # argparse lists its subcommands as {a,b,c}
        assert args[0] in help_text, f"python -m {module} has no subcommand {args[0]!r}"
