"""The PostgreSQL ``ArticleRepository``: every worker's source of truth, vectors included.

Articles, sentences, view vectors (pgvector ``halfvec``), matches, conflicts, duplicates and
stories live in one database, and one ingest is one transaction (``Database.write``: queued
behind an advisory lock shared by all workers). The reads and listings are the SQLite backend's,
run through the dialect layer in ``db.py``, so both backends answer alike; what differs is
written here: identity keys come back with ``RETURNING``, vectors travel as ``halfvec`` and rows
of one kind go in one statement.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from factcheck.backends.postgres.db import Compat, Database
from factcheck.backends.postgres.pool import redacted
from factcheck.backends.postgres.schema import SCHEMA_VERSION
from factcheck.backends.postgres.vectors import as_float32, half
from factcheck.backends.sqlite.listings import Listings
from factcheck.backends.sqlite.reads import ArticleReads
from factcheck.backends.sqlite.writes import SqliteTransaction, _insert_match, _sentence_pair, dumps
from factcheck.records import NewArticle, StoredAnalysis, now
from factcheck.types import SEVERITY_RANK


class PostgresTransaction(SqliteTransaction):
    """The ``WriteTransaction`` of one PostgreSQL write (the story primitives are shared SQL)."""

    conn: Compat  # type: ignore[assignment]

    def insert_article(self, new: NewArticle) -> list[int]:
        conn = self.conn
        created = now()
        conn.execute(
            "INSERT INTO articles(id, source, title, url, published, origin, text, removed, "
            "analysed, record, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (new.id, new.source, new.title, new.url, new.published, new.origin, new.text,
             dumps(list(new.removed)), dumps(new.analysed), dumps(new.record), created),
        )
        spans = list(new.sentence_spans)
        rows = conn.execute(
            'INSERT INTO sentences(article_id, idx, start, "end", text, record) '
            "SELECT ?, * FROM unnest(?::int[], ?::int[], ?::int[], ?::text[], ?::text[]) "
            "RETURNING idx, id",
            (new.id, [s[0] for s in spans], [s[1] for s in spans], [s[2] for s in spans],
             [s[3] for s in spans], [dumps(r) for r in new.sentences]),
        ).fetchall()
        sentence_ids = {int(r[0]): int(r[1]) for r in rows}
        vectors = np.ascontiguousarray(new.vectors, dtype=np.float32)
        sentences = [sentence_ids[int(i)] for i in new.view_sentence.tolist()]
        view_ids: list[int] = []
        if len(sentences):
            rows = conn.execute(
                "INSERT INTO views(article_id, sentence_id, position, vector) "
                "SELECT ?, s, p - 1, v FROM unnest(?::bigint[], ?::halfvec[]) "
                "WITH ORDINALITY AS t(s, v, p) RETURNING position, id",
                (new.id, sentences, [half(v) for v in vectors]),
            ).fetchall()
            view_ids = [int(r[1]) for r in sorted(rows, key=lambda r: int(r[0]))]
            _count_views(conn, len(view_ids))
        match_ids: dict[tuple[int, int], int] = {}
        for match in new.matches:
            _insert_match(conn, match, created, match_ids)  # type: ignore[arg-type]
        for conflict in new.conflicts:
            match_id = _insert_match(conn, conflict.match, created, match_ids)  # type: ignore[arg-type]
            a_sent, b_sent = _sentence_pair(conn, conflict.match)  # type: ignore[arg-type]
            conn.execute(
                "INSERT INTO conflicts(match_id, type, severity, severity_rank, explanation, "
                "a_spans, b_spans, a_sentence, b_sentence, a_article, b_article, a_source, "
                "b_source, record, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (match_id, conflict.type, conflict.severity,
                 SEVERITY_RANK.get(conflict.severity, 0), conflict.explanation,
                 dumps(conflict.a_spans), dumps(conflict.b_spans), a_sent, b_sent,
                 conflict.match.a_article, conflict.match.b_article, conflict.match.a_source,
                 conflict.match.b_source, dumps(conflict.record), created),
            )
        conn.executemany(
            "INSERT INTO story_links(article_id, linked_to) VALUES (?, ?) ON CONFLICT DO NOTHING",
            [(new.id, other) for other in sorted(set(new.links)) if other != new.id],
        )
        for dup in new.duplicates:
            conn.execute(
                "INSERT INTO duplicates(article_id, duplicate_of, score, shared_sentences, record) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (article_id, duplicate_of) DO UPDATE SET "
                "score = excluded.score, shared_sentences = excluded.shared_sentences, "
                "record = excluded.record",
                (new.id, dup.duplicate_of, dup.score, dup.shared_sentences, dumps(dup.record)),
            )
        return view_ids


    def delete_article(self, article_id: str) -> tuple[list[int], str | None]:
        view_ids, story_id = super().delete_article(article_id)
        _count_views(self.conn, -len(view_ids))
        return view_ids, story_id


def _count_views(conn: Compat, delta: int) -> None:
    """Keep ``meta.view_count`` exact (under the write lock), so the vector search knows its
    size without counting a million rows on every ingest."""
    if delta:
        conn.execute(
            "UPDATE meta SET value = (CAST(value AS BIGINT) + ?)::text WHERE key = 'view_count'",
            (delta,),
        )


class PostgresRepository(ArticleReads, Listings):
    """The ``ArticleRepository`` of one PostgreSQL database (``url``), over a psycopg pool."""

    def __init__(self, url: str, pool: Any) -> None:
        self.url = url
        self.db = Database(pool)  # type: ignore[assignment]

    @property
    def vector_dtype(self) -> np.dtype[Any]:
        return self.db.vector_dtype

    @property
    def pool(self) -> Any:
        return self.db.pool  # type: ignore[attr-defined]

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[PostgresTransaction]:
        """One write transaction (writers of every worker queue on one advisory lock)."""
        with self.db.write() as conn:
            yield PostgresTransaction(conn, self.vector_dtype)

    def describe(self) -> dict[str, Any]:
        return {
            "backend": "postgresql",
            "url": redacted(self.url),
            "schema_version": SCHEMA_VERSION,
            "vector_dtype": str(self.vector_dtype),
        }

    # --- meta -----------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        row = self.db.conn().execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self.db.write() as conn:
            conn.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def generation(self) -> int:
        value = self.meta("generation")
        return 0 if value is None else int(value)

    def has_article(self, article_id: str) -> bool:
        row = self.db.conn().execute("SELECT 1 FROM articles WHERE id = ?", (article_id,))
        return row.fetchone() is not None

    # --- vectors come back as halfvec ------------------------------------------------------

    def analyses(self, article_ids: Sequence[str]) -> list[StoredAnalysis]:
        """The analysed records and view vectors of stored articles (unknown ids skipped)."""
        ids = list(dict.fromkeys(article_ids))
        if not ids:
            return []
        with self.db.read() as conn:
            heads = {
                str(r[0]): (str(r[1]), str(r[2]))
                for r in conn.execute(
                    "SELECT id, source, analysed FROM articles WHERE id = ANY(?)", (ids,)
                )
            }
            views: dict[str, list[tuple[int, Any]]] = {}
            for r in conn.execute(
                "SELECT v.article_id, s.idx, v.vector FROM views v "
                "JOIN sentences s ON s.id = v.sentence_id WHERE v.article_id = ANY(?) "
                "ORDER BY v.article_id, v.position",
                (ids,),
            ):
                views.setdefault(str(r[0]), []).append((int(r[1]), r[2]))
        out = []
        for article_id in article_ids:
            if article_id not in heads:
                continue
            rows = views.get(article_id, [])
            out.append(
                StoredAnalysis(
                    article_id=article_id,
                    source=heads[article_id][0],
                    analysed=json.loads(heads[article_id][1]),
                    view_sentence=np.array([i for i, _ in rows], dtype=np.int32),
                    vectors=_matrix([v for _, v in rows]),
                )
            )
        return out

    def iter_vectors(self, batch: int = 4096) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """All stored view vectors as (int64 ids, float32 matrix) batches, in id order."""
        last = -1
        while True:
            rows = self.db.conn().execute(
                "SELECT id, vector FROM views WHERE id > ? ORDER BY id LIMIT ?", (last, batch)
            ).fetchall()
            if not rows:
                return
            last = int(rows[-1][0])
            yield (
                np.array([int(r[0]) for r in rows], dtype=np.int64),
                _matrix([r[1] for r in rows]),
            )


def _matrix(values: Sequence[Any]) -> np.ndarray:
    if not values:
        return np.zeros((0, 0), dtype=np.float32)
    return np.stack([as_float32(v) for v in values])
