"""People, organisations and places from spaCy's NER, with one kind and a canonical name per
entity across the article."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from factcheck.types import Fact, FactKind

if TYPE_CHECKING:
    from spacy.tokens import Span

    from factcheck.nlp import People


_ENTITY_KINDS: dict[str, FactKind] = {
    "PERSON": "person",
    "ORG": "org",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
}
_NAME_ENTS = frozenset({"PRODUCT", "ORG", "FAC", "WORK_OF_ART", "EVENT", "LAW"})


def _entity_value(ent: Span, people: People) -> tuple[FactKind, str] | None:
    kind = _ENTITY_KINDS.get(ent.label_)
    if kind is None:
        return None
    value = re.sub(r"^(?:the|The)\s+", "", ent.text)
    value = re.sub(r"[’']s?$", "", value).strip()
    name = people.canonical(value)
    if kind == "person" or people.is_known(name):
        kind, value = "person", name  # the NER sometimes calls "Varga's" an organisation
    return (kind, value) if value else None


def entity_kinds(ents: Sequence[Span], people: People) -> dict[str, FactKind]:
    """The kind each entity name gets most often in the article: the small NER model labels
    the same name differently from sentence to sentence ("SpaceX" as a person, then an org)."""
    counts: dict[str, Counter[FactKind]] = {}
    for ent in ents:
        found = _entity_value(ent, people)
        if found is not None:
            counts.setdefault(found[1], Counter())[found[0]] += 1
    return {value: c.most_common(1)[0][0] for value, c in counts.items()}


def _entities(
    ents: Sequence[Span], people: People, base: int, kinds: dict[str, FactKind]
) -> list[Fact]:
    out: list[Fact] = []
    for ent in ents:
        found = _entity_value(ent, people)
        if found is None:
            continue
        kind, value = found
        kind = kinds.get(value, kind)
        out.append(Fact(kind, ent.text, ent.start_char - base, ent.end_char - base, value))
    return out
