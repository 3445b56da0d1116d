"""Shell completion through the real protocol: the shell's environment variables, a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mlops_path.paths import DATA_DIR_ENV

COMPLETE_VAR = "_MLOPS_PATH_COMPLETE"


def complete(shell: str, line: str, data_dir: Path) -> str:
    """Ask mlops-path for completions of ``line`` the way ``shell``'s completion script does."""
    env = {**os.environ, DATA_DIR_ENV: str(data_dir), COMPLETE_VAR: f"complete_{shell}"}
    env.pop("MLOPS_PATH_CATALOGUE", None)
    if shell == "bash":
        words = line.split(" ")
        env.update(COMP_WORDS=line, COMP_CWORD=str(len(words) - 1))
    else:
        env["_TYPER_COMPLETE_ARGS"] = line
        if shell == "fish":
            env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    result = subprocess.run(
        [sys.executable, "-m", "mlops_path"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stderr == ""
    return result.stdout


def test_bash_completes_item_ids(data_dir: Path) -> None:
    assert complete("bash", "mlops-path done ml-t", data_dir).split() == [
        "ml-tools-200",
        "ml-tools-landscape-v2",
        "ml-test-score",
    ]


def test_zsh_shows_titles_beside_ids(data_dir: Path) -> None:
    out = complete("zsh", "mlops-path show rl", data_dir)
    expected = '"rlhf":"RLHF\\\\: Reinforcement Learning from Human Feedback"'
    assert out == f"_arguments '*: :(({expected}))'\n"


def test_fish_shows_titles_beside_ids(data_dir: Path) -> None:
    out = complete("fish", "mlops-path start boo", data_dir)
    assert out == (
        "booking-150-models\t150 Successful Machine Learning Models: 6 Lessons Learned a…\n"
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("mlops-path list --section ca", ["career", "case-studies"]),
        ("mlops-path next --kind b", ["book", "blog-post"]),
        ("mlops-path next -s int", ["intermediate"]),
    ],
)
def test_bash_completes_sections_and_kinds(data_dir: Path, line: str, expected: list[str]) -> None:
    assert complete("bash", line, data_dir).split() == expected


def test_completion_follows_the_selected_catalogue(data_dir: Path, tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "mlops_path", "catalogue", "new", str(tmp_path / "mine.toml")],
        check=True,
        capture_output=True,
    )
    line = f"mlops-path --catalogue {tmp_path / 'mine.toml'} done f"
    assert complete("bash", line, data_dir).split() == ["first-book", "first-project"]


def test_completion_with_a_broken_catalogue_offers_nothing_quietly(
    data_dir: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("not a catalogue")
    assert complete("bash", f"mlops-path --catalogue {broken} done f", data_dir).strip() == ""


def test_show_completion_prints_a_script_for_each_shell() -> None:
    for shell in ("bash", "zsh", "fish"):
        result = subprocess.run(
            [sys.executable, "-m", "mlops_path", "--show-completion", shell],
            capture_output=True,
            text=True,
            check=True,
        )
        assert COMPLETE_VAR in result.stdout, shell
