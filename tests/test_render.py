"""Check how output looks: rich in a terminal, plain in a pipe, sensible durations."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlops_path.catalogue import effort_label as format_minutes
from mlops_path.screen import PlainScreen, RichScreen, open_screen, wants_rich
from mlops_path.services import Services
from mlops_path.terminal_text import write_json
from mlops_path.text_study import render_list, render_next, render_stats

from .helpers import examples, services_in

ANSI = re.compile(r"\x1b\[[0-9;]*m")


class Terminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("stream", "environ", "expected"),
    [
        (Terminal(), {}, True),
        (Terminal(), {"NO_COLOR": "1"}, False),
        (Terminal(), {"TERM": "dumb"}, False),
        (io.StringIO(), {}, False),
        (io.StringIO(), {"FORCE_COLOR": "1"}, True),
        (io.StringIO(), {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
    ],
)
def test_rich_only_in_a_colour_terminal(
    stream: io.StringIO, environ: dict[str, str], expected: bool
) -> None:
    assert wants_rich(stream, environ) is expected
    assert isinstance(open_screen(stream, environ), RichScreen if expected else PlainScreen)


@pytest.mark.parametrize(
    ("minutes", "text"), [(5, "5m"), (60, "1h"), (90, "1h30m"), (605, "10h"), (18000, "300h")]
)
def test_format_minutes(minutes: int, text: str) -> None:
    assert format_minutes(minutes) == text


@pytest.fixture
def services(tmp_path: Path) -> Services:
    services = services_in(tmp_path)
    services.changes.mark_done(["rlhf", "free-ml-courses"])
    return services


@pytest.mark.parametrize("width", [40, 60, 80, 120])
def test_rich_output_is_coloured_and_fits_the_terminal(services: Services, width: int) -> None:
    terminal = Terminal()
    screen = RichScreen(terminal, width=width)
    render_list(services.queries.list_items(), screen, zone=services.zone)
    render_stats(services.queries.stats(), screen, zone=services.zone)
    render_next(services.queries.suggest_next(limit=3), screen, zone=services.zone)
    output = terminal.getvalue()
    assert ANSI.search(output)
    visible = ANSI.sub("", output).splitlines()
    assert max(len(line) for line in visible) <= width
    assert "✔" in output
    assert any("rlhf" in line for line in visible)


@settings(max_examples=examples(60, soak=1000), deadline=None)
@given(
    elements=st.lists(
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(),
            lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner),
            max_leaves=8,
        ),
        max_size=7,
    ),
    encoding=st.sampled_from(["utf-8", "ascii"]),
    batch=st.integers(min_value=1, max_value=3),
)
def test_a_streamed_array_is_the_json_of_the_whole_list(
    elements: list[object], encoding: str, batch: int
) -> None:
    streamed = io.TextIOWrapper(io.BytesIO(), encoding=encoding, errors="strict")
    whole = io.TextIOWrapper(io.BytesIO(), encoding=encoding, errors="strict")
    write_json(streamed, iter(elements), batch=batch)
    write_json(whole, elements)
    for stream in (streamed, whole):
        stream.flush()
    assert streamed.buffer.getvalue() == whole.buffer.getvalue()


def test_a_batch_of_no_elements_is_refused_rather_than_writing_none() -> None:
    with pytest.raises(ValueError, match="at least one"):
        write_json(io.StringIO(), iter([1, 2]), batch=0)
