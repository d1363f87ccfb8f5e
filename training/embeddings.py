"""Sentence vectors for the recipes: the shipped embedder, memoised in memory and on disk."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from training import datasets as ds

EMBED_DIM = 384
_ENCODER: Callable[[list[str]], np.ndarray] | None = None
_MEMO: dict[str, np.ndarray] = {}


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
