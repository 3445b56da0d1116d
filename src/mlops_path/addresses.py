"""Decide which addresses are plain web addresses: the only ones kept, linked or opened."""

from __future__ import annotations

import re

__all__ = ["SAFE_SCHEMES", "checked_reason", "unsafe_url_reason"]

#: The only kinds of address a catalogue may hold, and so the only ones a browser is given.
SAFE_SCHEMES = ("http", "https")
#: Addresses that are plainly safe: http or https, a host of letters, digits, dots and
#: hyphens, an optional port, then printable ASCII without spaces. Each passes every check
#: below (tests/test_addresses.py); urlsplit costs about 15 us an address, which a catalogue
#: of thousands pays on every cold start.
PLAINLY_SAFE = re.compile(r"[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9.-]+(?::[0-9]+)?(?:[/?#][!-~]*)?")


def unsafe_url_reason(url: str) -> str | None:
    """Return why ``url`` is not a plain web address, or None when it is one.

    Refused: other schemes (``javascript:``, ``data:``, ``file:``), anything a browser could
    take as an option (a leading ``-``), spaces, control characters, and addresses with no host.
    """
    if PLAINLY_SAFE.fullmatch(url):
        return None
    return checked_reason(url)


def checked_reason(url: str) -> str | None:
    """Return why ``url`` is not a plain web address, checking it part by part."""
    from urllib.parse import urlsplit

    # Every whitespace character but the space is unprintable to str.isprintable.
    if " " in url or not url.isprintable():
        return "it holds spaces or control characters"
    try:
        parts = urlsplit(url)
    except ValueError:
        return "it is not a valid address"
    if parts.scheme.lower() not in SAFE_SCHEMES:
        return f"only {' and '.join(SAFE_SCHEMES)} addresses are allowed"
    if not parts.hostname:
        return "it names no host"
    return None
