r"""Make untrusted text safe to write to a terminal, so that data can only ever be read.

Titles, authors, summaries, addresses and notes come from catalogues and imports that anyone
may write. A terminal obeys the control characters in whatever it is sent: ``ESC ] 52`` writes
to the clipboard, ``ESC ] 0`` renames the window, ``ESC [ 2 J`` clears the screen, ``ESC ] 8``
makes hidden links, and bidirectional overrides such as U+202E show text in an order other
than the one it is stored in. :func:`printable` turns every such character into a visible
Python-style escape (``\x1b``, ``\u202e``) before anything reaches the screen, in colour or in
a pipe alike, and leaves all other text, accents, CJK and emoji included, exactly as it is.

What is escaped is what Unicode calls a control (Cc: C0, DEL and C1), a format character (Cf:
the bidirectional controls, zero-width space, word joiner, soft hyphen, byte-order mark, tag
characters...), a line or paragraph separator (Zl, Zp) or a lone surrogate (Cs, which cannot
even be encoded and would end the run with an error). Three deliberate exceptions keep real
text intact:

- U+200C ZERO WIDTH NON-JOINER and U+200D ZERO WIDTH JOINER stay: Persian and the Indic
  scripts need them to spell words correctly, and emoji sequences such as families need ZWJ.
  Neither moves, hides or reorders other text.
- Tag characters stay when they form an emoji flag such as Scotland's (U+1F3F4, a short
  lower-case tag sequence, U+E007F); anywhere else they are invisible and are escaped.
- Backslashes are not doubled, so ordinary text comes back unchanged byte for byte; an escape
  like ``\x1b`` therefore reads the same whether it was made here or was typed that way.

Every line feed is shown as ``\n`` and every tab becomes one space, so that one value stays on
one line of a table; with ``keep_newlines`` both are kept as they are, for text that is laid out
over several lines, such as an error message. A carriage return is always escaped, since it
lets a line be overwritten from its start.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from itertools import islice
from typing import Any, TextIO

__all__ = ["dumps_json", "is_utf8", "json_safe", "printable", "write_json"]

# One character class for everything escaped, written as escapes so that this file holds no
# raw control characters. The ranges follow Unicode's categories Cc, Cf, Cs, Zl and Zp (see
# the module docstring), minus ZWNJ and ZWJ; U+2065 and U+13439..U+1343F are included so that
# later Unicode versions, which assign them as format characters, change nothing here.
_FORMAT_AND_SEPARATORS = (
    r"\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b\u200e\u200f"
    r"\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff"
    r"\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    r"\U000e0001\U000e0020-\U000e007f"
)
# A subdivision flag: the black flag, a region and subdivision code spelled in tag letters and
# digits, and the cancel tag. Matched first so that its tags are kept; anything else is escaped.
_FLAG = r"\U0001f3f4[\U000e0030-\U000e0039\U000e0061-\U000e007a]{3,7}\U000e007f"


def printable(text: str, *, keep_newlines: bool = False) -> str:
    r"""Return ``text`` with every control and invisible format character shown as an escape.

    Line feeds become ``\n`` and tabs one space, unless ``keep_newlines`` keeps both as they
    are. Text with nothing to escape is returned as the very same object, at almost no cost.
    """
    # Every character escaped here is one that str.isprintable() rejects, so this test, done
    # in C, lets the usual title or id through without running the regular expression at all.
    if text.isprintable():
        return text
    return _unsafe(keep_newlines=keep_newlines).sub(_escape, text)


def json_safe(document: str) -> str:
    r"""Return JSON text with every character ``printable`` would escape written as ``\uXXXX``.

    The JSON means exactly the same, but read in a terminal it shows escapes instead of
    obeying them. JSON already escapes C0 controls; this covers C1, bidi and format characters.
    """
    return _unsafe(keep_newlines=True).sub(_json_escape, document)


def _json_escape(match: re.Match[str]) -> str:
    """Return one matched character as a JSON escape; a whole emoji flag comes back as is."""
    import json

    found = match.group()
    return found if len(found) > 1 else json.dumps(found)[1:-1]


@cache
def _unsafe(*, keep_newlines: bool) -> re.Pattern[str]:
    """Return what to escape, compiled on first need: it takes 1 ms, and most runs never need it."""
    controls = r"\x00-\x08\x0b-\x1f" if keep_newlines else r"\x00-\x1f"
    return re.compile(rf"{_FLAG}|[{controls}\x7f-\x9f{_FORMAT_AND_SEPARATORS}]")


def _escape(match: re.Match[str]) -> str:
    """Return the visible form of one matched character; a whole emoji flag comes back as is."""
    found = match.group()
    if len(found) > 1:
        return found
    code = ord(found)
    if code < 0x100:
        return {"\t": " ", "\n": "\\n", "\r": "\\r"}.get(found, f"\\x{code:02x}")
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def write_json(stream: TextIO, data: Any, *, batch: int = 500) -> None:
    """Write ``data`` as indented JSON and a newline, safe to show in a terminal.

    UTF-8 where the stream takes it, else ASCII with escapes: the same JSON either way. An
    iterator is written as an array, ``batch`` elements at a time, so that a long list is
    never held whole as objects and text at once; the bytes are those of ``json.dumps``.
    """
    if batch < 1:
        raise ValueError(f"a batch holds at least one element, not {batch}")
    ascii_only = not _takes_utf8(stream)
    if not isinstance(data, Iterator):
        stream.write(dumps_json(data, ascii_only=ascii_only) + "\n")
        return
    # Each call of json.dumps with an indent leaves a reference cycle (the pure-Python
    # encoder's nested functions) for the collector: one call per element of a 20,000-event
    # log took 0.9 s of collection. The array of a batch, without its brackets, is those
    # elements as the whole array holds them.
    opening = "[\n"
    while elements := list(islice(data, batch)):
        stream.write(opening + dumps_json(elements, ascii_only=ascii_only)[2:-2])
        opening = ",\n"
    stream.write("[]\n" if opening == "[\n" else "\n]\n")


def dumps_json(data: Any, *, ascii_only: bool = False) -> str:
    """Return ``data`` as indented JSON whose terminal-unsafe characters are escapes."""
    return json_safe(json.dumps(data, indent=2, ensure_ascii=ascii_only))


def _takes_utf8(stream: TextIO) -> bool:
    """Tell whether a stream encodes as UTF-8 (or does not say, as test streams do not)."""
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("_", "-")
    return encoding in ("utf-8", "utf8")


def is_utf8(text: str) -> bool:
    """Tell whether ``text`` can be written as UTF-8: it holds no lone surrogates."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
