"""Hand an item's address to the learner's browser, only when it is a safe web address."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .addresses import unsafe_url_reason
from .errors import InvalidValueError

if TYPE_CHECKING:
    from .catalogue import Item
    from .results import OpenResult

__all__ = ["open_address"]


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
