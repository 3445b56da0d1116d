"""Define the one exception family that every expected failure belongs to."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

#: Exit status for a command given something it cannot use (unknown id, bad flag value).
EXIT_USAGE = 2
#: Exit status for data that cannot be read or written (corrupt file, full disk, lock held).
EXIT_DATA = 1


class MlopsPathError(Exception):
    """Report an expected failure that the CLI turns into one line on stderr and an exit code."""

    exit_code = EXIT_DATA

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        """Keep the message and an optional hint to show after it."""
        super().__init__(message)
        self.message = message
        self.hint = hint

    def lines(self) -> tuple[str, ...]:
        """Return the problem lines to show; most errors have exactly one."""
        return (self.message,)


class UnknownNameError(MlopsPathError):
    """Report an item, section or kind name the catalogue does not have."""

    exit_code = EXIT_USAGE

    def __init__(self, *, what: str, name: str, suggestions: Sequence[str] = ()) -> None:
        """Build the message, with a "did you mean" hint when there are close names."""
        hint = f"did you mean {' or '.join(repr(s) for s in suggestions)}?" if suggestions else None
        super().__init__(f"unknown {what} {name!r}", hint=hint)
        self.name = name
        self.suggestions = tuple(suggestions)


class AmbiguousNameError(MlopsPathError):
    """Report an id prefix that matches more than one item."""

    exit_code = EXIT_USAGE

    def __init__(self, *, what: str, prefix: str, matches: Sequence[str]) -> None:
        """Build the message listing what the prefix matches."""
        shown = ", ".join(matches[:5]) + (", ..." if len(matches) > 5 else "")
        super().__init__(f"{what} prefix {prefix!r} is ambiguous: it matches {shown}")
        self.matches = tuple(matches)


class InvalidValueError(MlopsPathError):
    """Report an option value that is well-formed for the parser but wrong for the command."""

    exit_code = EXIT_USAGE


class CatalogueError(MlopsPathError):
    """Report a catalogue file that cannot be read or is not a valid catalogue."""

    def __init__(self, *, path: Path | str, problems: Sequence[str]) -> None:
        """Keep the problems, each already a `file[:line]: field path: problem` line."""
        self.path = str(path)
        self.problems = tuple(problems) or (f"{path}: invalid catalogue",)
        super().__init__(self.problems[0])

    def lines(self) -> tuple[str, ...]:
        """Return every problem, one line each, so all can be fixed in one pass."""
        return self.problems


class StoreError(MlopsPathError):
    """Report a progress file that cannot be read, parsed, locked or written."""

    def __init__(self, *, path: Path, problem: str, hint: str | None = None) -> None:
        """Name the file and the problem; the file is never changed when this is raised."""
        super().__init__(f"progress file {path}: {problem}", hint=hint)
        self.path = path
