"""Conflicts as schema.org ClaimReview records, where the fields fit.

A conflict is two reports that disagree; ClaimReview reviews one claim. The claim reviewed is
sentence ``a`` (where it appeared: its article), the review body explains the disagreement and
quotes the other report, which is also named as ``isBasedOn``. There is no truth rating: the
rating's ``alternateName`` says "Disputed by other reports" and its explanation the conflict type.
"""

from __future__ import annotations

import re
from typing import Any

REVIEWER = {"@type": "Organization", "name": "factcheck (automated cross-source check)"}
# words that make a speaker an office or a body, not a person: "the Foreign Ministry",
# "the Kremlin", "the White House", "Colonial Pipeline Co", "the health ministry"
_BODY = re.compile(
    r"\b(?:ministry|ministries|office|department|agency|government|kremlin|white house|police"
    r"|service|company|co|inc|corp|corporation|council|committee|army|military|embassy|court"
    r"|parliament|senate|congress|commission|authority|authorities|board|group|airlines?"
    r"|broadcaster|news|press|bureau|administration|university|hospital|party|union|pentagon"
    r"|coast guard|fire brigade)\b",
    re.I,
)


def _speaker_type(name: str) -> str:
    """schema.org type of a speaker: an office or body is an Organization, else a Person."""
    return "Organization" if _BODY.search(name) else "Person"


def _work(article: dict[str, Any] | None, source: str | None) -> dict[str, Any]:
    article = article or {}
    work: dict[str, Any] = {
        "@type": "NewsArticle",
        "publisher": {"@type": "Organization", "name": article.get("source") or source},
    }
    for key, field in (("url", "url"), ("title", "headline"), ("published", "datePublished")):
        if article.get(key):
            work[field] = article[key]
    if article.get("id"):
        work["identifier"] = article["id"]
    return work


def claim_review(conflict: dict[str, Any]) -> dict[str, Any]:
    """One stored conflict (the API's conflict record) -> a ClaimReview JSON-LD object."""
    a, b = conflict.get("a", {}), conflict.get("b", {})
    explanation = str(conflict.get("explanation", ""))
    b_source = b.get("source") or "another source"
    created = str(conflict.get("created_at") or "")
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "identifier": conflict.get("id"),
        "claimReviewed": a.get("text"),
        "author": REVIEWER,
        "reviewBody": f"{explanation} {b_source} reports: \u201c{b.get('text', '')}\u201d",
        "reviewRating": {
            "@type": "Rating",
            "alternateName": "Disputed by other reports",
            "ratingExplanation": f"{conflict.get('type')} conflict, {conflict.get('severity')} "
            f"severity: {explanation}",
        },
        "itemReviewed": {
            "@type": "Claim",
            "appearance": [_work(conflict.get("a_article"), a.get("source"))],
        },
        "isBasedOn": [_work(conflict.get("b_article"), b_source)],
        "keywords": [str(conflict.get("type")), str(conflict.get("severity"))],
    }
    if a.get("speaker"):
        speaker = str(a["speaker"])
        review["itemReviewed"]["author"] = {"@type": _speaker_type(speaker), "name": speaker}
    if created:
        review["datePublished"] = created[:10]
    return review
