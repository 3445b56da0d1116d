"""Reading TOML a table at a time gives tomllib's answer, or tomllib's own error."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from mlops_path.loading import BUNDLED, read_bundled
from mlops_path.toml_tables import loads

from .helpers import Edit, edits, examples, mangled

NAMES = st.from_regex(r"[a-z][a-z0-9_-]{0,6}", fullmatch=True)
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
VALUES = st.one_of(
    TEXT,
    st.integers(min_value=-(10**12), max_value=10**12),
    st.booleans(),
    st.lists(TEXT, max_size=3),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(NAMES, TEXT, max_size=2),
)
TABLES = st.dictionaries(NAMES, VALUES, max_size=4)
DOCUMENTS = st.builds(
    lambda root, tables, arrays: {**root, **tables, **arrays},
    st.dictionaries(NAMES.map(lambda name: "r" + name), VALUES, max_size=3),
    st.dictionaries(NAMES.map(lambda name: "t" + name), TABLES, max_size=2),
    st.dictionaries(NAMES.map(lambda name: "a" + name), st.lists(TABLES, max_size=3), max_size=2),
)
#: Characters that change what TOML text means, the start of a header first among them.
SIGNIFICANT = list("[]\n \t\"'\\#=.,{}tf0123456789")


def same(left: Any, right: Any) -> bool:
    """Tell whether two documents are equal, value types included."""
    return repr(left) == repr(right)


def outcome(text: str, read: Any) -> Any:
    """Return what reading ``text`` gives: its value, or the error raised, as text."""
    try:
        return repr(read(text))
    except tomllib.TOMLDecodeError as error:
        return f"error: {error}"


@settings(max_examples=examples(50, soak=1500), deadline=None)
@given(document=DOCUMENTS, multiline=st.booleans())
def test_a_document_reads_as_tomllib_reads_it(document: dict[str, Any], multiline: bool) -> None:
    text = tomli_w.dumps(document, multiline_strings=multiline)
    assert same(loads(text), tomllib.loads(text))


@settings(max_examples=examples(40, soak=4000), deadline=None)
@given(
    document=DOCUMENTS,
    changes=edits(SIGNIFICANT, most=4),
)
def test_a_mangled_document_reads_as_tomllib_reads_it_or_fails_as_it_fails(
    document: dict[str, Any], changes: list[Edit]
) -> None:
    text = tomli_w.dumps(document, multiline_strings=True)
    text = mangled(text, changes)
    assert outcome(text, loads) == outcome(text, tomllib.loads)


@pytest.mark.parametrize(
    "text",
    [
        'a = """\n[not a header]\n"""\n',
        "a = '''\n[[not]]\n'''\n[t]\nx = 1\n",
        "a = [\n[1, 2],\n]\n",
        "a = [\n  [1, 2],\n]\n",
        "[t]\nx = 1\n  [[u]]\ny = 2\n",
        "[[items]]\nid = 1\n  [[items]]\nid = 2\n",
        "[t]\nx = 1\n[t]\ny = 2\n",
        "[a]\nx = 1\n[[a]]\ny = 2\n",
        "[[a]]\nx = 1\n[a]\ny = 2\n",
        "a = [1]\n[[a]]\nx = 1\n",
        "a.b = 1\n[a]\nc = 2\n",
        "[a.b]\nc = 1\n",
        '["quoted"]\nc = 1\n',
        "[ spaced ]\nc = 1\n",
        "[t] # a comment\nc = 1\n",
        "[t]\r\nc = 1\r\n",
        "[[t]]\n[[t]]\n[t2]\n",
        "x = 1\n[",
        "[t]\nx = 1\nx = 2\n",
        'authors = ["A", "B\\u00e9", ""]\nflag = true\nother = false\n',
        'authors = ["A",  "B"]\n',
        'authors = ["A","B"]\n',
        "authors = []\n",
        "authors = [ ]\n",
        'authors = ["A", "B",]\n',
        'requires = [\n    "a",\n    "b\\u00e9",\n]\nx = 1\n',
        'requires = [\n    "a"\n]\n',
        'requires = [\n  "a",\n]\n',
        'requires = [\n    "a",\n    [\n]\n',
        'requires = [\n    "a",\n]\n[[items]]\nrequires = [\n    "b",\n]\n',
    ],
)
def test_hard_cases_read_as_tomllib_reads_them(text: str) -> None:
    assert outcome(text, loads) == outcome(text, tomllib.loads)


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_bundled_catalogues_read_as_tomllib_reads_them(name: str) -> None:
    text = read_bundled(BUNDLED[name]).decode("utf-8")
    assert same(loads(text), tomllib.loads(text))
