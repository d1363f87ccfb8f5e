"""Claim retrieval (CLEF CheckThat! style): tweet cleaning, a dense + BM25 claim index, the
first stage and the relation-model re-ranking."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from training import datasets as ds
from training.embeddings import encode
from training.metrics import (
    MAP_K,
)

RERANK_TOP_K = 10


_SIGNATURE = re.compile(
    r"\s*[\u2014\u2013]\s*[^\u2014\u2013]{0,80}\(@\w+\)\s*[A-Z][a-z]+ \d{1,2}, \d{4}\s*$"
)
_URL = re.compile(r"(?:https?://|pic\.twitter\.com/|www\.)\S*")
_HANDLE = re.compile(r"@(\w+)")
_HASHTAG = re.compile(r"#(\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)")
_SPACES = re.compile(r"\s+")


def clean_tweet(text: str) -> str:
    """A tweet as a claim: no embed signature, URLs or picture links; #HashTag -> "Hash Tag".

    Handles keep their name without "@" (they often name the subject: "@NASA"), split at case
    changes like hashtags.
    """
    text = _SIGNATURE.sub("", text)
    text = _URL.sub(" ", text.replace("http", " http").replace("pic.twitter", " pic.twitter"))
    text = _HASHTAG.sub(lambda m: _CAMEL.sub(" ", m.group(1)), text)
    text = _HANDLE.sub(lambda m: _CAMEL.sub(" ", m.group(1).replace("_", " ")), text)
    return _SPACES.sub(" ", text).strip() or text.strip()


def _tokens(text: str) -> list[str]:
    from factcheck.normalize import words

    return words(text)


@dataclass
class ClaimIndex:
    """The verified-claim pool: ids, a BM25 term-weight matrix, text and title vectors.

    Vectors are encoded on first use, so a run that compares by text alone never encodes titles.
    """

    claims: list[ds.ClefClaim]
    vocab: dict[str, int]
    idf: np.ndarray
    bm25: Any  # scipy.sparse csr (n_claims, vocab): saturated, length-normalised tf
    cache_dir: Path | None = None
    _vecs: dict[str, np.ndarray] = field(default_factory=dict)
    ids: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.ids = [c.id for c in self.claims]

    def vectors(self, name: str) -> np.ndarray:
        """Embeddings of the claims' ``text`` or ``title`` (a missing title falls back to text)."""
        if name not in self._vecs:
            texts = [c.text if name == "text" else (c.title or c.text) for c in self.claims]
            self._vecs[name] = encode(texts, cache_dir=self.cache_dir)
        return self._vecs[name]

    @classmethod
    def build(cls, claims: Sequence[ds.ClefClaim], *, cache_dir: Path | None = None) -> ClaimIndex:
        from scipy.sparse import csr_matrix

        k1, b = 1.2, 0.75
        texts = [f"{c.title} {c.text}" for c in claims]
        vocab: dict[str, int] = {}
        rows, cols, vals = [], [], []
        lengths = []
        for i, t in enumerate(texts):
            toks = _tokens(t)
            lengths.append(len(toks))
            counts: dict[int, int] = {}
            for tok in toks:
                j = vocab.setdefault(tok, len(vocab))
                counts[j] = counts.get(j, 0) + 1
            for j, c in counts.items():
                rows.append(i)
                cols.append(j)
                vals.append(c)
        n = len(texts)
        tf = csr_matrix((vals, (rows, cols)), shape=(n, len(vocab)), dtype=np.float64)
        df = np.bincount(cols, minlength=len(vocab))
        idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
        avg = float(np.mean(lengths)) if lengths else 1.0
        norm = k1 * (1 - b + b * np.asarray(lengths, dtype=np.float64) / avg)
        tf = tf.tocoo()
        sat = tf.data * (k1 + 1) / (tf.data + norm[tf.row])
        bm25 = csr_matrix((sat, (tf.row, tf.col)), shape=tf.shape)
        return cls(list(claims), vocab, idf, bm25, cache_dir)

    def lexical(self, queries: Sequence[str]) -> np.ndarray:
        """BM25 scores (n_queries, n_claims), each row divided by its max (0..1)."""
        from scipy.sparse import csr_matrix

        rows, cols, vals = [], [], []
        for i, q in enumerate(queries):
            for j in {self.vocab[t] for t in _tokens(q) if t in self.vocab}:
                rows.append(i)
                cols.append(j)
                vals.append(self.idf[j])
        qm = csr_matrix((vals, (rows, cols)), shape=(len(queries), len(self.vocab)))
        scores = np.asarray((qm @ self.bm25.T).todense(), dtype=np.float32)
        top = scores.max(axis=1, keepdims=True)
        return scores / np.where(top > 0, top, 1.0)

    def dense(self, query_vecs: np.ndarray, fields: str) -> np.ndarray:
        """Cosine of queries to claims: by ``text``, ``title``, their ``mean`` or ``max``."""
        if fields not in ("text", "title", "mean", "max"):
            raise ValueError(f"unknown claim_fields {fields!r}; use text, title, mean or max")
        text = query_vecs @ self.vectors("text").T if fields != "title" else None
        if text is not None and fields == "text":
            return text
        title = query_vecs @ self.vectors("title").T
        if text is None:
            return title
        return (text + title) / 2 if fields == "mean" else np.maximum(text, title)


def first_stage(
    index: ClaimIndex,
    queries: Sequence[str],
    settings: dict[str, Any],
    *,
    cache_dir: Path | None = None,
) -> np.ndarray:
    """Query x claim scores of the bi-encoder (+ weighted BM25) stage."""
    texts = [clean_tweet(q) for q in queries] if settings.get("query_cleaning") else list(queries)
    scores = index.dense(
        encode(texts, cache_dir=cache_dir), str(settings.get("claim_fields", "text"))
    )
    w = float(settings.get("lexical_weight", 0.0))
    if w:
        scores = scores + w * index.lexical(texts)
    return scores


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k best columns per row, best first."""
    k = min(k, scores.shape[1])
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(scores, part, axis=1), axis=1, kind="stable")
    return np.take_along_axis(part, order, axis=1)


RERANK_WEIGHTS = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0)


def rerank_signals(
    index: ClaimIndex,
    claims: Sequence[ds.ClefClaim],
    queries: Sequence[str],
    candidates: np.ndarray,
    model: Any,
    settings: dict[str, Any],
) -> dict[str, np.ndarray]:
    """Relation-model scores (same, similarity) of each query with its candidate claims."""
    texts = [clean_tweet(q) for q in queries] if settings.get("query_cleaning") else list(queries)
    pairs = [(texts[i], claims[j].text) for i, row in enumerate(candidates) for j in row]
    scores = model.predict(pairs)
    shape = candidates.shape
    return {
        "same": np.asarray(scores.same, dtype=np.float32).reshape(shape),
        "similarity": np.asarray(scores.similarity, dtype=np.float32).reshape(shape),
    }


def rank_claims(
    index: ClaimIndex,
    claims: Sequence[ds.ClefClaim],
    queries: Sequence[str],
    settings: dict[str, Any],
    model: Any = None,
    *,
    cache_dir: Path | None = None,
) -> tuple[list[list[str]], list[list[str]]]:
    """Claim ids per query: (first stage, after re-ranking its top k with the relation model).

    Without a model, or with a calibrated ``rerank_weight`` of 0, both rankings are the same.
    """
    k = max(MAP_K, int(settings.get("rerank_top_k", RERANK_TOP_K)))
    stage1 = first_stage(index, queries, settings, cache_dir=cache_dir)
    cand = top_k(stage1, k)
    first = [[index.ids[j] for j in row] for row in cand]
    weight = float(settings.get("rerank_weight", 0.0))
    if model is None or weight <= 0 or not len(queries):
        return first, first
    sig = rerank_signals(index, claims, queries, cand, model, settings)
    final = (
        np.take_along_axis(stage1, cand, axis=1)
        + weight * sig[str(settings.get("rerank_signal", "same"))]
    )
    order = np.argsort(-final, axis=1, kind="stable")
    return first, [[index.ids[j] for j in row] for row in np.take_along_axis(cand, order, axis=1)]


def load_relation(models_dir: Path | None = None) -> Any:
    """The claim-relation model, or None when it is not installed yet."""
    try:
        from factcheck.relation import load_relation_model
    except ImportError:
        return None
    return load_relation_model(models_dir)
