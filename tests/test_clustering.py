"""Story clustering and the clustering scores, checked against hand-computed values."""

from __future__ import annotations

import numpy as np
import pytest

from factcheck import clustering


def unit(*rows: list[float]) -> np.ndarray:
    arr = np.array(rows, dtype=np.float32)
    return arr / np.linalg.norm(arr, axis=1, keepdims=True)


def test_bcubed_hand_computed() -> None:
    # items 0,1,2 predicted together; gold splits {0,1} | {2,3}
    # P = (2/3 + 2/3 + 1/3 + 1) / 4 = 2/3, R = (1 + 1 + 1/2 + 1/2) / 4 = 3/4, F = 12/17
    p, r, f = clustering.bcubed([1, 1, 1, 2], ["a", "a", "b", "b"])
    assert p == pytest.approx(2 / 3) and r == pytest.approx(3 / 4) and f == pytest.approx(12 / 17)


def test_bcubed_singletons_and_perfect() -> None:
    # all singletons: P = 1, R = (1/2 + 1/2 + 1) / 3 = 2/3, F = 0.8
    assert clustering.bcubed_f1([0, 1, 2], ["x", "x", "y"]) == pytest.approx(0.8)
    assert clustering.bcubed_f1([5, 5, 9], ["x", "x", "y"]) == pytest.approx(1.0)  # names arbitrary


def test_bcubed_length_mismatch() -> None:
    with pytest.raises(ValueError, match="one per item"):
        clustering.bcubed([0], [0, 1])


def test_ari() -> None:
    assert clustering.ari([1, 1, 2, 2], ["a", "a", "b", "b"]) == pytest.approx(1.0)
    assert clustering.ari([0, 0, 0, 0], ["a", "a", "b", "b"]) == pytest.approx(0.0)


def test_article_vector_is_unit_mean_of_unit_rows() -> None:
    vec = clustering.article_vector(np.array([[3.0, 0.0], [0.0, 0.5]]))
    assert vec == pytest.approx(np.array([1, 1]) / np.sqrt(2), abs=1e-6)
    assert clustering.article_vector(np.zeros((0, 4))).shape == (4,)


def test_cluster_two_groups_and_threshold_edges() -> None:
    vecs = unit([1, 0.05, 0], [1, -0.05, 0], [0, 1, 0.05], [0, 1, -0.05])
    labels = clustering.cluster(vecs, 0.9)
    assert list(labels) == [0, 0, 1, 1]
    assert len(set(clustering.cluster(vecs, 0.9999))) == 4  # too strict: all apart
    assert set(clustering.cluster(vecs, -1.0)) == {0}  # anything goes: one story
    pair = unit([1, 0], [0.8, 0.6])  # cosine exactly 0.8
    assert list(clustering.cluster(pair, 0.8)) == [0, 0]
    assert list(clustering.cluster(pair, 0.81)) == [0, 1]


def test_linkages_differ_on_a_chain() -> None:
    # a chain a-b-c where a and c are far apart: single linkage joins it, complete does not
    sim = np.array([[1.0, 0.8, 0.1], [0.8, 1.0, 0.8], [0.1, 0.8, 1.0]])
    assert set(clustering.cluster_similarity(sim, 0.7, method="single")) == {0}
    assert len(set(clustering.cluster_similarity(sim, 0.7, method="complete"))) == 2
    with pytest.raises(ValueError, match="unknown linkage"):
        clustering.cluster_similarity(sim, 0.7, method="ward")


def test_cluster_small_inputs() -> None:
    assert list(clustering.cluster(np.zeros((0, 3)), 0.5)) == []
    assert list(clustering.cluster(unit([1, 2, 3]), 0.5)) == [0]


def test_story_similarity_mixes_tfidf() -> None:
    texts = [
        "Fire destroys Riverton warehouse on Friday",
        "Riverton warehouse fire on Friday destroys stock",
        "Lakeside school gym damaged on Sunday",
    ]
    vecs = unit([1, 0], [1, 0], [1, 0])  # embeddings alone cannot tell them apart
    emb_only = clustering.story_similarity(vecs)
    mixed = clustering.story_similarity(vecs, texts, embedding_weight=0.5)
    assert emb_only[0, 2] == pytest.approx(1.0)
    assert mixed[0, 1] > mixed[0, 2]
    assert mixed[0, 0] == pytest.approx(1.0)
