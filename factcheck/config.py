"""Typed settings with their defaults.

The core never reads the environment: adapters (CLI flags, the service's pydantic settings) build a
``Config`` and pass it down, so a library user gets the same behaviour wherever the code runs.
Thresholds that are calibrated on data live in ``models/calibration.json`` and are loaded by
``factcheck.calibration``; the values here are only the fallbacks used when that file is absent.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path

from factcheck.errors import ConfigError
from factcheck.models import MODELS_DIR  # the repo's models/, installed as factcheck.models

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
DEFAULT_STORY_THRESHOLD = 0.6  # article-vector cosine that joins two articles into a story
DEFAULT_MODEL_THRESHOLD = 0.5  # relation-model probability, when its artefact names none


# --- cut-offs --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CutOffs:
    """The fixed cut-offs of alignment and conflict checking (not calibrated on data: chosen
    by reading the seed and fixture pairs, so they are named here with the reason for each)."""

    strong_match: float = 0.80
    """Cosine above which two sentences are one statement whose facts may be compared, unless
    the relation model already says so. The MRPC-calibrated same-claim threshold (~0.60) is
    right for alignment but lets two sentences about different events through ("speaking on
    Friday at a conference" / "speaking to reporters Monday"); on the seed and fixture pairs
    every true disagreement scores >= 0.85 and every false one <= 0.74."""

    conflict_gate: float = 0.5
    """A merely related pair is checked by the typed rules only when the relation model is at
    least this sure the two disagree (the benchmark's F1 threshold favours recall; here a false
    alarm costs a reader's time, so the gate favours precision)."""

    near_copy: float = 0.90
    """Cosine from which two sentences are one sentence copied with an edit: their numbers are
    compared slot by slot as well, since the same frame may recur in other sentences."""

    partners_per_sentence: int = 3
    """Best partners a sentence keeps per other source: many-to-many alignment, but bounded so
    a long article does not match every sentence of a short one."""

    copy_sentence_score: float = 0.95
    """Cosine from which an undisputed sentence pair counts as copied when deciding whether an
    article republishes another (wire copy): near-verbatim, not a paraphrase."""

    quote_view_max_share: float = 0.9
    """A quote gets its own embedding view only when it is shorter than this share of its
    sentence's words; a quote that is nearly the whole sentence adds nothing."""

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "partners_per_sentence":
                if not (isinstance(value, int) and value >= 1):
                    raise ConfigError(
                        f"cut-off partners_per_sentence must be a whole number >= 1, got {value!r}"
                    )
            elif not (isinstance(value, int | float) and 0.0 <= value <= 1.0):
                raise ConfigError(
                    f"cut-off {f.name} must be a number between 0 and 1, got {value!r}; see "
                    "factcheck.config.CutOffs for what it does and its default"
                )


@dataclass(frozen=True)
class Config:
    """Knobs of the pipeline; every field has a safe default."""

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
    cutoffs: CutOffs = field(default_factory=CutOffs)  # alignment and conflict cut-offs
