"""Pin the bundled MLOps guide and check that invalid catalogues are reported precisely."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_path.cache import ReadCache
from mlops_path.catalogue import KINDS
from mlops_path.errors import AmbiguousNameError, CatalogueError, UnknownNameError
from mlops_path.loading import load_catalogue
from mlops_path.validation import parse_catalogue

from .helpers import guide

# (section, title) of every item, in the guide's order. Written out by hand from the guide:
# a change to the bundled catalogue's order, titles or sections must show up here.
GUIDE = [
    ("fundamentals", "10 free ML courses"),
    ("fundamentals", "Machine Learning: A Probabilistic Perspective"),
    ("fundamentals", "Information Theory, Inference, and Learning Algorithms"),
    ("fundamentals", "Deep Learning"),
    ("fundamentals", "Introduction to Information Retrieval"),
    ("fundamentals", "Reinforcement Learning: An Introduction"),
    ("fundamentals", "Spinning up in Deep Reinforcement Learning"),
    ("fundamentals", "Zero to Hero"),
    ("fundamentals", "Tools and concepts I’d prioritize learning"),
    ("fundamentals", "A survivor’s guide to AI courses at Stanford"),
    ("overview", "Machine learning production myths"),
    ("overview", "Introduction to machine learning in production"),
    ("overview", "Rules of Machine Learning: Best Practices for ML Engineering"),
    ("overview", "What I learned from looking at 200 machine learning tools"),
    ("overview", "Machine Learning Tools Landscape v2 (+84 new tools)"),
    (
        "overview",
        "The ML Test Score: A Rubric for ML Production Readiness and Technical Debt Reduction",
    ),
    ("overview", "Building LLM applications for production"),
    (
        "intermediate",
        "Creating training data: sampling, labeling, handling class imbalance, data augmentation",
    ),
    ("intermediate", "Feature engineering"),
    ("intermediate", "Data Distribution Shifts and Monitoring"),
    ("intermediate", "Instrumentation, Observability & Monitoring of Machine Learning Models"),
    ("intermediate", "RLHF: Reinforcement Learning from Human Feedback"),
    ("advanced", "Real-time machine learning: challenges and solutions"),
    ("advanced", "Data system fundamentals for data scientists"),
    ("advanced", "A friendly introduction to machine learning compilers and optimizers"),
    ("advanced", "Why data scientists shouldn’t need to know Kubernetes"),
    ("advanced", "Self-serve feature platforms: architectures and APIs"),
    ("career", "Machine Learning Interviews Book"),
    ("career", "The ML interviews process"),
    ("career", "Career advice for recent Computer Science graduates"),
    ("career", "Four lessons I learned after my first full-time job after college"),
    ("career", "7 reasons not to join a startup and 1 reason to"),
    ("career", "Analysis of compensation, level, and experience details of 19k tech workers"),
    ("career", "What Glassdoor interview reviews reveal about tech hiring cultures"),
    ("career", "What we look for in a resume"),
    ("case-studies", "Using Machine Learning to Predict Value of Homes On Airbnb"),
    ("case-studies", "Using Machine Learning to Improve Streaming Quality at Netflix"),
    ("case-studies", "150 Successful Machine Learning Models: 6 Lessons Learned at Booking.com"),
    ("case-studies", "Machine Learning-Powered Search Ranking of Airbnb Experiences"),
    ("case-studies", "From shallow to deep learning in fraud"),
    ("case-studies", "Space, Time and Groceries"),
    ("case-studies", "Creating a Modern OCR Pipeline Using Computer Vision and Deep Learning"),
    ("case-studies", "Scaling Machine Learning at Uber with Michelangelo"),
    (
        "case-studies",
        "How we grew from 0 to 4 million women on our fashion app, "
        "with a vertical machine learning approach",
    ),
    ("bonus", "Python-is-cool"),
    ("bonus", "just-pandas-things"),
    ("bonus", "Coding exercises and solutions for coding interviews"),
    ("bonus", "Switching From a Batch to Streaming Mindset"),
    ("bonus", "4 AI and ML job hunting tips from Chip Huyen"),
    ("bonus", "Machine learning systems design"),
]

# The items the address survey could not find an address for.
NO_ADDRESS = {"tools-and-concepts", "ml-interviews-thread", "batch-to-streaming"}


def test_bundled_guide_has_every_item_in_order() -> None:
    catalogue = guide()
    assert [(item.section, item.title) for item in catalogue.items] == GUIDE


def test_bundled_guide_section_counts_and_order() -> None:
    catalogue = guide()
    counts = {s.id: sum(1 for _ in catalogue.items_in(s.id)) for s in catalogue.sections}
    assert counts == {
        "fundamentals": 10,
        "overview": 7,
        "intermediate": 5,
        "advanced": 5,
        "career": 8,
        "case-studies": 9,
        "bonus": 6,
    }
    assert list(counts) == list(dict.fromkeys(section for section, _ in GUIDE))


def test_mlops_part_groups_the_three_mlops_sections() -> None:
    catalogue = guide()
    assert [s.id for s in catalogue.sections if s.part == "MLOps"] == [
        "overview",
        "intermediate",
        "advanced",
    ]


def test_header_names_the_guide() -> None:
    header = guide().header
    assert header.id == "mlops-guide"
    assert header.source == "https://huyenchip.com/mlops/"
    assert header.version


def test_every_item_is_complete_and_addresses_follow_the_survey() -> None:
    catalogue = guide()
    for item in catalogue.items:
        assert item.kind in KINDS
        assert item.summary
        assert item.effort is not None
        assert item.effort > 0
        assert "[" not in item.title, "guide tags like [Book] belong in kind, not title"
        assert (item.url is None) == (item.id in NO_ADDRESS), item.id


def test_in_order_note_and_case_study_links_are_kept() -> None:
    catalogue = guide()
    assert "in the order" in (catalogue.item("free-ml-courses").note or "")
    netflix = catalogue.item("netflix-streaming").links
    assert [link.url for link in netflix] == ["https://www.youtube.com/watch?v=XV5VGddmP24"]
    booking = catalogue.item("booking-150-models").links
    assert [link.url for link in booking] == [
        "https://blog.acolyer.org/2019/10/07/150-successful-machine-learning-models/"
    ]


def test_resolve_item_by_id_prefix_and_errors() -> None:
    catalogue = guide()
    assert catalogue.resolve_item("rlhf").id == "rlhf"
    assert catalogue.resolve_item("booking").id == "booking-150-models"
    with pytest.raises(AmbiguousNameError, match="ml-tools-200"):
        catalogue.resolve_item("ml-tools")
    with pytest.raises(UnknownNameError) as caught:
        catalogue.resolve_item("rlfh")
    assert caught.value.suggestions == ("rlhf",)


MINIMAL = """
[catalogue]
id = "demo"
title = "Demo"
version = "1"

[[sections]]
id = "one"
title = "One"

[[items]]
id = "a"
section = "one"
title = "A"
kind = "book"
summary = "First."
effort = 10

[[items]]
id = "b"
section = "one"
title = "B"
kind = "video"
summary = "Second."
effort = 5
requires = ["a"]
"""


def problems(text: str) -> tuple[str, ...]:
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(text.encode(), source="demo.toml")
    return caught.value.lines()


def test_minimal_catalogue_loads() -> None:
    catalogue = parse_catalogue(MINIMAL.encode(), source="demo.toml")
    assert [item.id for item in catalogue.items] == ["a", "b"]


def test_duplicate_item_id() -> None:
    text = MINIMAL.replace('id = "b"', 'id = "a"').replace('requires = ["a"]\n', "")
    assert problems(text) == ("demo.toml:20: items[1].id: duplicate item id 'a'",)


def test_unknown_section() -> None:
    text = MINIMAL.replace('section = "one"\ntitle = "B"', 'section = "two"\ntitle = "B"')
    assert problems(text) == ("demo.toml:21: items[1].section: unknown section 'two' (item 'b')",)


def test_unknown_prerequisite() -> None:
    text = MINIMAL.replace('requires = ["a"]', 'requires = ["zzz"]')
    assert problems(text) == ("demo.toml:26: items[1].requires: unknown item 'zzz' (item 'b')",)


def test_prerequisite_cycle() -> None:
    text = MINIMAL.replace("effort = 10\n", 'effort = 10\nrequires = ["b"]\n', 1)
    assert problems(text) == (
        "demo.toml:18: items[0].requires: prerequisite cycle a -> b -> a (item 'a')",
    )


def test_two_topics_that_are_each_others_parent_are_a_cycle() -> None:
    text = MINIMAL.replace('requires = ["a"]\n', 'parent = "a"\n').replace(
        "effort = 10\n", 'effort = 10\nparent = "b"\n', 1
    )
    (problem,) = problems(text)
    assert "prerequisite cycle" in problem


def test_unknown_field_and_bad_kind_are_both_reported() -> None:
    text = MINIMAL.replace('kind = "book"', 'kind = "podcast"\ncolour = "red"')
    assert problems(text) == (
        "demo.toml:15: items[0].kind: unknown kind 'podcast'; known kinds: "
        + ", ".join(KINDS)
        + "; a catalogue adds its own with kinds = [\"podcast\"] in [catalogue] (item 'a')",
        "demo.toml:16: items[0].colour: unknown field (item 'a')",
    )


def test_missing_field() -> None:
    text = MINIMAL.replace('kind = "book"\n', "", 1)
    (problem,) = problems(text)
    assert problem.endswith("items[0].kind: required field is missing (item 'a')")


def test_bad_toml_names_the_line() -> None:
    (line,) = problems(MINIMAL + "\n[[items]\n")
    assert line == "demo.toml:28: not valid TOML: Expected ']]' at the end of an array declaration"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(tmp_path / "nope.toml", cache=ReadCache(None))
    assert caught.value.lines() == (
        f"{tmp_path / 'nope.toml'}: cannot read file: No such file or directory",
    )
