"""Story clustering of articles, and the scores that judge a clustering (B-cubed, ARI).

An article is one vector (the mean of its normalised sentence embeddings, re-normalised), and
articles join a story by agglomerative clustering on cosine similarity: two groups merge while
their linkage similarity is at least ``threshold``. The threshold is calibrated on ECB+ (two real
events per topic, each reported by several outlets) and stored in ``models/calibration.json``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Literal

import numpy as np

Linkage = Literal["average", "complete", "single", "weighted"]
LINKAGES: tuple[str, ...] = ("average", "complete", "single", "weighted")


def article_vector(sentence_vectors: np.ndarray) -> np.ndarray:
    """One unit vector for an article: the re-normalised mean of its sentence vectors.

    The mean of normalised vectors weighs every sentence alike, so a long article is not pulled
    towards its wordiest sentences; zero rows (no sentences) give a zero vector.
    """
    vecs = np.asarray(sentence_vectors, dtype=np.float32)
    if vecs.ndim != 2 or len(vecs) == 0:
        return np.zeros(vecs.shape[-1] if vecs.ndim == 2 else 0, dtype=np.float32)
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    unit = vecs / np.where(norms > 0, norms, 1.0)
    mean = unit.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return (mean / norm if norm > 0 else mean).astype(np.float32)


def _relabel(labels: Sequence[int] | np.ndarray) -> np.ndarray:
    """Labels 0..k-1 in order of first appearance, so equal clusterings give equal arrays."""
    seen: dict[int, int] = {}
    return np.array([seen.setdefault(int(x), len(seen)) for x in labels], dtype=np.int64)


def cluster_similarity(sim: np.ndarray, threshold: float, *, method: str = "average") -> np.ndarray:
    """Agglomerative clustering of a symmetric similarity matrix (1 = identical)."""
    if method not in LINKAGES:
        raise ValueError(f"unknown linkage {method!r}; use one of {', '.join(LINKAGES)}")
    n = len(sim)
    if n <= 1:
        return np.zeros(n, dtype=np.int64)
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    dist = np.clip(1.0 - np.asarray(sim, dtype=np.float64), 0.0, 2.0)
    dist = (dist + dist.T) / 2.0
    np.fill_diagonal(dist, 0.0)
    tree = linkage(squareform(dist, checks=False), method=method)
    # fcluster cuts at distance <= t; the epsilon keeps pairs right at the threshold together
    return _relabel(fcluster(tree, t=1.0 - threshold + 1e-6, criterion="distance"))


def cluster(vectors: np.ndarray, threshold: float, *, method: str = "average") -> np.ndarray:
    """Story labels (0..k-1) for article vectors: groups merge while cosine >= ``threshold``."""
    vecs = np.asarray(vectors, dtype=np.float64)
    if len(vecs) <= 1:
        return np.zeros(len(vecs), dtype=np.int64)
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    unit = vecs / np.where(norms > 0, norms, 1.0)
    return cluster_similarity(unit @ unit.T, threshold, method=method)


def tfidf_similarity(texts: Sequence[str]) -> np.ndarray:
    """Cosine of TF-IDF vectors (words and word pairs seen in two or more texts).

    Names, places and numbers tell two events of one topic apart better than a sentence
    embedding does. The IDF comes from ``texts`` themselves (no labels), as a store would take
    it from the articles it holds.
    """
    if len(texts) < 2:
        return np.ones((len(texts), len(texts)))
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(sublinear_tf=True, stop_words="english", ngram_range=(1, 2), min_df=2)
    try:
        x = vec.fit_transform(list(texts))
    except ValueError:  # no term occurs twice: nothing lexical to compare
        return np.eye(len(texts))
    return np.asarray((x @ x.T).toarray(), dtype=np.float64)


def story_similarity(
    vectors: np.ndarray, texts: Sequence[str] | None = None, *, embedding_weight: float = 1.0
) -> np.ndarray:
    """``w * cosine(article vectors) + (1 - w) * TF-IDF cosine(texts)`` for story clustering."""
    vecs = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    unit = vecs / np.where(norms > 0, norms, 1.0)
    sim = unit @ unit.T
    if embedding_weight >= 1.0 or texts is None:
        return sim
    return embedding_weight * sim + (1.0 - embedding_weight) * tfidf_similarity(texts)


def bcubed(pred: Sequence[object], gold: Sequence[object]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 (Bagga & Baldwin): per-item overlap, averaged."""
    if len(pred) != len(gold):
        raise ValueError(f"pred has {len(pred)} labels but gold has {len(gold)}; pass one per item")
    if not len(pred):
        return 0.0, 0.0, 0.0
    both = Counter(zip(pred, gold, strict=True))
    p_size, g_size = Counter(pred), Counter(gold)
    precision = sum(both[(p, g)] / p_size[p] for p, g in zip(pred, gold, strict=True)) / len(pred)
    recall = sum(both[(p, g)] / g_size[g] for p, g in zip(pred, gold, strict=True)) / len(pred)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def bcubed_f1(pred: Sequence[object], gold: Sequence[object]) -> float:
    """B-cubed F1 of a predicted clustering against the gold one (label values are arbitrary)."""
    return bcubed(pred, gold)[2]


def ari(pred: Sequence[object], gold: Sequence[object]) -> float:
    """Adjusted Rand index (1 = identical partitions, about 0 = chance)."""
    from sklearn.metrics import adjusted_rand_score

    return float(adjusted_rand_score([str(g) for g in gold], [str(p) for p in pred]))
