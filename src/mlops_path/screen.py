"""Write lines and tables to the terminal: rich in a colour terminal, plain text anywhere else."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TextIO

if TYPE_CHECKING:
    from rich.console import Console


@dataclass(frozen=True, slots=True)
class Cell:
    """One piece of text with an optional rich style; plain output ignores the style."""

    text: str
    style: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Column:
    """A table column: its header, alignment, and whether it may wrap in a narrow terminal."""

    header: str
    align: str = "left"
    wrap: bool = False


class Screen(Protocol):
    """Where rendered output goes."""

    fancy: bool

    def line(self, *cells: Cell | str) -> None:
        """Write one line made of cells."""

    def table(self, columns: Sequence[Column], rows: Sequence[Sequence[Cell | str]]) -> None:
        """Write rows under column headers, aligned."""


def wants_rich(stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """Tell whether to draw with rich: only on a terminal, and never under NO_COLOR or TERM=dumb."""
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR") or env.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def open_screen(stream: TextIO, environ: Mapping[str, str] | None = None) -> Screen:
    """Return the screen that suits the stream: rich for a colour terminal, else plain text."""
    if wants_rich(stream, environ):
        return RichScreen(stream)
    return PlainScreen(stream)


def _text(cell: Cell | str) -> str:
    return cell if isinstance(cell, str) else cell.text


class PlainScreen:
    """Write plain, aligned text with no escape codes: for pipes, files and NO_COLOR."""

    fancy = False

    def __init__(self, stream: TextIO) -> None:
        """Write to ``stream``."""
        self._stream = stream

    def line(self, *cells: Cell | str) -> None:
        """Write one line made of cells."""
        self._stream.write("".join(_text(cell) for cell in cells).rstrip() + "\n")

    def table(self, columns: Sequence[Column], rows: Sequence[Sequence[Cell | str]]) -> None:
        """Write a header and rows, columns padded to the widest cell; the last is never cut."""
        texts = [[col.header for col in columns], *([_text(c) for c in row] for row in rows)]
        widths = [max(len(row[i]) for row in texts) for i in range(len(columns))]
        for row in texts:
            padded = [
                text.rjust(width) if col.align == "right" else text.ljust(width)
                for text, width, col in zip(row, widths, columns, strict=True)
            ]
            self._stream.write("  ".join(padded).rstrip() + "\n")


class RichScreen:
    """Draw with rich: colour, styled tables, wrapping to the terminal's width."""

    fancy = True

    def __init__(self, stream: TextIO, *, width: int | None = None) -> None:
        """Draw on ``stream``; ``width`` overrides the detected terminal width."""
        # Imported here so that piped and JSON output never pay for rich.
        from rich.console import Console

        self.console: Console = Console(
            file=stream, width=width, highlight=False, emoji=False, soft_wrap=False
        )

    def line(self, *cells: Cell | str) -> None:
        """Write one line made of styled cells."""
        from rich.text import Text

        text = Text()
        for cell in cells:
            if isinstance(cell, str):
                text.append(cell)
            else:
                text.append(cell.text, style=cell.style or "")
        self.console.print(text)

    def table(self, columns: Sequence[Column], rows: Sequence[Sequence[Cell | str]]) -> None:
        """Draw a borderless table whose wrapping columns fold in a narrow terminal."""
        from rich import box
        from rich.table import Table
        from rich.text import Text

        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, header_style="bold")
        for col in columns:
            table.add_column(
                col.header,
                justify="right" if col.align == "right" else "left",
                overflow="fold" if col.wrap else "ellipsis",
                no_wrap=not col.wrap,
                ratio=1 if col.wrap else None,
            )
        for row in rows:
            table.add_row(
                *(
                    Text(cell) if isinstance(cell, str) else Text(cell.text, style=cell.style or "")
                    for cell in row
                )
            )
        self.console.print(table)
