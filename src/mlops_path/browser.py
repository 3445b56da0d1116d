"""Hand an item's address to the learner's browser, only when it is a safe web address."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import InvalidValueError

if TYPE_CHECKING:
    from .catalogue import Item
    from .results import OpenResult

__all__ = ["SAFE_SCHEMES", "open_address", "unsafe_url_reason"]

#: The only kinds of address a catalogue may hold, and so the only ones a browser is given.
SAFE_SCHEMES = ("http", "https")


def unsafe_url_reason(url: str) -> str | None:
    """Return why ``url`` is not a plain web address, or None when it is one."""
    from urllib.parse import urlsplit

    if url != url.strip() or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return "it holds spaces or control characters"
    try:
        parts = urlsplit(url)
    except ValueError:
        return "it is not a valid address"
    if parts.scheme.lower() not in SAFE_SCHEMES:
        return f"only {' and '.join(SAFE_SCHEMES)} addresses are allowed"
    if not parts.netloc:
        return "it names no host"
    return None


def open_address(item: Item, url: str, *, print_only: bool) -> OpenResult:
    """Open ``url`` in a browser unless asked only to print it; say whether one took it."""
    from .results import OpenResult

    problem = unsafe_url_reason(url)
    if problem:
        raise InvalidValueError(f"item {item.id!r}: its address will not be opened: {problem}")
    opened = False if print_only else _open_in_browser(url)
    return OpenResult(item=item, url=url, opened=opened)


def _open_in_browser(url: str) -> bool:
    """Open ``url`` with the user's browser; False when there is none to open it with."""
    import webbrowser

    try:
        return webbrowser.open(url)
    except webbrowser.Error:
        return False
