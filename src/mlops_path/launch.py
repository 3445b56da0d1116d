"""Open an address in a graphical browser, or say plainly why it was printed instead.

``BROWSER`` is obeyed as the learner wrote it: each of its ``:``-separated commands is run in
turn (``%s`` stands for the address, else it goes last) and a missing program is reported,
never skipped in silence. Without it, a browser is only looked for where one can be shown:
on macOS, or where ``DISPLAY`` or ``WAYLAND_DISPLAY`` is set; a text-mode browser is never
started behind the learner's back.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .results import OpenResult

if TYPE_CHECKING:
    from .catalogue import Item

__all__ = ["OpenOutcome", "open_item"]


@dataclass(frozen=True, kw_only=True)
class OpenOutcome(OpenResult):
    """An address, whether a browser took it, and why not when none did."""

    reason: str | None = None


def open_item(item: Item, url: str, *, print_only: bool) -> OpenOutcome:
    """Open ``url`` unless asked only to print it; say why it was printed when it was."""
    from .browser import open_address

    # open_address checks that the address is safe; with print_only it opens nothing.
    checked = open_address(item, url, print_only=True)
    if print_only:
        return OpenOutcome(item=checked.item, url=checked.url, opened=False)
    opened, reason = launch(checked.url)
    return OpenOutcome(item=checked.item, url=checked.url, opened=opened, reason=reason)


def launch(url: str, *, environ: Mapping[str, str] | None = None) -> tuple[bool, str | None]:
    """Hand ``url`` to a browser; return whether one took it, and the reason if not."""
    env = os.environ if environ is None else environ
    named = env.get("BROWSER", "").strip()
    if named:
        return _run_named(named, url)
    if sys.platform != "darwin" and not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        return False, "no graphical browser here (no DISPLAY); set BROWSER to choose one"
    import webbrowser

    try:
        if webbrowser.open(url):
            return True, None
    except webbrowser.Error:
        pass
    return False, "no browser could be started; set BROWSER to choose one"


def _run_named(named: str, url: str) -> tuple[bool, str | None]:
    """Run the commands BROWSER names, in turn, until one takes the address."""
    problems = []
    for command in (part for part in named.split(os.pathsep) if part.strip()):
        try:
            words = shlex.split(command)
        except ValueError:
            problems.append(f"BROWSER command {command!r} cannot be read")
            continue
        if not words or shutil.which(words[0]) is None:
            problems.append(f"BROWSER names {words[0] if words else command!r}, not a program here")
            continue
        if any("%s" in word for word in words):
            args = [word.replace("%s", url) for word in words]
        else:
            args = [*words, url]
        try:
            if subprocess.run(args, check=False).returncode == 0:
                return True, None
        except OSError as error:
            problems.append(f"BROWSER command {words[0]!r} failed: {error.strerror}")
            continue
        problems.append(f"BROWSER command {words[0]!r} failed")
    return False, "; ".join(problems)
