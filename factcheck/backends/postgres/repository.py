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
from factcheck.backends.sqlite.writes import SqliteTransaction, dumps, insert_article_row
from factcheck.errors import StoreError
from factcheck.records import NewArticle, NewMatch, StoredAnalysis
from factcheck.types import SEVERITY_RANK


class PostgresTransaction(SqliteTransaction):
    """The ``WriteTransaction`` of one PostgreSQL write (the story primitives are shared SQL)."""

    conn: Compat  # type: ignore[assignment]

    def insert_article(self, new: NewArticle) -> list[int]:
        conn = self.conn
        created = insert_article_row(conn, new)
        spans = list(new.sentence_spans)
        rows = conn.execute(
            'INSERT INTO sentences(article_id, idx, start, "end", text, record) '
            "SELECT ?, * FROM unnest(?::int[], ?::int[], ?::int[], ?::text[], ?::text[]) "
            "RETURNING idx, id",
            (
                new.id,
                [s[0] for s in spans],
                [s[1] for s in spans],
                [s[2] for s in spans],
                [s[3] for s in spans],
                [dumps(r) for r in new.sentences],
            ),
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
        _insert_matches_and_conflicts(conn, new, created)
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


def _insert_matches_and_conflicts(conn: Compat, new: NewArticle, created: str) -> None:
    """The article's matches (each sentence pair once, the first record kept, a pair stored
    before left as it is) and conflicts, in three statements whatever their number: a POST
    with a hundred matches costs three round trips, not four hundred."""
    pairs = [*new.matches, *(c.match for c in new.conflicts)]
    if not pairs:
        return
    wanted = sorted(
        {(m.a_article, m.a_index) for m in pairs} | {(m.b_article, m.b_index) for m in pairs}
    )
    sentence = {
        (str(r[0]), int(r[1])): int(r[2])
        for r in conn.execute(
            "SELECT s.article_id, s.idx, s.id FROM sentences s JOIN unnest(?::text[], ?::int[]) "
            "AS w(a, i) ON s.article_id = w.a AND s.idx = w.i",
            ([w[0] for w in wanted], [w[1] for w in wanted]),
        )
    }
    for article, index in wanted:
        if (article, index) not in sentence:
            raise StoreError(
                f"a match names sentence {index} of article {article}, which is not stored; "
                "this is a bug in the caller, please report it",
                detail={"article": article, "index": index},
            )

    def key(m: NewMatch) -> tuple[int, int]:
        return sentence[(m.a_article, m.a_index)], sentence[(m.b_article, m.b_index)]

    first: dict[tuple[int, int], NewMatch] = {}
    for m in pairs:
        first.setdefault(key(m), m)
    rows = list(first.items())
    conn.execute(
        "INSERT INTO matches(a_sentence, b_sentence, a_article, b_article, a_source, b_source, "
        "score, relation, record, created_at) SELECT a, b, aa, ba, asrc, bsrc, sc, rel, rec, ? "
        "FROM unnest(?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], "
        "?::float8[], ?::text[], ?::text[]) WITH ORDINALITY "
        "AS t(a, b, aa, ba, asrc, bsrc, sc, rel, rec, ord) ORDER BY ord "
        "ON CONFLICT (a_sentence, b_sentence) DO NOTHING",
        (
            created,
            [k[0] for k, _ in rows],
            [k[1] for k, _ in rows],
            [m.a_article for _, m in rows],
            [m.b_article for _, m in rows],
            [m.a_source for _, m in rows],
            [m.b_source for _, m in rows],
            [float(m.score) for _, m in rows],
            [m.relation for _, m in rows],
            [dumps(m.record) for _, m in rows],
        ),
    )
    if not new.conflicts:
        return
    match_id = {
        (int(r[0]), int(r[1])): int(r[2])
        for r in conn.execute(
            "SELECT x.a_sentence, x.b_sentence, x.id FROM matches x JOIN "
            "unnest(?::bigint[], ?::bigint[]) AS w(a, b) ON x.a_sentence = w.a "
            "AND x.b_sentence = w.b",
            ([k[0] for k, _ in rows], [k[1] for k, _ in rows]),
        )
    }
    cs = [(c, key(c.match)) for c in new.conflicts]
    conn.execute(
        "INSERT INTO conflicts(match_id, type, severity, severity_rank, explanation, a_spans, "
        "b_spans, a_sentence, b_sentence, a_article, b_article, a_source, b_source, record, "
        "created_at) SELECT mid, ty, sev, rnk, ex, asp, bsp, a, b, aa, ba, asrc, bsrc, rec, ? "
        "FROM unnest(?::bigint[], ?::text[], ?::text[], ?::int[], ?::text[], ?::text[], "
        "?::text[], ?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], "
        "?::text[]) WITH ORDINALITY "
        "AS t(mid, ty, sev, rnk, ex, asp, bsp, a, b, aa, ba, asrc, bsrc, rec, ord) ORDER BY ord",
        (
            created,
            [match_id[k] for _, k in cs],
            [c.type for c, _ in cs],
            [c.severity for c, _ in cs],
            [SEVERITY_RANK.get(c.severity, 0) for c, _ in cs],
            [c.explanation for c, _ in cs],
            [dumps(c.a_spans) for c, _ in cs],
            [dumps(c.b_spans) for c, _ in cs],
            [k[0] for _, k in cs],
            [k[1] for _, k in cs],
            [c.match.a_article for c, _ in cs],
            [c.match.b_article for c, _ in cs],
            [c.match.a_source for c, _ in cs],
            [c.match.b_source for c, _ in cs],
            [dumps(c.record) for c, _ in cs],
        ),
    )


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
            rows = (
                self.db.conn()
                .execute(
                    "SELECT id, vector FROM views WHERE id > ? ORDER BY id LIMIT ?", (last, batch)
                )
                .fetchall()
            )
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
