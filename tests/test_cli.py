"""Drive every command through the CLI as a user would, text and JSON."""

from __future__ import annotations

import errno
import json
import os
import re
from dataclasses import replace
from pathlib import Path

import pytest
import typer
from typer.core import TyperGroup

from mlops_path import __version__
from mlops_path.cli import app
from mlops_path.services import open_services

from .helpers import Invoke, guide, make_store

ESCAPE = re.compile(r"\x1b\[")


def command_paths() -> list[list[str]]:
    """Return the path of every command, sub-commands included, from the real command tree."""
    root = typer.main.get_command(app)
    assert isinstance(root, TyperGroup)
    paths = []
    for name, command in root.commands.items():
        if isinstance(command, TyperGroup):
            paths += [[name, sub] for sub in command.commands]
        else:
            paths.append([name])
    return sorted(paths)


ITEM_KEYS = {"id", "title", "section", "kind", "status", "url", "effort"}


def test_every_command_has_help_and_an_example(invoke: Invoke) -> None:
    paths = command_paths()
    assert [" ".join(path) for path in paths] == [
        "catalogue list",
        "catalogue new",
        "catalogue schema",
        "catalogue validate",
        "config get",
        "config list",
        "config path",
        "config set",
        "config unset",
        "doctor",
        "done",
        "export",
        "help",
        "import",
        "list",
        "log",
        "next",
        "note",
        "open",
        "reset",
        "search",
        "sections",
        "show",
        "skip",
        "start",
        "stats",
        "sync",
        "undo",
    ]
    for path in paths:
        result = invoke(*path, "--help")
        assert result.exit_code == 0, path
        assert "Example: mlops-path " + " ".join(path) in result.stdout, path


def test_help_groups_the_commands(invoke: Invoke) -> None:
    text = invoke("--help").stdout
    for panel in ("Study", "Record progress", "Catalogue", "Your data"):
        assert panel in text


def test_version(invoke: Invoke) -> None:
    result = invoke("--version")
    assert result.stdout == f"mlops-path {__version__}\n"


def test_next_on_a_fresh_start_is_the_first_item(invoke: Invoke) -> None:
    result = invoke("next")
    assert result.exit_code == 0
    assert "free-ml-courses" in result.stdout
    assert "Take the ten courses in the order given" in result.stdout
    assert "https://huyenchip.com/2019/08/05/free-online-machine-learning-curriculum.html" in (
        result.stdout
    )
    assert not ESCAPE.search(result.stdout)


def test_next_moves_on_after_done(invoke: Invoke) -> None:
    assert invoke("done", "free-ml-courses").exit_code == 0
    ids = [item["id"] for item in json.loads(invoke("next", "-n", "2", "--json").stdout)]
    assert ids == ["murphy-mlpp", "mackay-itila"]


def test_next_filters_and_waits_for_prerequisites(invoke: Invoke) -> None:
    result = invoke("next", "--section", "overview", "-n", "7", "--json")
    ids = [item["id"] for item in json.loads(result.stdout)]
    assert "ml-tools-landscape-v2" not in ids  # waits for ml-tools-200
    assert ids[0] == "ml-production-myths"
    invoke("done", "ml-tools-200")
    result = invoke("next", "--section", "overview", "-n", "7", "--json")
    assert "ml-tools-landscape-v2" in [item["id"] for item in json.loads(result.stdout)]
    videos = json.loads(invoke("next", "--kind", "video", "-n", "50", "--json").stdout)
    assert {item["kind"] for item in videos} == {"video"}
    assert len(videos) == 4


def test_next_when_everything_is_done(invoke: Invoke) -> None:
    every_id = [item.id for item in guide().items]
    assert invoke("done", *every_id).exit_code == 0
    result = invoke("next")
    assert result.exit_code == 0
    assert "Everything is done" in result.stdout
    json_result = invoke("next", "--json")
    assert json_result.exit_code == 0
    assert json_result.stdout == "[]\n"


def test_list_groups_by_section_with_status_marks(invoke: Invoke) -> None:
    invoke("done", "rlhf")
    result = invoke("list", "--section", "intermediate")
    lines = result.stdout.splitlines()
    assert lines[0] == "MLOps › Intermediate  (intermediate, 1/5 done)"
    assert any(line.startswith("[x]") and " rlhf " in line for line in lines)
    assert sum(line.startswith("[ ]") for line in lines) == 4


def test_list_json_contract(invoke: Invoke) -> None:
    invoke("done", "rlhf")
    items = json.loads(invoke("list", "--json").stdout)
    assert len(items) == 50
    assert all(set(item) >= ITEM_KEYS for item in items)
    assert [item["id"] for item in items if item["status"] == "done"] == ["rlhf"]
    todo = json.loads(invoke("list", "--status", "todo", "--json").stdout)
    assert len(todo) == 49
    done = json.loads(invoke("list", "--status", "done", "--kind", "blog-post", "--json").stdout)
    assert [item["id"] for item in done] == ["rlhf"]


def test_done_accepts_a_unique_prefix_and_a_note(invoke: Invoke, own_file: Path) -> None:
    result = invoke("done", "booking", "--note", "lesson 2 matters")
    assert result.exit_code == 0
    assert "booking-150-models" in result.stdout
    assert 'note = "lesson 2 matters"' in own_file.read_text()
    assert "lesson 2 matters" in invoke("show", "booking-150-models").stdout


def test_done_twice_keeps_the_first_time(invoke: Invoke) -> None:
    invoke("done", "rlhf")
    first = json.loads(invoke("show", "rlhf", "--json").stdout)["done_at"]
    result = invoke("done", "rlhf")
    assert result.exit_code == 0
    assert "Unchanged: rlhf  (already done on" in result.stdout
    assert json.loads(invoke("show", "rlhf", "--json").stdout)["done_at"] == first


def test_done_with_one_unknown_id_records_nothing(invoke: Invoke, store_file: Path) -> None:
    result = invoke("done", "rlhf", "rlfh")
    assert result.exit_code == 2
    assert result.stderr == "mlops-path: error: unknown item 'rlfh'; did you mean 'rlhf'?\n"
    assert result.stdout == ""
    assert not store_file.exists()


def test_ambiguous_prefix(invoke: Invoke) -> None:
    result = invoke("done", "ml-tools")
    assert result.exit_code == 2
    assert result.stderr.startswith("mlops-path: error: item id prefix 'ml-tools' is ambiguous")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["list", "--section", "advancd"], "unknown section 'advancd'; did you mean 'advanced'?"),
        (["next", "--kind", "vidoe"], "unknown kind 'vidoe'; did you mean 'video'?"),
        (
            ["list", "--status", "finished"],
            "unknown status 'finished'; use one of: todo, in-progress, done, skipped",
        ),
        (["next", "-n", "0"], "-n must be at least 1, not 0"),
        (["show", "nothing-like-it"], "unknown item 'nothing-like-it'"),
        (["next", "--bogus"], "unknown option '--bogus'; see 'mlops-path next --help'"),
        (["next", "-n", "many"], "-n 'many' is not a whole number; use e.g. -n 3"),
        (["frobnicate"], "unknown command 'frobnicate'; see 'mlops-path --help'"),
        (["done"], "'done' needs ID...; see 'mlops-path done --help'"),
    ],
)
def test_usage_errors_are_one_line_with_exit_2(
    invoke: Invoke, args: list[str], message: str
) -> None:
    result = invoke(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"mlops-path: error: {message}")
    assert result.stderr.count("\n") == 1
    assert result.stdout == ""


def test_stats_text_and_json(invoke: Invoke) -> None:
    invoke("done", "rlhf", "ml-test-score")
    text = invoke("stats").stdout
    assert "MLOps guide: 2/50 items done (4%)" in text
    assert re.search(r"Intermediate\s+1/5\s+####-+\s+20%", text)
    stats = json.loads(invoke("stats", "--json").stdout)
    assert (stats["done"], stats["total"]) == (2, 50)
    assert stats["effort_done"] == 45 + 60
    assert stats["effort_left"] == stats["effort_total"] - 105
    by_id = {section["id"]: section for section in stats["sections"]}
    assert (by_id["overview"]["done"], by_id["overview"]["total"]) == (1, 7)
    assert by_id["overview"]["part"] == "MLOps"
    assert sum(section["total"] for section in stats["sections"]) == 50


def test_show_and_sections(invoke: Invoke) -> None:
    shown = invoke("show", "netflix").stdout
    assert "Human-Centric Machine Learning Infrastructure @Netflix (Ville Tuulos)" in shown
    sections = json.loads(invoke("sections", "--json").stdout)
    assert [(s["id"], s["total"]) for s in sections] == [
        ("fundamentals", 10),
        ("overview", 7),
        ("intermediate", 5),
        ("advanced", 5),
        ("career", 8),
        ("case-studies", 9),
        ("bonus", 6),
    ]
    assert "MLOps › Advanced" in invoke("sections").stdout


READ_COMMANDS = [["next"], ["list"], ["stats"], ["show", "rlhf"], ["sections"], ["next", "--json"]]


@pytest.mark.parametrize("args", [*READ_COMMANDS, ["done", "rlhf"]])
def test_corrupt_store_fails_cleanly_and_is_left_alone(
    invoke: Invoke, store_file: Path, args: list[str]
) -> None:
    store_file.parent.mkdir(parents=True)
    store_file.write_bytes(b"schema = 1\n[[events]\nbroken")
    result = invoke(*args)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"mlops-path: error: progress file {store_file}: is not valid TOML"
    )
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.output
    assert result.stdout == ""
    assert store_file.read_bytes() == b"schema = 1\n[[events]\nbroken"


def test_full_disk_through_the_cli(invoke: Invoke, own_file: Path, data_dir: Path) -> None:
    invoke("done", "rlhf")
    before = own_file.read_bytes()

    def full_disk(path: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    services = open_services()
    store = make_store(data_dir, write=full_disk, device="laptop")
    result = invoke("done", "ml-test-score", obj=replace(services, store=store))
    assert result.exit_code == 1
    assert result.stderr == (
        f"mlops-path: error: progress file {own_file}: cannot write: no space left on device; "
        "nothing was changed; the previous file is intact\n"
    )
    assert own_file.read_bytes() == before


@pytest.mark.parametrize("args", READ_COMMANDS)
def test_read_commands_never_create_files(invoke: Invoke, data_dir: Path, args: list[str]) -> None:
    assert invoke(*args).exit_code == 0
    assert not data_dir.exists()


@pytest.mark.parametrize("args", [["next", "-n", "3"], ["list"], ["stats"], ["show", "rlhf"]])
def test_no_color_gives_plain_text(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    result = invoke(*args)
    assert result.exit_code == 0
    assert not ESCAPE.search(result.stdout)
