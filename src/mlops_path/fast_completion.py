"""Answer shell completion of item ids, sections and kinds before Typer, rich or pydantic loads.

``cli.main`` asks ``answer`` first when ``_MLOPS_PATH_COMPLETE`` is set. The normal path, Typer
with the callbacks of completion.py, defines what the answer is; this is only a faster way to
the same bytes, so whatever is not fully understood here returns None and the normal path
answers: option names, command names, other options' values, groups such as ``config``,
``help``, ``--``, a catalogue that cannot be read, a missing or stale index. In detail:

- The words are read as Typer's completion classes read them (COMP_WORDS and COMP_CWORD for
  bash, ``_TYPER_COMPLETE_ARGS`` for zsh and fish) and the value wanted is decided as click's
  ``_resolve_incomplete`` decides it, for the commands in ``COMMANDS`` only; global options
  after the command are moved by the same ``hoist`` the Typer group uses.
- The catalogue is the one ``context.services_of`` picks: ``--catalogue``, else
  ``MLOPS_PATH_CATALOGUE``, else the settings file (read by config.py itself), else the
  bundled guide. Its bytes are read and digested as loading.py does, and the completion index
  (completion_index.py) is used only if it was made from exactly those bytes.
- Lines are formatted as Typer's BashComplete, QuotedZshComplete (completion.py) and
  FishComplete format them. Typer also passes each description through rich, which reads
  markup and ``:emoji:`` codes and wraps at the console's width; that changes nothing only for
  text with no ``[``, no ``:name:`` and no wider than the console, so a description of any
  other kind sends the request to the normal path.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .cache import ReadCache, digest
from .catalogue_source import read_source
from .command_line import COMPLETE_VAR, GLOBAL_OPTIONS, hoist
from .completion_index import CompletionIndex, offered, read_index
from .errors import MlopsPathError
from .paths import CATALOGUE_ENV, resolve_paths

__all__ = ["COMMANDS", "COMPLETE_VAR", "ROOT_COMMANDS", "CommandWords", "Reply", "answer"]

#: The completion instructions answered here, and their shells.
INSTRUCTIONS = {"complete_bash": "bash", "complete_zsh": "zsh", "complete_fish": "fish"}
IDS, SECTIONS, KINDS = "ids", "sections", "kinds"


@dataclass(frozen=True, slots=True, kw_only=True)
class CommandWords:
    """What may follow one command: options with a value, flags, and its argument of ids."""

    #: Each option that takes a value, and what it completes: SECTIONS, KINDS or None.
    values: Mapping[str, str | None] = field(default_factory=dict)
    flags: frozenset[str] = frozenset()
    #: How many ids the command's first argument takes: -1 any number, 1 one, 0 no ids.
    ids: int = 0


_HELP = frozenset({"-h", "--help"})
_JSON = _HELP | {"--json"}
_FILTERS = {"--section": SECTIONS, "-s": SECTIONS, "--kind": KINDS, "-k": KINDS}
#: The commands whose values come from the index; tests/test_fast_completion.py checks each
#: against the Typer app, so that a new option cannot be misread as an argument here.
COMMANDS = {
    "next": CommandWords(
        values={**_FILTERS, "-n": None, "--number": None, "--time": None, "-t": None},
        flags=_JSON | {"--optional"},
    ),
    "list": CommandWords(values={**_FILTERS, "--status": None}, flags=_JSON),
    "show": CommandWords(flags=_JSON, ids=1),
    "open": CommandWords(flags=_HELP | {"--print", "--all"}, ids=1),
    "note": CommandWords(flags=_JSON, ids=1),
    "done": CommandWords(values={"--note": None, "--on": None}, flags=_JSON, ids=-1),
    "start": CommandWords(flags=_JSON, ids=-1),
    "skip": CommandWords(values={"--reason": None}, flags=_JSON, ids=-1),
    "reset": CommandWords(flags=_JSON, ids=-1),
}
#: Every command of the app, as ``hoist`` needs them (checked against the app by the tests).
ROOT_COMMANDS = frozenset(
    {*COMMANDS, "search", "stats", "log", "undo", "sections", "catalogue", "export"}
    | {"import", "doctor", "sync", "config", "help"}
)


@dataclass(frozen=True, slots=True)
class Reply:
    """What to write to stdout, and the exit status."""

    text: str
    status: int = 0


def answer(*, environ: Mapping[str, str], encoding: str | None) -> Reply | None:
    """Return the reply to the completion request in ``environ``, or None for the normal path.

    ``encoding`` is stdout's: only a UTF-8 stream is written to here, as click would use it.
    """
    shell = INSTRUCTIONS.get(environ.get(COMPLETE_VAR, ""))
    action = environ.get("_TYPER_COMPLETE_FISH_ACTION", "") if shell == "fish" else ""
    if (
        shell is None
        or os.name != "posix"
        or not _utf8(encoding)
        or (shell == "fish" and action not in ("get-args", "is-args"))
    ):
        return None
    words = _words(shell, environ)
    request = _request(*words) if words else None
    index = _index(request[1], environ) if request else None
    if words is None or request is None or index is None:
        return None
    typed, wanted = words[1], request[0]
    pairs = {IDS: index.ids, SECTIONS: index.sections, KINDS: index.kinds}[wanted]
    # The callbacks' rule, then Typer's own: it keeps only values that start with the very
    # characters typed, so "RL" offers nothing although the callback found "rlhf".
    chosen = [(value, about) for value, about in pairs if offered(value, typed)]
    chosen = [(value, about) for value, about in chosen if value.startswith(typed)]
    lines = _lines(shell, chosen, width=_console_width(environ))
    return None if lines is None else _reply(shell, action, lines)


def _utf8(encoding: str | None) -> bool:
    """Tell whether stdout's encoding is UTF-8 (click wraps an ASCII stream in one of its own)."""
    import codecs

    try:
        return bool(encoding) and codecs.lookup(encoding or "").name == "utf-8"
    except LookupError:
        return False


def _words(shell: str, environ: Mapping[str, str]) -> tuple[list[str], str] | None:
    """Return the complete words after the program's name, and the one being typed."""
    if shell == "bash":
        line, cword_text = environ.get("COMP_WORDS"), environ.get("COMP_CWORD", "")
        if line is None or not cword_text.isdecimal() or int(cword_text) < 1:
            return None
        cword = int(cword_text)
        cwords = _split(line)
        return cwords[1:cword], cwords[cword] if cword < len(cwords) else ""
    line = environ.get("_TYPER_COMPLETE_ARGS", "")
    args = _split(line)[1:]
    if args and not line.endswith(" "):
        return args[:-1], args[-1]
    return args, ""


def _split(line: str) -> list[str]:
    """Split a command line as click's ``split_arg_string`` does: an unclosed quote is kept."""
    import shlex

    lex = shlex.shlex(line, posix=True)
    lex.whitespace_split = True
    lex.commenters = ""
    out: list[str] = []
    try:
        out.extend(lex)
    except ValueError:
        out.append(lex.token)
    return out


def _request(args: list[str], typed: str) -> tuple[str, str | None] | None:  # noqa: PLR0911
    """Return what the words ask for (IDS, SECTIONS or KINDS) and the --catalogue given."""
    # Option names, "--", "=": left to click, which has rules of its own for each.
    if typed == "=" or typed.startswith("-") or "--" in args or not args:
        return None
    words = hoist(args, names=GLOBAL_OPTIONS, commands=ROOT_COMMANDS)
    flag: str | None = None
    at = 0
    while at < len(words) and words[at] not in ROOT_COMMANDS:  # the last one given wins
        if words[at] in GLOBAL_OPTIONS and at + 1 < len(words):
            flag, at = words[at + 1], at + 2
        elif words[at].startswith("--catalogue="):
            flag, at = words[at].partition("=")[2], at + 1
        else:
            return None
        if not flag or flag.startswith("-"):
            return None
    command = COMMANDS.get(words[at]) if at < len(words) else None
    if command is None:
        return None
    # Like click: the last complete word, as typed, is an option of this command's that
    # wants a value, so the value being typed is that option's.
    if args[-1] in command.values:
        wanted = command.values[args[-1]]
        return (wanted, flag) if wanted else None
    arguments = _arguments(command, words[at + 1 :])
    if arguments is None:
        return None
    if command.ids == -1 or (command.ids == 1 and arguments == 0):
        return IDS, flag
    return None


def _arguments(command: CommandWords, words: list[str]) -> int | None:
    """Return how many arguments ``words`` give ``command``; None if any word is not clear."""
    count = 0
    at = 0
    while at < len(words):
        word = words[at]
        if word in command.values:
            if at + 1 == len(words):
                return None
            at += 1  # its value, whatever it looks like, as click takes it
        elif word.startswith("--") and "=" in word:
            if word.partition("=")[0] not in command.values:
                return None
        elif word in command.flags:
            pass
        elif word.startswith("-") and word != "-":
            return None  # unknown, or short options run together: click's to read
        else:
            count += 1
        at += 1
    return count


def _index(flag: str | None, environ: Mapping[str, str]) -> CompletionIndex | None:
    """Return the completion index of the catalogue in use, or None if there is no good one."""
    try:
        path = _catalogue_path(flag, environ)
        data, name = read_source(path)
    except MlopsPathError:
        return None
    cache = ReadCache(resolve_paths(environ=environ).cache_dir)
    return read_index(cache, name=name, source_digest=digest(data))


def _catalogue_path(flag: str | None, environ: Mapping[str, str]) -> Path | None:
    """Return the catalogue argument as ``services_of`` finds it: flag, environment, settings."""
    if flag is not None:
        return Path(flag)
    if value := environ.get(CATALOGUE_ENV):  # click ignores an empty variable
        return Path(value)
    from .config import catalogue_from, load_settings

    return catalogue_from(load_settings(environ=environ))


def _lines(shell: str, pairs: list[tuple[str, str]], *, width: int) -> list[str] | None:
    """Return each offered value as Typer's class for ``shell`` writes it, or None."""
    import re

    lines = []
    for value, about in pairs:
        if shell == "bash":
            lines.append(value)
        elif shell == "zsh":
            shown = _zsh_escape(about)
            if about and not _rich_leaves(shown, width=width):
                return None
            line = f'"{_zsh_escape(value)}":"{shown}"' if about else f'"{_zsh_escape(value)}"'
            lines.append(line.replace("''", "'\\''"))  # completion.QuotedZshComplete
        else:
            shown = re.sub(r"\s", " ", about)
            if about and not _rich_leaves(shown, width=width):
                return None
            lines.append(f"{value}\t{shown}" if about else value)
    return lines


def _zsh_escape(text: str) -> str:
    """Escape a value or description as Typer's ZshComplete does."""
    return (
        text.replace('"', '""')
        .replace("'", "''")
        .replace("$", "\\$")
        .replace("`", "\\`")
        .replace(":", r"\\:")
    )


def _rich_leaves(text: str, *, width: int) -> bool:
    """Tell whether rich would render ``text`` unchanged: no markup, no emoji code, it fits.

    Wide characters are counted as two cells each, so a doubtful width is a miss.
    """
    import re

    if "[" in text or re.search(r":\S*:", text):
        return False
    cells = len(text) if text.isascii() else sum(1 if ch.isascii() else 2 for ch in text)
    return cells <= width


def _console_width(environ: Mapping[str, str]) -> int:
    """Return the narrowest width the console Typer makes for descriptions could have.

    As rich decides it for typer.rich_utils' console: TERMINAL_WIDTH, else COLUMNS, else the
    first standard stream that is a terminal, else 80; 80 on a dumb terminal (taken here
    whether or not rich would count it as a terminal).
    """
    widths = [80] if environ.get("TERM", "").lower() in ("dumb", "unknown") else []
    fixed, columns = environ.get("TERMINAL_WIDTH"), environ.get("COLUMNS")
    if fixed:
        widths.append(int(fixed) if fixed.isdecimal() else 0)
    elif columns is not None and columns.isdigit():
        widths.append(int(columns))
    else:
        widths.append(_terminal_columns() or 80)
    return min(widths)


def _terminal_columns() -> int:
    """Return the width of the first standard stream that is a terminal (0 if none is)."""
    for descriptor in (0, 1, 2):
        try:
            return os.get_terminal_size(descriptor).columns
        except (AttributeError, ValueError, OSError):
            continue
    return 0


def _reply(shell: str, action: str, lines: list[str]) -> Reply | None:
    """Return the whole answer as Typer writes it: click.echo adds the final newline."""
    if shell == "zsh":
        text = "_arguments '*: :((" + "\n".join(lines) + "))'" if lines else "_files"
    elif action == "is-args":
        return Reply("", 0 if lines else 1)  # fish asks only whether there are values
    else:
        text = "\n".join(lines)
    if "\x1b" in text:
        return None  # click would strip what looks like a colour code; nothing here should
    return Reply(text + "\n")
