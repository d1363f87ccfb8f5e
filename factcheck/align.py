"""Cross-source alignment: sentences that report the same thing, copied articles, stories.

A sentence is embedded as several *views*: the sentence itself and each quoted segment inside it,
so "he added: 'It would be a great honour...'" still meets the bare quote in another outlet. Two
sentences' score is the best score over their views. Candidates come from a kNN search (FAISS) and
are classified with the calibrated thresholds, refined by the claim-relation model when present.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from factcheck.normalize import duplicate_key
from factcheck.types import DuplicateArticles, Match, Relation, Sentence, Story

PairKey = tuple[int, int, int, int]  # (article a, sentence a, article b, sentence b), a < b


@dataclass(frozen=True)
class Thresholds:
    """Operating points, calibrated on MRPC (see models/calibration.json)."""

    same_claim: float
    related: float
    model_same: float = 0.5
    model_conflict: float = 0.5
    duplicate_article_share: float = 0.6
    story: float = 0.6


def sentence_pairs_from_hits(
    view_owner: np.ndarray,
    view_sentence: np.ndarray,
    article_source: Sequence[str],
    hit_scores: np.ndarray,
    hit_ids: np.ndarray,
    min_score: float,
    query_rows: np.ndarray | None = None,
) -> dict[PairKey, float]:
    """Fold view-level kNN hits into the best score per cross-source sentence pair.

    ``view_owner[v]`` / ``view_sentence[v]`` give the article and sentence of view ``v``;
    ``hit_ids[q]`` are view ids (rows) found for query row ``query_rows[q]`` (default: q itself).
    """
    best: dict[PairKey, float] = {}
    rows = np.arange(len(hit_ids)) if query_rows is None else query_rows
    for q, row in enumerate(rows):
        qa = int(view_owner[row])
        qs = int(view_sentence[row])
        for score, vid in zip(hit_scores[q], hit_ids[q], strict=True):
            if vid < 0 or score < min_score:
                continue
            ha = int(view_owner[vid])
            if ha == qa or article_source[ha] == article_source[qa]:
                continue
            hs = int(view_sentence[vid])
            key = (qa, qs, ha, hs) if qa < ha else (ha, hs, qa, qs)
            if float(score) > best.get(key, -1.0):
                best[key] = float(score)
    return best


def dense_sentence_pairs(
    a_vectors: np.ndarray,
    a_view_sentence: np.ndarray,
    b_vectors: np.ndarray,
    b_view_sentence: np.ndarray,
    min_score: float,
) -> dict[tuple[int, int], float]:
    """Best view score per (sentence of a, sentence of b) by a dense product: for small inputs."""
    if len(a_vectors) == 0 or len(b_vectors) == 0:
        return {}
    sims = a_vectors @ b_vectors.T
    rows, cols = np.nonzero(sims >= min_score)
    best: dict[tuple[int, int], float] = {}
    for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
        key = (int(a_view_sentence[r]), int(b_view_sentence[c]))
        s = float(sims[r, c])
        if s > best.get(key, -1.0):
            best[key] = s
    return best


def classify(
    a: Sentence,
    b: Sentence,
    score: float,
    th: Thresholds,
    same_prob: float | None = None,
    conflict_prob: float | None = None,
) -> Relation | None:
    """The relation of an aligned pair, or None when it is not aligned at all.

    The claim-relation model can promote a pair to *same claim* (paraphrases the embedding
    undervalues); its conflict probability never aligns anything by itself, because "these
    two sentences cannot both be true" also holds for two sentences about different events.
    """
    if duplicate_key(a.text) == duplicate_key(b.text):
        return "duplicate"
    if same_prob is not None:
        if score >= th.same_claim or (same_prob >= th.model_same and score >= th.related):
            return "same_claim"
        return "related" if score >= th.related else None
    if score >= th.same_claim:
        return "same_claim"
    return "related" if score >= th.related else None


def keep_best_per_sentence(matches: Iterable[Match], per_sentence: int) -> list[Match]:
    """Many-to-many, but bounded: each sentence keeps its ``per_sentence`` best partners per source.

    A pair survives if either side keeps it, so the result stays symmetric.
    """
    by_side: dict[tuple[str, int, str], list[Match]] = defaultdict(list)
    items = list(matches)
    for m in items:
        by_side[(m.a.article_id, m.a.index, m.b_source)].append(m)
        by_side[(m.b.article_id, m.b.index, m.a_source)].append(m)
    keep: set[int] = set()
    for group in by_side.values():
        group.sort(key=lambda m: (_rank(m), m.score), reverse=True)
        keep.update(id(m) for m in group[:per_sentence])
    return [m for m in items if id(m) in keep]


def _rank(m: Match) -> int:
    return {"duplicate": 2, "same_claim": 1, "related": 0}[m.relation]


def duplicate_articles(
    matches: Sequence[Match],
    sentence_counts: Mapping[str, int],
    sources: Mapping[str, str],
    share: float,
    min_score: float = 0.95,
    disputed: frozenset[tuple[str, int, str, int]] = frozenset(),
) -> list[DuplicateArticles]:
    """Article pairs where most sentences of the shorter one reappear near-verbatim in the other.

    A sentence pair with a conflict (``disputed``) is not a copy: an article that changes a fact
    in every sentence is a rewrite to check, not a republication to fold away.
    """
    covered: dict[tuple[str, str], dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for m in matches:
        key4 = (m.a.article_id, m.a.index, m.b.article_id, m.b.index)
        if m.relation == "duplicate" or (m.score >= min_score and key4 not in disputed):
            pair = tuple(sorted((m.a.article_id, m.b.article_id)))
            key = (pair[0], pair[1])
            covered[key][m.a.article_id].add(m.a.index)
            covered[key][m.b.article_id].add(m.b.index)
    out: list[DuplicateArticles] = []
    for (x, y), sides in sorted(covered.items()):
        shorter = x if sentence_counts[x] <= sentence_counts[y] else y
        n = sentence_counts[shorter]
        shared = len(sides[shorter])
        frac = shared / n if n else 0.0
        if frac >= share:
            out.append(DuplicateArticles(x, y, sources[x], sources[y], round(frac, 4), shared))
    return out


def stories(
    article_ids: Sequence[str],
    sources: Mapping[str, str],
    matches: Sequence[Match],
    close_pairs: Iterable[tuple[str, str]],
    min_shared_claims: int = 2,
) -> list[Story]:
    """Group articles about the same event: linked by shared claims or close article vectors.

    ``close_pairs`` are article pairs whose article vectors pass the calibrated story threshold.
    """
    parent = {a: a for a in article_ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(x: str, y: str) -> None:
        rx, ry = find(x), find(y)
        if rx != ry:
            parent[max(rx, ry)] = min(rx, ry)

    shared: dict[tuple[str, str], int] = defaultdict(int)
    for m in matches:
        if m.relation in ("duplicate", "same_claim", "same_fact"):
            x, y = sorted((m.a.article_id, m.b.article_id))
            shared[(x, y)] += 1
    for (x, y), n in shared.items():
        if n >= min_shared_claims:
            union(x, y)
    for x, y in close_pairs:
        union(x, y)
    ids = list(article_ids)
    groups: dict[str, list[str]] = defaultdict(list)
    for a in ids:
        groups[find(a)].append(a)
    out = []
    for members in groups.values():
        members.sort()
        sid = hashlib.sha256("|".join(members).encode()).hexdigest()[:12]
        srcs = tuple(sorted({sources[a] for a in members}))
        out.append(Story(id=sid, article_ids=tuple(members), sources=srcs))
    out.sort(key=lambda s: (-len(s.article_ids), s.id))
    return out
