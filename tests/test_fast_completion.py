"""Fast completion: Typer's own answer, byte for byte, from the index and without Typer loaded.

Two honest comparisons. In-process, ``answer`` must answer (not fall back) and match what
Typer's completion classes answer for the same environment. As whole processes, a run with
no index (Typer answers, and is seen loaded) must match the run after it (the index answers,
and Typer, rich and pydantic are seen not loaded).
"""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import tomli_w
import typer
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.core import TyperArgument, TyperOption

from mlops_path.catalogue_source import read_source
from mlops_path.cli import app
from mlops_path.completion import (
    complete_item_ids,
    complete_kinds,
    complete_sections,
    use_shell_completion,
)
from mlops_path.fast_completion import (
    COMMANDS,
    COMPLETE_VAR,
    IDS,
    KINDS,
    ROOT_COMMANDS,
    SECTIONS,
    Reply,
    answer,
)
from mlops_path.paths import CACHE_DIR_ENV, CATALOGUE_ENV, CONFIG_DIR_ENV
from mlops_path.services import open_services

from .helpers import examples

HOSTILE = {
    "quotes": "She said \"it's `$HOME`\": a 'colon' test",
    "controls": "Bell\x07 and \x1b]0;pwned\x07 title \u202eevil\r\nnext line",
    "long-title": "A very long title that goes on and on, far past sixty characters of it",
    "spaces": "tab\there, no\u00a0break, ideographic\u3000space",
    "wide": "漢字のタイトル and café",
    "dollar-sign": "$PATH and `ls` and back\\slash",
}
SHELLS = ("bash", "zsh", "fish")


def write_catalogue(path: Path, titles: dict[str, str]) -> Path:
    """Write a catalogue with one item per title, in two sections, and return its path."""
    kinds = ["book", "video", "paper", "blog-post"]
    catalogue = {
        "catalogue": {"id": "hostile", "title": "Hostile titles", "version": "1"},
        "sections": [
            {"id": "basics", "title": "Basics"},
            {"id": "beyond", "title": "Beyond: the 'long' part, well past sixty characters wide"},
        ],
        "items": [
            {"id": item, "section": ("beyond", "basics")[n % 2], "title": title, "kind": kind}
            for n, (item, title) in enumerate(titles.items())
            for kind in [kinds[n % len(kinds)]]
        ],
    }
    path.write_text(tomli_w.dumps(catalogue))
    return path


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """Return a catalogue of hostile and long titles, its completion index already written."""
    path = write_catalogue(tmp_path / "hostile.toml", HOSTILE)
    open_services(catalogue_path=path)
    return path


@pytest.fixture(autouse=True)
def console(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    """Fix the console width rich gives Typer, so a process and this one see the same.

    Also load the bundled guide once, as any command would, which writes its index.
    """
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("TERMINAL_WIDTH", raising=False)
    monkeypatch.delenv(CATALOGUE_ENV, raising=False)
    open_services()


def request(shell: str, line: str) -> dict[str, str]:
    """Return the environment a shell's completion script sets to complete ``line``."""
    env = {COMPLETE_VAR: f"complete_{shell}"}
    if shell == "bash":
        env.update(COMP_WORDS=line, COMP_CWORD=str(len(line.split(" ")) - 1))
    else:
        env["_TYPER_COMPLETE_ARGS"] = line
        if shell == "fish":
            env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    return env


@contextmanager
def requested(shell: str, line: str, **extra: str) -> Iterator[None]:
    """Set the request's variables in this process's environment, and remove them after."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in {**request(shell, line), **extra}.items():
            patch.setenv(name, value)
        yield


def typer_reply(shell: str) -> Reply:
    """Answer the request in the environment with Typer's completion classes: the normal path."""
    from typer._click.shell_completion import get_completion_class

    use_shell_completion()
    complete_class = get_completion_class(shell)
    assert complete_class is not None
    completer = complete_class(typer.main.get_command(app), {}, "mlops-path", COMPLETE_VAR)
    try:
        return Reply(completer.complete() + "\n")  # click.echo adds the newline
    except SystemExit as stop:  # fish's is-args answers with the exit status alone
        return Reply("", int(stop.code or 0))


def fast_reply() -> Reply | None:
    """Answer the request in the environment the fast way, or None where it falls back."""
    return answer(environ=os.environ, encoding="utf-8")


def both(shell: str, line: str, **extra: str) -> tuple[Reply | None, Reply]:
    """Return the fast reply and Typer's to one request."""
    with requested(shell, line, **extra):
        return fast_reply(), typer_reply(shell)


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize(
    "words",
    [
        "done ",
        "done ml",
        "show rl",
        "start boo",
        "open --print ",
        "note ",
        "reset rlhf ",
        "skip --reason later ml",
        "done RL",  # Typer itself offers nothing for upper case
        "done zzz",  # nothing: zsh's _files
        "list --section ",
        "next -s ca",
        "list --kind ",
        "next --json -k b",
    ],
)
def test_the_bundled_guide_is_answered_as_typer_answers(shell: str, words: str) -> None:
    fast, normal = both(shell, f"mlops-path {words}")
    assert fast == normal
    assert fast is not None


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize(
    "words",
    [
        "--catalogue {file} done ",
        "--catalogue={file} show ",
        "done -c {file} ",
        "-c nowhere.toml -c {file} done q",
        "-c {file} list --section ",
        "next -c {file} --kind v",
        "note --json {file_id}",
    ],
)
def test_hostile_titles_are_escaped_and_shortened_as_typer_does(
    shell: str, words: str, hostile: Path
) -> None:
    line = f"mlops-path {words}".format(file=hostile, file_id="l")
    fast, normal = both(
        shell, line, **({CATALOGUE_ENV: str(hostile)} if "{file}" not in words else {})
    )
    assert fast is not None
    assert fast == normal
    if shell != "bash" and words.endswith("done "):
        assert "…" in fast.text
        assert "\\x1b" in fast.text


@pytest.mark.parametrize("shell", SHELLS)
def test_the_catalogue_comes_from_the_environment_or_the_settings(
    shell: str, hostile: Path, invoke: Any
) -> None:
    from_env, normal = both(shell, "mlops-path done ", **{CATALOGUE_ENV: str(hostile)})
    assert from_env == normal
    assert from_env is not None
    assert "long-title" in from_env.text
    assert invoke("config", "set", "catalogue", str(hostile)).exit_code == 0
    from_settings, normal = both(shell, "mlops-path done ")
    assert from_settings == normal == from_env


@pytest.mark.parametrize(
    "title",
    ["[bold]Rich markup[/bold] in a title", "A :smile: of an emoji code", "x" * 20 + ":y:"],
)
def test_descriptions_rich_would_change_are_left_to_typer(tmp_path: Path, title: str) -> None:
    path = write_catalogue(tmp_path / "rich.toml", {"marked": title})
    open_services(catalogue_path=path)
    for shell in ("zsh", "fish"):
        fast, _normal = both(shell, f"mlops-path -c {path} done ")
        assert fast is None
    fast, normal = both("bash", f"mlops-path -c {path} done ")
    assert fast == normal == Reply("marked\n")


def test_a_narrow_console_leaves_long_descriptions_to_typer(hostile: Path) -> None:
    for columns, answered in (("30", False), ("80", True)):
        fast, normal = both("zsh", f"mlops-path -c {hostile} done long", COLUMNS=columns)
        assert (fast is not None) is answered
        assert fast in (None, normal)


@pytest.mark.parametrize(
    "words",
    [
        "",
        "d",
        "done -",
        "done --",
        "done -- ",
        "done --note ",
        "done --on=",
        "done -c ",
        "list --status ",
        "list --section=ca",
        "show rlhf ",
        "note rlhf ",
        "help ",
        "config set ",
        "catalogue validate ",
        "--version done ",
        "-cfile.toml done ",
        "done -sx ",
        "done --bogus ",
        "search ",
        "stats ",
    ],
)
def test_what_it_does_not_read_is_left_to_typer(words: str) -> None:
    for shell in SHELLS:
        with requested(shell, f"mlops-path {words}"):
            assert fast_reply() is None


def test_other_instructions_and_encodings_are_left_to_typer() -> None:
    with requested("fish", "mlops-path done ", _TYPER_COMPLETE_FISH_ACTION="is-args"):
        assert fast_reply() == typer_reply("fish") == Reply("", 0)
    for instruction in ("source_bash", "complete_powershell", "complete_bash_x"):
        with requested("bash", "mlops-path done ", **{COMPLETE_VAR: instruction}):
            assert fast_reply() is None
    with requested("bash", "mlops-path done "):
        assert answer(environ=os.environ, encoding="ascii") is None
        assert answer(environ=os.environ, encoding=None) is None


def test_a_missing_catalogue_or_settings_problem_is_left_to_typer(tmp_path: Path) -> None:
    missing = tmp_path / "missing.toml"
    fast, normal = both("bash", f"mlops-path -c {missing} done ")
    assert fast is None
    assert normal == Reply("\n")
    settings_dir = tmp_path / "config"
    settings_dir.mkdir(exist_ok=True)
    (settings_dir / "config.toml").write_text('colour = "sometimes"\n')
    fast, normal = both("bash", "mlops-path done ", **{CONFIG_DIR_ENV: str(settings_dir)})
    assert fast is None
    assert normal == Reply("\n")  # the normal path offers nothing with a broken settings file


def index_file(catalogue: Path) -> Path:
    """Return the file of a catalogue's completion index."""
    _data, name = read_source(catalogue)
    return Path(os.environ[CACHE_DIR_ENV]) / f"completion-{name}"


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"\x00garbage",
        b"{\x00\x00",
        # A well-formed cache entry of another version: the right kind of file, not ours.
        marshal.dumps({"format": (1, "0.0.0"), "digest": "x", "value": None}),
    ],
)
def test_a_damaged_index_is_a_miss(hostile: Path, damage: bytes) -> None:
    good = index_file(hostile).read_bytes()
    index_file(hostile).write_bytes(damage)
    fast, normal = both("zsh", f"mlops-path -c {hostile} done ")
    assert fast is None
    truncated = good[: len(good) // 2]
    index_file(hostile).write_bytes(truncated)
    fast, normal_again = both("zsh", f"mlops-path -c {hostile} done ")
    assert normal_again == normal
    # The Typer path wrote the index again: the next request is fast, and the same.
    assert fast is None or fast == normal
    with requested("zsh", f"mlops-path -c {hostile} done "):
        assert fast_reply() == normal


def test_a_foreign_value_in_a_valid_entry_is_a_miss(hostile: Path) -> None:
    file = index_file(hostile)
    entry = marshal.loads(file.read_bytes())  # noqa: S302
    for value in (
        {**entry["value"], "ids": (("ok", "fine"), ("bad\x1bid", "x"))},
        {**entry["value"], "ids": [("ok", "fine")]},
        {**entry["value"], "ids": (("ok", 1),)},
        {**entry["value"], "format": 0},
        "not a dict",
    ):
        file.write_bytes(marshal.dumps({**entry, "value": value}))
        with requested("bash", f"mlops-path -c {hostile} done "):
            assert fast_reply() is None


@dataclass
class Run:
    """One completion run as a whole process."""

    stdout: str
    code: int
    loaded: set[str]


def run(shell: str, line: str) -> Run:
    """Run a completion request as the shell does; see which top-level modules were loaded."""
    env = {**os.environ, **request(shell, line)}
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "mlops_path"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = result.stderr.splitlines()
    assert all(line.startswith("import time:") for line in lines), result.stderr
    loaded = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in lines[1:]}
    return Run(stdout=result.stdout, code=result.returncode, loaded=loaded)


HEAVY = {"typer", "rich", "pydantic", "pydantic_core"}


# One request of each kind, each through another shell: a real process is slow, and every
# shell with every request is compared in-process above.
@pytest.mark.parametrize(
    ("shell", "words"),
    list(zip(SHELLS, ["-c {file} done ", "-c {file} list -s b", "next --kind "], strict=True)),
)
def test_a_process_answers_without_typer_and_as_typer_did(
    shell: str, words: str, hostile: Path
) -> None:
    for index in Path(os.environ[CACHE_DIR_ENV]).glob("completion-*"):
        index.unlink()
    line = f"mlops-path {words}".format(file=hostile)
    slow = run(shell, line)
    assert "typer" in slow.loaded  # no index: Typer answered, and wrote the index
    quick = run(shell, line)
    assert not HEAVY & quick.loaded
    assert (quick.stdout, quick.code) == (slow.stdout, slow.code)
    assert quick.stdout.strip()


def test_other_commands_do_not_load_fast_completion() -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "mlops_path", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "mlops_path.command_line" in result.stderr
    assert "mlops_path.fast_completion" not in result.stderr


def test_an_edited_catalogue_is_answered_anew(tmp_path: Path) -> None:
    path = write_catalogue(tmp_path / "mine.toml", {"first": "First"})
    line = f"mlops-path -c {path} done "
    run("bash", line)
    assert not HEAVY & run("bash", line).loaded
    write_catalogue(path, {"first": "First", "second": "Second"})
    edited = run("bash", line)
    assert edited.stdout == "first\nsecond\n"
    assert "typer" in edited.loaded  # the index was stale: Typer answered
    again = run("bash", line)
    assert again.stdout == edited.stdout
    assert not HEAVY & again.loaded


def test_any_command_keeps_the_index_current(tmp_path: Path, invoke: Any) -> None:
    path = write_catalogue(tmp_path / "mine.toml", {"first": "First"})
    assert invoke("-c", str(path), "next").exit_code == 0
    with requested("bash", f"mlops-path -c {path} done "):
        assert fast_reply() == Reply("first\n")
    write_catalogue(path, {"first": "First", "second": "Second"})
    with requested("bash", f"mlops-path -c {path} done "):
        assert fast_reply() is None
    assert invoke("-c", str(path), "stats").exit_code == 0
    with requested("bash", f"mlops-path -c {path} done "):
        assert fast_reply() == Reply("first\nsecond\n")


CALLBACKS = {complete_item_ids: IDS, complete_sections: SECTIONS, complete_kinds: KINDS}


def completes(param: Any) -> str | None:
    """Return what a parameter's autocompletion offers from the index, if anything.

    Typer wraps the callback twice in closures of its own: look inside them for ours.
    """
    found: list[Any] = [getattr(param, "_custom_shell_complete", None)]
    for function in found:
        if function in CALLBACKS:
            return CALLBACKS[function]
        for cell in getattr(function, "__closure__", None) or ():
            if callable(cell.cell_contents) and len(found) < 20:
                found.append(cell.cell_contents)
    return None


def test_the_command_table_matches_the_app() -> None:
    root: Any = typer.main.get_command(app)
    assert set(root.commands) == ROOT_COMMANDS
    with_index = {name for name, cmd in root.commands.items() if any(map(completes, cmd.params))}
    assert with_index == set(COMMANDS)
    # Contexts made as click's completion makes them: the help option's names come from there.
    parent = root.make_context("mlops-path", [], resilient_parsing=True)
    for name, words in COMMANDS.items():
        command = root.commands[name]
        params = command.get_params(
            command.make_context(name, [], parent=parent, resilient_parsing=True)
        )
        options = [p for p in params if isinstance(p, TyperOption)]
        arguments = [p for p in params if isinstance(p, TyperArgument)]
        flags = {o for p in options if p.is_flag or p.count for o in [*p.opts, *p.secondary_opts]}
        values = {
            o: completes(p)
            for p in options
            if not (p.is_flag or p.count)
            for o in [*p.opts, *p.secondary_opts]
        }
        assert (dict(words.values), set(words.flags)) == (values, flags), name
        first = arguments[0] if arguments else None
        assert words.ids == (first.nargs if first and completes(first) == IDS else 0), name


#: Words before the command: often none, then the global option, well and badly given.
BEFORE = ["", "", "", "", "", "-c {file}", "--catalogue={file}", "--catalogue", "-c", "--version"]
COMMAND_WORDS = [*reversed(COMMANDS), *COMMANDS, "help", "config set", "search", "catalogue new"]
#: Words after the command: mostly what it takes, then others' options and odd spellings.
AFTER = [
    *("--json", "-s", "--kind", "-k", "--section", "-h", "-n 3", "--note x", "-c {file}"),
    *("--section", "-s", "--kind", "-k", "--json", "rlhf", "ml", "quotes", "--print", "-h"),
    *("rlhf", "quotes", "--json", "--reason x", "--on 2026-01-01", "-t 1h", "--optional"),
    *("--note=x", "--section=beyond", "--catalogue={file}", "--status", "--bogus", "-sk"),
    *("-c", "{file}", "'a b'", '"unclosed', "--", "-", "="),
]
TYPED = ["", "", "", "ml", "b", "ca", "RL", "-", "--s", "=", "--section=", "l", "q", "'q"]


@st.composite
def requests(draw: st.DrawFn) -> tuple[str, str]:
    """Draw a shell and a command line to complete, mostly well formed."""
    words = [
        *draw(st.lists(st.sampled_from(BEFORE), max_size=2)),
        draw(st.sampled_from(COMMAND_WORDS)),
        *draw(st.lists(st.sampled_from(AFTER), max_size=4)),
        draw(st.sampled_from(TYPED)),
    ]
    shell = draw(st.sampled_from(SHELLS))
    line = " ".join(["mlops-path", *filter(None, words)])
    if not words[-1]:
        line += " "  # the empty word being typed, as the shells tell it
    return shell, line


@settings(
    max_examples=examples(150, soak=3000),
    deadline=None,
    # The fixtures only write files every example reads and none changes.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(case=requests())
def test_whenever_it_answers_it_answers_as_typer(case: tuple[str, str], hostile: Path) -> None:
    shell, line = case[0], case[1].format(file=hostile)
    with requested(shell, line):
        fast = fast_reply()
        event("answered fast" if fast is not None else "left to Typer")
        if fast is not None:  # Typer is asked only then: it has quirks of its own elsewhere
            assert fast == typer_reply(shell)
