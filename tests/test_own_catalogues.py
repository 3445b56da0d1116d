"""Custom catalogues: select, validate with file:line messages, schema, starter file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlops_path.catalogue import KINDS, CatalogueFile, CatalogueInfo, Item, Section
from mlops_path.loading import catalogue_schema
from mlops_path.validation import parse_catalogue

from .helpers import Invoke

RESOURCES = Path(__file__).parent.parent / "resources"
GOOD = """\
[catalogue]
id = "rust-path"
title = "Rust path"
version = "1"

[[sections]]
id = "start"
title = "Start"

[[sections]]
id = "more"
title = "More"

[[items]]
id = "book"
section = "start"
title = "The Book"
kind = "book"
summary = "The official book."
effort = 600
requires = ["rustlings"]

[[items]]
id = "rustlings"
section = "more"
title = "Rustlings"
kind = "tutorial"
summary = "Small exercises."
effort = 300
"""


@pytest.fixture
def own(tmp_path: Path) -> Path:
    path = tmp_path / "rust.toml"
    path.write_text(GOOD)
    return path


def test_validate_a_clean_file_prints_one_line(invoke: Invoke, own: Path) -> None:
    result = invoke("catalogue", "validate", str(own))
    assert result.exit_code == 0
    assert result.stdout == f"{own}: ok (rust-path 1): 2 sections, 2 items, 15h of study\n"


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda t: t.replace('id = "rustlings"', 'id = "book"'),
            [
                "21: items[0].requires: unknown item 'rustlings' (item 'book')",
                "24: items[1].id: duplicate item id 'book'",
            ],
        ),
        (
            lambda t: t.replace("effort = 600\n", "effort = 600\ncolour = 1\n"),
            ["21: items[0].colour: unknown field (item 'book')"],
        ),
        (
            lambda t: t.replace('requires = ["rustlings"]', 'requires = ["nope"]'),
            ["21: items[0].requires: unknown item 'nope' (item 'book')"],
        ),
        (
            lambda t: t.replace("effort = 300\n", 'effort = 300\nrequires = ["book"]\n'),
            ["21: items[0].requires: prerequisite cycle book -> rustlings -> book (item 'book')"],
        ),
        (
            lambda t: t + "[[items]\n",
            ["30: not valid TOML: Expected ']]' at the end of an array declaration"],
        ),
        (
            lambda t: t.replace('kind = "book"', 'kind = "podcast"').replace(
                "effort = 300", "effort = 0"
            ),
            [
                "18: items[0].kind: unknown kind 'podcast'; known kinds: "
                + ", ".join(KINDS)
                + '; a catalogue adds its own with kinds = ["podcast"] in [catalogue] '
                "(item 'book')",
                "29: items[1].effort: Input should be greater than 0 (item 'rustlings')",
            ],
        ),
    ],
    ids=[
        "duplicate id",
        "unknown field",
        "unknown prerequisite",
        "cycle",
        "bad toml",
        "two at once",
    ],
)
def test_validate_lists_every_problem_with_its_line(
    invoke: Invoke, own: Path, edit: object, expected: list[str]
) -> None:
    own.write_text(edit(GOOD))  # type: ignore[operator]
    result = invoke("catalogue", "validate", str(own))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [f"{own}:{line}" for line in expected]


def test_validate_a_missing_file(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("catalogue", "validate", str(tmp_path / "nope.toml"))
    assert result.exit_code == 1
    assert (
        result.stdout == f"{tmp_path / 'nope.toml'}: cannot read file: No such file or directory\n"
    )


def test_catalogue_option_and_environment_select_a_catalogue(
    invoke: Invoke, own: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Prerequisites count across sections: the first item waits for one in a later section.
    first = json.loads(invoke("--catalogue", str(own), "next", "--json").stdout)
    assert [item["id"] for item in first] == ["rustlings"]
    monkeypatch.setenv("MLOPS_PATH_CATALOGUE", str(own))
    assert invoke("done", "rustlings").exit_code == 0
    assert [i["id"] for i in json.loads(invoke("next", "--json").stdout)] == ["book"]


def test_progress_is_kept_per_catalogue(invoke: Invoke, own: Path, own_file: Path) -> None:
    invoke("-c", str(own), "done", "book")
    invoke("done", "rlhf")
    assert json.loads(invoke("stats", "--json").stdout)["done"] == 1
    assert json.loads(invoke("-c", str(own), "stats", "--json").stdout)["done"] == 1
    text = own_file.read_text()
    assert 'catalogue = "rust-path"' in text
    assert 'catalogue = "mlops-guide"' in text


def test_a_broken_selected_catalogue_stops_every_command(invoke: Invoke, own: Path) -> None:
    own.write_text(GOOD.replace('kind = "book"', 'kind = "podcast"'))
    result = invoke("-c", str(own), "next")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"mlops-path: error: {own}:18: items[0].kind: unknown kind")


def test_shipped_schema_matches_the_models(invoke: Invoke) -> None:
    shipped = json.loads((RESOURCES / "catalogue.schema.json").read_text())
    assert shipped == catalogue_schema().schema
    assert json.loads(invoke("catalogue", "schema").stdout) == shipped


def test_new_writes_a_valid_commented_starter(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    result = invoke("catalogue", "new", str(path))
    assert result.exit_code == 0
    assert path.read_text().startswith("# A study path for mlops-path.")
    assert invoke("catalogue", "validate", str(path)).exit_code == 0
    ids = [i["id"] for i in json.loads(invoke("-c", str(path), "next", "-n", "5", "--json").stdout)]
    assert ids == ["first-book", "intro-talk"]


def test_new_never_overwrites(invoke: Invoke, own: Path) -> None:
    result = invoke("catalogue", "new", str(own))
    assert result.exit_code == 1
    assert result.stderr == f"mlops-path: error: {own}: already exists; choose another name\n"
    assert own.read_text() == GOOD


def test_format_document_names_every_field_and_its_example_is_valid() -> None:
    doc = (Path(__file__).parent.parent / "docs" / "catalogue-format.md").read_text()
    for model in (CatalogueFile, CatalogueInfo, Section, Item):
        for field in model.model_fields:
            assert f"| `{field}` |" in doc or model is CatalogueFile, (model.__name__, field)
    example = doc.rsplit("```toml\n", 1)[1].split("```", 1)[0]
    catalogue = parse_catalogue(example.encode(), source="example")
    assert [item.id for item in catalogue.items] == [
        "the-book",
        "rustlings",
        "async-book",
        "async-exercises",
        "tokio-tutorial",
        "smol-docs",
        "async-traits",
    ]


def test_two_starters_get_their_own_ids_and_progress(invoke: Invoke, tmp_path: Path) -> None:
    first, second = tmp_path / "Rust Basics.toml", tmp_path / "go.toml"
    assert "catalogue id 'rust-basics'" in invoke("catalogue", "new", str(first)).stdout
    assert invoke("catalogue", "new", str(second), "--id", "golang").exit_code == 0
    assert 'id = "golang"' in second.read_text()
    invoke("--catalogue", str(first), "done", "first-book")
    stats = json.loads(invoke("--catalogue", str(second), "stats", "--json").stdout)
    assert (stats["catalogue"], stats["done"]) == ("golang", 0)


def test_a_bad_starter_id_is_refused(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("catalogue", "new", str(tmp_path / "x.toml"), "--id", "Not An Id")
    assert result.exit_code == 2
    assert "lower-case letters, digits and dashes" in result.stderr
    assert not (tmp_path / "x.toml").exists()


def test_a_second_file_reusing_an_id_is_warned_about(invoke: Invoke, tmp_path: Path) -> None:
    mine, theirs = tmp_path / "mine.toml", tmp_path / "theirs.toml"
    invoke("catalogue", "new", str(mine), "--id", "shared")
    invoke("catalogue", "new", str(theirs), "--id", "shared")
    theirs.write_text(theirs.read_text().replace('title = "My study path"', 'title = "Theirs"'))
    assert invoke("--catalogue", str(mine), "next").stderr == ""
    warned = invoke("--catalogue", str(theirs), "next").stderr
    assert warned.startswith("mlops-path: warning: catalogue id 'shared' is already used by ")
    assert "'My study path'" in warned
    assert "'Theirs'" in warned
    assert "give this file its own id in [catalogue], e.g. id = 'theirs'" in warned
    # Editing your own file, title included, keeps its progress and draws no warning.
    invoke("--catalogue", str(mine), "done", "first-book")
    mine.write_text(mine.read_text().replace('title = "My study path"', 'title = "Mine, v2"'))
    edited = invoke("--catalogue", str(mine), "stats", "--json")
    assert edited.stderr == ""
    assert json.loads(edited.stdout)["done"] == 1
