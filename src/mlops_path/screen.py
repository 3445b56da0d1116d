"""Write lines and tables to the terminal: rich in a colour terminal, plain text anywhere else.

Text written here may come from a catalogue or an import that someone else wrote, so every
piece of it, headers and labels included, passes through
:func:`~mlops_path.terminal_text.printable` on its way in (in the ``_safe_*`` helpers, first
thing in every method that takes text), and reaches rich only as a :class:`rich.text.Text`,
never as a string that rich would read as markup. A stream whose encoding cannot hold every
character gets what it cannot hold as backslash escapes rather than an error, and plain marks
instead of fancy ones.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol, TextIO, cast

from .terminal_text import printable

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text


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
    optional: bool = False  # may be dropped when the terminal is too narrow for every column


class Screen(Protocol):
    """Where rendered output goes."""

    fancy: bool
    width: int | None

    def line(self, *cells: Cell | str) -> None:
        """Write one line made of cells."""

    def block(self, *cells: Cell | str, indent: int = 4) -> None:
        """Write cells as one paragraph, indented; long words fold rather than overflow."""

    def table(self, columns: Sequence[Column], rows: Sequence[Sequence[Cell | str]]) -> None:
        """Write rows under column headers, aligned."""

    def fields(self, pairs: Sequence[tuple[str, str]]) -> None:
        """Write labelled values, one per line, labels aligned."""

    def document(self, text: str) -> None:
        """Write a document (an export, a schema, an address) exactly as it is."""


#: The narrowest a wrapping column may get before optional columns are dropped to make room.
MIN_WRAP_WIDTH = 24


def wants_rich(stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """Tell whether to draw with rich: on a terminal, or when FORCE_COLOR asks for it.

    NO_COLOR and TERM=dumb always win: they give plain text.
    """
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR") or env.get("TERM") == "dumb":
        return False
    if env.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def open_screen(stream: TextIO, environ: Mapping[str, str] | None = None) -> Screen:
    """Return the screen that suits the stream: rich for a colour terminal, else plain text."""
    if wants_rich(stream, environ):
        return RichScreen(stream)
    return PlainScreen(stream)


def _text(cell: Cell | str) -> str:
    """Return the text of a cell, whether a plain string or a Cell."""
    return cell if isinstance(cell, str) else cell.text


def _safe_text(cell: Cell | str) -> str:
    """Return the text of a cell with control and invisible characters shown as escapes."""
    return printable(cell if isinstance(cell, str) else cell.text)


def _safe_cell(cell: Cell | str) -> Cell | str:
    """Return the cell with its text made safe; the very same cell when it already was."""
    if isinstance(cell, str):
        return printable(cell)
    text = printable(cell.text)
    return cell if text is cell.text else Cell(text, cell.style)


def _safe_table(
    columns: Sequence[Column], rows: Sequence[Sequence[Cell | str]]
) -> tuple[list[Column], list[list[Cell | str]]]:
    """Return the headers and rows made safe, so that widths are measured on what is shown."""
    safe_columns = [
        col if (header := printable(col.header)) is col.header else replace(col, header=header)
        for col in columns
    ]
    return safe_columns, [[_safe_cell(cell) for cell in row] for row in rows]


def _lossy_encoding(stream: TextIO) -> str | None:
    """Return the encoding of a stream that cannot hold every character, like ASCII, or None."""
    name = getattr(stream, "encoding", None)
    if not isinstance(name, str):
        return None  # an in-memory stream holds any text
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        return None
    return None if canonical.startswith("utf") else canonical


class _EscapingStream:
    """Pass text on to a stream, writing what its encoding cannot hold as backslash escapes."""

    def __init__(self, stream: TextIO, encoding: str) -> None:
        """Write to ``stream``, whose encoding is ``encoding``."""
        self._stream = stream
        self.encoding = encoding

    def write(self, text: str) -> int:
        r"""Write ``text``; each character the encoding lacks goes as an escape such as \xe9."""
        self._stream.write(text.encode(self.encoding, "backslashreplace").decode(self.encoding))
        return len(text)

    def flush(self) -> None:
        """Flush the stream beneath."""
        self._stream.flush()

    def isatty(self) -> bool:
        """Tell whether the stream beneath is a terminal."""
        return self._stream.isatty()

    def fileno(self) -> int:
        """Return the file descriptor of the stream beneath."""
        return self._stream.fileno()


def _encodable(stream: TextIO) -> TextIO:
    """Return the stream, wrapped so that characters its encoding lacks never raise an error."""
    encoding = _lossy_encoding(stream)
    if encoding is None:
        return stream
    # Only what rich and the plain screen use of a stream: write, flush, isatty, fileno, encoding.
    return cast("TextIO", _EscapingStream(stream, encoding))


class PlainScreen:
    """Write plain, aligned text with no escape codes: for pipes, files and NO_COLOR."""

    fancy = False
    width: int | None = None

    def __init__(self, stream: TextIO) -> None:
        """Write to ``stream``; characters its encoding lacks are written as escapes."""
        self._stream = _encodable(stream)

    def block(self, *cells: Cell | str, indent: int = 4) -> None:
        """Write cells as one indented line; pipes get whole lines, never wrapped ones."""
        self.line(" " * indent, *cells)

    def line(self, *cells: Cell | str) -> None:
        """Write one line made of cells."""
        self._stream.write("".join(_safe_text(cell) for cell in cells).rstrip() + "\n")

    def table(self, columns: Sequence[Column], rows: Sequence[Sequence[Cell | str]]) -> None:
        """Write a header and rows, columns padded to the widest cell; the last is never cut."""
        texts = [
            [_safe_text(col.header) for col in columns],
            *([_safe_text(cell) for cell in row] for row in rows),
        ]
        widths = [max(len(row[i]) for row in texts) for i in range(len(columns))]
        for row in texts:
            padded = [
                text.rjust(width) if col.align == "right" else text.ljust(width)
                for text, width, col in zip(row, widths, columns, strict=True)
            ]
            self._stream.write("  ".join(padded).rstrip() + "\n")

    def fields(self, pairs: Sequence[tuple[str, str]]) -> None:
        """Write ``label  value`` lines with the labels right-aligned."""
        pairs = [(_safe_text(label), _safe_text(value)) for label, value in pairs]
        width = max((len(label) for label, _ in pairs), default=0)
        for label, value in pairs:
            self._stream.write(f"{label.rjust(width)}  {value}\n")

    def document(self, text: str) -> None:
        """Write a document exactly as it is."""
        self._stream.write(text)


class RichScreen:
    """Draw with rich: colour, styled tables, wrapping to the terminal's width."""

    def __init__(self, stream: TextIO, *, width: int | None = None) -> None:
        """Draw on ``stream``; ``width`` overrides the detected terminal width."""
        # Imported here so that piped and JSON output never pay for rich.
        from rich.console import Console

        # A terminal that cannot show every character (PYTHONIOENCODING=ascii, a Latin-1
        # locale) gets plain marks and bars; rich, told the encoding, draws ASCII table rules.
        self.fancy: bool = _lossy_encoding(stream) is None
        self.console: Console = Console(
            file=_encodable(stream),
            width=width,
            highlight=False,
            emoji=False,
            soft_wrap=False,
            force_terminal=True,
        )
        self.width: int | None = self.console.width

    def block(self, *cells: Cell | str, indent: int = 4) -> None:
        """Draw cells as one paragraph with every wrapped line indented."""
        from rich.padding import Padding

        self.console.print(Padding(_rich_text(cells), (0, 0, 0, indent)))

    def line(self, *cells: Cell | str) -> None:
        """Write one line made of styled cells."""
        self.console.print(_rich_text(cells))

    def table(self, columns: Sequence[Column], rows: Sequence[Sequence[Cell | str]]) -> None:
        """Draw a borderless table whose wrapping columns fold in a narrow terminal."""
        from rich import box
        from rich.table import Table
        from rich.text import Text

        columns, rows = _safe_table(columns, rows)
        keep = _columns_that_fit(columns, rows, self.console.width)
        columns = [col for col, kept in zip(columns, keep, strict=True) if kept]
        rows = [[cell for cell, kept in zip(row, keep, strict=True) if kept] for row in rows]
        wraps = any(col.wrap for col in columns)
        if wraps and _room_for_wrapping(columns, rows, self.console.width) < MIN_WRAP_WIDTH:
            self._stacked(columns, rows)
            return
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, header_style="bold")
        for col in columns:
            table.add_column(
                Text(col.header),
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

    def _stacked(self, columns: Sequence[Column], rows: Sequence[Sequence[Cell | str]]) -> None:
        """Draw each row as its fixed cells on one line and its wrapping cells indented below.

        The rows come from :meth:`table`, already made safe.
        """
        from rich.padding import Padding
        from rich.text import Text

        for row in rows:
            fixed = [cell for cell, col in zip(row, columns, strict=True) if not col.wrap]
            self.line(*_spaced(fixed))
            for cell, col in zip(row, columns, strict=True):
                if col.wrap:
                    text = (
                        Text(cell) if isinstance(cell, str) else Text(cell.text, cell.style or "")
                    )
                    self.console.print(Padding(text, (0, 0, 0, 4)))

    def fields(self, pairs: Sequence[tuple[str, str]]) -> None:
        """Draw labels in a dim column and values that fold, so long addresses stay whole."""
        from rich.table import Table
        from rich.text import Text

        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim", justify="right", no_wrap=True)
        grid.add_column(overflow="fold")
        for label, value in pairs:
            # Text, not str: rich would read "[/home/me]" or "[link=...]" in a value as markup.
            grid.add_row(Text(_safe_text(label)), Text(_safe_text(value)))
        self.console.print(grid)

    def document(self, text: str) -> None:
        """Write a document exactly as it is, never wrapped or styled."""
        self.console.file.write(text)


def _rich_text(cells: Sequence[Cell | str]) -> Text:
    """Join cells, made safe, into one rich Text whose long words fold at the edge."""
    from rich.text import Text

    text = Text(overflow="fold")
    for cell in cells:
        text.append(_safe_text(cell), style=None if isinstance(cell, str) else cell.style or "")
    return text


def _spaced(cells: Sequence[Cell | str]) -> list[Cell | str]:
    """Return the cells with a single space between each two."""
    spaced: list[Cell | str] = []
    for cell in cells:
        spaced += [cell, " "]
    return spaced[:-1]


def _natural_widths(columns: Sequence[Column], rows: Sequence[Sequence[Cell | str]]) -> list[int]:
    """Return each column's widest cell plus the table's gap."""
    return [
        max([len(col.header)] + [len(_text(row[i])) for row in rows]) + 2
        for i, col in enumerate(columns)
    ]


def _room_for_wrapping(
    columns: Sequence[Column], rows: Sequence[Sequence[Cell | str]], width: int
) -> int:
    """Return the width left for the wrapping columns once the fixed ones are drawn."""
    natural = _natural_widths(columns, rows)
    return width - sum(w for w, col in zip(natural, columns, strict=True) if not col.wrap)


def _columns_that_fit(
    columns: Sequence[Column], rows: Sequence[Sequence[Cell | str]], width: int
) -> list[bool]:
    """Drop optional columns, last first, until the rest fit and wrapping ones are readable."""
    natural = _natural_widths(columns, rows)
    needed = MIN_WRAP_WIDTH if any(col.wrap for col in columns) else 0
    keep = [True] * len(columns)
    for index in reversed(range(len(columns))):
        fixed = sum(w for w, c, k in zip(natural, columns, keep, strict=True) if k and not c.wrap)
        if width - fixed >= needed:
            break
        if columns[index].optional:
            keep[index] = False
    return keep
