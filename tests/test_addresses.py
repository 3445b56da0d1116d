"""The shortcut for plainly safe addresses never lets through one the full check refuses."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlops_path.addresses import PLAINLY_SAFE, checked_reason, unsafe_url_reason

from .helpers import examples


@settings(max_examples=examples(200, soak=5000))
@given(url=st.from_regex(PLAINLY_SAFE, fullmatch=True))
def test_what_the_shortcut_accepts_the_full_check_accepts(url: str) -> None:
    assert checked_reason(url) is None


@settings(max_examples=examples(200, soak=5000))
@given(url=st.text(st.characters(codec="utf-8"), max_size=40).map(lambda rest: "http://" + rest))
def test_both_ways_agree_on_any_address(url: str) -> None:
    assert (unsafe_url_reason(url) is None) == (checked_reason(url) is None)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/a b",
        "https://example.org/\x1b[31m",
        "https://exa mple.org",
        "javascript:alert(1)",
        "https://",
        "https://[::1",
        "-https://example.org",
        "https://user@example.org/\u2028",
    ],
)
def test_unsafe_addresses_are_still_refused(url: str) -> None:
    assert unsafe_url_reason(url) is not None
