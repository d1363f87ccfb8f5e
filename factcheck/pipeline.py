"""Wires the stages: the one module that imports them all.

ingest (done by the caller) -> sentences + facts -> embeddings -> kNN index -> alignment ->
conflicts -> Report. Adapters (CLI, service) build one ``Pipeline`` and reuse it: the models load
once, on first use.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

import numpy as np

from factcheck import align, conflicts
from factcheck.config import Config
from factcheck.errors import CancelledError, ModelError, TooFewSourcesError
from factcheck.normalize import duplicate_key, embedding_text
from factcheck.types import Article, Conflict, Match, Report, Sentence, SentenceFacts

if TYPE_CHECKING:
    from factcheck.analysis_pool import AnalysisPool

Progress = Callable[[int], None]

# Cut-offs (strong match, conflict gate, near copy, partners per sentence, ...) live in
# ``factcheck.config.CutOffs``, each with the reason for its value; ``Pipeline.config.cutoffs``.


class EmbedderLike(Protocol):
    """What the pipeline needs from an embedder (the real one, or a fake in plumbing tests)."""

    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class RelationLike(Protocol):
    """What the pipeline needs from the claim-relation model (``factcheck.relation``)."""

    name: str

    def predict(self, pairs: Sequence[tuple[str, str]]) -> Any: ...


@dataclass(frozen=True, eq=False)
class AnalysedArticle:
    """An article with its sentences' facts and the embeddings of their views."""

    article: Article
    facts: tuple[SentenceFacts, ...]
    view_sentence: np.ndarray  # int32: the sentence index of each view
    vectors: np.ndarray  # float32 (n_views, dim), L2-normalised

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return tuple(f.sentence for f in self.facts)

    def sentence_vectors(self) -> np.ndarray:
        """One vector per sentence: its first view (the sentence itself)."""
        if len(self.vectors) == 0:
            return self.vectors
        first = np.unique(self.view_sentence, return_index=True)[1]
        return self.vectors[first]

    def article_vector(self) -> np.ndarray:
        """Mean of the sentence vectors, re-normalised: what story grouping compares."""
        sv = self.sentence_vectors()
        if len(sv) == 0:
            return np.zeros(self.vectors.shape[1] if self.vectors.ndim == 2 else 0, np.float32)
        v = sv.mean(axis=0)
        n = float(np.linalg.norm(v))
        return (v / n).astype(np.float32) if n else v.astype(np.float32)


def sentence_views(
    facts: Sequence[SentenceFacts], min_quote_words: int, max_share: float
) -> list[tuple[int, str]]:
    """(sentence index, text) of every view: the sentence, then quoted segments long enough
    (``min_quote_words``) and shorter than ``max_share`` of the sentence's words."""
    views: list[tuple[int, str]] = []
    for i, f in enumerate(facts):
        s = f.sentence
        views.append((i, s.text))
        n_words = len(s.text.split())
        seen = {s.text.strip()}
        for q in s.quotes:
            lo, hi = max(q.start, s.start) - s.start, min(q.end, s.end) - s.start
            seg = s.text[lo:hi].strip(" \t\n,.;:\"'\u201c\u201d")
            words = len(seg.split())
            if words >= min_quote_words and words < max_share * n_words and seg not in seen:
                seen.add(seg)
                views.append((i, seg))
    return views


def load_thresholds(config: Config) -> align.Thresholds:
    """Operating points: explicit config, else models/calibration.json, else the defaults."""
    from factcheck import config as cfg

    data: dict[str, Any] = {}
    path = Path(config.models_dir) / "calibration.json"
    if path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelError(
                f"{path} is not valid JSON ({exc}); rebuild it with `factcheck calibrate "
                "--data ../shared/data` or delete it to use the built-in defaults."
            ) from exc
    th = data.get("thresholds", data)
    rel = _relation_thresholds(Path(config.models_dir))
    return align.Thresholds(
        same_claim=float(
            config.same_claim_threshold
            if config.same_claim_threshold is not None
            else th.get("same_claim", cfg.DEFAULT_SAME_CLAIM_THRESHOLD)
        ),
        related=float(
            config.related_threshold
            if config.related_threshold is not None
            else th.get("related", cfg.DEFAULT_RELATED_THRESHOLD)
        ),
        model_same=float(rel.get("same", cfg.DEFAULT_MODEL_THRESHOLD)),
        model_conflict=float(rel.get("conflict", cfg.DEFAULT_MODEL_THRESHOLD)),
        duplicate_article_share=config.duplicate_article_share,
        story=float(th.get("story", cfg.DEFAULT_STORY_THRESHOLD)),
    )


def _relation_thresholds(models_dir: Path) -> dict[str, float]:
    from factcheck.relation import ARTEFACT_FOLDER, operating_thresholds

    return operating_thresholds(models_dir / ARTEFACT_FOLDER)


class Pipeline:
    """Analyse articles and compare them; holds the models so they load once."""

    def __init__(
        self,
        config: Config | None = None,
        *,
        embedder: EmbedderLike | None = None,
        relation: RelationLike | Literal["auto"] | None = "auto",
        analysis_pool: AnalysisPool | None = None,
    ) -> None:
        self.config = config or Config()
        self.cut = self.config.cutoffs  # alignment and conflict cut-offs (factcheck.config)
        self.analysis_pool = analysis_pool  # None: spaCy runs in this process (the default)
        self._embedder = embedder
        self._relation: RelationLike | Literal["auto"] | None = relation
        self.thresholds = load_thresholds(self.config)
        self._relation_cache = RelationCache(self.config.relation_cache_size)

    # -- models, loaded lazily -------------------------------------------------------------
    @property
    def embedder(self) -> EmbedderLike:
        if self._embedder is None:
            from factcheck.embed import load_embedder

            self._embedder = load_embedder(
                batch_size=self.config.embed_batch_size, backend=self.config.embed_backend
            )
        return self._embedder

    @property
    def relation(self) -> RelationLike | None:
        if self._relation == "auto":
            from factcheck.relation import load_relation_model

            self._relation = load_relation_model(Path(self.config.models_dir))
        return self._relation

    @property
    def embedder_name(self) -> str:
        return self.embedder.name

    @property
    def related_threshold(self) -> float:
        return self.thresholds.related

    # -- analysis ---------------------------------------------------------------------------
    def analyse(
        self,
        article: Article,
        *,
        pool: AnalysisPool | None = None,
        cancel: threading.Event | None = None,
    ) -> AnalysedArticle:
        """Sentences, facts and view embeddings of one article."""
        return self.analyse_many([article], pool=pool, cancel=cancel)[0]

    def analyse_many(
        self,
        articles: Sequence[Article],
        progress: Progress | None = None,
        *,
        pool: AnalysisPool | None = None,
        cancel: threading.Event | None = None,
    ) -> list[AnalysedArticle]:
        """Analyse several articles, embedding all their views in one batched call.

        The spaCy part runs in ``pool`` (else ``self.analysis_pool``; else in this process).
        ``cancel``, once set, stops the work before the next stage (``CancelledError``).
        """
        from factcheck.facts import analyse_many

        pool = pool or self.analysis_pool
        all_facts: list[tuple[SentenceFacts, ...]] = []
        chunk = self.config.parse_chunk_size
        for lo in range(0, len(articles), chunk):
            check_cancel(cancel, "analysis")
            part = articles[lo : lo + chunk]
            if pool is not None:
                all_facts.extend(pool.analyse_many(part, cancel))
            else:
                all_facts.extend(tuple(f) for f in analyse_many(part))
            if progress:
                progress(len(part))
        check_cancel(cancel, "embedding")
        views = [
            sentence_views(f, self.config.min_quote_words, self.cut.quote_view_max_share)
            for f in all_facts
        ]
        texts = [embedding_text(t) for v in views for _, t in v]
        vectors = (
            self.embedder.encode(texts) if texts else np.zeros((0, self.embedder.dim), np.float32)
        )
        out = []
        pos = 0
        for a, f, v in zip(articles, all_facts, views, strict=True):
            n = len(v)
            out.append(
                AnalysedArticle(
                    article=a,
                    facts=f,
                    view_sentence=np.array([i for i, _ in v], dtype=np.int32),
                    vectors=np.ascontiguousarray(vectors[pos : pos + n], dtype=np.float32),
                )
            )
            pos += n
        return out

    # -- comparison -------------------------------------------------------------------------
    def compare(
        self,
        articles: Sequence[Article],
        *,
        progress: Progress | None = None,
        pool: AnalysisPool | None = None,
    ) -> Report:
        """Align every article against every other source's; nothing is stored."""
        check_sources(articles)
        analysed = self.analyse_many(articles, progress, pool=pool)
        return self.compare_analysed(analysed)

    def compare_analysed(self, analysed: Sequence[AnalysedArticle]) -> Report:
        """``compare`` for articles already analysed (the service reuses stored analyses)."""
        from factcheck.backends import memory_search

        sources = [a.article.source for a in analysed]
        owner = np.concatenate(
            [np.full(len(a.view_sentence), i, np.int32) for i, a in enumerate(analysed)]
            or [np.zeros(0, np.int32)]
        )
        sent = np.concatenate([a.view_sentence for a in analysed] or [np.zeros(0, np.int32)])
        dim = self.embedder.dim if not analysed else analysed[0].vectors.shape[1]
        vecs = np.concatenate([a.vectors for a in analysed] or [np.zeros((0, dim), np.float32)])
        pairs: dict[align.PairKey, float] = {}
        if len(vecs):
            index = memory_search(dim, exact_limit=self.config.exact_index_limit)
            index.add(np.arange(len(vecs), dtype=np.int64), vecs)
            max_views = max(len(a.view_sentence) for a in analysed)
            k = min(len(vecs), self.config.knn + max_views)
            scores, ids = index.search(vecs, k)
            pairs = align.sentence_pairs_from_hits(
                owner, sent, sources, scores, ids, self.thresholds.related
            )
        return self._report(analysed, pairs, with_stories=True)

    def match(self, new: AnalysedArticle, others: Sequence[AnalysedArticle]) -> Report:
        """Matches and conflicts between ``new`` and ``others`` (other sources only)."""
        analysed = [new, *[o for o in others if o.article.source != new.article.source]]
        pairs: dict[align.PairKey, float] = {}
        for j in range(1, len(analysed)):
            dense = align.dense_sentence_pairs(
                new.vectors,
                new.view_sentence,
                analysed[j].vectors,
                analysed[j].view_sentence,
                self.thresholds.related,
            )
            for (si, sj), score in dense.items():
                pairs[(0, si, j, sj)] = score
        return self._report(analysed, pairs, with_stories=False)

    def _report(
        self,
        analysed: Sequence[AnalysedArticle],
        pairs: dict[align.PairKey, float],
        *,
        with_stories: bool,
    ) -> Report:
        th = self.thresholds
        keys = sorted(pairs)
        model_scores = self._model_scores(analysed, keys, pairs)
        matches: list[Match] = []
        for n, key in enumerate(keys):
            ia, sa, ib, sb = key
            a_s = analysed[ia].facts[sa].sentence
            b_s = analysed[ib].facts[sb].sentence
            scored = model_scores[n]
            same_p, conf_p = scored if scored is not None else (None, None)
            rel = align.classify(a_s, b_s, pairs[key], th, same_p, conf_p)
            if rel is None:
                continue
            matches.append(
                Match(
                    a=a_s,
                    b=b_s,
                    a_source=analysed[ia].article.source,
                    b_source=analysed[ib].article.source,
                    score=round(pairs[key], 4),
                    relation=rel,
                    same_prob=None if same_p is None else round(same_p, 4),
                    conflict_prob=None if conf_p is None else round(conf_p, 4),
                )
            )
        matches = align.keep_best_per_sentence(matches, self.cut.partners_per_sentence)
        by_id = {a.article.id: a for a in analysed}
        found: list[Conflict] = []
        variants: list[Conflict] = []
        for m in matches:
            if not self._should_check(m):
                continue
            fa = by_id[m.a.article_id].facts[m.a.index]
            fb = by_id[m.b.article_id].facts[m.b.index]
            # numbers are compared claim by claim (below), in aligned sentences or not; a near
            # copy of one sentence with a figure changed is compared as the sentence it is
            found.extend(
                c
                for c in conflicts.detect(fa, fb, m, strong=self._is_strong(m), variants=variants)
                if c.type != "number" or m.score >= self.cut.near_copy
            )
        found.extend(self._claim_conflicts(analysed, matches, found, first_only=not with_stories))
        # sentences a claim conflict aligned (one shared claim) join the matched claims
        seen = {_pair_key(m) for m in matches}
        for c in found:
            if c.match.relation == "same_fact" and _pair_key(c.match) not in seen:
                seen.add(_pair_key(c.match))
                matches.append(c.match)
        counts = {a.article.id: len(a.facts) for a in analysed}
        srcs = {a.article.id: a.article.source for a in analysed}
        disputed = frozenset(
            (c.match.a.article_id, c.match.a.index, c.match.b.article_id, c.match.b.index)
            for c in found
        )
        dups = align.duplicate_articles(
            matches,
            counts,
            srcs,
            th.duplicate_article_share,
            min_score=self.cut.copy_sentence_score,
            disputed=disputed,
        )
        story_list = []
        if with_stories:
            story_list = align.stories(
                [a.article.id for a in analysed], srcs, matches, self._close_articles(analysed)
            )
        return Report(
            articles=tuple(a.article for a in analysed),
            sentences=tuple(s for a in analysed for s in a.sentences),
            matches=tuple(matches),
            conflicts=tuple(found),
            duplicates=tuple(dups),
            stories=tuple(story_list),
            variants=tuple(variants),
            settings={
                "model": self.embedder_name,
                "relation_model": getattr(self.relation, "name", None),
                "same_claim_threshold": th.same_claim,
                "related_threshold": th.related,
            },
        )

    def _claim_conflicts(
        self,
        analysed: Sequence[AnalysedArticle],
        matches: Sequence[Match],
        found: Sequence[Conflict],
        first_only: bool,
    ) -> list[Conflict]:
        """Conflicts found claim by claim (``factcheck.claim_conflicts``), less those the
        sentence rules already reported with the same evidence (``first_only``: a new article
        against stored ones, whose conflicts with each other are stored already)."""
        from factcheck.claim_anchored import anchored_conflicts
        from factcheck.claim_conflicts import ClaimSide, quantity_conflicts

        sides = [ClaimSide(a.article, a.facts, a.sentence_vectors()) for a in analysed]
        pos = {a.article.id: n for n, a in enumerate(analysed)}
        ends = [sorted((pos[m.a.article_id], pos[m.b.article_id])) for m in matches]
        linked = frozenset((i, j) for i, j in ends)
        seen = {_evidence(c) for c in found}
        out = []
        for c in (
            *quantity_conflicts(sides, matches, first_only, linked),
            *anchored_conflicts(sides, matches, first_only, linked),
        ):
            if _evidence(c) not in seen:
                seen.add(_evidence(c))
                out.append(c)
        return out

    def _is_strong(self, m: Match) -> bool:
        """One statement told twice (not just two sentences on one topic): facts may be compared."""
        th, cut = self.thresholds, self.cut
        if m.score >= max(th.same_claim, cut.strong_match):
            return True
        if m.same_prob is not None and m.same_prob >= max(th.model_same, cut.conflict_gate):
            return True
        return m.conflict_prob is not None and m.conflict_prob >= cut.conflict_gate

    def _should_check(self, m: Match) -> bool:
        """Typed rules run on same-claim pairs; a merely related pair needs the model's word."""
        if m.relation == "same_claim":
            return True
        if m.relation == "related" and m.conflict_prob is not None:
            return m.conflict_prob >= max(self.thresholds.model_conflict, self.cut.conflict_gate)
        return False

    def _model_scores(
        self,
        analysed: Sequence[AnalysedArticle],
        keys: Sequence[align.PairKey],
        pairs: dict[align.PairKey, float],
    ) -> list[tuple[float, float] | None]:
        """Relation-model (same, conflict) probabilities where they can change the outcome.

        Not consulted for duplicates (identical text cannot conflict) or pairs past the strong
        cosine (same claim, facts compared whatever the model says); among the rest each
        sentence sends only its best few partners per other source (the ones that survive
        ``keep_best_per_sentence``). Identical text pairs are scored once and cached, so wire
        copies cost one model call. None = not consulted (classified by cosine).
        """
        model = self.relation
        out: list[tuple[float, float] | None] = [None] * len(keys)
        if model is None or not keys:
            return out
        strong = max(self.thresholds.same_claim, self.cut.strong_match)
        texts = [
            (analysed[ia].facts[sa].sentence.text, analysed[ib].facts[sb].sentence.text)
            for ia, sa, ib, sb in keys
        ]
        band = [
            n
            for n, key in enumerate(keys)
            if pairs[key] < strong and duplicate_key(texts[n][0]) != duplicate_key(texts[n][1])
        ]
        chosen = _best_per_side(
            [keys[n] for n in band],
            [pairs[keys[n]] for n in band],
            [a.article.source for a in analysed],
            self.config.model_pairs_per_sentence,
        )
        todo = [band[i] for i in chosen]
        scores = self._relation_cache.lookup([texts[n] for n in todo], model)
        for n, sc in zip(todo, scores, strict=True):
            out[n] = sc
        return out

    def _close_articles(self, analysed: Sequence[AnalysedArticle]) -> list[tuple[str, str]]:
        if len(analysed) < 2:
            return []
        mat = np.stack([a.article_vector() for a in analysed])
        sims = mat @ mat.T
        rows, cols = np.nonzero(np.triu(sims >= self.thresholds.story, k=1))
        ids = [a.article.id for a in analysed]
        return [(ids[r], ids[c]) for r, c in zip(rows.tolist(), cols.tolist(), strict=True)]


def _pair_key(m: Match) -> frozenset[tuple[str, int]]:
    return frozenset({(m.a.article_id, m.a.index), (m.b.article_id, m.b.index)})


def _evidence(c: Conflict) -> tuple[object, ...]:
    """The sentences and spans a conflict points at, in a fixed order (type aside)."""
    a = (c.match.a.article_id, c.match.a.index, tuple((s.start, s.end) for s in c.a_spans))
    b = (c.match.b.article_id, c.match.b.index, tuple((s.start, s.end) for s in c.b_spans))
    return tuple(sorted((a, b)))


def _best_per_side(
    keys: Sequence[align.PairKey], scores: Sequence[float], sources: Sequence[str], k: int
) -> list[int]:
    """Positions of the pairs among each sentence's ``k`` best by cosine per other source
    (either side keeping a pair keeps it, as in ``align.keep_best_per_sentence``)."""
    sides: dict[tuple[int, int, str], list[int]] = defaultdict(list)
    for n, (ia, sa, ib, sb) in enumerate(keys):
        sides[(ia, sa, sources[ib])].append(n)
        sides[(ib, sb, sources[ia])].append(n)
    keep: set[int] = set()
    for group in sides.values():
        group.sort(key=lambda n: (-scores[n], keys[n]))
        keep.update(group[:k])
    return sorted(keep)


class RelationCache:
    """LRU of relation-model scores by exact text pair: republished wire copies, re-posted
    articles and repeated compares ask the model about the same sentences again."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict[tuple[str, str], tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def lookup(
        self, texts: Sequence[tuple[str, str]], model: RelationLike
    ) -> list[tuple[float, float]]:
        """(same, conflict) for every pair, running the model once per pair not yet known."""
        found: dict[tuple[str, str], tuple[float, float]] = {}
        with self._lock:
            for t in texts:
                if t in self._data:
                    self._data.move_to_end(t)
                    found[t] = self._data[t]
        todo = list(dict.fromkeys(t for t in texts if t not in found))
        if todo:
            scores = model.predict(todo)
            fresh = {
                t: (float(s), float(c))
                for t, s, c in zip(todo, scores.same, scores.conflict, strict=True)
            }
            found.update(fresh)
            with self._lock:
                self._data.update(fresh)
                while len(self._data) > self.size:
                    self._data.popitem(last=False)
        return [found[t] for t in texts]


def check_sources(articles: Sequence[Article]) -> None:
    """Comparing needs two or more sources: say how to get there if not."""
    sources = sorted({a.source for a in articles})
    if len(articles) < 2 or len(sources) < 2:
        got = f"{len(articles)} article(s)" + (f" all from '{sources[0]}'" if sources else "")
        raise TooFewSourcesError(
            f"compare needs articles from at least two sources; got {got}. Add an article from "
            "another outlet, or give each article its own source (the JSON 'source' field, or "
            "separate files).",
            detail={"articles": len(articles), "sources": sources},
        )


def check_cancel(cancel: threading.Event | None, stage: str) -> None:
    """Raise ``CancelledError`` before ``stage`` if ``cancel`` is set."""
    if cancel is not None and cancel.is_set():
        raise CancelledError(f"cancelled before {stage}", detail={"stage": stage})
