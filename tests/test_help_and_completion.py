"""Help that reads like a well-made CLI, and completion of every fixed choice in every shell."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import Invoke
from .test_cli import command_paths
from .test_completion import complete

PLACEHOLDER = re.compile(r"<(?:bool|str|int|path|list\[[a-z]+\])>")


def all_help(invoke: Invoke) -> dict[str, str]:
    """Return the help of the root, every group and every command, by command path."""
    paths = [[], ["catalogue"], ["config"], *command_paths()]
    return {" ".join(path): invoke(*path, "--help").stdout for path in paths}


def test_no_type_placeholders_and_plain_argument_names(invoke: Invoke) -> None:
    helps = all_help(invoke)
    for path, text in helps.items():
        assert not PLACEHOLDER.search(text), path
        assert "{" not in text.split("\n", 3)[1], path  # the usage line
    assert "Usage: mlops-path done [OPTIONS] ID..." in helps["done"]
    assert "--on            DATE" in helps["done"]
    assert re.search(r"--json\s+Print JSON", helps["done"])
    assert "Usage: mlops-path help [OPTIONS] [COMMAND...]" in helps["help"]


def test_an_example_in_every_help_groups_included(invoke: Invoke) -> None:
    for path, text in all_help(invoke).items():
        assert "Example: mlops-path" in text, path


def test_reading_commands_sit_in_a_reading_panel(invoke: Invoke) -> None:
    text = invoke("--help").stdout
    panels: dict[str, list[str]] = {}
    current = ""
    for line in text.splitlines():
        if match := re.match(r"╭─ (.+?) ─", line):
            current = match.group(1)
            panels[current] = []
        elif match := re.match(r"│ ([a-z]+)\s", line):
            panels.setdefault(current, []).append(match.group(1))
    assert panels["See your progress"] == ["stats", "log"]
    assert "log" not in panels["Record progress"]
    assert list(panels)[:3] == ["Options", "Study", "See your progress"]
    assert panels["Help and settings"] == ["config", "help"]


def test_bash_completes_fixed_choices(data_dir: Path) -> None:
    assert complete("bash", "mlops-path list --status ", data_dir).split() == [
        "todo",
        "in-progress",
        "done",
        "skipped",
    ]
    assert complete("bash", "mlops-path export --format ", data_dir).split() == [
        "json",
        "csv",
        "markdown",
    ]
    assert complete("bash", "mlops-path config set ", data_dir).split() == [
        "catalogue",
        "colour",
        "week-start",
        "time-zone",
    ]
    assert complete("bash", "mlops-path --install-completion ", data_dir).split() == [
        "bash",
        "zsh",
        "fish",
    ]
    assert "lecture-note" in complete("bash", "mlops-path list --kind ", data_dir).split()
    assert "case-studies" in complete("bash", "mlops-path next --section ", data_dir).split()


def test_zsh_descriptions_keep_their_apostrophes(data_dir: Path) -> None:
    out = complete("zsh", "mlops-path ", data_dir)
    assert "Open an item'\\''s address" in out


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_zsh_itself_reads_the_apostrophes_back(data_dir: Path, tmp_path: Path) -> None:
    script = tmp_path / "complete.zsh"
    script.write_text(
        '_arguments() { print -r -- "$@"; }\n'
        f'eval $(env _TYPER_COMPLETE_ARGS="mlops-path " _MLOPS_PATH_COMPLETE=complete_zsh '
        f"{sys.executable} -m mlops_path)\n"
    )
    env = {**os.environ, "MLOPS_PATH_DATA_DIR": str(data_dir)}
    out = subprocess.run(
        ["zsh", "-f", str(script)], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert "Open an item's address" in out
    assert "Merge another machine's progress" in out


@pytest.mark.parametrize(
    ("shell", "rc_file"), [("zsh", ".zshrc"), ("fish", None), ("bash", ".bashrc")]
)
def test_install_completion_for_the_named_shell(
    tmp_path: Path, data_dir: Path, shell: str, rc_file: str | None
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {
        **os.environ,
        "HOME": str(home),
        "SHELL": "/bin/bash",
        "MLOPS_PATH_DATA_DIR": str(data_dir),
    }
    result = subprocess.run(
        [sys.executable, "-m", "mlops_path", "--install-completion", shell],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Installed {shell} completion in ")
    written = sorted(str(path.relative_to(home)) for path in home.rglob("*") if path.is_file())
    if rc_file:
        assert rc_file in written
    other_rcs = {".bashrc", ".zshrc"} - {rc_file}
    assert not other_rcs & set(written)
    assert f"complete_{shell}" in "".join((home / name).read_text() for name in written)


def test_show_completion_prints_the_named_shells_script(invoke: Invoke) -> None:
    assert "compdef" in invoke("--show-completion", "zsh").stdout
    assert "complete -o" in invoke("--show-completion", "bash").stdout
