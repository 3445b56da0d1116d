"""Rank items against a free-text query; case- and accent-insensitive, every word must match.

A word may match in any field, and a plural finds the singular ("stores" finds "store").
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["WEIGHTS", "Match", "fold", "score", "searchable_fields"]

#: How much a word found in each field counts; a title match outranks a summary match.
WEIGHTS = {
    "id": 6.0,
    "title": 5.0,
    "authors": 4.0,
    "notes": 3.0,
    "publisher": 3.0,
    "summary": 2.0,
    "note": 2.0,
    "links": 2.0,
    "section": 1.0,
    "kind": 1.0,
}
#: How much a match of a plural's singular counts beside a match of the word as typed.
STEM_FACTOR = 0.8


def fold(text: str) -> str:
    """Return text without case or accents, so 'Schütze' matches 'schutze'."""
    if text.isascii():  # most text: nothing to decompose, and casefold is lower
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True, slots=True, kw_only=True)
class Match:
    """How well one document matched, and in which fields."""

    score: float
    fields: tuple[str, ...]


def score(query: str, fields: dict[str, Iterable[str]]) -> Match | None:
    """Return the match of every query word against the fields, or None if a word is missing.

    A word scores its best field's weight, doubled when it starts a word there.
    """
    words = fold(query).split()
    if not words:
        return None
    folded = {name: [fold(text) for text in texts] for name, texts in fields.items()}
    total = 0.0
    matched: set[str] = set()
    for word in words:
        best, best_field = 0.0, ""
        for form, factor in _forms(word):
            for name, texts in folded.items():
                for text in texts:
                    at = text.find(form)
                    if at < 0:
                        continue
                    starts_word = at == 0 or not text[at - 1].isalnum()
                    weight = WEIGHTS[name] * (2 if starts_word else 1) * factor
                    if weight > best:
                        best, best_field = weight, name
        if not best:
            return None
        total += best
        matched.add(best_field)
    return Match(score=total, fields=tuple(sorted(matched, key=list(WEIGHTS).index)))


def _forms(word: str) -> list[tuple[str, float]]:
    """Return the forms of a query word to look for, with how much each counts."""
    forms = [(word, 1.0)]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        forms.append((word[:-1], STEM_FACTOR))
    return forms


def searchable_fields(
    *,
    item_id: str,
    title: str,
    authors: Sequence[str],
    summary: str,
    section: str,
    notes: Sequence[str],
    publisher: str | None = None,
    note: str | None = None,
    links: Sequence[str] = (),
    kind: str = "",
) -> dict[str, Iterable[str]]:
    """Return the texts search looks at for one item."""
    return {
        "id": [item_id],
        "title": [title],
        "authors": authors,
        "summary": [summary],
        "section": [section],
        "notes": notes,
        "publisher": [publisher] if publisher else [],
        "note": [note] if note else [],
        "links": links,
        "kind": [kind] if kind else [],
    }
