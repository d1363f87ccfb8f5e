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
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from factcheck import clustering
from factcheck.errors import InputError, ModelError
from training import datasets as ds
from training.embeddings import pair_cosines
from training.metrics import (
    MAP_K,
    best_f1_threshold,
    f1_score,
    map_at_k,
    recall_at_k,
    spearman,
)
from training.retrieval import (
    RERANK_TOP_K,
    RERANK_WEIGHTS,
    ClaimIndex,
    first_stage,
    load_relation,
    rank_claims,
    rerank_signals,
    top_k,
)
from training.splits import HELD_OUT_PCT, held_out, pair_text_group
from training.stories import STORY_LINKAGES, STORY_WEIGHTS, _best_cut, story_labels, story_vectors

CALIBRATION_FILE = "calibration.json"
RELATED_STS_MIN = 2.5
TITLE_MARGIN = 0.01  # MAP@5 gain that justifies encoding claim titles too
RERANK_MARGIN = 0.005  # MAP@5 gain that justifies running the relation model on top k


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
