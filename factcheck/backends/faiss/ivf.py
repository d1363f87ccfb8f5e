"""Building the approximate FAISS index: IVF lists over 8-bit scalar-quantised codes, trained
on a sample, with ``nprobe`` tuned for a target recall@10 against brute force."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

_TRAIN_PER_LIST = 40  # training points per IVF list (FAISS wants >= 39; cost grows with it)
_MIN_PER_LIST = 39
_TUNE_QUERIES = 256
_TUNE_K = 10
ADD_CHUNK = 65_536
_SQ_RANGE_SLACK = 0.2
_RECALL_PLATEAU = 0.002  # recall@10 gained by doubling nprobe below which tuning stops
SEED = 1234


def faiss_module() -> Any:
    """Import FAISS lazily: it is heavy and only the index needs it."""
    import faiss

    return faiss


def metric_code(metric: str) -> int:
    faiss = faiss_module()
    return int(faiss.METRIC_INNER_PRODUCT if metric == "ip" else faiss.METRIC_L2)


def ivf_nlist(n: int) -> int:
    """Number of IVF lists for ``n`` vectors: ~4*sqrt(n), with >= 39 vectors per list to train."""
    return max(1, min(round(4 * math.sqrt(n)), n // _MIN_PER_LIST))


def train_ivf(
    dim: int, metric: str, ids: np.ndarray, vectors: np.ndarray, rng: np.random.Generator
) -> tuple[Any, Any]:
    """An IVF-SQ8 index (and its quantizer, to keep alive) trained on a sample of ``vectors``
    and holding all of them, with a hash-table direct map (``remove_ids``, ``reconstruct``)."""
    faiss = faiss_module()
    n = len(ids)
    nlist = ivf_nlist(n)
    train_n = min(n, nlist * _TRAIN_PER_LIST)
    sample = vectors[np.sort(rng.choice(n, size=train_n, replace=False))]
    code = metric_code(metric)
    quantizer = faiss.IndexFlat(dim, code)
    ivf = faiss.IndexIVFScalarQuantizer(quantizer, dim, nlist, faiss.ScalarQuantizer.QT_8bit, code)
    # Per-dimension min/max widened by 20% each way, so vectors added after training that
    # fall a little outside the sample's range are not clipped.
    ivf.sq.rangestat = faiss.ScalarQuantizer.RS_minmax
    ivf.sq.rangestat_arg = _SQ_RANGE_SLACK
    ivf.cp.niter = 8  # IVF lists need a rough partition, not converged k-means
    ivf.cp.max_points_per_centroid = _TRAIN_PER_LIST + 1  # we already subsampled
    ivf.cp.spherical = metric == "ip"  # unit-norm centroids for cosine data
    ivf.cp.seed = SEED
    ivf.train(sample)
    ivf.set_direct_map_type(faiss.DirectMap.Hashtable)
    for start in range(0, n, ADD_CHUNK):
        ivf.add_with_ids(vectors[start : start + ADD_CHUNK], ids[start : start + ADD_CHUNK])
    ivf.quantizer_trains_alone = 0
    return ivf, quantizer


def tune_nprobe(
    ivf: Any,
    ids: np.ndarray,
    vectors: np.ndarray,
    metric: str,
    target_recall: float,
    rng: np.random.Generator,
) -> float | None:
    """Set on ``ivf`` the smallest nprobe whose recall@10 on stored vectors (each query itself
    excluded) meets ``target_recall``; stored vectors stand in for new sentences about the same
    stories. Returns the recall reached (None when there are too few vectors to measure)."""
    n = len(vectors)
    k = min(_TUNE_K, n - 1)
    if k < 1:
        return None
    rows = rng.choice(n, size=min(_TUNE_QUERIES, n), replace=False)
    queries = np.ascontiguousarray(vectors[rows])
    truth = ids[_brute_force_rows(vectors, queries, k + 1, metric)]
    wanted = [_top_except(row, ids[r], k) for row, r in zip(truth, rows, strict=True)]
    nlist = int(ivf.nlist)
    nprobe = 1
    prev: tuple[int, float] | None = None
    while True:
        ivf.nprobe = nprobe
        _, found = ivf.search(queries, k + 1)
        hits = sum(
            len(want & _top_except(row, ids[r], k))
            for row, r, want in zip(found, rows, wanted, strict=True)
        )
        recall = hits / (k * len(rows))
        if prev is not None and recall - prev[1] < _RECALL_PLATEAU:
            # Probing more lists no longer helps: the 8-bit codes, not the lists, limit
            # recall here (near-ties), so scanning everything would only cost time.
            nprobe, recall = prev
            ivf.nprobe = nprobe
            break
        if recall >= target_recall or nprobe >= nlist:
            break
        prev = (nprobe, recall)
        nprobe = min(nlist, nprobe * 2)
    return round(recall, 4)


def _top_except(row: np.ndarray, skip: int, k: int) -> set[int]:
    """The first ``k`` ids of a result row other than ``skip`` (and other than padding)."""
    return set([i for i in row.tolist() if i != skip and i >= 0][:k])


def _brute_force_rows(vectors: np.ndarray, queries: np.ndarray, k: int, metric: str) -> np.ndarray:
    """Row numbers of the exact top-k of each query (FAISS' blocked brute force)."""
    faiss = faiss_module()
    _, rows = faiss.knn(queries, vectors, k, metric=metric_code(metric))
    return np.asarray(rows, dtype=np.int64)
