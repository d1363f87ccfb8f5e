"""FAISS vector index over sentence embeddings: exact while small, IVF-SQ8 when large.

Up to ``exact_limit`` vectors the index is exact (``IndexIDMap2`` over ``IndexFlatIP``): results
equal brute force. Past it, the index switches itself to ``IndexIVFScalarQuantizer`` (8-bit codes,
~0.45 KB per 384-d vector instead of 1.6 KB) with a hash-table direct map, because that kind
supports ``remove_ids`` and ``reconstruct`` by id while HNSW does not. ``nprobe`` is tuned at build
time for a target recall@10 against brute force on a sample of the stored vectors.

The index is a cache, not the source of truth: ``VectorIndex.build(ids, vectors)`` rebuilds it
from whatever the caller stores (the SQLite store), and a missing or corrupt file raises
``StoreError`` so the caller can do exactly that.

The file format is in ``fileformat``.
"""

from __future__ import annotations

import json
import os
import struct
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from factcheck.backends.faiss.fileformat import (
    FORMAT_VERSION,
    IndexSnapshot,
    check_payload,
    read_header,
    write_snapshot,
)
from factcheck.backends.faiss.ivf import (
    ADD_CHUNK,
    SEED,
    faiss_module,
    metric_code,
    train_ivf,
    tune_nprobe,
)
from factcheck.config import DEFAULT_EXACT_INDEX_LIMIT
from factcheck.errors import NotFoundError, StoreError

KIND_FLAT = "flat"
KIND_IVF_SQ8 = "ivf_sq8"
METRICS = ("ip", "l2")

DEFAULT_CHUNK_SIZE = 4096  # queries per FAISS call: bounds the (chunk, k) result buffers
DEFAULT_TARGET_RECALL = 0.97  # recall@10 that nprobe tuning aims for (the spec asks >= 0.95)


class VectorIndex:
    """Id-addressed nearest-neighbour index; thread-safe (one re-entrant lock per index).

    ``add`` with an id that is already present replaces its vector. Scores are inner products
    for ``metric="ip"`` (cosine for normalised vectors, higher is closer) and squared L2
    distances for ``metric="l2"`` (lower is closer). Shrinking below ``exact_limit`` does not
    switch back to exact search; ``build`` picks the kind from the size.
    """

    def __init__(
        self,
        dim: int,
        *,
        exact_limit: int = DEFAULT_EXACT_INDEX_LIMIT,
        metric: str = "ip",
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        threads: int | None = None,
        target_recall: float = DEFAULT_TARGET_RECALL,
    ) -> None:
        if dim < 1:
            raise ValueError(f"dim must be >= 1, got {dim}")
        if metric not in METRICS:
            raise ValueError(f"metric must be one of {METRICS}, got {metric!r}")
        if exact_limit < 0:
            raise ValueError(f"exact_limit must be >= 0, got {exact_limit}")
        if chunk_size < 1:
            raise ValueError(f"chunk_size must be >= 1, got {chunk_size}")
        faiss = faiss_module()
        if threads is not None:
            faiss.omp_set_num_threads(max(1, threads))  # process-wide, as in FAISS itself
        self.dim = dim
        self.metric = metric
        self.exact_limit = exact_limit
        self.chunk_size = chunk_size
        self.target_recall = target_recall
        self._lock = threading.RLock()
        self._index: Any = faiss.IndexIDMap2(
            faiss.IndexFlat(dim, metric_code(metric))  # IndexFlatIP for "ip"
        )
        self.kind = KIND_FLAT
        self._members: set[int] = set()  # ids of the flat kind (IDMap2 cannot answer cheaply)
        self._trained_size = 0
        self._tuned_recall: float | None = None

    # -- construction ----------------------------------------------------------------------

    @classmethod
    def build(
        cls,
        ids: np.ndarray,
        vectors: np.ndarray,
        *,
        exact_limit: int = DEFAULT_EXACT_INDEX_LIMIT,
        **kwargs: Any,
    ) -> VectorIndex:
        """A new index holding ``(ids, vectors)``; exact or approximate depending on the size."""
        vectors = _as_matrix(vectors)
        index = cls(vectors.shape[1], exact_limit=exact_limit, **kwargs)
        index.add(ids, vectors)
        return index

    # -- mutation --------------------------------------------------------------------------

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add (or replace) vectors under non-negative int64 ids.

        Crossing ``exact_limit`` converts the index to IVF-SQ8, trained on the stored vectors.
        """
        ids, vectors = self._check_pairs(ids, vectors)
        if len(ids) == 0:
            return
        with self._lock:
            if self.kind == KIND_FLAT:
                present = [i for i in ids.tolist() if i in self._members]
                if present:
                    self._remove_locked(np.asarray(present, dtype=np.int64))
                if len(self._members) + len(ids) > self.exact_limit:
                    old_ids, old_vecs = self._flat_contents()
                    self._become_ivf(
                        np.concatenate([old_ids, ids]), np.concatenate([old_vecs, vectors])
                    )
                    return
                self._index.add_with_ids(vectors, ids)
                self._members.update(ids.tolist())
            else:
                self._remove_locked(ids)
                for start in range(0, len(ids), ADD_CHUNK):
                    stop = start + ADD_CHUNK
                    self._index.add_with_ids(vectors[start:stop], ids[start:stop])

    def remove(self, ids: Iterable[int]) -> int:
        """Remove the given ids (unknown ids are ignored); return how many were removed."""
        arr = np.unique(np.fromiter((int(i) for i in ids), dtype=np.int64))
        if len(arr) == 0:
            return 0
        with self._lock:
            return self._remove_locked(arr)

    def _remove_locked(self, ids: np.ndarray) -> int:
        faiss = faiss_module()
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        if self.kind == KIND_FLAT:
            ids = np.asarray([i for i in ids.tolist() if i in self._members], dtype=np.int64)
            if len(ids) == 0:
                return 0  # IDMap2.remove_ids rebuilds its reverse map: skip when pointless
            removed = int(self._index.remove_ids(ids))
            self._members.difference_update(ids.tolist())
            return removed
        # The hash-table direct map removes in O(len(ids)) but only with an IDSelectorArray.
        selector = faiss.IDSelectorArray(len(ids), faiss.swig_ptr(ids))
        return int(self._index.remove_ids(selector))

    # -- queries ---------------------------------------------------------------------------

    def search(
        self, vectors: np.ndarray, k: int, *, chunk_size: int | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` nearest stored vectors of each query: ``(scores, ids)``, each (nq, k).

        Rows are best first; when fewer than ``k`` vectors exist the tail has id -1 and score
        -inf (``ip``) or +inf (``l2``).
        """
        queries = _as_matrix(vectors, self.dim)
        if k < 0:
            raise ValueError(f"k must be >= 0, got {k}")
        nq = len(queries)
        scores = np.empty((nq, k), dtype=np.float32)
        labels = np.empty((nq, k), dtype=np.int64)
        if nq == 0 or k == 0:
            return scores, labels
        step = chunk_size or self.chunk_size
        with self._lock:
            for start in range(0, nq, step):
                d, i = self._index.search(queries[start : start + step], k)
                scores[start : start + step] = d
                labels[start : start + step] = i
        scores[labels < 0] = -np.inf if self.metric == "ip" else np.inf
        return scores, labels

    def range_search(
        self, vectors: np.ndarray, threshold: float, *, chunk_size: int | None = None
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """All stored vectors within ``threshold`` of each query, as ``(scores, ids)`` per query.

        For ``ip`` that is score > threshold, for ``l2`` distance < threshold (FAISS' rule);
        each result is sorted best first.
        """
        queries = _as_matrix(vectors, self.dim)
        out: list[tuple[np.ndarray, np.ndarray]] = []
        step = chunk_size or self.chunk_size
        with self._lock:
            for start in range(0, len(queries), step):
                lims, d, i = self._index.range_search(
                    queries[start : start + step], float(threshold)
                )
                for q in range(len(lims) - 1):
                    s, ids = d[lims[q] : lims[q + 1]], i[lims[q] : lims[q + 1]]
                    order = np.argsort(-s if self.metric == "ip" else s, kind="stable")
                    out.append((s[order].astype(np.float32), ids[order].astype(np.int64)))
        return out

    def get(self, ids: Iterable[int]) -> np.ndarray:
        """The stored vectors of ``ids`` (float32, (n, dim)); approximate for the IVF-SQ8 kind."""
        wanted = [int(i) for i in ids]
        out = np.empty((len(wanted), self.dim), dtype=np.float32)
        with self._lock:
            for row, key in enumerate(wanted):
                try:
                    out[row] = self._index.reconstruct(key)
                except RuntimeError as exc:
                    raise NotFoundError(
                        f"vector id {key} is not in the index; add it first or rebuild the "
                        "index from the store",
                        detail=key,
                    ) from exc
        return out

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, int | np.integer):
            return False
        with self._lock:
            if self.kind == KIND_FLAT:
                return int(key) in self._members
            try:
                self._index.reconstruct(int(key))
            except RuntimeError:
                return False
            return True

    def ids(self) -> np.ndarray:
        """All stored ids (int64); in storage order, not sorted."""
        faiss = faiss_module()
        with self._lock:
            if self.kind == KIND_FLAT:
                return faiss.vector_to_array(self._index.id_map).astype(np.int64, copy=False)
            invlists = self._index.invlists
            parts = []
            for lst in range(self._index.nlist):
                size = invlists.list_size(lst)
                if size:
                    ptr = invlists.get_ids(lst)
                    parts.append(faiss.rev_swig_ptr(ptr, size).copy())
                    invlists.release_ids(lst, ptr)
            return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)

    def __len__(self) -> int:
        return int(self._index.ntotal)

    # -- tuning / introspection ------------------------------------------------------------

    @property
    def nprobe(self) -> int | None:
        """IVF lists visited per query (None for the exact kind); settable to trade speed."""
        return int(self._index.nprobe) if self.kind == KIND_IVF_SQ8 else None

    @nprobe.setter
    def nprobe(self, value: int) -> None:
        if self.kind != KIND_IVF_SQ8:
            raise ValueError("nprobe only applies to the approximate (ivf_sq8) index")
        with self._lock:
            self._index.nprobe = max(1, min(int(value), int(self._index.nlist)))

    def describe(self) -> dict[str, Any]:
        """Kind, size, dim and the parameters that matter for speed/recall."""
        with self._lock:
            params: dict[str, Any] = {"metric": self.metric, "exact_limit": self.exact_limit}
            if self.kind == KIND_IVF_SQ8:
                size = len(self)
                params.update(
                    nlist=int(self._index.nlist),
                    nprobe=int(self._index.nprobe),
                    trained_size=self._trained_size,
                    tuned_recall_at_10=self._tuned_recall,
                    # Lists trained for a much smaller/larger set get unbalanced: rebuild.
                    rebuild_recommended=bool(
                        size > 4 * self._trained_size or 4 * size < self._trained_size
                    ),
                )
            return {"kind": self.kind, "size": len(self), "dim": self.dim, "params": params}

    # -- persistence -----------------------------------------------------------------------

    def save(self, path: str | Path) -> None:
        """Write the index (with its ids) to ``path`` atomically: a temp file, then rename."""
        write_snapshot(path, self.snapshot())

    def snapshot(self) -> IndexSnapshot:
        """The index serialised in memory (held under the lock only for the copy), for
        ``write_snapshot`` to put on disk without blocking searches and adds meanwhile."""
        faiss = faiss_module()
        with self._lock:
            header = json.dumps(
                {
                    "version": FORMAT_VERSION,
                    "kind": self.kind,
                    "dim": self.dim,
                    "metric": self.metric,
                    "exact_limit": self.exact_limit,
                    "chunk_size": self.chunk_size,
                    "target_recall": self.target_recall,
                    "size": len(self),
                    "trained_size": self._trained_size,
                    "tuned_recall": self._tuned_recall,
                }
            ).encode()
            payload = faiss.serialize_index(self._index)
            return IndexSnapshot(header=header, payload=payload, size=len(self))

    @classmethod
    def load(
        cls, path: str | Path, *, exact_limit: int | None = None, threads: int | None = None
    ) -> VectorIndex:
        """Read an index written by ``save``; ``StoreError`` if missing or damaged (rebuild it).

        ``exact_limit`` overrides the saved one (a changed setting applies from the next add).
        """
        faiss = faiss_module()
        path = Path(path)
        if not path.is_file():
            raise StoreError(
                f"no vector index at {path}: build it from the store "
                "(VectorIndex.build(ids, vectors)) and save it there",
                detail=str(path),
            )
        try:
            with open(path, "rb") as fh:
                header, payload_start = read_header(fh)
                size = os.fstat(fh.fileno()).st_size
                payload_len = check_payload(fh, payload_start, size)
                fh.seek(payload_start)
                reader = faiss.PyCallbackIOReader(fh.read)
                raw = faiss.read_index(reader)
                del reader
                if fh.tell() > payload_start + payload_len:
                    raise ValueError("FAISS read past the end of its payload")
            index = cls(
                int(header["dim"]),
                exact_limit=int(header["exact_limit"] if exact_limit is None else exact_limit),
                metric=str(header["metric"]),
                chunk_size=int(header.get("chunk_size", DEFAULT_CHUNK_SIZE)),
                threads=threads,
                target_recall=float(header.get("target_recall", DEFAULT_TARGET_RECALL)),
            )
            index._adopt(raw, header)
        except StoreError:
            raise
        except (OSError, ValueError, KeyError, TypeError, RuntimeError, struct.error) as exc:
            raise StoreError(
                f"the vector index at {path} is corrupt or unreadable ({exc}); delete it and "
                "rebuild it from the store",
                detail=str(path),
            ) from exc
        return index

    def _adopt(self, raw: Any, header: dict[str, Any]) -> None:
        """Install a FAISS index read from disk after checking it matches its header."""
        faiss = faiss_module()
        kind = header["kind"]
        if raw.d != self.dim or raw.ntotal != int(header["size"]):
            raise ValueError("index dimensions or size do not match the file header")
        if kind == KIND_FLAT:
            if not isinstance(raw, faiss.IndexIDMap2):
                raise ValueError(f"expected an IndexIDMap2, found {type(raw).__name__}")
            self._members = set(faiss.vector_to_array(raw.id_map).tolist())
        elif kind == KIND_IVF_SQ8:
            # read_index already returns the concrete class (and owns it: never re-wrap it with
            # downcast_index, the owning proxy would free the index when it goes away).
            if not isinstance(raw, faiss.IndexIVFScalarQuantizer):
                raise ValueError(f"expected an IndexIVFScalarQuantizer, found {type(raw).__name__}")
            if raw.direct_map.type != faiss.DirectMap.Hashtable:
                raw.set_direct_map_type(faiss.DirectMap.Hashtable)
            self._members = set()
        else:
            raise ValueError(f"unknown index kind {kind!r}")
        self._index = raw
        self.kind = kind
        self._trained_size = int(header.get("trained_size") or 0)
        tuned = header.get("tuned_recall")
        self._tuned_recall = float(tuned) if tuned is not None else None

    # -- internals -------------------------------------------------------------------------

    def _check_pairs(self, ids: np.ndarray, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Validate and canonicalise an add() batch; a repeated id keeps its last vector."""
        ids = np.ascontiguousarray(np.asarray(ids).reshape(-1), dtype=np.int64)
        vectors = _as_matrix(vectors, self.dim)
        if len(ids) != len(vectors):
            raise ValueError(f"{len(ids)} ids for {len(vectors)} vectors")
        if len(ids) and ids.min() < 0:
            raise ValueError("ids must be >= 0 (-1 marks 'no result' in search output)")
        if not np.isfinite(vectors).all():
            raise ValueError("vectors contain NaN or infinity")
        uniq, last_rev = np.unique(ids[::-1], return_index=True)
        if len(uniq) != len(ids):
            keep = np.sort(len(ids) - 1 - last_rev)
            ids, vectors = ids[keep], np.ascontiguousarray(vectors[keep])
        return ids, vectors

    def _flat_contents(self) -> tuple[np.ndarray, np.ndarray]:
        faiss = faiss_module()
        ids = faiss.vector_to_array(self._index.id_map).astype(np.int64, copy=False)
        flat = faiss.downcast_index(self._index.index)
        vecs = faiss.vector_to_array(flat.codes).view(np.float32).reshape(-1, self.dim)
        return ids, vecs

    def _become_ivf(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Replace the index by an IVF-SQ8 one trained and tuned on ``vectors``."""
        rng = np.random.default_rng(SEED)
        ivf, quantizer = train_ivf(self.dim, self.metric, ids, vectors, rng)
        self._index = ivf
        self._quantizer = quantizer  # keep the Python wrapper alive alongside the IVF
        self.kind = KIND_IVF_SQ8
        self._members = set()
        self._trained_size = len(ids)
        recall = tune_nprobe(ivf, ids, vectors, self.metric, self.target_recall, rng)
        if recall is not None:
            self._tuned_recall = recall


def _as_matrix(vectors: np.ndarray, dim: int | None = None) -> np.ndarray:
    """A C-contiguous float32 (n, dim) matrix; a single vector becomes one row."""
    arr = np.asarray(vectors, dtype=np.float32)
    if arr.ndim == 1:
        arr = arr.reshape(1, -1)
    if arr.ndim != 2:
        raise ValueError(f"expected a (n, dim) matrix, got shape {arr.shape}")
    if dim is not None and arr.shape[1] != dim:
        raise ValueError(f"expected vectors of dimension {dim}, got {arr.shape[1]}")
    return np.ascontiguousarray(arr)
