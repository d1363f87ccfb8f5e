"""Test doubles shared by plumbing tests that must not load the real embedding model.

``FakeEmbedder`` has the interface of ``factcheck.embed.Embedder`` (name, dim, encode,
encode_uncached, cache_info) and is deterministic across processes: a sentence is the sum of
fixed pseudo-random vectors of its words (a random projection of its bag of words), normalised.
Sentences that share words are therefore closer than sentences that share none, which is all a
plumbing test of alignment or indexing needs; it knows nothing about meaning.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from factcheck.normalize import words


@lru_cache(maxsize=65_536)
def _word_vector(word: str, dim: int) -> np.ndarray:
    seed = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")
    vec = np.random.default_rng(seed).standard_normal(dim).astype(np.float32)
    vec.setflags(write=False)
    return vec


class FakeEmbedder:
    """Deterministic bag-of-words embedder with the ``Embedder`` interface."""

    def __init__(self, dim: int = 384, *, name: str = "fake-bag-of-words") -> None:
        self.name = name
        self.dim = dim
        self.calls: list[int] = []  # batch sizes passed to encode, for tests that care
        self._hits = 0
        self._misses = 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Float32 (len(texts), dim) unit rows; a text without words gets its own fixed vector."""
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of strings, not a single string")
        self.calls.append(len(texts))
        self._misses += len(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            tokens = words(text) or [f"\x00{text}"]
            for token in tokens:
                out[row] += _word_vector(token, self.dim)
            norm = float(np.linalg.norm(out[row]))
            out[row] /= norm if norm > 0 else 1.0
        return out

    def encode_uncached(self, texts: Sequence[str]) -> np.ndarray:
        return self.encode(texts)

    def cache_info(self) -> dict[str, int]:
        return {"hits": self._hits, "misses": self._misses, "size": 0, "maxsize": 0}
