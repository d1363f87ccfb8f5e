"""Fit the thresholds the pipeline and the quality benchmark use, on development data only.

``calibrate(data_dir, models_dir)`` reads the labelled data under ``data_dir`` (laid out like
``../shared/data``), splits every set with the one scheme of ``training.splits`` (the MRPC and
STS pairs the relation model holds out, 15 % of ECB+ topics and of CLEF queries): the held-out
part is only measured, the rest is fitted. It writes
``models_dir/calibration.json``; the quality benchmark then fits nothing on the data it evaluates.

Keys of ``calibration.json`` (all similarities are cosines of all-MiniLM-L6-v2 vectors):

- ``thresholds.same_claim``: two sentences state the same claim when cosine >= this
  (MRPC, the F1-maximising cut).
- ``thresholds.related``: about the same fact, worth a conflict check (STS-B, gold >= 2.5 vs
  below, the F1-maximising cut); the cosine baseline calls a pair a conflict when
  related <= cosine < same_claim.
- ``thresholds.story``: cosine cut for single-linkage story grouping of article vectors (mean of
  sentence vectors), i.e. what ``align.stories`` does with pairs at or above it (ECB+, the
  B-cubed-maximising cut for that method).
- ``story``: the best story clustering found on ECB+, used by the benchmark:
  ``{"vector", "embedding_weight", "linkage", "threshold"}`` -> :func:`story_labels`
  (``vector``: see :func:`story_vectors`; similarity = ``embedding_weight`` x cosine + the rest x
  TF-IDF cosine, see ``clustering.story_similarity``); ``pipeline_threshold`` (= thresholds.story);
  ``baseline_threshold`` / ``baseline_linkage`` / ``baseline_vector`` for the plain whole-text
  embedding the benchmark reports as the baseline; the fit and held-out topics.
- ``retrieval``: CheckThat!-style claim retrieval settings: ``query_cleaning`` (tweet URLs,
  signatures, @handles, hashtags), ``claim_fields`` (how the title and text cosines combine),
  ``lexical_weight`` (weight of the per-query max-normalised BM25 score added to the cosine),
  ``rerank_top_k``, ``rerank_signal`` and ``rerank_weight`` (claim-relation model re-ranking;
  weight 0 means it did not gain RERANK_MARGIN MAP@5 on the fit slice, so it is not run).
- ``data`` (files and row counts used), ``split``, ``settings``, ``metrics`` (fit and held-out).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from factcheck import clustering
from factcheck.errors import InputError, ModelError
from training import datasets as ds
from training.metrics import (
    MAP_K,
    best_f1_threshold,
    f1_score,
    map_at_k,
    recall_at_k,
    spearman,
)
from training.splits import HELD_OUT_PCT, held_out, pair_text_group

CALIBRATION_FILE = "calibration.json"
EMBED_DIM = 384
RELATED_STS_MIN = 2.5
RERANK_TOP_K = 10
TITLE_MARGIN = 0.01  # MAP@5 gain that justifies encoding claim titles too
RERANK_MARGIN = 0.005  # MAP@5 gain that justifies running the relation model on top k

_ENCODER: Callable[[list[str]], np.ndarray] | None = None
_MEMO: dict[str, np.ndarray] = {}


# --------------------------------------------------------------------------- embeddings


def _text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _load_encoder() -> Callable[[list[str]], np.ndarray]:
    """The project's embedder (``factcheck.embed``: all-MiniLM-L6-v2, normalised vectors)."""
    global _ENCODER
    if _ENCODER is None:
        from factcheck.embed import load_embedder

        embedder = load_embedder()

        def enc(texts: list[str]) -> np.ndarray:
            return np.asarray(embedder.encode(texts), dtype=np.float32)

        _ENCODER = enc
    return _ENCODER


def encode(texts: Sequence[str], *, cache_dir: Path | None = None) -> np.ndarray:
    """Normalised float32 embeddings (n, 384); each distinct text is encoded once per process.

    With ``cache_dir`` vectors also persist on disk (one .npz chunk per call), so repeated
    calibration and benchmark runs on the same data skip the model. The cache is keyed by text
    only: empty the folder when the embedder (or its text folding) changes.
    """
    if len(texts) == 0:
        return np.zeros((0, EMBED_DIM), dtype=np.float32)
    if cache_dir is not None:
        _load_disk_cache(cache_dir)
    keys = [_text_key(t) for t in texts]
    todo: dict[str, str] = {}
    for k, t in zip(keys, texts, strict=True):
        if k not in _MEMO:
            todo.setdefault(k, t)
    if todo:
        new_keys = list(todo)
        vecs = _load_encoder()([todo[k] for k in new_keys])
        _ENCODED[0] += len(new_keys)
        for k, v in zip(new_keys, vecs, strict=True):
            _MEMO[k] = v
        if cache_dir is not None:
            cache_dir.mkdir(parents=True, exist_ok=True)
            name = _text_key("".join(new_keys))[:16]
            np.savez(cache_dir / f"emb_{name}.npz", keys=np.array(new_keys), vecs=vecs)
    return np.stack([_MEMO[k] for k in keys])


_LOADED_CACHES: set[Path] = set()
_ENCODED = [0]  # texts sent to the model in this process (cache misses)


def encoded_count() -> int:
    """How many texts this process has embedded with the model (not from a cache)."""
    return _ENCODED[0]


def _load_disk_cache(cache_dir: Path) -> None:
    for path in sorted(cache_dir.glob("emb_*.npz")):
        if path in _LOADED_CACHES:
            continue
        _LOADED_CACHES.add(path)
        with np.load(path) as data:
            for k, v in zip(data["keys"], data["vecs"], strict=True):
                _MEMO[str(k)] = v


def pair_cosines(pairs: Sequence[ds.Pair], *, cache_dir: Path | None = None) -> np.ndarray:
    """Cosine of s1 and s2 for each pair (one batched encode of all distinct texts)."""
    if not pairs:
        return np.zeros(0, dtype=np.float32)
    vecs = encode([p.s1 for p in pairs] + [p.s2 for p in pairs], cache_dir=cache_dir)
    a, b = vecs[: len(pairs)], vecs[len(pairs) :]
    return np.einsum("ij,ij->i", a, b)


# --------------------------------------------------------------------------- splits, metrics


def pair_key(p: ds.Pair) -> str:
    """Stable sampling key of a pair: its ids when the set has them, else its two texts."""
    ids = [str(p.meta.get(k, "")) for k in ("id", "id1", "id2")]
    return "|".join(ids) if any(ids) else f"{p.s1}\t{p.s2}"


# --------------------------------------------------------------------------- claim retrieval

_SIGNATURE = re.compile(
    r"\s*[\u2014\u2013]\s*[^\u2014\u2013]{0,80}\(@\w+\)\s*[A-Z][a-z]+ \d{1,2}, \d{4}\s*$"
)
_URL = re.compile(r"(?:https?://|pic\.twitter\.com/|www\.)\S*")
_HANDLE = re.compile(r"@(\w+)")
_HASHTAG = re.compile(r"#(\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)")
_SPACES = re.compile(r"\s+")


def clean_tweet(text: str) -> str:
    """A tweet as a claim: no embed signature, URLs or picture links; #HashTag -> "Hash Tag".

    Handles keep their name without "@" (they often name the subject: "@NASA"), split at case
    changes like hashtags.
    """
    text = _SIGNATURE.sub("", text)
    text = _URL.sub(" ", text.replace("http", " http").replace("pic.twitter", " pic.twitter"))
    text = _HASHTAG.sub(lambda m: _CAMEL.sub(" ", m.group(1)), text)
    text = _HANDLE.sub(lambda m: _CAMEL.sub(" ", m.group(1).replace("_", " ")), text)
    return _SPACES.sub(" ", text).strip() or text.strip()


def _tokens(text: str) -> list[str]:
    from factcheck.normalize import words

    return words(text)


@dataclass
class ClaimIndex:
    """The verified-claim pool: ids, a BM25 term-weight matrix, text and title vectors.

    Vectors are encoded on first use, so a run that compares by text alone never encodes titles.
    """

    claims: list[ds.ClefClaim]
    vocab: dict[str, int]
    idf: np.ndarray
    bm25: Any  # scipy.sparse csr (n_claims, vocab): saturated, length-normalised tf
    cache_dir: Path | None = None
    _vecs: dict[str, np.ndarray] = field(default_factory=dict)
    ids: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.ids = [c.id for c in self.claims]

    def vectors(self, name: str) -> np.ndarray:
        """Embeddings of the claims' ``text`` or ``title`` (a missing title falls back to text)."""
        if name not in self._vecs:
            texts = [c.text if name == "text" else (c.title or c.text) for c in self.claims]
            self._vecs[name] = encode(texts, cache_dir=self.cache_dir)
        return self._vecs[name]

    @classmethod
    def build(cls, claims: Sequence[ds.ClefClaim], *, cache_dir: Path | None = None) -> ClaimIndex:
        from scipy.sparse import csr_matrix

        k1, b = 1.2, 0.75
        texts = [f"{c.title} {c.text}" for c in claims]
        vocab: dict[str, int] = {}
        rows, cols, vals = [], [], []
        lengths = []
        for i, t in enumerate(texts):
            toks = _tokens(t)
            lengths.append(len(toks))
            counts: dict[int, int] = {}
            for tok in toks:
                j = vocab.setdefault(tok, len(vocab))
                counts[j] = counts.get(j, 0) + 1
            for j, c in counts.items():
                rows.append(i)
                cols.append(j)
                vals.append(c)
        n = len(texts)
        tf = csr_matrix((vals, (rows, cols)), shape=(n, len(vocab)), dtype=np.float64)
        df = np.bincount(cols, minlength=len(vocab))
        idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
        avg = float(np.mean(lengths)) if lengths else 1.0
        norm = k1 * (1 - b + b * np.asarray(lengths, dtype=np.float64) / avg)
        tf = tf.tocoo()
        sat = tf.data * (k1 + 1) / (tf.data + norm[tf.row])
        bm25 = csr_matrix((sat, (tf.row, tf.col)), shape=tf.shape)
        return cls(list(claims), vocab, idf, bm25, cache_dir)

    def lexical(self, queries: Sequence[str]) -> np.ndarray:
        """BM25 scores (n_queries, n_claims), each row divided by its max (0..1)."""
        from scipy.sparse import csr_matrix

        rows, cols, vals = [], [], []
        for i, q in enumerate(queries):
            for j in {self.vocab[t] for t in _tokens(q) if t in self.vocab}:
                rows.append(i)
                cols.append(j)
                vals.append(self.idf[j])
        qm = csr_matrix((vals, (rows, cols)), shape=(len(queries), len(self.vocab)))
        scores = np.asarray((qm @ self.bm25.T).todense(), dtype=np.float32)
        top = scores.max(axis=1, keepdims=True)
        return scores / np.where(top > 0, top, 1.0)

    def dense(self, query_vecs: np.ndarray, fields: str) -> np.ndarray:
        """Cosine of queries to claims: by ``text``, ``title``, their ``mean`` or ``max``."""
        if fields not in ("text", "title", "mean", "max"):
            raise ValueError(f"unknown claim_fields {fields!r}; use text, title, mean or max")
        text = query_vecs @ self.vectors("text").T if fields != "title" else None
        if text is not None and fields == "text":
            return text
        title = query_vecs @ self.vectors("title").T
        if text is None:
            return title
        return (text + title) / 2 if fields == "mean" else np.maximum(text, title)


def first_stage(
    index: ClaimIndex,
    queries: Sequence[str],
    settings: dict[str, Any],
    *,
    cache_dir: Path | None = None,
) -> np.ndarray:
    """Query x claim scores of the bi-encoder (+ weighted BM25) stage."""
    texts = [clean_tweet(q) for q in queries] if settings.get("query_cleaning") else list(queries)
    scores = index.dense(
        encode(texts, cache_dir=cache_dir), str(settings.get("claim_fields", "text"))
    )
    w = float(settings.get("lexical_weight", 0.0))
    if w:
        scores = scores + w * index.lexical(texts)
    return scores


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k best columns per row, best first."""
    k = min(k, scores.shape[1])
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(scores, part, axis=1), axis=1, kind="stable")
    return np.take_along_axis(part, order, axis=1)


# --------------------------------------------------------------------------- story clustering


def story_vectors(
    docs: Sequence[ds.EcbDocument], kind: str, *, cache_dir: Path | None = None
) -> np.ndarray:
    """One vector per document: ``mean`` of all sentence vectors, ``lead5`` (first 5 sentences),
    or ``doc`` (the whole text in one pass; the model reads only its first 256 word pieces)."""
    if kind == "doc":
        return encode([d.text for d in docs], cache_dir=cache_dir)
    limit = 5 if kind == "lead5" else None
    sents = [[s.text for s in d.sentences[:limit]] for d in docs]
    flat = encode([t for ss in sents for t in ss], cache_dir=cache_dir)
    out, i = [], 0
    for ss in sents:
        out.append(clustering.article_vector(flat[i : i + len(ss)]))
        i += len(ss)
    return np.stack(out) if out else np.zeros((0, EMBED_DIM), dtype=np.float32)


STORY_WEIGHTS = (0.0, 0.2, 0.3, 0.5, 0.7, 1.0)
STORY_LINKAGES = ("average", "complete")


def story_labels(
    docs: Sequence[ds.EcbDocument], story: dict[str, Any], *, cache_dir: Path | None = None
) -> np.ndarray:
    """Cluster documents with calibrated story settings (``story`` block of the calibration)."""
    vecs = story_vectors(docs, str(story.get("vector", "mean")), cache_dir=cache_dir)
    sim = clustering.story_similarity(
        vecs, [d.text for d in docs], embedding_weight=float(story.get("embedding_weight", 1.0))
    )
    return clustering.cluster_similarity(
        sim, float(story["threshold"]), method=str(story.get("linkage", "average"))
    )


def _best_cut(sim: np.ndarray, gold: list[str], linkage: str) -> tuple[float, float]:
    best = (0.5, -1.0)
    for t in np.round(np.arange(0.05, 0.96, 0.01), 2):
        labels = clustering.cluster_similarity(sim, float(t), method=linkage)
        f1 = clustering.bcubed_f1(list(labels), gold)
        if f1 > best[1]:
            best = (float(t), f1)
    return best


# --------------------------------------------------------------------------- calibrate


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def calibrate(data_dir: Path, models_dir: Path, *, cache_dir: Path | None = None) -> dict[str, Any]:
    """Fit thresholds and settings on ``data_dir``; write and return ``calibration.json``."""
    data_dir, models_dir = Path(data_dir), Path(models_dir)
    found = ds.discover(data_dir)
    need = ("mrpc", "stsb")
    if any(n not in found for n in need):
        raise InputError(
            f"calibration needs MRPC and STS-B under {data_dir} (folders mrpc/ and "
            "stsbenchmark/); point --data at the development data, e.g. ../shared/data."
        )
    out: dict[str, Any] = {
        "version": 1,
        "created": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "embedding_model": "sentence-transformers/all-MiniLM-L6-v2",
        "split": (
            f"training.splits: per data set, groups ordered by sha256, the first {HELD_OUT_PCT} % "
            "held out (the relation model's held-out pairs for MRPC / STS; ECB+ topics; CLEF "
            "split/query ids); thresholds are fitted on the rest"
        ),
        "thresholds": {},
        "data": {},
        "settings": {"holdout_pct": HELD_OUT_PCT, "related_sts_min": RELATED_STS_MIN},
        "metrics": {"fit": {}, "heldout": {}},
    }
    th, fit_m, held_m = out["thresholds"], out["metrics"]["fit"], out["metrics"]["heldout"]

    def note_data(name: str, files: list[Path], rows: int) -> None:
        if len(files) > 12:  # ECB+: one entry per folder, with its file count
            folders: dict[str, int] = {}
            for p in files:
                key = _rel(p.parent, data_dir)
                folders[key] = folders.get(key, 0) + 1
            out["data"][name] = {"folders": folders, "files": len(files), "rows": rows}
        else:
            out["data"][name] = {"files": [_rel(p, data_dir) for p in files], "rows": rows}

    # same claim: MRPC
    pairs = [p for f in found["mrpc"] for p in ds.load_pairs("mrpc", f)]
    note_data("mrpc", found["mrpc"], len(pairs))
    cos = pair_cosines(pairs, cache_dir=cache_dir)
    gold = np.array([p.label == 1 for p in pairs])
    held = np.array(held_out("mrpc", [pair_text_group("mrpc", p.s1, p.s2) for p in pairs]))
    t_same, f1_fit = best_f1_threshold(cos[~held], gold[~held])
    th["same_claim"] = round(t_same, 4)
    fit_m["mrpc.f1"] = f1_fit
    if held.any():
        pred = cos[held] >= t_same
        held_m["mrpc.f1"] = f1_score(pred, gold[held])
        held_m["mrpc.accuracy"] = float(np.mean(pred == gold[held]))

    # related: STS-B
    pairs = [p for f in found["stsb"] for p in ds.load_pairs("stsb", f)]
    note_data("stsb", found["stsb"], len(pairs))
    cos = pair_cosines(pairs, cache_dir=cache_dir)
    score = np.array([float(p.label) for p in pairs])
    held = np.array(held_out("sts", [pair_text_group("sts", p.s1, p.s2) for p in pairs]))
    t_rel, f1_fit = best_f1_threshold(cos[~held], score[~held] >= RELATED_STS_MIN)
    th["related"] = round(min(t_rel, t_same), 4)
    fit_m["stsb.related_f1"] = f1_fit
    if held.any():
        held_m["stsb.related_f1"] = f1_score(cos[held] >= t_rel, score[held] >= RELATED_STS_MIN)
        held_m["stsb.spearman"] = spearman(cos[held], score[held])

    if "ecbplus" in found:
        out["story"] = _calibrate_story(found["ecbplus"], cache_dir, fit_m, held_m)
        note_data("ecbplus", found["ecbplus"], len(found["ecbplus"]))
        th["story"] = out["story"]["pipeline_threshold"]
    if "clef2020" in found:
        data = ds.load_clef(found["clef2020"])
        note_data("clef2020", found["clef2020"], len(data.queries))
        out["retrieval"] = _calibrate_retrieval(data, models_dir, cache_dir, fit_m, held_m)

    models_dir.mkdir(parents=True, exist_ok=True)
    path = models_dir / CALIBRATION_FILE
    path.write_text(json.dumps(_rounded(out), indent=2, sort_keys=False) + "\n", encoding="utf-8")
    return out


def _calibrate_story(
    files: list[Path], cache_dir: Path | None, fit_m: dict[str, Any], held_m: dict[str, Any]
) -> dict[str, Any]:
    """Article vector, embedding/TF-IDF weight, linkage and cut that maximise B-cubed F1."""
    docs = ds.load_ecbplus(files)
    held = held_out("ecbplus", [f"ecb-topic:{d.topic}" for d in docs])
    fit_docs = [d for d, h in zip(docs, held, strict=True) if not h]
    held_docs = [d for d, h in zip(docs, held, strict=True) if h]
    if len({d.event for d in fit_docs}) < 2:  # too little data to hold any out: fit on all
        fit_docs, held_docs = docs, []
    gold = [d.event for d in fit_docs]
    tfidf = clustering.tfidf_similarity([d.text for d in fit_docs])
    best: tuple[float, dict[str, Any]] = (-1.0, {})
    for kind in ("mean", "lead5"):
        vecs = story_vectors(fit_docs, kind, cache_dir=cache_dir)
        emb = clustering.story_similarity(vecs)
        for w in STORY_WEIGHTS:
            for linkage in STORY_LINKAGES:
                t, f1 = _best_cut(w * emb + (1 - w) * tfidf, gold, linkage)
                if f1 > best[0] + 1e-9:
                    setup = {"vector": kind, "embedding_weight": w, "linkage": linkage}
                    best = (f1, {**setup, "threshold": t})
    story = best[1]
    fit_m["ecbplus.bcubed_f1"] = best[0]
    # What align.stories does today: union of article pairs whose mean vectors pass the cut.
    mean_sim = clustering.story_similarity(story_vectors(fit_docs, "mean", cache_dir=cache_dir))
    story["pipeline_threshold"], fit_m["ecbplus.bcubed_f1.pipeline"] = _best_cut(
        mean_sim, gold, "single"
    )
    base_vecs = story_vectors(fit_docs, "doc", cache_dir=cache_dir)
    base_t, fit_m["ecbplus.bcubed_f1.baseline"] = _best_cut(
        clustering.story_similarity(base_vecs), gold, "average"
    )
    story.update(
        baseline_threshold=base_t,
        baseline_linkage="average",
        baseline_vector="doc",
        fit_topics=sorted({d.topic for d in fit_docs}, key=int),
        heldout_topics=sorted({d.topic for d in held_docs}, key=int),
    )
    if held_docs:
        hgold = [d.event for d in held_docs]
        labels = story_labels(held_docs, story, cache_dir=cache_dir)
        held_m["ecbplus.bcubed_f1"] = clustering.bcubed_f1(list(labels), hgold)
        held_m["ecbplus.ari"] = clustering.ari(list(labels), hgold)
        base = clustering.cluster(story_vectors(held_docs, "doc", cache_dir=cache_dir), base_t)
        held_m["ecbplus.bcubed_f1.baseline"] = clustering.bcubed_f1(list(base), hgold)
    return story


def _calibrate_retrieval(
    data: ds.ClefData,
    models_dir: Path,
    cache_dir: Path | None,
    fit_m: dict[str, Any],
    held_m: dict[str, Any],
) -> dict[str, Any]:
    index = ClaimIndex.build(data.claims, cache_dir=cache_dir)
    rel = data.relevant()
    queries = [q for q in data.queries if (q.split, q.id) in rel]
    held = held_out("clef2020", [f"clef:{q.split}/{q.id}" for q in queries])
    fit_q = [q for q, h in zip(queries, held, strict=True) if not h]
    held_q = [q for q, h in zip(queries, held, strict=True) if h]
    if not fit_q:  # too few queries to hold any out: fit on all
        fit_q, held_q = queries, []

    def score(qs: list[Any], settings: dict[str, Any]) -> float:
        s = first_stage(index, [q.text for q in qs], settings, cache_dir=cache_dir)
        ranks = [[index.ids[j] for j in row] for row in top_k(s, MAP_K)]
        return map_at_k(ranks, [rel[(q.split, q.id)] for q in qs])

    # Titles double the claims to encode: use them only when they gain a clear TITLE_MARGIN.
    best: tuple[float, float, dict[str, Any]] = (-1.0, -1.0, {})
    for cleaning in (False, True):
        for fields in ("text", "title", "mean", "max"):
            for w in (0.0, 0.1, 0.2, 0.3, 0.5):
                settings = {"query_cleaning": cleaning, "claim_fields": fields, "lexical_weight": w}
                m = score(fit_q, settings)
                merit = m - (TITLE_MARGIN if fields != "text" else 0.0)
                if merit > best[0]:
                    best = (merit, m, settings)
    fit_m["clef2020.map5"] = best[1]
    settings = dict(best[2])
    base = {"query_cleaning": False, "claim_fields": "text", "lexical_weight": 0.0}
    fit_m["clef2020.map5.baseline"] = score(fit_q, base)
    settings.update(
        _calibrate_rerank(index, data.claims, fit_q, rel, settings, models_dir, cache_dir, fit_m)
    )
    if held_q:
        model = load_relation(models_dir) if settings["rerank_weight"] else None
        first, final = rank_claims(
            index, data.claims, [q.text for q in held_q], settings, model, cache_dir=cache_dir
        )
        gold = [rel[(q.split, q.id)] for q in held_q]
        held_m["clef2020.map5.first_stage"] = map_at_k(first, gold)
        held_m["clef2020.map5"] = map_at_k(final, gold)
        held_m["clef2020.recall5"] = recall_at_k(final, gold)
        held_m["clef2020.map5.baseline"] = score(held_q, base)
    return settings


RERANK_WEIGHTS = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0)


def rerank_signals(
    index: ClaimIndex,
    claims: Sequence[ds.ClefClaim],
    queries: Sequence[str],
    candidates: np.ndarray,
    model: Any,
    settings: dict[str, Any],
) -> dict[str, np.ndarray]:
    """Relation-model scores (same, similarity) of each query with its candidate claims."""
    texts = [clean_tweet(q) for q in queries] if settings.get("query_cleaning") else list(queries)
    pairs = [(texts[i], claims[j].text) for i, row in enumerate(candidates) for j in row]
    scores = model.predict(pairs)
    shape = candidates.shape
    return {
        "same": np.asarray(scores.same, dtype=np.float32).reshape(shape),
        "similarity": np.asarray(scores.similarity, dtype=np.float32).reshape(shape),
    }


def rank_claims(
    index: ClaimIndex,
    claims: Sequence[ds.ClefClaim],
    queries: Sequence[str],
    settings: dict[str, Any],
    model: Any = None,
    *,
    cache_dir: Path | None = None,
) -> tuple[list[list[str]], list[list[str]]]:
    """Claim ids per query: (first stage, after re-ranking its top k with the relation model).

    Without a model, or with a calibrated ``rerank_weight`` of 0, both rankings are the same.
    """
    k = max(MAP_K, int(settings.get("rerank_top_k", RERANK_TOP_K)))
    stage1 = first_stage(index, queries, settings, cache_dir=cache_dir)
    cand = top_k(stage1, k)
    first = [[index.ids[j] for j in row] for row in cand]
    weight = float(settings.get("rerank_weight", 0.0))
    if model is None or weight <= 0 or not len(queries):
        return first, first
    sig = rerank_signals(index, claims, queries, cand, model, settings)
    final = (
        np.take_along_axis(stage1, cand, axis=1)
        + weight * sig[str(settings.get("rerank_signal", "same"))]
    )
    order = np.argsort(-final, axis=1, kind="stable")
    return first, [[index.ids[j] for j in row] for row in np.take_along_axis(cand, order, axis=1)]


def _calibrate_rerank(
    index: ClaimIndex,
    claims: Sequence[ds.ClefClaim],
    queries: list[ds.ClefQuery],
    rel: dict[tuple[str, str], set[str]],
    settings: dict[str, Any],
    models_dir: Path,
    cache_dir: Path | None,
    fit_m: dict[str, Any],
) -> dict[str, Any]:
    """Signal and weight of the relation model added to the first stage over its top k."""
    out: dict[str, Any] = {
        "rerank_top_k": RERANK_TOP_K,
        "rerank_signal": "same",
        "rerank_weight": 0.0,
        "rerank_model": None,
    }
    model = load_relation(models_dir)
    if model is None or not queries:
        return out
    out["rerank_model"] = f"{getattr(model, 'name', 'relation')} {getattr(model, 'version', '')}"
    texts = [q.text for q in queries]
    stage1 = first_stage(index, texts, settings, cache_dir=cache_dir)
    cand = top_k(stage1, RERANK_TOP_K)
    base = np.take_along_axis(stage1, cand, axis=1)
    sig = rerank_signals(index, claims, texts, cand, model, settings)
    gold = [rel[(q.split, q.id)] for q in queries]
    plain = map_at_k([[index.ids[j] for j in row] for row in cand], gold)
    best = (plain + RERANK_MARGIN, "same", 0.0)  # re-ranking must earn its cost
    for name, values in sig.items():
        for w in RERANK_WEIGHTS:
            order = np.argsort(-(base + w * values), axis=1, kind="stable")
            ranked = np.take_along_axis(cand, order, axis=1)
            m = map_at_k([[index.ids[j] for j in row] for row in ranked], gold)
            if m > best[0] + 1e-9:
                best = (m, name, w)
    fit_m["clef2020.map5.reranked"] = best[0] if best[2] else plain
    out.update(rerank_signal=best[1], rerank_weight=best[2])
    return out


def load_relation(models_dir: Path | None = None) -> Any:
    """The claim-relation model, or None when it is not installed yet."""
    try:
        from factcheck.relation import load_relation_model
    except ImportError:
        return None
    return load_relation_model(models_dir)


def load_calibration(models_dir: Path) -> dict[str, Any]:
    """Read ``models_dir/calibration.json``; ModelError says how to rebuild it."""
    path = Path(models_dir) / CALIBRATION_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(
            f"{path} is missing; build it with `factcheck calibrate --data ../shared/data` "
            f"(or python -m training.calibrate --data ../shared/data --models {models_dir})."
        ) from None
    except (OSError, ValueError) as exc:
        raise ModelError(
            f"{path} is unreadable ({exc}); rebuild it with `factcheck calibrate --data "
            "../shared/data`."
        ) from exc
    if not isinstance(data, dict) or not isinstance(data.get("thresholds"), dict):
        raise ModelError(
            f"{path} has no 'thresholds' object; rebuild it with `factcheck calibrate`."
        )
    return data


def _rounded(obj: Any) -> Any:
    if isinstance(obj, float):
        return round(obj, 4) if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: _rounded(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_rounded(v) for v in obj]
    return obj


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--models", type=Path, default=None)
    parser.add_argument("--cache-dir", type=Path, default=None, help="persist embeddings here")
    args = parser.parse_args(argv)
    from factcheck.config import MODELS_DIR

    result = calibrate(args.data, args.models or MODELS_DIR, cache_dir=args.cache_dir)
    json.dump(_rounded(result), sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
