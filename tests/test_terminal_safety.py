"""Untrusted text reaches the terminal only as visible text: never as controls or as markup.

First ``printable`` on its own, then the screens in-process, then the real CLI, in a
pseudo-terminal and in pipes, on a catalogue whose every text field is hostile.
"""

from __future__ import annotations

import array
import io
import os
import pty
import re
import selectors
import subprocess
import sys
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pytest
import tomli_w
from hypothesis import given
from hypothesis import strategies as st

from mlops_path.paths import CACHE_DIR_ENV, CATALOGUE_ENV, DATA_DIR_ENV
from mlops_path.screen import Cell, Column, PlainScreen, RichScreen, open_screen
from mlops_path.terminal_text import printable

# What counts as unsafe, defined from Unicode's own categories rather than from the module's
# ranges: controls, format characters, surrogates, line and paragraph separators. Kept: the
# joiners, and the tags of an emoji flag. Escaped too: code points that later Unicode versions
# assign as format characters (unassigned in Python 3.11's database).
UNSAFE_CATEGORIES: tuple[Literal["Cc", "Cf", "Cs", "Zl", "Zp"], ...] = (
    "Cc",
    "Cf",
    "Cs",
    "Zl",
    "Zp",
)
JOINERS = frozenset({"\u200c", "\u200d"})
RESERVED_FORMAT = frozenset({"\u2065", *map(chr, range(0x13439, 0x13440))})
FLAG = re.compile("\U0001f3f4[\U000e0030-\U000e0039\U000e0061-\U000e007a]{3,7}\U000e007f")
SCOTLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"


def is_unsafe(char: str, *, keep_newlines: bool = False) -> bool:
    if keep_newlines and char in "\n\t":
        return False
    if char in JOINERS:
        return False
    return char in RESERVED_FORMAT or unicodedata.category(char) in UNSAFE_CATEGORIES


def unsafe_in(text: str, *, keep_newlines: bool = False) -> list[str]:
    """Return the unsafe characters of ``text``, outside emoji flags."""
    return [c for c in FLAG.sub("", text) if is_unsafe(c, keep_newlines=keep_newlines)]


def escaped(char: str) -> str:
    """Return the visible form printable is expected to give one unsafe character."""
    code = ord(char)
    named = {"\n": "\\n", "\r": "\\r", "\t": " "}
    if char in named:
        return named[char]
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


# --- printable on its own


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b]52;c;aGk=\x1b\\", "\\x1b]52;c;aGk=\\x1b\\"),  # clipboard write (OSC 52)
        ("\x1b]0;pwned\x07", r"\x1b]0;pwned\x07"),  # window title (OSC 0)
        ("\x1b[2J", r"\x1b[2J"),  # clear the screen
        ("\x1b]8;;https://evil.example\x1b\\x", r"\x1b]8;;https://evil.example\x1b\x"),
        ("abc\u202edef", r"abc\u202edef"),  # right-to-left override
        ("\u2066x\u2069\u200e\u200f\u061c", r"\u2066x\u2069\u200e\u200f\u061c"),
        ("\x9b2J\x85\x9f", r"\x9b2J\x85\x9f"),  # C1: CSI, NEL, APC
        ("a\x00b\x7fc\x08", r"a\x00b\x7fc\x08"),
        ("pay\u200bpal\ufeff\u2060\xad", r"pay\u200bpal\ufeff\u2060\xad"),
        ("line\u2028para\u2029", r"line\u2028para\u2029"),
        ("a\U000e0041\U000e0001b", r"a\U000e0041\U000e0001b"),  # tags smuggling text
        ("bad \udcff byte", r"bad \udcff byte"),  # a surrogate from surrogateescape
        ("one\ntwo\r\n", r"one\ntwo\r\n"),
        ("tab\there", "tab here"),
    ],
)
def test_unsafe_characters_are_shown_escaped(text: str, shown: str) -> None:
    assert printable(text) == shown


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Designing Machine Learning Systems",
        "Café crème, naïve façade, Ærø, Łódź",
        "機械学習システムの設計 · 기계 학습 · машинное обучение",
        "مقدمه‌ای بر یادگیری ماشین",  # Persian, with a zero-width non-joiner
        "emoji 😀 👍🏽 👨‍👩‍👧 ❤️ 🇫🇷 " + SCOTLAND,  # ZWJ family, variation selector, flags
        "[link=https://evil.example]x[/link] [/home/me] [dpo] :smile:",  # markup is text
        "C:\\Users\\me\\x1b is typed, not an escape",
        "non\xa0breaking\u3000ideographic space",
    ],
)
def test_ordinary_text_comes_back_unchanged(text: str) -> None:
    assert printable(text) == text
    if text.isprintable():  # the fast path: not even a copy
        assert printable(text) is text


def test_keep_newlines_keeps_line_feeds_and_tabs_only() -> None:
    text = "first\n\tindented\r\n\x1b[2J\u202e"
    assert printable(text, keep_newlines=True) == "first\n\tindented\\r\n\\x1b[2J\\u202e"
    assert printable(text) == "first\\n indented\\r\\n\\x1b[2J\\u202e"


def test_only_whole_emoji_flags_keep_their_tags() -> None:
    assert printable(SCOTLAND) == SCOTLAND
    cancel_only = "\U0001f3f4\U000e007f"
    assert printable(cancel_only) == "\U0001f3f4\\U000e007f"
    smuggled = "\U0001f3f4" + "".join(chr(0xE0000 + ord(c)) for c in "ignore all") + "\U000e007f"
    assert not unsafe_in(printable(smuggled))
    assert "\\U000e0069" in printable(smuggled)


def test_every_code_point_is_escaped_exactly_when_unsafe() -> None:
    """Check Unicode at once: the unsafe escaped, one by one; everything else untouched.

    Planes 0-3 and 14, where every assigned character lives; planes 4-13 are unassigned and
    15-16 are private use, and going through them would only make the test slower.
    """
    codes = [*range(0x40000), *range(0xE0000, 0xF0000)]
    everything = array.array("I", codes).tobytes().decode("utf-32-le", "surrogatepass")
    unsafe = [c for c in everything if not c.isprintable() and is_unsafe(c)]
    assert printable("".join(unsafe)) == "".join(escaped(c) for c in unsafe)
    safe = "".join(c for c in everything if not is_unsafe(c))
    assert printable(safe) == safe
    layout = [c for c in unsafe if c not in "\n\t"]
    assert printable("".join(layout), keep_newlines=True) == "".join(escaped(c) for c in layout)


TRICKY = st.sampled_from(
    [
        *("\x1b", "\x07", "\x9b", "\x85", "\n", "\t", "\r", "\u202e", "\u2066", "\u200b"),
        *("\u200d", "\ufeff", "\udcff", "\U000e0041", "\U000e007f", "\U0001f3f4", SCOTLAND),
        *("[", "]", "\\"),
    ]
)
# Pieces, not characters: a whole emoji flag is one piece. Surrogates included.
ANY_TEXT = st.lists(st.one_of(st.characters(exclude_categories=()), TRICKY)).map("".join)
SAFE_TEXT = st.text(
    st.characters(
        exclude_categories=UNSAFE_CATEGORIES,
        exclude_characters=RESERVED_FORMAT,
        include_characters=[*JOINERS, SCOTLAND[0]],
    )
)


@given(ANY_TEXT, st.booleans())
def test_printable_output_holds_no_unsafe_character(text: str, keep_newlines: bool) -> None:
    shown = printable(text, keep_newlines=keep_newlines)
    assert not unsafe_in(shown, keep_newlines=keep_newlines)
    assert printable(shown, keep_newlines=keep_newlines) == shown  # already safe: unchanged
    if not keep_newlines:
        assert "\n" not in shown
        assert "\t" not in shown


@given(SAFE_TEXT, st.booleans())
def test_text_without_unsafe_characters_comes_back_unchanged(
    text: str, keep_newlines: bool
) -> None:
    assert printable(text, keep_newlines=keep_newlines) == text


# --- the screens, in-process

SGR = re.compile(r"\x1b\[[0-9;]*m")


class Terminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def visible(output: str) -> str:
    """Return rich's output without its colour codes, after checking nothing else is left."""
    text = SGR.sub("", output)
    assert not unsafe_in(text.replace("\n", "")), text
    return text


@pytest.mark.parametrize(
    "value", ["my copy lives in [/home/me/papers]", "compare with [dpo] paper", "[bold]x[/]"]
)
def test_rich_fields_show_markup_as_text(value: str) -> None:
    terminal = Terminal()
    RichScreen(terminal, width=100).fields([("note", value), ("[dim]label", "x")])
    text = visible(terminal.getvalue())
    assert value in text
    assert "[dim]label" in text


def test_rich_fields_make_no_live_link() -> None:
    terminal = Terminal()
    RichScreen(terminal, width=100).fields([("note", "[link=https://evil.example]docs[/link]")])
    assert "\x1b]8" not in terminal.getvalue()
    assert "[link=https://evil.example]docs[/link]" in visible(terminal.getvalue())


HOSTILE_CELL = "a\x1b]0;t\x07b\u202ec [/x] d\ne"
HOSTILE_SHOWN = r"a\x1b]0;t\x07b\u202ec [/x] d\ne"


@pytest.mark.parametrize("width", [30, 120])  # 30 stacks the rows: the wrapping cell below
def test_rich_screen_escapes_every_kind_of_output(width: int) -> None:
    terminal = Terminal()
    screen = RichScreen(terminal, width=width)
    screen.line(HOSTILE_CELL, Cell(HOSTILE_CELL, "bold"))
    screen.block(Cell(HOSTILE_CELL, "dim"))
    columns = [Column(header="id [/h]"), Column(header="title\x1b[2J", wrap=True)]
    screen.table(columns, [["a-rather-long-identifier", Cell(HOSTILE_CELL, "cyan")]])
    screen.fields([("label\x1b", HOSTILE_CELL)])
    text = visible(terminal.getvalue())
    assert "\x1b" not in SGR.sub("", terminal.getvalue())
    if width == 120:  # wide enough for every piece to stay on one line
        assert text.count(HOSTILE_SHOWN) == 5
        assert "id [/h]" in text
        assert r"title\x1b[2J" in text
        assert r"label\x1b" in text


def test_plain_screen_escapes_every_kind_of_output() -> None:
    stream = io.StringIO()
    screen = PlainScreen(stream)
    screen.line(HOSTILE_CELL, Cell(HOSTILE_CELL, "bold"))
    screen.block(Cell(HOSTILE_CELL, "dim"))
    screen.table([Column(header="id"), Column(header="t\x1b")], [["x", Cell(HOSTILE_CELL)]])
    screen.fields([("label\x9b", HOSTILE_CELL)])
    lines = stream.getvalue().splitlines()
    assert lines == [
        HOSTILE_SHOWN * 2,
        "    " + HOSTILE_SHOWN,
        r"id  t\x1b",
        "x   " + HOSTILE_SHOWN,
        r"label\x9b  " + HOSTILE_SHOWN,
    ]


def ascii_stream() -> tuple[io.BytesIO, io.TextIOWrapper]:
    raw = io.BytesIO()
    return raw, io.TextIOWrapper(raw, encoding="ascii", write_through=True)


def test_plain_screen_writes_escapes_to_a_stream_that_cannot_encode() -> None:
    raw, stream = ascii_stream()
    screen = open_screen(stream, {})
    assert isinstance(screen, PlainScreen)
    screen.line("Café ✔ …")
    screen.fields([("titre", "crème")])
    assert raw.getvalue().decode("ascii").splitlines() == [
        r"Caf\xe9 \u2714 \u2026",
        r"titre  cr\xe8me",
    ]


def test_rich_screen_draws_plain_marks_on_a_stream_that_cannot_encode() -> None:
    raw, stream = ascii_stream()
    screen = open_screen(stream, {"FORCE_COLOR": "1"})
    assert isinstance(screen, RichScreen)
    assert screen.fancy is False
    screen.table([Column(header="id"), Column(header="title", wrap=True)], [["x", "Café crème ✔"]])
    screen.fields([("titre", "crème")])
    text = SGR.sub("", raw.getvalue().decode("ascii"))
    assert r"Caf\xe9 cr\xe8me \u2714" in text
    assert r"cr\xe8me" in text
    assert RichScreen(Terminal()).fancy is True


# --- the real CLI, in a terminal and in pipes, on a hostile catalogue

OSC52 = "\x1b]52;c;aGFja2Vk\x1b\\"  # put "hacked" on the clipboard
OSC0 = "\x1b]0;pwned\x07"  # rename the window
CSI2J = "\x1b[2J"  # clear the screen
OSC8 = "\x1b]8;;https://evil.example\x1b\\docs\x1b]8;;\x1b\\"  # a link hiding its address
RLO = "\u202e"  # show what follows right to left
C1 = "\x9b2J\x9d0;c1\x9c"  # CSI, OSC and ST as single C1 characters
MARKUP = "[link=https://evil.example]x[/link] [/home/me]"
HOSTILE = OSC52 + OSC0 + CSI2J + OSC8 + RLO + C1 + MARKUP
# The same, as it must look: every escape spelled out, the markup as it was typed.
SHOWN = (
    r"\x1b]52;c;aGFja2Vk\x1b\\x1b]0;pwned\x07\x1b[2J"
    r"\x1b]8;;https://evil.example\x1b\docs\x1b]8;;\x1b\\u202e\x9b2J\x9d0;c1\x9c"
) + MARKUP

ITEM = "hostile-item-with-a-long-id"
# Addresses with control characters are refused when the catalogue is read (see
# test_an_address_with_control_characters_is_refused); markup is legal in a URL's path.
MARKUP_IN_URL = "[link=https://evil.example]x[/link]"
NOTE = "[/home/me/papers] \x1b]0;pwned\x07"
NOTE_SHOWN = r"[/home/me/papers] \x1b]0;pwned\x07"


def hostile(word: str) -> str:
    return f"{word} {HOSTILE} end"


def shown(word: str) -> str:
    return f"{word} {SHOWN} end"


def write_hostile_catalogue(path: Path) -> Path:
    """Write a valid catalogue whose every free-text field carries escapes and markup."""
    catalogue = {
        "catalogue": {
            "id": "hostile",
            "title": hostile("Path"),
            "version": hostile("1"),
            "author": hostile("Author"),
            "source": "https://example.org/" + MARKUP_IN_URL,
            "description": hostile("Description"),
        },
        "sections": [
            {
                "id": "evil",
                "title": hostile("Section"),
                "part": hostile("Part"),
                "summary": hostile("Section summary"),
            }
        ],
        "items": [
            {
                "id": ITEM,
                "section": "evil",
                "title": hostile("Title"),
                "kind": "paper",
                "authors": [hostile("Writer")],
                "publisher": hostile("Publisher"),
                "url": "https://example.org/" + MARKUP_IN_URL,
                "summary": hostile("Summary"),
                "note": hostile("Advice") + "\nsecond line",
                "effort": 30,
                "links": [
                    {
                        "title": hostile("Link"),
                        "url": "https://example.org/" + MARKUP_IN_URL,
                        "authors": [hostile("Linker")],
                    }
                ],
            },
            {
                "id": "cafe",
                "section": "evil",
                "title": "Café crème et théorie",
                "kind": "book",
                "summary": "Un résumé.",
                "effort": 60,
            },
        ],
    }
    path.write_text(tomli_w.dumps(catalogue), encoding="utf-8")
    return path


@dataclass(frozen=True)
class Run:
    """One finished run of the CLI: its command, exit code and output."""

    args: tuple[str, ...]
    code: int
    out: bytes  # in a terminal, stdout and stderr both
    err: bytes


@dataclass(frozen=True)
class Spec:
    """One run to start: the command and how its output is connected."""

    args: tuple[str, ...]
    terminal: bool
    env: dict[str, str]


Started = tuple[subprocess.Popen[bytes], bytearray, bytearray]


def start(spec: Spec, selector: selectors.BaseSelector) -> Started:
    """Start one run and register its outputs with the selector; return it and their buffers.

    In a terminal stdout and stderr share the pty, so everything lands in the first buffer.
    """
    out, err = bytearray(), bytearray()
    command = [sys.executable, "-m", "mlops_path", *spec.args]
    if not spec.terminal:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=spec.env,
        )
        assert process.stdout is not None
        assert process.stderr is not None
        selector.register(process.stdout.fileno(), selectors.EVENT_READ, (out, False))
        selector.register(process.stderr.fileno(), selectors.EVENT_READ, (err, False))
        return process, out, err
    master, slave = pty.openpty()
    selector.register(master, selectors.EVENT_READ, (out, True))
    try:
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, env=spec.env
        )
    finally:
        os.close(slave)  # the child holds it now: EOF comes when the child is gone
    return process, out, err


def stop_reading(selector: selectors.BaseSelector, key: selectors.SelectorKey) -> None:
    """Stop watching one output; close it if it is a pty master, which nothing else closes."""
    selector.unregister(key.fd)
    if key.data[1]:
        os.close(key.fd)


def read_to_eof(selector: selectors.BaseSelector, timeout: float) -> None:
    """Read every registered output into its buffer until EOF; fail if that takes too long."""
    deadline = time.monotonic() + timeout
    while selector.get_map():
        left = deadline - time.monotonic()
        if left <= 0:
            pytest.fail(f"no EOF within {timeout} s: a command hangs")
        for key, _ in selector.select(timeout=left):
            try:
                chunk = os.read(key.fd, 65536)
            except OSError:  # EIO: a pty whose other end is closed
                chunk = b""
            if chunk:
                key.data[0].extend(chunk)
            else:
                stop_reading(selector, key)


def run_all(specs: list[Spec], *, timeout: float = 60) -> list[Run]:
    """Run the CLI once per spec, all at once, and return each run once its output is done."""
    selector = selectors.DefaultSelector()
    started: list[Started] = []
    try:
        for spec in specs:
            started.append(start(spec, selector))
        read_to_eof(selector, timeout)
        return [
            Run(spec.args, process.wait(timeout=10), bytes(out), bytes(err))
            for spec, (process, out, err) in zip(specs, started, strict=True)
        ]
    finally:
        for key in list(selector.get_map().values()):
            stop_reading(selector, key)
        selector.close()
        for process, _, _ in started:
            if process.poll() is None:
                process.kill()
            process.wait()
            for stream in (process.stdout, process.stderr):
                if stream is not None:
                    stream.close()


def cli_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """Return the environment of a run: private folders, a colour terminal type, UTF-8."""
    unset = {"NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "PYTHONIOENCODING", CATALOGUE_ENV}
    env = {name: value for name, value in os.environ.items() if name not in unset}
    env.update(
        {
            DATA_DIR_ENV: str(tmp_path / "data"),
            CACHE_DIR_ENV: str(tmp_path / "cache"),
            "TERM": "xterm-256color",
            "PYTHONIOENCODING": "utf-8",
            "COLUMNS": "1000",  # wide enough that no hostile value wraps in rich's layout
        }
    )
    env.update(extra)
    return env


SGR_BYTES = re.compile(rb"\x1b\[[0-9;]*m")


def checked(run: Run) -> str:
    """Return what a run showed, after checking it exited well and wrote nothing but text."""
    assert run.code == 0, (run.args, run.out, run.err)
    assert b"Traceback" not in run.out + run.err, run.out + run.err
    assert run.err == b"", run.err
    colourless = SGR_BYTES.sub(b"", run.out)  # rich's colour codes, in a terminal only
    assert b"\x1b" not in colourless
    assert b"\x07" not in colourless
    assert not re.search(rb"\xc2[\x80-\x9f]", colourless)  # C1 controls, encoded in UTF-8
    assert "\u202e".encode() not in colourless
    text = colourless.decode("utf-8").replace("\r\n", "\n")  # a terminal's own line ends
    assert not unsafe_in(text.replace("\n", "")), text
    return text


Command = tuple[str, ...]
LIST: Command = ("list",)
NEXT: Command = ("next", "-n", "3")
SHOW: Command = ("show", ITEM)
SEARCH: Command = ("search", "Title")
SECTIONS: Command = ("sections",)
STATS: Command = ("stats",)
NOTE_IT: Command = ("note", ITEM, NOTE)
LOG: Command = ("log",)

LABEL = shown("Part") + " › " + shown("Section")
ADDRESS = "https://example.org/" + MARKUP_IN_URL
ADVICE = shown("Advice") + r"\nsecond line"  # the line feed stays inside its one line
SEE_ALSO = f"{shown('Link')} ({shown('Linker')}): {ADDRESS}"
#: What each command must show, spelled out: escapes visible, markup as it was typed.
EXPECTED: dict[Command, list[str]] = {
    LIST: [shown("Title"), LABEL],
    NEXT: [shown("Title"), shown("Writer"), LABEL, ADDRESS, ADVICE],
    SHOW: [
        *(shown("Title"), shown("Writer"), shown("Publisher"), shown("Summary")),
        *(ADDRESS, ADVICE, SEE_ALSO),
    ],
    SEARCH: [shown("Title")],
    SECTIONS: [LABEL],
    STATS: [shown("Path")],
    NOTE_IT: [shown("Title")],
    LOG: [NOTE_SHOWN],
}
#: Every command in a terminal. A pipe gets the same plain text with NO_COLOR or without, so
#: the commands are shared out between the two: each runs in a pipe, and few processes start.
MODES: dict[str, tuple[bool, dict[str, str], list[Command]]] = {
    "terminal": (True, {}, [LIST, NEXT, SHOW, SEARCH, SECTIONS, STATS, NOTE_IT]),
    "pipe": (False, {}, [LIST, NEXT, SHOW, NOTE_IT]),
    "pipe, NO_COLOR=1": (False, {"NO_COLOR": "1"}, [SEARCH, SECTIONS, STATS, SHOW]),
}


@pytest.mark.parametrize("mode", MODES)
def test_hostile_catalogue_and_note_are_shown_only_as_text(tmp_path: Path, mode: str) -> None:
    terminal, extra, commands = MODES[mode]
    env = cli_env(tmp_path, **extra)
    root = ("--catalogue", str(write_hostile_catalogue(tmp_path / "hostile.toml")))
    narrow = {**env, "COLUMNS": "40"}  # rich folds, cuts with an ellipsis, stacks table rows
    runs = run_all(
        [Spec((*root, *command), terminal, env) for command in commands]
        + ([Spec((*root, *LIST), terminal, narrow)] if terminal else [])
    )
    for command, run in zip(commands, runs, strict=False):
        text = checked(run)
        for piece in EXPECTED[command]:
            assert piece in text, (command, piece, text)
    for run in runs[len(commands) :]:
        assert "\\x1b" in checked(run)
    if NOTE_IT in commands:  # then the note, read back
        show, log = (
            checked(run) for run in run_all([Spec((*root, *c), terminal, env) for c in (SHOW, LOG)])
        )
        for piece in [*EXPECTED[SHOW], NOTE_SHOWN]:
            assert piece in show, (piece, show)
        assert NOTE_SHOWN in log, log


def test_a_stream_that_cannot_encode_gets_escapes_not_a_traceback(tmp_path: Path) -> None:
    env = cli_env(tmp_path, PYTHONIOENCODING="ascii")
    root = ("--catalogue", str(write_hostile_catalogue(tmp_path / "hostile.toml")))
    commands = [("sections",), ("list",), ("show", "cafe")]
    runs = run_all(
        [Spec((*root, *command), terminal=False, env=env) for command in commands]
        + [Spec((*root, *command), terminal=True, env=env) for command in commands[1:]]
    )
    title = r"Caf\xe9 cr\xe8me et th\xe9orie"
    sections, listed, show, listed_in_terminal, show_in_terminal = (checked(run) for run in runs)
    assert all(run.out.isascii() for run in runs)
    assert r" \u203a " in sections  # the arrow between part and section
    for text in (listed, show, listed_in_terminal, show_in_terminal):
        assert title in text
    assert "[ ]" in listed_in_terminal  # plain marks: the terminal cannot show the fancy ones


def test_an_address_with_control_characters_is_refused(tmp_path: Path) -> None:
    catalogue = {
        "catalogue": {"id": "bad-address", "title": "Bad address", "version": "1"},
        "sections": [{"id": "s", "title": "S"}],
        "items": [
            {
                "id": "item",
                "section": "s",
                "title": "Item",
                "kind": "paper",
                "summary": "An item.",
                "effort": 5,
                "url": "https://example.org/" + OSC52,
            }
        ],
    }
    path = tmp_path / "bad-address.toml"
    path.write_text(tomli_w.dumps(catalogue), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mlops_path", "catalogue", "validate", str(path)],
        capture_output=True,
        check=False,
    )
    assert result.returncode == 1
    assert b"\x1b" not in result.stdout
    assert b"is not a web address: it holds spaces or control characters" in result.stdout
