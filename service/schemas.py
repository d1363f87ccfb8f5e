"""Request and response models: the OpenAPI description of the JSON in ``factcheck.report``.

Nested records (sentences, matches, conflicts) are the report schema's dicts; the models name
their main fields for /docs and allow extra ones, because the report schema only ever adds fields
within a major version and the API must not drop them.
"""

from __future__ import annotations

from typing import Any, get_args

from pydantic import BaseModel, ConfigDict, Field

from factcheck.conflicts import names as conflict_type_names
from factcheck.types import Relation

_TYPES = ", ".join(conflict_type_names())  # the registry's types when the service is imported
_RELATIONS = ", ".join(get_args(Relation))


def inline_schema(model: type[BaseModel]) -> dict[str, Any]:
    """``model``'s JSON schema with its ``$defs`` written in place.

    For ``openapi_extra`` request bodies: a ``#/$defs/...`` reference there does not resolve in
    the OpenAPI document (its definitions live under ``components``, not under the body).
    """
    schema = model.model_json_schema()
    defs: dict[str, Any] = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                rest = {k: v for k, v in node.items() if k != "$ref"}
                return resolve({**defs[ref.removeprefix("#/$defs/")], **rest})
            return {k: resolve(v) for k, v in node.items()}
        if isinstance(node, list):
            return [resolve(v) for v in node]
        return node

    resolved: dict[str, Any] = resolve(schema)
    return resolved


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ErrorInfo(BaseModel):
    code: str = Field(description="stable machine-readable name, e.g. 'missing_source'")
    message: str = Field(description="what is wrong and how to fix it")
    detail: Any = Field(None, description="extra context (offsets, field names, limits)")


class ErrorResponse(BaseModel):
    """The one error shape of every 4xx/5xx answer."""

    error: ErrorInfo


class ArticleIn(BaseModel):
    """One article: plain ``text`` or a web page's ``html`` (text wins if both are given)."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "source": "example-wire",
                "title": "Bridge closed after storm",
                "url": "https://example.org/bridge",
                "published": "2024-03-01",
                "text": "The bridge was closed on Friday after a storm. Ten people were hurt.",
            }
        }
    )

    source: str | None = Field(None, description="outlet name; else the url's host")
    title: str | None = None
    url: str | None = None
    published: str | None = Field(None, description="YYYY-MM-DD")
    text: str | None = Field(None, description="the article body as plain text")
    html: str | None = Field(None, description="the article's web page")


class CompareIn(BaseModel):
    """Two or more articles from two or more sources."""

    articles: list[ArticleIn] = Field(min_length=1)


class Sentence(_Open):
    article_id: str
    source: str | None = None
    index: int
    start: int
    end: int
    text: str
    speaker: str | None = None


class MatchOut(_Open):
    relation: str = Field(description=f"one of: {_RELATIONS}")
    score: float
    a: dict[str, Any]
    b: dict[str, Any]
    created_at: str | None = None


class ArticleRef(BaseModel):
    id: str
    source: str
    title: str | None = None
    url: str | None = None
    published: str | None = None


class ConflictCopy(BaseModel):
    """A conflict that repeats the one shown through a wire copy (same evidence)."""

    id: str
    type: str | None = None
    severity: str | None = None
    a: dict[str, Any] = Field(description="article_id, source, index of the sentence")
    b: dict[str, Any]
    a_article: ArticleRef | None = None
    b_article: ArticleRef | None = None


class ConflictOut(_Open):
    id: str = Field(description="stable id of the evidence (same in CLI reports)")
    type: str = Field(
        description=f"one of: {_TYPES} (update: a figure that moved between reports "
        "published on different days)"
    )
    severity: str = Field(description="low, medium or high")
    explanation: str
    a: dict[str, Any] = Field(description="sentence + evidence spans")
    b: dict[str, Any]
    created_at: str | None = None
    story_id: str | None = None
    a_article: ArticleRef | None = None
    b_article: ArticleRef | None = None
    n_copies: int | None = Field(
        None,
        description="in listings (GET /conflicts, a story): how many times this conflict is "
        "repeated through wire copies (folded into it: it counts once)",
    )
    copies: list[ConflictCopy] | None = Field(
        None, description="the first 20 of those repeats (in listings)"
    )


class DisagreementValue(_Open):
    """One side of a disagreement: what was said, by which outlets, first published when."""

    text: str = Field(description="the evidence as quoted ('912 people')")
    sources: list[str] = Field(description="the outlets that gave this value")
    published: str | None = Field(
        None, description="earliest publication date (YYYY-MM-DD) of this value, when known"
    )


class DisagreementOut(_Open):
    """One disputed fact: the conflicts that share evidence, across every outlet pair."""

    type: str = Field(description=f"one of: {_TYPES}")
    severity: str = Field(description="the worst of its conflicts: low, medium or high")
    summary: str = Field(
        description="one line: values with their outlets, joined by 'vs' (or 'then', oldest "
        "first, with dates, for an update)"
    )
    values: list[DisagreementValue] = Field(
        description="distinct values; for an update in date order (a timeline)"
    )
    conflicts: list[str] = Field(description="ids of the conflicts it groups")


_DISAGREEMENTS = "disputed facts, worst first (severity, then outlets involved)"


class DuplicateOut(BaseModel):
    article_id: str
    duplicate_of: str
    score: float
    shared_sentences: int


class ArticleSummary(_Open):
    id: str
    source: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    created_at: str
    story_id: str | None = None
    n_sentences: int | None = None
    n_conflicts: int | None = None
    duplicate_of: str | None = None


class ArticleOut(_Open):
    """A stored article with every match and conflict it takes part in."""

    id: str
    source: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    created_at: str
    story_id: str | None = None
    text: str
    removed: list[str] = []
    removed_reasons: list[dict[str, str]] = Field(
        [], description="each removed paragraph with the cleaning rule that removed it"
    )
    sentences: list[Sentence]
    matches: list[MatchOut]
    conflicts: list[ConflictOut]
    disagreements: list[DisagreementOut] = Field([], description=_DISAGREEMENTS)
    duplicate_of: str | None = Field(None, description="the stored article this one copies")
    duplicates: list[DuplicateOut] = []


class _Page(BaseModel):
    total: int
    limit: int
    offset: int
    next_offset: int | None = Field(None, description="offset of the next page; null at the end")


class ArticlePage(_Page):
    items: list[ArticleSummary]


class ConflictPage(_Page):
    items: list[ConflictOut]


class ClaimReviewPage(_Page):
    items: list[dict[str, Any]] = Field(description="schema.org ClaimReview records (JSON-LD)")


class StorySummary(_Open):
    """Counts fold wire copies: a conflict or match repeated through a copy counts once."""

    id: str
    sources: list[str]
    n_articles: int = Field(description="stored articles, wire copies included")
    n_copies: int = Field(0, description="how many of n_articles are wire copies of another")
    n_sources: int
    n_matches: int
    n_conflicts: int
    conflicts_by_type: dict[str, int]
    first_seen: str | None = None
    last_seen: str | None = None


class Claim(BaseModel):
    sentences: list[dict[str, Any]]
    sources: list[str]
    conflicted: bool


class ListPage(BaseModel):
    total: int
    limit: int
    offset: int
    next_offset: int | None = Field(None, description="offset of the next page; null at the end")


class StoryPages(BaseModel):
    articles: ListPage
    claims: ListPage
    conflicts: ListPage


class StoryOut(StorySummary):
    articles: list[ArticleSummary] = Field(description="one page, oldest first")
    claims: list[Claim] = Field(description="one page of groups of aligned sentences")
    disagreements: list[DisagreementOut] = Field([], description=_DISAGREEMENTS)
    conflicts: list[ConflictOut] = Field(
        description="one page, most severe first, repeats through wire copies folded"
    )
    pages: StoryPages = Field(
        description="total, limit, offset and next_offset of each list (?limit=, "
        "?articles_offset=, ?claims_offset=, ?conflicts_offset=)"
    )


class StoryPage(_Page):
    items: list[StorySummary]


class ReportOut(_Open):
    """The JSON report (schema ``factcheck.report/1``), the CLI's ``--format json``."""

    schema_: str = Field(alias="schema", description="factcheck.report/1")
    settings: dict[str, Any]
    summary: dict[str, Any]
    articles: list[dict[str, Any]]
    matches: list[MatchOut]
    disagreements: list[DisagreementOut] = Field(description=_DISAGREEMENTS)
    conflicts: list[ConflictOut] = Field(description="most severe first")
    duplicates: list[dict[str, Any]]
    stories: list[dict[str, Any]]


class Deleted(BaseModel):
    id: str
    deleted: bool = True


class Health(_Open):
    status: str
    model: str
    counts: dict[str, int]
    index: dict[str, Any] = Field(description="kind, size, dim and parameters")
