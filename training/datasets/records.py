"""The frozen records the readers return: labelled pairs, CLEF claims / queries / qrels, ECB+."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Label = int | float | str


@dataclass(frozen=True)
class Pair:
    """Two texts and their gold label.

    ``label`` keeps the data set's own scheme: 0/1 for MRPC, PAWS and SummEdits, a 0-5 float for
    STS, an upper-case class name for NLI ("ENTAILMENT" / "NEUTRAL" / "CONTRADICTION") and for
    claim-evidence sets ("SUPPORTS" / "REFUTES" / "NOT ENOUGH INFO"). In NLI-like sets ``s1`` is
    the premise / evidence and ``s2`` the hypothesis / claim. ``meta`` carries ids, genre, file.
    """

    s1: str
    s2: str
    label: Label
    meta: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class ClefClaim:
    """A verified (fact-checked) claim of CheckThat! 2020 task 2."""

    id: str
    text: str
    title: str


@dataclass(frozen=True)
class ClefQuery:
    """A tweet to match against verified claims; ``split`` is its folder (train, dev, test...)."""

    id: str
    text: str
    split: str


@dataclass(frozen=True)
class Qrel:
    """One relevant (query, claim) pair from a TREC qrels file."""

    query_id: str
    claim_id: str
    split: str
    relevance: int = 1


@dataclass(frozen=True)
class ClefData:
    """Everything CheckThat! retrieval needs: the claim pool, the queries and their gold claims."""

    claims: tuple[ClefClaim, ...]
    queries: tuple[ClefQuery, ...]
    qrels: tuple[Qrel, ...]

    def relevant(self) -> dict[tuple[str, str], set[str]]:
        """(split, query id) -> ids of relevant claims."""
        out: dict[tuple[str, str], set[str]] = {}
        for q in self.qrels:
            if q.relevance > 0:
                out.setdefault((q.split, q.query_id), set()).add(q.claim_id)
        return out


EcbKind = Literal["ecb", "ecbplus"]


@dataclass(frozen=True)
class Mention:
    """An annotated event/entity mention: its tag, tokens and the sentence they are in."""

    id: str
    tag: str
    token_ids: tuple[int, ...]
    sentence: int
    text: str


@dataclass(frozen=True)
class Chain:
    """Mentions that refer to the same thing. Cross-document chains share ``id`` across files."""

    id: str
    kind: Literal["cross", "intra"]
    tag: str
    descriptor: str | None
    mentions: tuple[Mention, ...]


@dataclass(frozen=True)
class EcbSentence:
    """A sentence of an ECB+ document: its number in the XML and its detokenised text."""

    index: int
    text: str


@dataclass(frozen=True)
class EcbDocument:
    """One ECB+ news document.

    ``event`` is the gold story: a topic holds two seminal events, the ``ecb`` files report one and
    the ``ecbplus`` files the other, so ``event == f"{topic}_{kind}"``. The URL that ``ecbplus``
    files carry as sentence 0 is kept in ``url`` and left out of ``text`` and ``sentences``.
    """

    id: str
    topic: str
    kind: EcbKind
    event: str
    text: str
    sentences: tuple[EcbSentence, ...]
    chains: tuple[Chain, ...] = ()
    url: str | None = None
