"""Show a command's result on the screen that suits the run: colour setting, terminal, pipe.

The environment wins over the ``colour`` setting: ``NO_COLOR`` and ``TERM=dumb`` give plain
text, ``FORCE_COLOR`` gives colour. Plain text in a terminal is folded at word boundaries to
the terminal's width; in a pipe it is never folded.
"""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, TextIO

from .screen import MIN_WRAP_WIDTH, Cell, Column, PlainScreen, RichScreen, _columns_that_fit

if TYPE_CHECKING:
    from datetime import tzinfo

    from .output import TextForm
    from .screen import Screen

__all__ = ["FittedPlainScreen", "choose_screen", "show"]

#: How far a folded paragraph's later lines are indented.
HANGING = 4


def show(result: object, *, as_json: bool = False, colour: str, zone: tzinfo) -> None:
    """Write ``result`` to stdout as JSON or as text, with the run's colour setting and zone."""
    from .output import render_result, text_forms

    if as_json:
        render_result(result, as_json=True, zone=zone)
        return
    forms = {**text_forms(), **_extra_forms()}
    # A result type may extend one of output.py's (a subclass): the nearest form serves it.
    form = next((forms[kind] for kind in type(result).__mro__ if kind in forms), None)
    if form is None:
        raise TypeError(f"no text form for {type(result).__name__}")
    form(result, choose_screen(sys.stdout, colour=colour), zone=zone)


def choose_screen(
    stream: TextIO, *, colour: str = "auto", environ: Mapping[str, str] | None = None
) -> Screen:
    """Return rich or plain text for ``stream``, as the environment, then ``colour``, say."""
    env = os.environ if environ is None else environ
    isatty = getattr(stream, "isatty", None)
    terminal = bool(isatty and isatty())
    if env.get("NO_COLOR") or env.get("TERM") == "dumb":
        rich = False
    elif env.get("FORCE_COLOR"):
        rich = True
    else:
        rich = colour == "always" or (colour == "auto" and terminal)
    if rich:
        return RichScreen(stream)
    if terminal:
        return FittedPlainScreen(stream, width=shutil.get_terminal_size().columns)
    return PlainScreen(stream)


def _extra_forms() -> dict[type, TextForm]:
    """Return the text forms of the results that output.py does not know."""
    from .config import ConfigView
    from .text_records import render_config

    return {ConfigView: render_config}


def _plain(cell: Cell | str) -> str:
    """Return the text of a cell, made safe for a terminal."""
    from .terminal_text import printable

    return printable(cell if isinstance(cell, str) else cell.text)


def _fold(text: str, width: int, *, indent: str = "", hanging: str = "") -> list[str]:
    """Return ``text`` folded at spaces to ``width``; a word longer than a line is split."""
    if len(indent) + len(text) <= width:
        return [indent + text]
    return textwrap.wrap(
        text,
        width=max(width, len(indent) + 8),
        initial_indent=indent,
        subsequent_indent=hanging,
        break_on_hyphens=False,
    ) or [indent]


class FittedPlainScreen(PlainScreen):
    """Plain text for a terminal without colour: folded at words to the terminal's width."""

    def __init__(self, stream: TextIO, *, width: int) -> None:
        """Write to ``stream``, folding at ``width`` columns."""
        super().__init__(stream)
        self.width: int | None = width

    @property
    def _cols(self) -> int:
        """Return the width to fold at."""
        return self.width or 80

    def _write(self, lines: Sequence[str]) -> None:
        """Write whole lines, trailing spaces dropped."""
        self._stream.write("".join(line.rstrip() + "\n" for line in lines))

    def line(self, *cells: Cell | str) -> None:
        """Write one line, folded at words with later lines indented."""
        text = "".join(_plain(cell) for cell in cells).rstrip()
        self._write(_fold(text, self._cols, hanging=" " * HANGING))

    def block(self, *cells: Cell | str, indent: int = 4) -> None:
        """Write an indented paragraph, every folded line indented alike."""
        text = "".join(_plain(cell) for cell in cells).strip()
        pad = " " * indent
        self._write(_fold(text, self._cols, indent=pad, hanging=pad))

    def fields(self, pairs: Sequence[tuple[str, str]]) -> None:
        """Write ``label  value`` lines, values folded under themselves."""
        safe = [(_plain(label), _plain(value)) for label, value in pairs]
        width = max((len(label) for label, _ in safe), default=0)
        hanging = " " * (width + 2)
        room = self._cols - len(hanging)
        for label, value in safe:
            head = f"{label.rjust(width)}  "
            if room < MIN_WRAP_WIDTH:  # too narrow for two columns: the value goes below
                self._write([label, *_fold(value, self._cols, indent="  ", hanging="  ")])
            else:
                self._write(_fold(value, self._cols, indent=head, hanging=hanging))

    def table(self, columns: Sequence[Column], rows: Sequence[Sequence[Cell | str]]) -> None:
        """Write rows under headers; optional columns give way, wrapping ones fold at words."""
        keep = _columns_that_fit(columns, rows, self._cols)
        cols = [col for col, kept in zip(columns, keep, strict=True) if kept]
        texts = [
            [_plain(cell) for cell, kept in zip(row, keep, strict=True) if kept] for row in rows
        ]
        header = [_plain(col.header) for col in cols]
        widths = [max(len(row[i]) for row in [header, *texts]) for i in range(len(cols))]
        fixed = sum(w + 2 for w, col in zip(widths, cols, strict=True) if not col.wrap)
        wrapping = [i for i, col in enumerate(cols) if col.wrap]
        room = self._cols - fixed
        if wrapping and room < MIN_WRAP_WIDTH:
            self._stacked(cols, texts)
            return
        if wrapping and sum(widths[i] for i in wrapping) > room:
            for i in wrapping:
                widths[i] = max(8, room // len(wrapping))
        for row in [header, *texts]:
            cells = [
                _fold(text, widths[i]) if col.wrap else [text]
                for i, (text, col) in enumerate(zip(row, cols, strict=True))
            ]
            for depth in range(max(len(lines) for lines in cells)):
                parts = []
                for i, (lines, col) in enumerate(zip(cells, cols, strict=True)):
                    text = lines[depth] if depth < len(lines) else ""
                    parts.append(
                        text.rjust(widths[i]) if col.align == "right" else text.ljust(widths[i])
                    )
                self._write(["  ".join(parts)])

    def _stacked(self, cols: Sequence[Column], rows: Sequence[Sequence[str]]) -> None:
        """Write each row's fixed cells on one line and its wrapping cells folded below."""
        for row in rows:
            fixed = [text for text, col in zip(row, cols, strict=True) if not col.wrap]
            self._write(_fold(" ".join(text for text in fixed if text), self._cols))
            for text, col in zip(row, cols, strict=True):
                if col.wrap:
                    pad = " " * HANGING
                    self._write(_fold(text, self._cols, indent=pad, hanging=pad))
