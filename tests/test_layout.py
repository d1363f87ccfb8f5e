"""The house rules a newcomer relies on, checked on the source: the core (``factcheck``) does not
import its adapters (``service``) or the training recipes statically, and never reads the
environment (adapters do, and pass a ``Config`` down)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "factcheck"
MODELS = ROOT / "models"


def _modules(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def _imports(tree: ast.AST) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.append((node.lineno, node.module))
    return out


def test_the_core_imports_neither_service_nor_training() -> None:
    bad = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in _modules(CORE)
        for line, name in _imports(ast.parse(path.read_text(encoding="utf-8")))
        if name.split(".")[0] in {"service", "training", "benchmarks"}
    ]
    assert not bad, "the core must not import its adapters or recipes: " + "; ".join(bad)


def _env_reads(tree: ast.AST) -> list[int]:
    """Lines that read the environment: os.environ[...] / .get / getenv (setdefault writes)."""
    lines: list[int] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in {"getenv", "getenvb"}:
            lines.append(node.lineno)
        elif isinstance(node, ast.Subscript | ast.Attribute):
            if ast.unparse(node.value) != "os.environ":
                continue
            lookup = isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load)
            method = isinstance(node, ast.Attribute) and node.attr != "setdefault"
            if lookup or method:
                lines.append(node.lineno)
    return lines


def test_the_core_never_reads_the_environment() -> None:
    bad = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in _modules(CORE)
        for line in _env_reads(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert not bad, "read settings in an adapter and pass them in Config: " + ", ".join(bad)


def test_the_env_check_sees_a_read() -> None:
    """The checker itself: a getenv and an environ lookup are found, a setdefault is not."""
    code = "import os\na = os.getenv('X')\nb = os.environ['Y']\nc = os.environ.get('Z')\n"
    assert sorted(_env_reads(ast.parse(code))) == [2, 3, 4]
    assert _env_reads(ast.parse("import os\nos.environ.setdefault('A', '1')\n")) == []


def test_models_holds_artefacts_not_recipes() -> None:
    """Training recipes live in training/ (not in the wheel); models/ keeps the locator only."""
    assert [p.name for p in _modules(MODELS)] == ["__init__.py"]
    assert (ROOT / "training" / "train_relation.py").is_file()
