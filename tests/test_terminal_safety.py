"""Untrusted text reaches the terminal only as visible text: never as controls or as markup.

First ``printable`` on its own.
"""

from __future__ import annotations

import array
import re
import unicodedata
from typing import Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st

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
