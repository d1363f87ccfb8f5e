"""Invented records for the contract suite (articles, matches, conflicts in plain data) and
the two writes as the workspace does them."""

from __future__ import annotations

from typing import Any

import numpy as np

from factcheck import stories
from factcheck.backends import Backend
from factcheck.records import NewArticle, NewConflict, NewDuplicate, NewMatch, stored_precision

DIM = 8


def unit_vectors(n: int, seed: int) -> np.ndarray:
    """``n`` random unit vectors (float32, DIM): what an embedder gives."""
    vectors = np.random.default_rng(seed).standard_normal((n, DIM)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def make_article(
    article_id: str,
    source: str,
    texts: list[str],
    *,
    matches: tuple[NewMatch, ...] = (),
    conflicts: tuple[NewConflict, ...] = (),
    duplicates: tuple[NewDuplicate, ...] = (),
    links: tuple[str, ...] = (),
    seed: int = 0,
) -> NewArticle:
    spans, pos = [], 0
    for i, t in enumerate(texts):
        spans.append((i, pos, pos + len(t), t))
        pos += len(t) + 1
    sentences: list[dict[str, Any]] = [
        {"article_id": article_id, "source": source, "index": i, "text": t}
        for i, t in enumerate(texts)
    ]
    return NewArticle(
        id=article_id,
        source=source,
        text=" ".join(texts),
        record={"id": article_id, "source": source, "sentences": len(texts)},
        analysed={"article": {"id": article_id}, "sentences": len(texts)},
        sentences=sentences,
        sentence_spans=spans,
        view_sentence=np.arange(len(texts), dtype=np.int32),
        vectors=unit_vectors(len(texts), seed),
        title=f"Title {article_id}",
        published="2031-03-01",
        matches=matches,
        conflicts=conflicts,
        duplicates=duplicates,
        links=links,
    )


def match(a: str, ai: int, b: str, bi: int, a_src: str, b_src: str) -> NewMatch:
    return NewMatch(a, ai, b, bi, a_src, b_src, 0.9, "same_claim", {"relation": "same_claim"})


def conflict(m: NewMatch, kind: str = "number", severity: str = "high") -> NewConflict:
    record = {"id": f"{kind}-{m.a_article}-{m.b_article}", "type": kind, "severity": severity}
    return NewConflict(m, kind, severity, f"{kind} differs", [], [], record)


def duplicate(of: str, new: str) -> NewDuplicate:
    return NewDuplicate(of, 0.98, 1, {"a_id": new, "b_id": of})


def ingest(backend: Backend, new: NewArticle) -> stories.Stored:
    """Store as the workspace does: the core rules, then the vector search told."""
    stored = stories.store_article(backend.repository, new)
    assert stored is not None
    vectors = stored_precision(new.vectors, backend.repository.vector_dtype)
    backend.vectors.committed((np.asarray(stored.view_ids, dtype=np.int64), vectors), [])
    return stored


def delete(backend: Backend, article_id: str) -> list[int]:
    view_ids = stories.delete_article(backend.repository, article_id)
    backend.vectors.committed(None, view_ids)
    return view_ids
