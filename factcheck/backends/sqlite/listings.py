"""SQLite listings: conflicts (wire-copy repeats folded), stories and their aligned claims."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from factcheck import records
from factcheck.backends.sqlite.db import Database
from factcheck.backends.sqlite.reads import (
    chunks,
    conflict_rows,
    summary_with_counts,
)
from factcheck.errors import NotFoundError
from factcheck.records import ConflictFilter, Page, page_bounds
from factcheck.stories import claim_groups
from factcheck.types import SEVERITY_RANK
from factcheck.wire_copies import (
    ConflictEvidence,
    copy_ref,
    copy_roots,
    count_folded_matches,
    fold_conflicts,
)

# ORDER BY clauses of the conflict listing, by name (``records.CONFLICT_ORDERS``)
CONFLICT_ORDERS: dict[str, str] = {
    "newest": "c.created_at DESC, c.id DESC",
    "severity": "c.severity_rank DESC, c.created_at DESC, c.id DESC",
}


class Listings:
    """Paged listings (a mixin of ``SqliteRepository``, over ``db``)."""

    db: Database

    def conflicts(
        self,
        filters: ConflictFilter | None = None,
        *,
        limit: int | None = None,
        offset: int | None = None,
        order: str = "newest",
    ) -> Page:
        """Conflicts matching ``filters``, newest first; ``order="severity"``: most severe
        first, newest first within a severity."""
        if order not in CONFLICT_ORDERS:
            raise ValueError(f"unknown conflict order {order!r}; use one of {CONFLICT_ORDERS}")
        f = filters or ConflictFilter()
        lim, off = page_bounds(limit, offset)
        where: list[str] = []
        params: list[object] = []
        if f.type is not None:
            where.append("c.type = ?")
            params.append(f.type)
        if f.types:
            where.append(f"c.type IN ({','.join('?' * len(f.types))})")
            params.extend(f.types)
        if f.severity is not None:
            where.append("c.severity = ?")
            params.append(f.severity)
        if f.min_severity is not None:
            where.append("c.severity_rank >= ?")
            params.append(SEVERITY_RANK.get(f.min_severity, 0))
        if f.source is not None:
            where.append("(c.a_source = ? OR c.b_source = ?)")
            params.extend([f.source, f.source])
        if f.article is not None:
            where.append("(c.a_article = ? OR c.b_article = ?)")
            params.extend([f.article, f.article])
        if f.story is not None:
            where.append("m.story_id = ?")
            params.append(f.story)
        if f.since is not None:
            where.append("c.created_at >= ?")
            params.append(f.since)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        with self.db.read() as conn:
            roots = self._copy_roots(conn)
            if not roots:  # no wire copies stored: nothing to fold, page in SQL
                total = int(
                    conn.execute(
                        "SELECT COUNT(*) FROM conflicts c LEFT JOIN story_articles m "
                        f"ON m.article_id = c.a_article {clause}",
                        params,
                    ).fetchone()[0]
                )
                items = conflict_rows(
                    conn,
                    clause,
                    [*params, lim, off],
                    f"ORDER BY {CONFLICT_ORDERS[order]} LIMIT ? OFFSET ?",
                )
                return Page([{**c, "n_copies": 0, "copies": []} for c in items], total, lim, off)
            groups = self._folded_conflicts(conn, clause, params, CONFLICT_ORDERS[order], roots)
            items = self._conflict_groups(conn, [g for _, g in groups[off : off + lim]])
        return Page(items, len(groups), lim, off)

    @staticmethod
    def _copy_roots(conn: sqlite3.Connection) -> dict[str, str]:
        """``wire_copies.copy_roots`` of the stored duplicates."""
        rows = conn.execute(
            "SELECT article_id, duplicate_of FROM duplicates ORDER BY score DESC, duplicate_of"
        )
        return copy_roots((str(r[0]), str(r[1])) for r in rows)

    @staticmethod
    def _folded_conflicts(
        conn: sqlite3.Connection,
        clause: str,
        params: Sequence[object],
        order: str,
        roots: dict[str, str],
    ) -> list[tuple[str, list[int]]]:
        """``wire_copies.fold_conflicts`` of the conflicts ``clause`` selects (over ``c``/``m``),
        listed in ``order``."""
        rows = conn.execute(
            "SELECT c.id, c.type, c.a_article, c.b_article, c.a_spans, c.b_spans, "
            "sa.text, sb.text FROM conflicts c "
            "LEFT JOIN story_articles m ON m.article_id = c.a_article "
            "JOIN sentences sa ON sa.id = c.a_sentence JOIN sentences sb ON sb.id = c.b_sentence "
            f"{clause} ORDER BY {order}",
            list(params),
        )
        evidence = (
            ConflictEvidence(
                rowid=int(r[0]),
                type=str(r[1]),
                a_article=str(r[2]),
                b_article=str(r[3]),
                a_spans=json.loads(r[4]),
                b_spans=json.loads(r[5]),
                a_text=str(r[6]),
                b_text=str(r[7]),
            )
            for r in rows
        )
        return fold_conflicts(evidence, roots)

    def _conflict_groups(
        self, conn: sqlite3.Connection, groups: Sequence[list[int]]
    ) -> list[dict[str, Any]]:
        """Each group (row ids, the shown one first) as its shown conflict with ``n_copies``
        and ``copies``: the repeats through wire copies (id, type, severity, both sides'
        article and sentence), the first ``records.COPIES_LISTED`` of them."""
        wanted = [rowid for g in groups for rowid in g[: 1 + records.COPIES_LISTED]]
        by_rowid: dict[int, dict[str, Any]] = {}
        for chunk in chunks(wanted, 500):
            rowids: list[int] = []
            items = conflict_rows(
                conn, f"WHERE c.id IN ({','.join('?' * len(chunk))})", chunk, rowids=rowids
            )
            by_rowid.update(zip(rowids, items, strict=True))
        out = []
        for g in groups:
            shown = by_rowid[g[0]]
            copies = [copy_ref(by_rowid[r]) for r in g[1 : 1 + records.COPIES_LISTED]]
            out.append({**shown, "n_copies": len(g) - 1, "copies": copies})
        return out

    def stories(self, *, limit: int | None = None, offset: int | None = None) -> Page:
        """Story summaries, most recently updated first."""
        lim, off = page_bounds(limit, offset)
        with self.db.read() as conn:
            total = int(conn.execute("SELECT COUNT(*) FROM stories").fetchone()[0])
            rows = conn.execute(
                "SELECT s.id, MAX(a.created_at) AS last_seen FROM stories s "
                "JOIN story_articles m ON m.story_id = s.id JOIN articles a ON a.id = m.article_id "
                "GROUP BY s.id ORDER BY last_seen DESC, s.id LIMIT ? OFFSET ?",
                (lim, off),
            ).fetchall()
            roots = self._copy_roots(conn)
            items = [self._story_summary(conn, str(r[0]), roots) for r in rows]
        return Page(items, total, lim, off)

    def _story_summary(
        self,
        conn: sqlite3.Connection,
        story_id: str,
        roots: dict[str, str],
        folded: list[tuple[str, list[int]]] | None = None,
    ) -> dict[str, Any]:
        """Counts with wire copies folded: ``n_copies`` of the ``n_articles`` are wire copies,
        a conflict or match repeated through a copy counts once (``roots``: ``_copy_roots``;
        ``folded``: the story's ``_folded_conflicts`` when the caller has them already)."""
        row = conn.execute(
            "SELECT s.created_at, COUNT(a.id), MIN(a.created_at), MAX(a.created_at), "
            "MIN(a.published), MAX(a.published) FROM stories s "
            "LEFT JOIN story_articles m ON m.story_id = s.id "
            "LEFT JOIN articles a ON a.id = m.article_id WHERE s.id = ? GROUP BY s.id",
            (story_id,),
        ).fetchone()
        if row is None:
            raise NotFoundError(
                f"no story with id {story_id!r}; list stored stories with GET /stories",
                detail={"id": story_id},
            )
        sources = conn.execute(
            "SELECT a.source, COUNT(*) FROM story_articles m JOIN articles a "
            "ON a.id = m.article_id WHERE m.story_id = ? GROUP BY a.source ORDER BY a.source",
            (story_id,),
        ).fetchall()
        by_type = conn.execute(
            "SELECT c.type, COUNT(*) FROM conflicts c JOIN story_articles m "
            "ON m.article_id = c.a_article WHERE m.story_id = ? GROUP BY c.type ORDER BY c.type",
            (story_id,),
        ).fetchall()
        n_matches = conn.execute(
            "SELECT COUNT(*) FROM matches x JOIN story_articles m ON m.article_id = x.a_article "
            "WHERE m.story_id = ?",
            (story_id,),
        ).fetchone()[0]
        conflicts_by_type = {str(r[0]): int(r[1]) for r in by_type}
        members = [
            str(r[0])
            for r in conn.execute(
                "SELECT article_id FROM story_articles WHERE story_id = ?", (story_id,)
            )
        ]
        n_copies = sum(1 for a in members if a in roots)
        if n_copies:
            if folded is None:
                folded = self._folded_conflicts(
                    conn, "WHERE m.story_id = ?", [story_id], CONFLICT_ORDERS["newest"], roots
                )
            by_folded_type: dict[str, int] = {}
            for ctype, _ in folded:
                by_folded_type[ctype] = by_folded_type.get(ctype, 0) + 1
            conflicts_by_type = dict(sorted(by_folded_type.items()))
            n_matches = self._folded_match_count(conn, story_id, roots)
        return {
            "id": story_id,
            "sources": [str(r[0]) for r in sources],
            "articles_by_source": {str(r[0]): int(r[1]) for r in sources},
            "n_articles": int(row[1]),
            "n_copies": n_copies,
            "n_sources": len(sources),
            "n_matches": int(n_matches),
            "n_conflicts": sum(conflicts_by_type.values()),
            "conflicts_by_type": conflicts_by_type,
            "first_seen": row[2],
            "last_seen": row[3],
            "first_published": row[4],
            "last_published": row[5],
            "created_at": row[0],
        }

    @staticmethod
    def _folded_match_count(conn: sqlite3.Connection, story_id: str, roots: dict[str, str]) -> int:
        """``wire_copies.count_folded_matches`` of a story's matches."""
        rows = conn.execute(
            "SELECT x.a_article, x.b_article, sa.text, sb.text FROM matches x "
            "JOIN story_articles m ON m.article_id = x.a_article "
            "JOIN sentences sa ON sa.id = x.a_sentence JOIN sentences sb ON sb.id = x.b_sentence "
            "WHERE m.story_id = ?",
            (story_id,),
        )
        pairs = ((str(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in rows)
        return count_folded_matches(pairs, roots)

    def story(
        self,
        story_id: str,
        *,
        limit: int | None = None,
        articles_offset: int | None = None,
        claims_offset: int | None = None,
        conflicts_offset: int | None = None,
        every_conflict: bool = False,
    ) -> dict[str, Any]:
        """One story: summary, then one page (``limit`` items) of each of its lists: articles
        (oldest first), aligned claims and conflicts (wire-copy repeats folded, each with its
        ``copies``; most severe first, then oldest); ``pages`` gives each list's total, limit,
        offset and next_offset. ``every_conflict`` adds ``every_conflict``: all its conflicts,
        copies included, oldest first, from the same snapshot (for its disagreements, which
        name every outlet that gave a value)."""
        lim = page_bounds(limit, None)[0]
        offsets = {
            "articles": page_bounds(lim, articles_offset)[1],
            "claims": page_bounds(lim, claims_offset)[1],
            "conflicts": page_bounds(lim, conflicts_offset)[1],
        }
        with self.db.read() as conn:
            roots = self._copy_roots(conn)
            if conn.execute("SELECT 1 FROM stories WHERE id = ?", (story_id,)).fetchone() is None:
                self._story_summary(conn, story_id, roots)  # raises NotFoundError
            groups = self._folded_conflicts(
                conn,
                "WHERE m.story_id = ?",
                [story_id],
                "c.severity_rank DESC, c.created_at, c.id",
                roots,
            )
            summary = self._story_summary(conn, story_id, roots, groups)
            off = offsets["articles"]
            rows = conn.execute(
                "SELECT a.*, m.story_id FROM story_articles m JOIN articles a "
                "ON a.id = m.article_id WHERE m.story_id = ? ORDER BY a.created_at, a.id "
                "LIMIT ? OFFSET ?",
                (story_id, lim, off),
            ).fetchall()
            articles = Page(
                [summary_with_counts(conn, r) for r in rows], summary["n_articles"], lim, off
            )
            claims = self._claims(conn, story_id, lim, offsets["claims"])
            off = offsets["conflicts"]
            conflicts = Page(
                self._conflict_groups(conn, [g for _, g in groups[off : off + lim]]),
                len(groups),
                lim,
                off,
            )
            every = (
                conflict_rows(conn, "WHERE m.story_id = ?", [story_id]) if every_conflict else None
            )
        pages = {
            name: {k: v for k, v in page.to_dict().items() if k != "items"}
            for name, page in (("articles", articles), ("claims", claims), ("conflicts", conflicts))
        }
        return {
            **summary,
            "articles": articles.items,
            "claims": claims.items,
            "conflicts": conflicts.items,
            "pages": pages,
            **({} if every is None else {"every_conflict": every}),
        }

    @staticmethod
    def _claims(conn: sqlite3.Connection, story_id: str, limit: int, offset: int) -> Page:
        """Aligned claims: groups of sentences linked by matches (connected components), in
        order of their first sentence; only the page asked for is read in full."""
        edges = conn.execute(
            "SELECT x.a_sentence, x.b_sentence FROM matches x "
            "JOIN story_articles m ON m.article_id = x.a_article WHERE m.story_id = ?",
            (story_id,),
        )
        every = claim_groups((int(r[0]), int(r[1])) for r in edges)
        conflicted = {
            int(r[0])
            for r in conn.execute(
                "SELECT a_sentence FROM conflicts c JOIN story_articles m "
                "ON m.article_id = c.a_article WHERE m.story_id = ? "
                "UNION SELECT b_sentence FROM conflicts c JOIN story_articles m "
                "ON m.article_id = c.a_article WHERE m.story_id = ?",
                (story_id, story_id),
            )
        }
        claims = []
        for members in every[offset : offset + limit]:
            rows = conn.execute(
                f"SELECT s.id, s.article_id, s.idx, s.text, a.source FROM sentences s "
                f"JOIN articles a ON a.id = s.article_id WHERE s.id IN "
                f"({','.join('?' * len(members))}) ORDER BY a.created_at, s.idx",
                members,
            ).fetchall()
            claims.append(
                {
                    "sentences": [
                        {"article_id": r[1], "index": int(r[2]), "text": r[3], "source": r[4]}
                        for r in rows
                    ],
                    "sources": sorted({str(r[4]) for r in rows}),
                    "conflicted": any(int(r[0]) in conflicted for r in rows),
                }
            )
        return Page(claims, len(every), limit, offset)
