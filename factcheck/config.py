"""Typed settings with their defaults.

The core never reads the environment: adapters (CLI flags, the service's pydantic settings) build a
``Config`` and pass it down, so a library user gets the same behaviour wherever the code runs.
Thresholds that are calibrated on data live in ``models/calibration.json`` and are loaded by
``factcheck.calibration``; the values here are only the fallbacks used when that file is absent.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from factcheck.models import MODELS_DIR  # the repo's models/, installed as factcheck.models

EmbedBackend = Literal["auto", "onnx", "torch"]
DEFAULT_EMBED_BACKEND: EmbedBackend = "auto"  # ONNX int8 when models/embedder/ is there, else torch
DEFAULT_EMBED_BATCH_SIZE = 64
DEFAULT_EMBED_CACHE_SIZE = 200_000
DEFAULT_KNN = 10
DEFAULT_SAME_CLAIM_THRESHOLD = 0.70
DEFAULT_RELATED_THRESHOLD = 0.55
DEFAULT_DUPLICATE_ARTICLE_SHARE = 0.6
DEFAULT_EXACT_INDEX_LIMIT = 50_000  # above this many vectors: IVF-SQ8 (approximate)
DEFAULT_MIN_QUOTE_WORDS = 4
DEFAULT_PARSE_CHUNK_SIZE = 16  # articles per spaCy batch (and per progress-bar step)
DEFAULT_MODEL_PAIRS_PER_SENTENCE = 3  # best partners per other source the relation model sees
DEFAULT_RELATION_CACHE_SIZE = 50_000  # relation-model scores kept by text pair


@dataclass(frozen=True)
class Config:
    """Knobs of the pipeline; every field has a safe default."""

    embed_backend: EmbedBackend = DEFAULT_EMBED_BACKEND  # adapters: env FACTCHECK_EMBED_BACKEND
    embed_batch_size: int = DEFAULT_EMBED_BATCH_SIZE
    embed_cache_size: int = DEFAULT_EMBED_CACHE_SIZE
    knn: int = DEFAULT_KNN
    same_claim_threshold: float | None = None  # None: take the calibrated value from models/
    related_threshold: float | None = None
    duplicate_article_share: float = DEFAULT_DUPLICATE_ARTICLE_SHARE
    exact_index_limit: int = DEFAULT_EXACT_INDEX_LIMIT
    min_quote_words: int = DEFAULT_MIN_QUOTE_WORDS
    parse_chunk_size: int = DEFAULT_PARSE_CHUNK_SIZE
    model_pairs_per_sentence: int = DEFAULT_MODEL_PAIRS_PER_SENTENCE
    relation_cache_size: int = DEFAULT_RELATION_CACHE_SIZE
    models_dir: Path = MODELS_DIR
