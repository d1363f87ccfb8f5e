"""The SQLite ``WriteTransaction``: the rows one ingest or delete writes, inside one transaction.

It stores and reads back; it never decides. Which articles form a story is the core's rule
(``factcheck.stories``), run over these primitives.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Collection
from typing import Any

import numpy as np

from factcheck.errors import NotFoundError, StoreError
from factcheck.records import NewArticle, NewMatch, now
from factcheck.types import SEVERITY_RANK


def dumps(value: object) -> str:
    """Compact JSON as stored in the record columns."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class SqliteTransaction:
    """Writes over one connection that is inside ``BEGIN IMMEDIATE`` (``Database.write``)."""

    def __init__(self, conn: sqlite3.Connection, vector_dtype: np.dtype[Any]) -> None:
        self.conn = conn
        self.vector_dtype = vector_dtype

    def has_article(self, article_id: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,))
        return row.fetchone() is not None

    def generation(self) -> int:
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return 0 if row is None else int(row[0])

    # --- one ingest -----------------------------------------------------------------------

    def insert_article(self, new: NewArticle) -> list[int]:
        conn = self.conn
        created = insert_article_row(conn, new)
        sentence_ids = insert_sentences(conn, new)
        vectors = np.ascontiguousarray(new.vectors, dtype=np.float32)
        view_ids: list[int] = []
        for position, (sent_index, vector) in enumerate(
            zip(new.view_sentence.tolist(), vectors, strict=True)
        ):
            cur = conn.execute(
                "INSERT INTO views(article_id, sentence_id, position, vector) VALUES (?, ?, ?, ?)",
                (
                    new.id,
                    sentence_ids[int(sent_index)],
                    position,
                    vector.astype(self.vector_dtype).tobytes(),
                ),
            )
            view_ids.append(int(cur.lastrowid or 0))
        match_ids: dict[tuple[int, int], int] = {}
        for match in new.matches:
            _insert_match(conn, match, created, match_ids)
        for conflict in new.conflicts:
            match_id = _insert_match(conn, conflict.match, created, match_ids)
            a_sent, b_sent = _sentence_pair(conn, conflict.match)
            conn.execute(
                "INSERT INTO conflicts(match_id, type, severity, severity_rank, explanation, "
                "a_spans, b_spans, a_sentence, b_sentence, a_article, b_article, a_source, "
                "b_source, record, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    match_id,
                    conflict.type,
                    conflict.severity,
                    SEVERITY_RANK.get(conflict.severity, 0),
                    conflict.explanation,
                    dumps(conflict.a_spans),
                    dumps(conflict.b_spans),
                    a_sent,
                    b_sent,
                    conflict.match.a_article,
                    conflict.match.b_article,
                    conflict.match.a_source,
                    conflict.match.b_source,
                    dumps(conflict.record),
                    created,
                ),
            )
        conn.executemany(
            "INSERT OR IGNORE INTO story_links(article_id, linked_to) VALUES (?, ?)",
            [(new.id, other) for other in sorted(set(new.links)) if other != new.id],
        )
        for dup in new.duplicates:
            conn.execute(
                "INSERT OR REPLACE INTO duplicates(article_id, duplicate_of, score, "
                "shared_sentences, record) VALUES (?, ?, ?, ?, ?)",
                (new.id, dup.duplicate_of, dup.score, dup.shared_sentences, dumps(dup.record)),
            )
        return view_ids

    def delete_article(self, article_id: str) -> tuple[list[int], str | None]:
        conn = self.conn
        if not self.has_article(article_id):
            raise NotFoundError(
                f"no article with id {article_id!r}; list stored ids with GET /articles",
                detail={"id": article_id},
            )
        row = conn.execute(
            "SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)
        ).fetchone()
        view_ids = [
            int(r[0])
            for r in conn.execute("SELECT id FROM views WHERE article_id = ?", (article_id,))
        ]
        conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))
        return view_ids, None if row is None else str(row[0])

    # --- stories --------------------------------------------------------------------------

    def neighbours(self, article_id: str) -> set[str]:
        rows = self.conn.execute(
            "SELECT linked_to FROM story_links WHERE article_id = ? "
            "UNION SELECT article_id FROM story_links WHERE linked_to = ? "
            "UNION SELECT duplicate_of FROM duplicates WHERE article_id = ? "
            "UNION SELECT article_id FROM duplicates WHERE duplicate_of = ?",
            (article_id,) * 4,
        )
        return {str(r[0]) for r in rows} - {article_id}

    def stories_of(self, article_ids: Collection[str]) -> list[str]:
        ids = sorted(article_ids)
        if not ids:
            return []
        rows = self.conn.execute(
            "SELECT s.id FROM stories s JOIN story_articles m ON m.story_id = s.id "
            f"WHERE m.article_id IN ({','.join('?' * len(ids))}) "
            "GROUP BY s.id ORDER BY s.created_at, s.id",
            ids,
        )
        return [str(r[0]) for r in rows]

    def story_members(self, story_id: str) -> list[str]:
        rows = self.conn.execute(
            "SELECT a.id FROM story_articles m JOIN articles a ON a.id = m.article_id "
            "WHERE m.story_id = ? ORDER BY a.created_at, a.id",
            (story_id,),
        )
        return [str(r[0]) for r in rows]

    def new_story(self) -> str:
        story_id = "s_" + uuid.uuid4().hex[:16]
        self.conn.execute("INSERT INTO stories(id, created_at) VALUES (?, ?)", (story_id, now()))
        return story_id

    def assign_story(self, story_id: str, article_ids: Collection[str]) -> None:
        self.conn.executemany(
            "INSERT INTO story_articles(story_id, article_id) VALUES (?, ?) "
            "ON CONFLICT(article_id) DO UPDATE SET story_id = excluded.story_id",
            [(story_id, a) for a in article_ids],
        )

    def drop_story(self, story_id: str) -> None:
        self.conn.execute("DELETE FROM stories WHERE id = ?", (story_id,))


def insert_sentences(conn: sqlite3.Connection, new: NewArticle) -> dict[int, int]:
    """Store the article's sentences; return sentence index -> row id."""
    ids: dict[int, int] = {}
    for (index, start, end, text), record in zip(new.sentence_spans, new.sentences, strict=True):
        cur = conn.execute(
            'INSERT INTO sentences(article_id, idx, start, "end", text, record) '
            "VALUES (?, ?, ?, ?, ?, ?)",
            (new.id, index, start, end, text, dumps(record)),
        )
        ids[index] = int(cur.lastrowid or 0)
    return ids


def _sentence_pair(conn: sqlite3.Connection, match: NewMatch) -> tuple[int, int]:
    ids = []
    for article, index in ((match.a_article, match.a_index), (match.b_article, match.b_index)):
        row = conn.execute(
            "SELECT id FROM sentences WHERE article_id = ? AND idx = ?", (article, index)
        ).fetchone()
        if row is None:
            raise StoreError(
                f"a match names sentence {index} of article {article}, which is not stored; "
                "this is a bug in the caller, please report it",
                detail={"article": article, "index": index},
            )
        ids.append(int(row[0]))
    return ids[0], ids[1]


def _insert_match(
    conn: sqlite3.Connection, match: NewMatch, created: str, seen: dict[tuple[int, int], int]
) -> int:
    key = _sentence_pair(conn, match)
    if key in seen:
        return seen[key]
    conn.execute(
        "INSERT INTO matches(a_sentence, b_sentence, a_article, b_article, a_source, b_source, "
        "score, relation, record, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(a_sentence, b_sentence) DO NOTHING",
        (
            key[0],
            key[1],
            match.a_article,
            match.b_article,
            match.a_source,
            match.b_source,
            match.score,
            match.relation,
            dumps(match.record),
            created,
        ),
    )
    row = conn.execute(
        "SELECT id FROM matches WHERE a_sentence = ? AND b_sentence = ?", key
    ).fetchone()
    seen[key] = int(row[0])
    return seen[key]


def insert_article_row(conn: Any, new: NewArticle) -> str:
    """The article's own row (both SQL backends); returns its ``created_at`` stamp."""
    created = now()
    conn.execute(
        "INSERT INTO articles(id, source, title, url, published, origin, text, removed, "
        "analysed, record, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            new.id,
            new.source,
            new.title,
            new.url,
            new.published,
            new.origin,
            new.text,
            dumps(list(new.removed)),
            dumps(new.analysed),
            dumps(new.record),
            created,
        ),
    )
    return created
