"""Run every command line of the README's "Use" section, as shown, in a scratch folder."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import Result

from .helpers import Invoke

README = Path(__file__).parent.parent / "README.md"


def use_commands() -> list[str]:
    """Return the command lines of the indented code blocks under "## Use", comments dropped."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Use\n", 1)[1].split("\n## ", 1)[0]
    lines = []
    for line in section.splitlines():
        if not line.startswith("    mlops-path"):
            continue
        command = re.split(r"\s+# ", line.strip(), maxsplit=1)[0]
        lines.append(command.strip())
    return lines


def test_the_use_section_has_the_examples_the_issue_names() -> None:
    commands = use_commands()
    assert len(commands) > 30
    assert "mlops-path search feature platforms" in commands
    assert "mlops-path help done" in commands
    assert any(command.startswith("mlops-path config set catalogue") for command in commands)


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return a scratch working folder; home, browser and shell are scratch ones too."""
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER", "MLOPS_PATH_CATALOGUE"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "home").mkdir()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / ".config"))
    monkeypatch.setenv("SHELL", "/bin/bash")
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def run(invoke: Invoke, command: str) -> Result:
    """Run one README line in-process: its words after `mlops-path`, and a `>` redirection."""
    words = shlex.split(command)
    target = None
    if ">" in words:
        at = words.index(">")
        words, target = words[:at], words[at + 1]
    result = invoke(*words[1:])
    if target is not None:
        Path(target).write_text(result.stdout)
    return result


def prepare(invoke: Invoke, command: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Set the scene a README line assumes: a file to import, a broken file to restore."""
    if "import other-machine.json" in command:
        with monkeypatch.context() as other:
            other.setenv("MLOPS_PATH_DATA_DIR", str(data_dir.parent / "other-data"))
            assert invoke("done", "rules-of-ml").exit_code == 0
            assert invoke("export", "-o", "other-machine.json").exit_code == 0
    if command == "mlops-path doctor --restore":
        (own,) = (data_dir / "progress" / "laptop").glob("*.toml")
        own.write_text("this is not TOML [[[\n")


def test_every_use_example_runs_as_shown(
    invoke: Invoke, work: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    failures = []
    for command in use_commands():
        prepare(invoke, command, data_dir, monkeypatch)
        result = run(invoke, command)
        if result.exit_code != 0:
            failures.append(f"{command}: exit {result.exit_code}: {result.stderr.strip()}")
    assert failures == []
    # The examples did what they say, and wrote nothing outside the scratch folder.
    assert (work / "rust.toml").is_file()
    assert (work / "progress.md").read_text().startswith("# ")
    assert (work / "catalogue.schema.json").read_text().startswith("{")
    assert not (work / "-").exists()
    assert "mlops-path" in (work.parent / "home" / ".bashrc").read_text()
