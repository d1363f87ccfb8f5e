"""Fill a store with synthetic older stories before a latency run, on either backend.

Both clone one really ingested article into fillers whose views carry synthetic vectors (raw SQL:
ingesting 100k sentences through the API would take hours): SQLite through ``speed._fill_store``,
PostgreSQL here with set-based SQL, a binary COPY of the vectors, and the HNSW index dropped
during the load and rebuilt after it (as a backfill would).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


def fill(location: str, pipeline: Any, size: int, seed_text: str) -> float:
    """Ingest ``seed_text`` as the template, then add ``size`` filler vectors; return seconds."""
    from speed import FILL_SENTENCES, _fill_store, noisy_vectors, other_topic_sentences

    from factcheck.embed import load_embedder
    from factcheck.types import Article
    from factcheck.workspace import Workspace

    base = load_embedder().encode_uncached(other_topic_sentences(FILL_SENTENCES))
    vectors = noisy_vectors(base, size, seed=3)
    t = time.perf_counter()
    with Workspace(location, pipeline) as ws:
        ws.ingest(Article(id="t", source="seed-wire", text=seed_text))
        if location.startswith("postgresql"):
            _fill_postgres(ws.store, vectors)
        else:
            _fill_store(ws, vectors)
    return time.perf_counter() - t


def _fill_postgres(repository: Any, vectors: np.ndarray) -> None:
    from factcheck.backends.postgres.schema import HNSW_EF_CONSTRUCTION, HNSW_M
    from factcheck.backends.postgres.vectors import half

    with repository.pool.connection() as conn, conn.transaction():
        (template,) = conn.execute("SELECT id FROM articles LIMIT 1").fetchone()
        view_idx = [
            int(r[0])
            for r in conn.execute(
                "SELECT s.idx FROM views v JOIN sentences s ON s.id = v.sentence_id "
                "WHERE v.article_id = %s ORDER BY v.position",
                (template,),
            )
        ]
        per = len(view_idx)
        m = len(vectors) // per
        fillers = "('filler-' || lpad(g::text, 7, '0'))"
        conn.execute("DROP INDEX views_vector_hnsw")
        conn.execute(
            "INSERT INTO articles(id, source, title, url, published, origin, text, removed, "
            f"analysed, record, created_at) SELECT {fillers}, source, title, url, published, "
            "origin, text, removed, analysed, record, created_at FROM articles, "
            "generate_series(0, %s - 1) g WHERE id = %s",
            (m, template),
        )
        conn.execute(
            'INSERT INTO sentences(article_id, idx, start, "end", text, record) '
            f'SELECT {fillers}, idx, start, "end", text, record FROM sentences, '
            "generate_series(0, %s - 1) g WHERE article_id = %s",
            (m, template),
        )
        conn.execute(
            "CREATE TEMP TABLE fill_views (article_id TEXT, idx INT, position INT, "
            "vector halfvec) ON COMMIT DROP"
        )
        with conn.cursor() as cur, cur.copy(
            "COPY fill_views (article_id, idx, position, vector) FROM STDIN WITH (FORMAT BINARY)"
        ) as copy:
            copy.set_types(["text", "int4", "int4", "halfvec"])
            for k in range(m):
                for j, idx in enumerate(view_idx):
                    copy.write_row((f"filler-{k:07d}", idx, j, half(vectors[k * per + j])))
        conn.execute(
            "INSERT INTO views(article_id, sentence_id, position, vector) "
            "SELECT f.article_id, s.id, f.position, f.vector FROM fill_views f "
            "JOIN sentences s ON s.article_id = f.article_id AND s.idx = f.idx"
        )
        conn.execute(
            f"INSERT INTO stories(id, created_at) SELECT {fillers}, '2024-01-01' "
            "FROM generate_series(0, %s - 1) g",
            (m,),
        )
        conn.execute(
            f"INSERT INTO story_articles(story_id, article_id) SELECT {fillers}, {fillers} "
            "FROM generate_series(0, %s - 1) g",
            (m,),
        )
        conn.execute(
            "UPDATE meta SET value = (SELECT COUNT(*) FROM views)::text WHERE key = 'view_count'"
        )
        conn.execute(
            "UPDATE meta SET value = (CAST(value AS BIGINT) + 1)::text WHERE key = 'generation'"
        )
        conn.execute("SET LOCAL maintenance_work_mem = '1GB'")
        conn.execute(
            "CREATE INDEX views_vector_hnsw ON views USING hnsw (vector halfvec_ip_ops) "
            f"WITH (m = {HNSW_M}, ef_construction = {HNSW_EF_CONSTRUCTION})"
        )
    with repository.pool.connection() as conn:
        conn.execute("ANALYZE")
