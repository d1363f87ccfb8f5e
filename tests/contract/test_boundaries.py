"""The seam holds: the core and the adapters reach storage only through ``factcheck.ports`` and
the ``factcheck.backends`` registry, never a backend module (so a new backend changes nothing
above it)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BACKEND_MODULES = ("factcheck.backends.",)  # any submodule: sqlite, faiss, postgres, ...


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def _sources() -> list[Path]:
    core = [p for p in (ROOT / "factcheck").rglob("*.py") if "backends" not in p.parts]
    return core + sorted((ROOT / "service").rglob("*.py"))


def test_no_core_module_or_adapter_imports_a_backend() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            m for m in _imports(path) if m.startswith(BACKEND_MODULES) and m != "factcheck.backends"
        )
        for path in _sources()
    }
    offenders = {k: v for k, v in offenders.items() if v}
    # the registry's own names (open_backend, memory_search, ...) are imported as
    # "factcheck.backends.<name>": allowed when <name> is not a submodule
    submodules = {p.name for p in (ROOT / "factcheck" / "backends").iterdir() if p.is_dir()}
    offenders = {k: [m for m in v if m.split(".")[2] in submodules] for k, v in offenders.items()}
    assert {k: v for k, v in offenders.items() if v} == {}
    assert len(_sources()) > 40  # the scan did look at the code
