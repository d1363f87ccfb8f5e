"""Articles as the claim rules see them, from invented text through the real parse: one side per
outlet, and a strong same-claim alignment of two sides' first sentences."""

from __future__ import annotations

import numpy as np

from factcheck.claim_conflicts import ClaimSide
from factcheck.facts import analyse
from factcheck.ingest import from_text
from factcheck.types import Match


def side(text: str, source: str, published: str | None = None) -> ClaimSide:
    art = from_text(text, source=source, published=published)
    facts = analyse(art)
    vecs = np.eye(len(facts), 8, dtype=np.float32)  # first sentences: cosine 1.0
    return ClaimSide(art, facts, vecs)


def aligned(x: ClaimSide, y: ClaimSide, score: float = 0.72) -> Match:
    """The two sides' first sentences aligned as one claim at ``score``."""
    sa, sb = x.facts[0].sentence, y.facts[0].sentence
    return Match(sa, sb, x.article.source, y.article.source, score, "same_claim")
