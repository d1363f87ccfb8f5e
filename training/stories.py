"""Story clustering of ECB+ documents: article vectors, embedding / TF-IDF weights, linkage."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from factcheck import clustering
from training import datasets as ds
from training.embeddings import EMBED_DIM, encode


def story_vectors(
    docs: Sequence[ds.EcbDocument], kind: str, *, cache_dir: Path | None = None
) -> np.ndarray:
    """One vector per document: ``mean`` of all sentence vectors, ``lead5`` (first 5 sentences),
    or ``doc`` (the whole text in one pass; the model reads only its first 256 word pieces)."""
    if kind == "doc":
        return encode([d.text for d in docs], cache_dir=cache_dir)
    limit = 5 if kind == "lead5" else None
    sents = [[s.text for s in d.sentences[:limit]] for d in docs]
    flat = encode([t for ss in sents for t in ss], cache_dir=cache_dir)
    out, i = [], 0
    for ss in sents:
        out.append(clustering.article_vector(flat[i : i + len(ss)]))
        i += len(ss)
    return np.stack(out) if out else np.zeros((0, EMBED_DIM), dtype=np.float32)


STORY_WEIGHTS = (0.0, 0.2, 0.3, 0.5, 0.7, 1.0)
STORY_LINKAGES = ("average", "complete")


def story_labels(
    docs: Sequence[ds.EcbDocument], story: dict[str, Any], *, cache_dir: Path | None = None
) -> np.ndarray:
    """Cluster documents with calibrated story settings (``story`` block of the calibration)."""
    vecs = story_vectors(docs, str(story.get("vector", "mean")), cache_dir=cache_dir)
    sim = clustering.story_similarity(
        vecs, [d.text for d in docs], embedding_weight=float(story.get("embedding_weight", 1.0))
    )
    return clustering.cluster_similarity(
        sim, float(story["threshold"]), method=str(story.get("linkage", "average"))
    )


def _best_cut(sim: np.ndarray, gold: list[str], linkage: str) -> tuple[float, float]:
    best = (0.5, -1.0)
    for t in np.round(np.arange(0.05, 0.96, 0.01), 2):
        labels = clustering.cluster_similarity(sim, float(t), method=linkage)
        f1 = clustering.bcubed_f1(list(labels), gold)
        if f1 > best[1]:
            best = (float(t), f1)
    return best
