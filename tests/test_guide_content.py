"""Pin the bundled guide's content fixes: credits, the guide's advice, dead addresses, sources."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mlops_path.cli import app

from .helpers import guide

runner = CliRunner()

# The address survey; only present on the maintainers' machines, so CI skips what needs it.
SOURCES = Path("/work/shared/catalogue-sources.tsv")

# Items that the guide or the address survey shows to be Chip Huyen's own work: posts and
# books on huyenchip.com, her Stanford CS 329S lecture notes, her seminar talk, her GitHub
# repositories and her booklet. Not here: the VentureBeat article about her (a journalist's
# write-up), and items with no address, whose authorship no source states.
CREDITED = {
    "free-ml-courses",
    "stanford-ai-courses",
    "ml-production-myths",
    "intro-ml-production",
    "ml-tools-200",
    "ml-tools-landscape-v2",
    "llm-apps-production",
    "training-data",
    "feature-engineering",
    "distribution-shifts",
    "rlhf",
    "realtime-ml",
    "data-systems",
    "ml-compilers",
    "ds-kubernetes",
    "feature-platforms",
    "ml-interviews-book",
    "career-advice-cs-grads",
    "first-job-lessons",
    "startup-reasons",
    "tech-compensation-19k",
    "glassdoor-interviews",
    "resume-tips",
    "python-is-cool",
    "just-pandas-things",
    "coding-exercises",
    "batch-to-streaming",
    "ml-systems-design-booklet",
}

# The books the guide says can be read free online (Murphy's as a draft PDF).
FREE_BOOKS = {
    "murphy-mlpp",
    "mackay-itila",
    "deep-learning-book",
    "intro-information-retrieval",
    "sutton-barto-rl",
}

# `search` returns at most this many hits (Tracker.search's default limit).
SEARCH_CAP = 20


def run_json(*args: str) -> Any:
    result = runner.invoke(app, [*args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def search_ids(*words: str) -> list[str]:
    return [hit["id"] for hit in run_json("search", *words)]


def items() -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = run_json("list")
    return listed


def show(item_id: str) -> dict[str, Any]:
    shown: dict[str, Any] = run_json("show", item_id)
    return shown


def test_chip_huyen_is_credited_on_exactly_her_own_work() -> None:
    credited = {item["id"] for item in items() if "Chip Huyen" in item["authors"]}
    assert credited == CREDITED
    assert len(credited) == 28


def test_search_chip_huyen_finds_her_work() -> None:
    hits = run_json("search", "chip", "huyen")
    assert len(hits) >= min(len(CREDITED), SEARCH_CAP)
    for hit in hits:
        assert "Chip Huyen" in hit["authors"] or "Chip Huyen" in hit["title"], hit["id"]


@pytest.mark.parametrize("item_id", sorted(CREDITED))
def test_each_credited_item_is_found_by_her_name(item_id: str) -> None:
    # Narrowed by the id, so the search cap cannot hide any of them.
    assert search_ids("chip", "huyen", item_id) == [item_id]


def test_search_free_finds_the_free_books() -> None:
    assert set(search_ids("free")) >= FREE_BOOKS


@pytest.mark.parametrize("item_id", sorted(FREE_BOOKS))
def test_free_books_carry_the_guides_pointer_in_their_note(item_id: str) -> None:
    assert "free" in (show(item_id)["note"] or "")


@pytest.mark.parametrize(
    ("item_id", "remark"),
    [
        ("intro-information-retrieval", "essential"),
        ("sutton-barto-rl", "essential"),
        ("spinning-up", "highly recommends"),
    ],
)
def test_the_guides_recommendations_are_kept(item_id: str, remark: str) -> None:
    assert remark in (show(item_id)["note"] or "")


def test_resume_note_says_the_address_is_dead() -> None:
    resume = show("resume-tips")
    assert "no longer answers" in (resume["note"] or "")
    assert resume["url"] == "https://huyenchip.com/2023/01/24/what-we-look-for-in-a-candidate.html"


def test_no_summary_calls_the_items_university_courses() -> None:
    summaries = {item.id: item.summary or "" for item in guide().items}
    assert len(summaries) == 50
    assert [i for i, text in summaries.items() if "university courses" in text.casefold()] == []


def test_the_item_without_a_source_says_its_details_are_a_guess() -> None:
    summary = show("tools-and-concepts")["summary"]
    assert "no address was found" in summary
    assert "guess" in summary


def test_addresses_match_the_survey() -> None:
    if not SOURCES.exists():
        pytest.skip(f"{SOURCES} is not available here")
    with SOURCES.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    own = [row for row in rows if "link inside" not in row["section"]]
    inner = [row for row in rows if "link inside" in row["section"]]
    listed = items()
    assert len(own) == len(listed) == 50
    for row, item in zip(own, listed, strict=True):
        if row["confidence"] in ("matched", "probable"):
            assert item["url"] == row["url"], item["id"]
        else:
            assert item["url"] is None, item["id"]
    link_urls = {link["url"] for item in listed for link in show(item["id"])["links"]}
    assert {row["url"] for row in inner} <= link_urls
