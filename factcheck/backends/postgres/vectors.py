"""Vector search in PostgreSQL: pgvector ``halfvec`` rows under an HNSW index, shared by workers.

Every worker queries the same table, so a vector committed by one worker is found by all the
others at once (no private index file to keep in step). Scores are inner products (the embedder
gives unit vectors, so they are cosines). ``hnsw.ef_search`` (candidates kept per query) is set
on each pooled connection when it changes, so a search is one round trip. By default it grows
with the store (``auto_ef_search``): HNSW recall at a fixed ef_search falls as the graph grows;
measured in ``benchmarks/vector_search.py``, recall@10 was 0.996 at 100k with 40 but 0.949 at
1M with 200 and 0.968 with 400 (README). The views of one article go to the
server as one statement (a LATERAL join over an array of queries).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

import numpy as np

from factcheck.backends.postgres.pool import connection
from factcheck.errors import NotFoundError, StoreError

DEFAULT_EF_SEARCH = 40  # HNSW candidates per query at most 100k vectors (raised to k if larger)
VECTORS_PER_EF = 2_500  # above 100k vectors: one more candidate per this many vectors
MAX_EF_SEARCH = 1_000
SIZE_TTL_S = 10.0  # how long a search trusts the vector count it read
MAX_QUERIES_PER_STATEMENT = 64


def half(vector: np.ndarray) -> Any:
    """A pgvector ``HalfVector`` of one float vector (sent in binary)."""
    from pgvector import HalfVector

    return HalfVector(np.asarray(vector, dtype=np.float16))


def as_float32(value: Any) -> np.ndarray:
    """A halfvec as read back (``HalfVector`` or its text form) as float32."""
    from pgvector import HalfVector

    if isinstance(value, str):
        value = HalfVector.from_text(value)
    return np.asarray(value.to_numpy(), dtype=np.float32)


def auto_ef_search(size: int) -> int:
    """The default ef_search for a store of ``size`` vectors: 40 up to 100k, then size / 2,500
    (400 at 1M), at most 1,000."""
    return max(DEFAULT_EF_SEARCH, min(MAX_EF_SEARCH, int(size) // VECTORS_PER_EF))


def _set_ef_search(conn: Any, ef: int) -> None:
    """``hnsw.ef_search`` for this pooled connection's session, sent only when it changes
    (one round trip per search instead of a transaction around it)."""
    if getattr(conn, "_factcheck_ef_search", None) != ef:
        conn.execute(f"SET hnsw.ef_search = {int(ef)}")
        conn._factcheck_ef_search = ef


class PgVectorSearch:
    """k-nearest search over ``table(id BIGINT, vector halfvec(dim))`` through a psycopg pool.

    ``add`` and ``remove`` write the table directly (benchmarks, tests); in a workspace the
    repository writes the vectors inside the ingest transaction instead.
    """

    def __init__(
        self, pool: Any, dim: int, *, table: str = "views", ef_search: int | None = None
    ) -> None:
        if not table.isidentifier():
            raise ValueError(f"table must be a plain identifier, got {table!r}")
        self.pool = pool
        self._dim = int(dim)
        self.table = table
        self.ef_search = None if ef_search is None else int(ef_search)  # None: auto_ef_search
        self._size: tuple[float, int] = (-SIZE_TTL_S, 0)  # (when read, vector count)

    @property
    def dim(self) -> int:
        return self._dim

    def create_table(self) -> None:
        """A standalone vector table with its HNSW index (benchmarks and tests)."""
        from factcheck.backends.postgres.schema import HNSW_EF_CONSTRUCTION, HNSW_M

        with connection(self.pool) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
            conn.execute(
                f"CREATE TABLE IF NOT EXISTS {self.table} "
                f"(id BIGINT PRIMARY KEY, vector halfvec({self._dim}) NOT NULL)"
            )
            conn.execute(
                f"CREATE INDEX IF NOT EXISTS {self.table}_hnsw ON {self.table} USING hnsw "
                f"(vector halfvec_ip_ops) WITH (m = {HNSW_M}, "
                f"ef_construction = {HNSW_EF_CONSTRUCTION})"
            )

    def __len__(self) -> int:
        """The number of vectors; a workspace's ``views`` keep it in ``meta.view_count`` (kept
        by the write transactions: counting a million rows per ingest would cost ~0.1 s)."""
        with connection(self.pool) as conn:
            if self.table == "views":
                row = conn.execute("SELECT value FROM meta WHERE key = 'view_count'").fetchone()
                if row is not None:
                    return int(row[0])
            return int(conn.execute(f"SELECT COUNT(*) FROM {self.table}").fetchone()[0])

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if self.table == "views":
            raise StoreError(
                "a workspace's vectors are written by the ingest transaction with their "
                "article; use PgVectorSearch(pool, dim, table=...) for a standalone table"
            )
        matrix = self._matrix(vectors)
        keys = np.asarray(ids, dtype=np.int64).reshape(-1)
        if len(keys) != len(matrix):
            raise ValueError(f"{len(keys)} ids for {len(matrix)} vectors")
        with connection(self.pool) as conn, conn.cursor() as cur, cur.copy(
            f"COPY {self.table} (id, vector) FROM STDIN WITH (FORMAT BINARY)"
        ) as copy:
            copy.set_types(["int8", "halfvec"])
            for key, row in zip(keys.tolist(), matrix, strict=True):
                copy.write_row((key, half(row)))

    def remove(self, ids: Iterable[int]) -> int:
        keys = [int(i) for i in ids]
        if not keys:
            return 0
        with connection(self.pool) as conn:
            cur = conn.execute(f"DELETE FROM {self.table} WHERE id = ANY(%s)", (keys,))
            return int(cur.rowcount)

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids), each (len(queries), k), best first; missing hits: id -1, score -inf."""
        matrix = self._matrix(queries)
        if k < 0:
            raise ValueError(f"k must be >= 0, got {k}")
        scores = np.full((len(matrix), k), -np.inf, dtype=np.float32)
        labels = np.full((len(matrix), k), -1, dtype=np.int64)
        if len(matrix) == 0 or k == 0:
            return scores, labels
        ef = max(self.effective_ef_search(), k)
        one = (
            f"SELECT 1 AS ord, id, -(vector <#> %s) AS score FROM {self.table} "
            "ORDER BY vector <#> %s LIMIT %s"
        )
        many = (
            "SELECT q.ord, v.id, v.score FROM unnest(%s::halfvec[]) WITH ORDINALITY AS q(vec, ord) "
            "CROSS JOIN LATERAL (SELECT id, -(vector <#> q.vec) AS score "
            f"FROM {self.table} ORDER BY vector <#> q.vec LIMIT %s) v"
        )
        with connection(self.pool) as conn:
            _set_ef_search(conn, ef)
            for start in range(0, len(matrix), MAX_QUERIES_PER_STATEMENT):
                chunk = matrix[start : start + MAX_QUERIES_PER_STATEMENT]
                if len(chunk) == 1:
                    vec = half(chunk[0])
                    rows = conn.execute(one, (vec, vec, k)).fetchall()
                else:
                    rows = conn.execute(many, ([half(v) for v in chunk], k)).fetchall()
                filled: dict[int, int] = {}
                for ord_, key, score in rows:
                    q = start + int(ord_) - 1
                    col = filled.get(q, 0)
                    if col < k:
                        labels[q, col] = int(key)
                        scores[q, col] = float(score)
                        filled[q] = col + 1
        return scores, labels

    def effective_ef_search(self) -> int:
        """The fixed ef_search, or the automatic one for the vector count (re-read every 10 s)."""
        if self.ef_search is not None:
            return self.ef_search
        when, size = self._size
        if time.monotonic() - when >= SIZE_TTL_S:
            size = len(self)
            self._size = (time.monotonic(), size)
        return auto_ef_search(size)

    def get(self, ids: Iterable[int]) -> np.ndarray:
        wanted = [int(i) for i in ids]
        out = np.empty((len(wanted), self._dim), dtype=np.float32)
        if not wanted:
            return out
        with connection(self.pool) as conn:
            rows = conn.execute(
                f"SELECT id, vector FROM {self.table} WHERE id = ANY(%s)", (wanted,)
            ).fetchall()
        found = {int(r[0]): as_float32(r[1]) for r in rows}
        for row, key in enumerate(wanted):
            if key not in found:
                raise NotFoundError(
                    f"vector id {key} is not stored; it was deleted, or never ingested",
                    detail=key,
                )
            out[row] = found[key]
        return out

    def ids(self) -> np.ndarray:
        with connection(self.pool) as conn:
            rows = conn.execute(f"SELECT id FROM {self.table} ORDER BY id").fetchall()
        return np.array([int(r[0]) for r in rows], dtype=np.int64)

    def describe(self) -> dict[str, Any]:
        from factcheck.backends.postgres.schema import HNSW_EF_CONSTRUCTION, HNSW_M

        return {
            "kind": "pgvector_hnsw",
            "size": len(self),
            "dim": self._dim,
            "params": {
                "metric": "ip",
                "type": f"halfvec({self._dim})",
                "m": HNSW_M,
                "ef_construction": HNSW_EF_CONSTRUCTION,
                "ef_search": self.effective_ef_search(),
                "ef_search_rule": "auto" if self.ef_search is None else "fixed",
            },
        }

    # --- a workspace's vectors live in the repository's transaction ---------------------------

    def committed(self, added: tuple[np.ndarray, np.ndarray] | None, removed: Any) -> None:
        """Nothing to do: the ingest transaction wrote (or deleted) the vectors."""

    def rebuild(self) -> None:
        """Nothing to rebuild: the HNSW index is part of the database."""

    def flush(self) -> None:
        """Nothing to flush: every vector is committed with its article."""

    def close(self) -> None:
        """The pool belongs to the repository, which closes it."""

    def _matrix(self, vectors: np.ndarray) -> np.ndarray:
        matrix = np.asarray(vectors, dtype=np.float32)
        if matrix.ndim == 1:
            matrix = matrix.reshape(1, -1)
        if matrix.ndim != 2 or matrix.shape[1] != self._dim:
            raise ValueError(f"expected vectors of dimension {self._dim}, got shape {matrix.shape}")
        return matrix
