"""SQLite reads of single articles: what the pipeline needs back, and an article's stored view."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np

from factcheck.backends.sqlite.db import Database
from factcheck.errors import NotFoundError
from factcheck.records import Page, StoredAnalysis, page_bounds


class ArticleReads:
    """Reads of articles and their vectors (a mixin of ``SqliteRepository``, over ``db``), and
    the meta rows (the generation) both SQL backends keep alike."""

    db: Database

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
        """High-water mark: bumped by every committed write, saved with the index file."""
        value = self.meta("generation")
        return 0 if value is None else int(value)

    def has_article(self, article_id: str) -> bool:
        row = self.db.conn().execute("SELECT 1 FROM articles WHERE id = ?", (article_id,))
        return row.fetchone() is not None

    def view_articles(self, view_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
        """view id -> (article id, source) for the ids that are still stored."""
        ids = sorted({int(v) for v in view_ids})
        out: dict[int, tuple[str, str]] = {}
        conn = self.db.conn()
        for chunk in chunks(ids, 500):
            rows = conn.execute(
                "SELECT v.id, v.article_id, a.source FROM views v JOIN articles a "
                f"ON a.id = v.article_id WHERE v.id IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            out.update({int(r[0]): (str(r[1]), str(r[2])) for r in rows})
        return out

    def analyses(self, article_ids: Sequence[str]) -> list[StoredAnalysis]:
        """The analysed records and view vectors of stored articles (unknown ids skipped)."""
        out: list[StoredAnalysis] = []
        with self.db.read() as conn:
            for article_id in article_ids:
                row = conn.execute(
                    "SELECT source, analysed FROM articles WHERE id = ?", (article_id,)
                ).fetchone()
                if row is None:
                    continue
                views = conn.execute(
                    "SELECT s.idx, v.vector FROM views v JOIN sentences s ON s.id = v.sentence_id "
                    "WHERE v.article_id = ? ORDER BY v.position",
                    (article_id,),
                ).fetchall()
                out.append(
                    StoredAnalysis(
                        article_id=article_id,
                        source=str(row[0]),
                        analysed=json.loads(row[1]),
                        view_sentence=np.array([int(v[0]) for v in views], dtype=np.int32),
                        vectors=_vectors([v[1] for v in views], self.db.vector_dtype),
                    )
                )
        return out

    def iter_vectors(self, batch: int = 4096) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """All stored view vectors as (int64 ids, float32 matrix) batches, in id order."""
        conn = self.db.conn()
        last = -1
        while True:
            rows = conn.execute(
                "SELECT id, vector FROM views WHERE id > ? ORDER BY id LIMIT ?", (last, batch)
            ).fetchall()
            if not rows:
                return
            last = int(rows[-1][0])
            yield (
                np.array([int(r[0]) for r in rows], dtype=np.int64),
                _vectors([r[1] for r in rows], self.db.vector_dtype),
            )

    def view_count(self) -> int:
        return int(self.db.conn().execute("SELECT COUNT(*) FROM views").fetchone()[0])

    def counts(self) -> dict[str, int]:
        with self.db.read() as conn:
            return {
                table: int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
                for table in (
                    "articles",
                    "sentences",
                    "views",
                    "matches",
                    "conflicts",
                    "duplicates",
                    "stories",
                )
            }

    def article(self, article_id: str) -> dict[str, Any]:
        """The full stored view of one article (raises NotFoundError)."""
        with self.db.read() as conn:
            row = conn.execute(
                "SELECT a.*, m.story_id FROM articles a LEFT JOIN story_articles m "
                "ON m.article_id = a.id WHERE a.id = ?",
                (article_id,),
            ).fetchone()
            if row is None:
                raise NotFoundError(
                    f"no article with id {article_id!r}; list stored ids with GET /articles",
                    detail={"id": article_id},
                )
            sentences = [
                json.loads(r[0])
                for r in conn.execute(
                    "SELECT record FROM sentences WHERE article_id = ? ORDER BY idx", (article_id,)
                )
            ]
            matches = [
                row_record(r)
                for r in conn.execute(
                    "SELECT created_at, record FROM matches "
                    "WHERE a_article = ? OR b_article = ? ORDER BY id",
                    (article_id, article_id),
                )
            ]
            conflicts = conflict_rows(
                conn, "WHERE (c.a_article = ? OR c.b_article = ?)", [article_id, article_id]
            )
            dup_rows = conn.execute(
                "SELECT article_id, duplicate_of, score, shared_sentences FROM duplicates "
                "WHERE article_id = ? OR duplicate_of = ? ORDER BY score DESC, duplicate_of",
                (article_id, article_id),
            ).fetchall()
        duplicates = [
            {
                "article_id": str(r[0]),
                "duplicate_of": str(r[1]),
                "score": float(r[2]),
                "shared_sentences": int(r[3]),
            }
            for r in dup_rows
        ]
        duplicate_of = next(
            (d["duplicate_of"] for d in duplicates if d["article_id"] == article_id), None
        )
        return {
            **article_summary(row),
            "text": row["text"],
            "removed": json.loads(row["removed"]),
            "removed_reasons": _removed_reasons(row),
            "article": json.loads(row["record"]),
            "sentences": sentences,
            "matches": matches,
            "conflicts": conflicts,
            "duplicate_of": duplicate_of,
            "duplicates": duplicates,
        }

    def articles(
        self,
        *,
        limit: int | None = None,
        offset: int | None = None,
        source: str | None = None,
        story: str | None = None,
    ) -> Page:
        """Article summaries, newest first."""
        lim, off = page_bounds(limit, offset)
        where, params = [], []
        if source is not None:
            where.append("a.source = ?")
            params.append(source)
        if story is not None:
            where.append("m.story_id = ?")
            params.append(story)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        base = "FROM articles a LEFT JOIN story_articles m ON m.article_id = a.id " + clause
        with self.db.read() as conn:
            total = int(conn.execute(f"SELECT COUNT(*) {base}", params).fetchone()[0])
            rows = conn.execute(
                f"SELECT a.*, m.story_id {base} ORDER BY a.created_at DESC, a.rowid DESC "
                "LIMIT ? OFFSET ?",
                [*params, lim, off],
            ).fetchall()
            items = [summary_with_counts(conn, r) for r in rows]
        return Page(items, total, lim, off)


def article_summary(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "source": row["source"],
        "title": row["title"],
        "url": row["url"],
        "published": row["published"],
        "origin": row["origin"],
        "created_at": row["created_at"],
        "story_id": row["story_id"],
    }


def row_record(row: sqlite3.Row) -> dict[str, Any]:
    """A stored report-schema record plus when it was stored."""
    record = json.loads(row["record"])
    out = dict(record) if isinstance(record, dict) else {"record": record}
    out["created_at"] = row["created_at"]
    return out


def _vectors(blobs: Sequence[bytes], dtype: np.dtype[Any]) -> np.ndarray:
    if not blobs:
        return np.zeros((0, 0), dtype=np.float32)
    return np.stack([np.frombuffer(b, dtype=dtype) for b in blobs]).astype(np.float32)


def chunks(items: Sequence[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def _removed_reasons(row: sqlite3.Row) -> list[dict[str, str]]:
    """Each paragraph cleaning removed, with the rule that removed it (from the stored
    analysis; stores written before rules were kept say "unrecorded")."""
    removed = json.loads(row["removed"])
    try:
        reasons = json.loads(row["analysed"]).get("article", {}).get("removal_reasons") or []
    except (ValueError, AttributeError):
        reasons = []
    return [
        {"reason": str(reasons[i]) if i < len(reasons) else "unrecorded", "text": str(text)}
        for i, text in enumerate(removed)
    ]


def conflict_rows(
    conn: sqlite3.Connection,
    where: str,
    params: Sequence[object],
    tail: str = "ORDER BY c.created_at, c.id",
    rowids: list[int] | None = None,
) -> list[dict[str, Any]]:
    """Conflict records with their story and both articles; ``rowids`` (if given) gets
    each row's ``conflicts.id``, in the same order."""
    rows = conn.execute(
        "SELECT c.id AS cid, c.record, c.created_at, m.story_id, "
        "a.id AS a_id, a.source AS a_source, a.title AS a_title, a.url AS a_url, "
        "a.published AS a_published, "
        "b.id AS b_id, b.source AS b_source, b.title AS b_title, b.url AS b_url, "
        "b.published AS b_published "
        "FROM conflicts c LEFT JOIN story_articles m ON m.article_id = c.a_article "
        "JOIN articles a ON a.id = c.a_article JOIN articles b ON b.id = c.b_article "
        f"{where} {tail}",
        list(params),
    )
    out = []
    for r in rows:
        if rowids is not None:
            rowids.append(int(r["cid"]))
        item = row_record(r)
        item["story_id"] = r["story_id"]
        for side in ("a", "b"):
            item[f"{side}_article"] = {
                key: r[f"{side}_{key}"] for key in ("id", "source", "title", "url", "published")
            }
        out.append(item)
    return out


def summary_with_counts(conn: sqlite3.Connection, row: sqlite3.Row) -> dict[str, Any]:
    article_id = row["id"]
    n_sent = conn.execute("SELECT COUNT(*) FROM sentences WHERE article_id = ?", (article_id,))
    n_conf = conn.execute(
        "SELECT COUNT(*) FROM conflicts WHERE a_article = ? OR b_article = ?",
        (article_id, article_id),
    )
    dup = conn.execute(
        "SELECT duplicate_of FROM duplicates WHERE article_id = ? "
        "ORDER BY score DESC, duplicate_of LIMIT 1",
        (article_id,),
    ).fetchone()
    return {
        **article_summary(row),
        "n_sentences": int(n_sent.fetchone()[0]),
        "n_conflicts": int(n_conf.fetchone()[0]),
        "duplicate_of": None if dup is None else str(dup[0]),
    }
