"""Real curricula: optional, alternative, planned and sub-topic items, section order, own kinds."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from mlops_path.loading import BUNDLED, read_bundled
from mlops_path.validation import parse_catalogue

from .helpers import Invoke

COURSE = """\
[catalogue]
id = "course"
title = "A course"
version = "1"
kinds = ["homework"]

[[sections]]
id = "m1"
title = "Module one"
links = [{ title = "Slides", url = "https://example.org/slides" }]

[[sections]]
id = "m2"
title = "Module two"
requires = ["m1"]

[[sections]]
id = "later"
title = "Later"

[[items]]
id = "topic"
section = "m1"
label = "1.1"
title = "The topic"
kind = "video"
effort = "1h30m"
url = "https://example.org/topic"
links = [{ title = "Notes", url = "https://example.org/notes" }]

[[items]]
id = "sub-a"
section = "m1"
label = "1.1.1"
title = "First part"
kind = "video"
effort = "20m"
parent = "topic"

[[items]]
id = "sub-b"
section = "m1"
label = "1.1.2"
title = "Second part"
kind = "video"
effort = 25
parent = "topic"

[[items]]
id = "codespaces"
section = "m1"
title = "Codespaces"
kind = "tutorial"
one_of = "environment"

[[items]]
id = "cloud-vm"
section = "m1"
title = "A cloud VM"
kind = "tutorial"
effort = "2h"
one_of = "environment"

[[items]]
id = "extra-video"
section = "m1"
title = "An extra video"
kind = "video"
effort = 10
optional = true

[[items]]
id = "homework"
section = "m2"
title = "Homework"
kind = "homework"
effort = "2h"

[[items]]
id = "unpublished"
section = "later"
title = "Coming soon"
kind = "video"
planned = true
"""


@pytest.fixture
def course(tmp_path: Path) -> list[str]:
    path = tmp_path / "course.toml"
    path.write_text(COURSE)
    return ["--catalogue", str(path)]


def ids(invoke: Invoke, *args: str) -> list[str]:
    return [item["id"] for item in json.loads(invoke(*args, "--json").stdout)]


def test_next_skips_optional_planned_topics_and_waits_on_sections(
    invoke: Invoke, course: list[str]
) -> None:
    assert ids(invoke, *course, "next", "-n", "9") == ["sub-a", "sub-b", "codespaces", "cloud-vm"]
    with_optional = ids(invoke, *course, "next", "-n", "9", "--optional")
    assert "extra-video" in with_optional
    text = invoke(*course, "next").stdout
    assert "1.1.1 First part" in text
    assert "1 item waits on prerequisites: homework needs section m1." in text
    assert f"When you finish: mlops-path --catalogue {course[1]} done sub-a" in text


def test_children_complete_their_parent_and_an_alternative_settles_the_group(
    invoke: Invoke, course: list[str]
) -> None:
    stats = json.loads(invoke(*course, "stats", "--json").stdout)
    # Owed: topic, sub-a, sub-b, one of the environment group, homework; not optional, planned.
    assert (stats["done"], stats["total"]) == (0, 5)
    assert stats["unknown_effort"] == 1  # codespaces, which stands for its open group
    invoke(*course, "done", "sub-a", "sub-b", "codespaces")
    listed = {i["id"]: i for i in json.loads(invoke(*course, "list", "--json").stdout)}
    assert listed["topic"]["status"] == "done"
    assert listed["cloud-vm"]["owed"] is False
    assert ids(invoke, *course, "next", "-n", "9") == ["homework"]
    stats = json.loads(invoke(*course, "stats", "--json").stdout)
    assert (stats["done"], stats["total"]) == (4, 5)
    assert stats["effort_left"] == 120


def test_new_fields_reach_json_and_text(invoke: Invoke, course: list[str]) -> None:
    listed = {i["id"]: i for i in json.loads(invoke(*course, "list", "--json").stdout)}
    topic = listed["topic"]
    assert (topic["label"], topic["effort"]) == ("1.1", 90)
    assert topic["links"] == [{"title": "Notes", "url": "https://example.org/notes"}]
    assert listed["sub-a"]["parent"] == "topic"
    assert (listed["extra-video"]["optional"], listed["unpublished"]["planned"]) == (True, True)
    assert listed["codespaces"]["one_of"] == "environment"
    assert listed["codespaces"]["effort"] is None
    text = invoke(*course, "list").stdout
    assert "video, optional" in text
    assert "video, planned" in text
    assert "- 1.1.1 First part" in text  # a sub-topic under its parent


def test_open_all_prints_every_address_and_planned_is_not_out(
    invoke: Invoke, course: list[str]
) -> None:
    printed = invoke(*course, "open", "topic", "--all", "--print")
    assert printed.stdout == "https://example.org/topic\nhttps://example.org/notes\n"
    refused = invoke(*course, "open", "unpublished", "--print")
    assert refused.exit_code == 2
    assert "is planned: it is not out yet" in refused.stderr


def test_exports_keep_links(invoke: Invoke, course: list[str]) -> None:
    rows = list(csv.DictReader(io.StringIO(invoke(*course, "export", "-f", "csv").stdout)))
    topic = next(row for row in rows if row["id"] == "topic")
    assert topic["links"] == "Notes: https://example.org/notes"
    exported = json.loads(invoke(*course, "export").stdout)
    assert exported["items"][0]["links"] == [{"title": "Notes", "url": "https://example.org/notes"}]


BROKEN = (
    COURSE.replace('kind = "homework"', 'kind = "homwork"')
    .replace('requires = ["m1"]', 'requires = ["m3"]')
    .replace('parent = "topic"', 'parent = "topik"', 1)
    .replace('effort = "2h"\none_of', 'effort = "two hours"\none_of')
    .replace('title = "An extra video"', 'title = "An extra video"\ncolour = "red"')
)


def test_a_broken_copy_reports_every_problem_in_one_pass(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(BROKEN)
    result = invoke("catalogue", "validate", str(path))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 5
    text = result.stdout
    assert "sections[1].requires: unknown section 'm3'" in text
    assert "items[1].parent: unknown item 'topik'; did you mean 'topic'?" in text
    assert "items[4].effort: effort 'two hours' is not a duration" in text
    assert "items[5].colour: unknown field" in text
    assert "items[6].kind: unknown kind 'homwork'; did you mean 'homework'?" in text
    assert all(line.startswith(f"{path}:") for line in lines)  # each at its own line


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_every_bundled_curriculum_validates_and_runs(invoke: Invoke, name: str) -> None:
    parse_catalogue(read_bundled(BUNDLED[name]), source=name)
    assert invoke("--catalogue", name, "next", "-n", "3").exit_code == 0
    assert invoke("--catalogue", name, "stats").exit_code == 0
    listed = json.loads(invoke("catalogue", "list", "--json").stdout)
    assert name in {entry["name"] for entry in listed}


def test_the_bundled_course_uses_the_new_fields() -> None:
    zoomcamp = parse_catalogue(read_bundled(BUNDLED["mlops-zoomcamp"]), source="zoomcamp")
    assert "homework" in zoomcamp.header.kinds
    assert any(item.one_of for item in zoomcamp.items)
    assert any(item.optional for item in zoomcamp.items)
    assert any(item.parent for item in zoomcamp.items)
    assert any(item.label for item in zoomcamp.items)
    assert any(section.requires for section in zoomcamp.sections)


def test_search_looks_in_section_summaries_and_links(invoke: Invoke, course: list[str]) -> None:
    found = ids(invoke, *course, "search", "slides")
    assert "topic" in found  # the section's link is titled "Slides"
    assert "homework" not in found


def test_a_link_problem_points_at_the_links_own_table(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "links.toml"
    path.write_text(
        '[catalogue]\nid = "l"\ntitle = "L"\nversion = "1"\n'
        '[[sections]]\nid = "s"\ntitle = "S"\n'
        '[[items]]\nid = "i"\nsection = "s"\ntitle = "I"\nkind = "book"\n'
        '[[items.links]]\ntitle = "Fine"\nurl = "https://example.org/a"\n'
        '[[items.links]]\ntitle = "Broken"\nurl = "ftp://example.org/b"\n'
    )
    (line,) = invoke("catalogue", "validate", str(path)).stdout.splitlines()
    assert line.startswith(f"{path}:18: items[0].links[1].url: ")  # the url line of link 2


def test_hints_name_the_catalogue_in_use(invoke: Invoke, course: list[str]) -> None:
    invoke(*course, "done", "sub-a")
    refused = invoke(*course, "start", "sub-a").stdout
    assert f"'mlops-path --catalogue {course[1]} reset sub-a' to study it again" in refused
