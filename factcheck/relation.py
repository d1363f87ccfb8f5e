"""Claim-relation model: is a sentence pair the same claim, a conflict, or neither?

A MiniLM cross-encoder reads both sentences together, so it sees what a cosine of two separate
embeddings cannot: a changed number, an inserted "not", swapped roles. It runs as an int8 ONNX
graph through onnxruntime (no torch at run time) with the tokenizer stored next to it, so nothing
is fetched from the network. The artefact lives in ``models/relation/`` and is rebuilt with
``python -m training.train_relation --data ../shared/data --out models/relation``; its
``manifest.json`` records the data, settings, held-out metrics and the calibrated thresholds.
When ``conflict_stack.json`` sits next to it (``training/fit_conflict.py``), P(conflict) comes from
that stack: the cross-encoder's probabilities plus typed number / date / negation differences.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from factcheck.config import MODELS_DIR
from factcheck.conflict_stack import ConflictStack, load_stack
from factcheck.errors import ModelError
from factcheck.workers import WorkerPool, default_workers

ARTEFACT_FOLDER = "relation"
MANIFEST_FILE = "manifest.json"
REBUILD_HINT = (
    "rebuild it with "
    "`python -m training.train_relation --data ../shared/data --out models/relation` "
    "(or restore models/relation/ from git; if the repo uses Git LFS run `git lfs pull`)"
)
_REQUIRED = ("model_file", "tokenizer_file", "labels", "max_length")


@dataclass(frozen=True)
class RelationScores:
    """Per-pair probabilities and a 0..1 similarity.

    ``same``, ``neutral`` and ``model_conflict`` are the cross-encoder's (they sum to 1);
    ``conflict`` is the decision score: the conflict stack's P(conflict) when one is installed,
    else ``model_conflict``.
    """

    same: np.ndarray
    conflict: np.ndarray
    neutral: np.ndarray
    similarity: np.ndarray
    model_conflict: np.ndarray

    def __len__(self) -> int:
        return int(self.same.shape[0])


class RelationModel:
    """A loaded relation artefact; ``predict`` is thread-safe."""

    def __init__(
        self,
        folder: Path,
        manifest: dict[str, Any],
        session: Any,
        tokenizer: Any,
        workers: int | None = None,
        stack: ConflictStack | None = None,
    ):
        self.folder = folder
        self.manifest = manifest
        self.name: str = str(manifest.get("name", "relation"))
        self.version: str = str(manifest.get("version", "unversioned"))
        self._session = session
        self._tokenizer = tokenizer
        labels = list(manifest["labels"])
        self._idx = {k: labels.index(k) for k in ("same", "conflict", "neutral")}
        self._inputs = {i.name for i in session.get_inputs()}
        self._pool = WorkerPool(default_workers(workers), "fc-relation")
        self.workers = self._pool.workers
        th = manifest.get("thresholds") or {}
        self.same_threshold: float = float(th.get("same", 0.5))
        self.stack = stack
        self.conflict_threshold: float = (
            stack.threshold if stack is not None else float(th.get("conflict", 0.5))
        )

    def __repr__(self) -> str:
        return f"RelationModel(name={self.name!r}, version={self.version!r})"

    def predict(self, pairs: Sequence[tuple[str, str]]) -> RelationScores:
        """Score each ``(a, b)`` pair, in order.

        Every pair runs alone (no padding), ``workers`` pairs at a time on one intra-op thread
        each: int8 dynamic quantisation scales activations per tensor, so in a padded batch a
        pair's probabilities would shift with its batch mates (by up to 0.25 measured); alone
        they depend only on the two texts, which the score cache and the thresholds rely on.
        """
        n = len(pairs)
        probs = np.zeros((n, 3), dtype=np.float32)
        sim = np.zeros(n, dtype=np.float32)
        if n:
            encs = self._tokenizer.encode_batch([(str(a), str(b)) for a, b in pairs])
            for row, (p, s) in enumerate(self._pool.map(self._run_one, encs)):
                probs[row] = p
                sim[row] = s
        same = probs[:, self._idx["same"]].copy()
        model_conflict = probs[:, self._idx["conflict"]].copy()
        neutral = probs[:, self._idx["neutral"]].copy()
        similarity = np.clip(sim, 0.0, 1.0)
        conflict = model_conflict
        if self.stack is not None and n:
            conflict = self.stack.score(pairs, same, model_conflict, neutral, similarity)
        return RelationScores(
            same=same,
            conflict=conflict,
            neutral=neutral,
            similarity=similarity,
            model_conflict=model_conflict,
        )

    def close(self) -> None:
        """Stop the worker threads (they also stop with the process)."""
        self._pool.close()

    def _run_one(self, enc: Any) -> tuple[np.ndarray, float]:
        feed = {
            "input_ids": np.asarray([enc.ids], dtype=np.int64),
            "attention_mask": np.asarray([enc.attention_mask], dtype=np.int64),
            "token_type_ids": np.asarray([enc.type_ids], dtype=np.int64),
        }
        out = self._session.run(None, {k: v for k, v in feed.items() if k in self._inputs})
        return np.asarray(out[0][0], dtype=np.float32), float(np.asarray(out[1]).reshape(-1)[0])


def load_relation_model(
    models_dir: Path | None = None, *, threads: int | None = None
) -> RelationModel | None:
    """The model in ``models_dir/relation`` (default: the repo's ``models/``).

    Returns None when no artefact is installed (callers fall back to plain cosine); raises
    ModelError when one is there but unusable, because silently degrading would hide it.
    """
    folder = Path(models_dir if models_dir is not None else MODELS_DIR) / ARTEFACT_FOLDER
    if not (folder / MANIFEST_FILE).exists() and not (folder / "model.onnx").exists():
        return None
    return load_relation_folder(folder, threads=threads)


def load_relation_folder(
    folder: Path, *, threads: int | None = None, stack: bool = True
) -> RelationModel:
    """Load an artefact folder (manifest + ONNX graph + tokenizer, and the conflict stack when
    there is one and ``stack`` is true), checking every file."""
    manifest = _read_manifest(folder)
    files = manifest.get("files") or {}
    for key in ("model_file", "tokenizer_file"):
        path = folder / str(manifest[key])
        if not path.is_file():
            raise ModelError(f"relation model file {path} is missing; {REBUILD_HINT}")
        want = (files.get(path.name) or {}).get("sha256")
        if want and _sha256(path) != want:
            raise ModelError(
                f"relation model file {path} does not match its manifest checksum (corrupt, "
                f"truncated or a Git LFS pointer); {REBUILD_HINT}"
            )
    try:
        from tokenizers import Tokenizer

        tok = Tokenizer.from_file(str(folder / str(manifest["tokenizer_file"])))
        tok.enable_truncation(max_length=int(manifest["max_length"]), strategy="longest_first")
        tok.no_padding()
    except Exception as exc:  # the tokenizers library raises a bare Exception on bad JSON
        raise ModelError(
            f"cannot read the relation tokenizer in {folder}: {exc}; {REBUILD_HINT}"
        ) from exc
    try:
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1  # parallelism comes from running pairs side by side
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        session = ort.InferenceSession(
            str(folder / str(manifest["model_file"])), opts, providers=["CPUExecutionProvider"]
        )
    except Exception as exc:  # onnxruntime raises its own untyped errors on a broken graph
        raise ModelError(
            f"cannot load the relation model in {folder}: {exc}; {REBUILD_HINT}"
        ) from exc
    fitted = load_stack(folder, str(manifest.get("version", "unversioned"))) if stack else None
    try:
        return RelationModel(folder, manifest, session, tok, workers=threads, stack=fitted)
    except (KeyError, ValueError, TypeError) as exc:
        raise ModelError(
            f"relation manifest in {folder} is inconsistent: {exc}; {REBUILD_HINT}"
        ) from exc


def _read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"relation model manifest {path} is missing; {REBUILD_HINT}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(
            f"relation model manifest {path} is unreadable ({exc}); {REBUILD_HINT}"
        ) from exc
    if not isinstance(data, dict) or any(k not in data for k in _REQUIRED):
        raise ModelError(
            f"relation model manifest {path} lacks {', '.join(_REQUIRED)}; {REBUILD_HINT}"
        )
    return data


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def operating_thresholds(folder: Path) -> dict[str, float]:
    """The relation model's ``same`` / ``conflict`` cut-offs, as the loaded model applies them
    (the conflict stack's threshold when a valid one is installed); {} without an artefact."""
    try:
        manifest = _read_manifest(folder)
    except ModelError:
        return {}
    raw = manifest.get("thresholds") or {}
    out = {k: float(v) for k, v in raw.items() if isinstance(v, int | float)}
    try:
        fitted = load_stack(folder, str(manifest.get("version", "unversioned")))
    except ModelError:
        fitted = None  # loading the model itself reports it
    if fitted is not None:
        out["conflict"] = fitted.threshold
    return out
