"""Hand an item's addresses to the learner's browser, only safe ones, or say why they were printed.

Only web addresses are ever opened (see addresses.py). ``BROWSER`` is obeyed as the learner
wrote it: each of its ``:``-separated commands is run in turn (``%s`` stands for the address,
else it goes last) and a missing program is reported, never skipped in silence. Without it, a
browser is only looked for where one can be shown: on macOS, or where ``DISPLAY`` or
``WAYLAND_DISPLAY`` is set; a text-mode browser is never started behind the learner's back.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from .addresses import unsafe_url_reason
from .errors import InvalidValueError

if TYPE_CHECKING:
    from .catalogue import Item
    from .results import OpenResult

__all__ = ["launch", "open_addresses"]


def open_addresses(item: Item, urls: Sequence[str], *, print_only: bool) -> OpenResult:
    """Open every address of ``urls`` unless asked only to print them; say why if not opened."""
    from .results import OpenResult

    for url in urls:
        problem = unsafe_url_reason(url)
        if problem:
            raise InvalidValueError(f"item {item.id!r}: {url!r} will not be opened: {problem}")
    if print_only:
        return OpenResult(item=item, urls=tuple(urls), opened=False)
    for url in urls:
        opened, reason = launch(url)
        if not opened:
            return OpenResult(item=item, urls=tuple(urls), opened=False, reason=reason)
    return OpenResult(item=item, urls=tuple(urls), opened=True)


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
