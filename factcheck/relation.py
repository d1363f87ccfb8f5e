"""Claim-relation model: is a sentence pair the same claim, a conflict, or neither?

A MiniLM cross-encoder reads both sentences together, so it sees what a cosine of two separate
embeddings cannot: a changed number, an inserted "not", swapped roles. It runs as an int8 ONNX
graph through onnxruntime (no torch at run time) with the tokenizer stored next to it, so nothing
is fetched from the network. The artefact lives in ``models/relation/`` and is rebuilt with
``python models/train_relation.py --data ../shared/data --out models/relation``; its
``manifest.json`` records the data, settings, held-out metrics and the calibrated thresholds.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from factcheck.config import MODELS_DIR
from factcheck.errors import ModelError

ARTEFACT_FOLDER = "relation"
MANIFEST_FILE = "manifest.json"
REBUILD_HINT = (
    "rebuild it with `python models/train_relation.py --data ../shared/data --out models/relation` "
    "(or restore models/relation/ from git; if the repo uses Git LFS run `git lfs pull`)"
)
_REQUIRED = ("model_file", "tokenizer_file", "labels", "max_length")


@dataclass(frozen=True)
class RelationScores:
    """Per-pair probabilities (``same + conflict + neutral == 1``) and a 0..1 similarity."""

    same: np.ndarray
    conflict: np.ndarray
    neutral: np.ndarray
    similarity: np.ndarray

    def __len__(self) -> int:
        return int(self.same.shape[0])


class RelationModel:
    """A loaded relation artefact; ``predict`` is thread-safe."""

    def __init__(self, folder: Path, manifest: dict[str, Any], session: Any, tokenizer: Any):
        self.folder = folder
        self.manifest = manifest
        self.name: str = str(manifest.get("name", "relation"))
        self.version: str = str(manifest.get("version", "unversioned"))
        self._session = session
        self._tokenizer = tokenizer
        labels = list(manifest["labels"])
        self._idx = {k: labels.index(k) for k in ("same", "conflict", "neutral")}
        self._inputs = {i.name for i in session.get_inputs()}
        th = manifest.get("thresholds") or {}
        self.same_threshold: float = float(th.get("same", 0.5))
        self.conflict_threshold: float = float(th.get("conflict", 0.5))

    def __repr__(self) -> str:
        return f"RelationModel(name={self.name!r}, version={self.version!r})"

    def predict(self, pairs: Sequence[tuple[str, str]], *, batch_size: int = 32) -> RelationScores:
        """Score each ``(a, b)`` pair. Pairs are batched by length, so padding stays small."""
        n = len(pairs)
        probs = np.zeros((n, 3), dtype=np.float32)
        sim = np.zeros(n, dtype=np.float32)
        if n:
            encs = self._tokenizer.encode_batch([(str(a), str(b)) for a, b in pairs])
            order = sorted(range(n), key=lambda i: len(encs[i].ids))
            step = max(1, int(batch_size))
            for start in range(0, n, step):
                idx = order[start : start + step]
                p, s = self._run([encs[i] for i in idx])
                probs[idx] = p
                sim[idx] = s
        return RelationScores(
            same=probs[:, self._idx["same"]].copy(),
            conflict=probs[:, self._idx["conflict"]].copy(),
            neutral=probs[:, self._idx["neutral"]].copy(),
            similarity=np.clip(sim, 0.0, 1.0),
        )

    def _run(self, encs: Sequence[Any]) -> tuple[np.ndarray, np.ndarray]:
        width = max(len(e.ids) for e in encs)
        ids = np.zeros((len(encs), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        types = np.zeros_like(ids)
        for row, e in enumerate(encs):
            k = len(e.ids)
            ids[row, :k] = e.ids
            mask[row, :k] = e.attention_mask
            types[row, :k] = e.type_ids
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        out = self._session.run(None, {k: v for k, v in feed.items() if k in self._inputs})
        return np.asarray(out[0], dtype=np.float32), np.asarray(out[1], dtype=np.float32)


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


def load_relation_folder(folder: Path, *, threads: int | None = None) -> RelationModel:
    """Load an artefact folder (manifest + ONNX graph + tokenizer), checking every file."""
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
        opts.intra_op_num_threads = threads or min(4, os.cpu_count() or 1)
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        session = ort.InferenceSession(
            str(folder / str(manifest["model_file"])), opts, providers=["CPUExecutionProvider"]
        )
    except Exception as exc:  # onnxruntime raises its own untyped errors on a broken graph
        raise ModelError(
            f"cannot load the relation model in {folder}: {exc}; {REBUILD_HINT}"
        ) from exc
    try:
        return RelationModel(folder, manifest, session, tok)
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
