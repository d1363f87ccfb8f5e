"""Candidate search inside one time window: a vector index of that window's articles only.

``Workspace`` finds candidates with a kNN search over every stored view; in a month-long store
the nearest neighbours of a running story's sentences are mostly its reports of other days, which
fill the ``search_k`` window and push the same day's reports out. So a batch searches a small
exact index per window block instead (the window's stored articles, then each article as it is
written), with the workspace's own ranking: per article the best view score at or above the
related threshold, verbatim copies looked through (``COPY_SCORE``), best first, ties to the one
stored first, at most ``max_candidates``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from factcheck.pipeline import AnalysedArticle


class BlockIndex:
    """Exact inner-product search over the views of one window's articles."""

    def __init__(
        self,
        dim: int,
        *,
        related: float,
        search_k: int,
        max_candidates: int,
        copy_score: float,
        max_search_k: int,
    ) -> None:
        from factcheck.backends import memory_search

        self.index = memory_search(dim, exact_limit=1 << 62)  # a window is small: always exact
        self.owner: list[str] = []  # article id of each view, by view id (= insertion order)
        self.related = related
        self.search_k = search_k
        self.max_candidates = max_candidates
        self.copy_score = copy_score
        self.max_search_k = max_search_k

    def add(self, article_id: str, vectors: np.ndarray) -> None:
        """Index an article's views (as stored: the store's precision)."""
        if len(vectors) == 0:
            return
        start = len(self.owner)
        ids = np.arange(start, start + len(vectors), dtype=np.int64)
        self.index.add(ids, np.asarray(vectors, dtype=np.float32))
        self.owner.extend([article_id] * len(vectors))

    def add_all(self, stored: Sequence[AnalysedArticle]) -> None:
        for a in stored:
            self.add(a.article.id, a.vectors)

    def candidates(self, analysed: AnalysedArticle) -> list[str]:
        """Articles of the window with a view close to one of ``analysed``'s, best first."""
        n = len(self.index)
        if n == 0 or len(analysed.vectors) == 0:
            return []
        k = min(self.search_k, n)
        scores, ids = self.index.search(analysed.vectors, k)
        while k < min(n, self.max_search_k) and bool((scores[:, -1] >= self.copy_score).any()):
            k = min(k * 4, n, self.max_search_k)
            scores, ids = self.index.search(analysed.vectors, k)
        keep = (ids >= 0) & (scores >= self.related)
        per_article: dict[str, tuple[float, int]] = {}
        for vid, score in zip(ids[keep].tolist(), scores[keep].tolist(), strict=True):
            aid = self.owner[vid]
            old = per_article.get(aid, (-1.0, vid))
            per_article[aid] = (max(score, old[0]), min(vid, old[1]))
        per_article.pop(analysed.article.id, None)
        ranked = sorted(per_article, key=lambda a: (-per_article[a][0], per_article[a][1], a))
        return ranked[: self.max_candidates]
