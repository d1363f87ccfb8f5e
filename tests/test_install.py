"""The README's install is the one CI runs, and it pins everything HTML input needs.

pip 23 (Python 3.11's own) does not match lxml's ``html-clean`` extra to jusText's
``lxml[html_clean]``, so ``lxml_html_clean`` must be a direct dependency; constraints.txt pins
the whole tree (CPU-only torch included) so every install gets the versions CI tested.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "articles"


def _name(req: str) -> str:
    return re.split(r"[<>=!~ \[;]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pins() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, sep, version = line.partition("==")
            assert sep, f"constraints.txt: {line!r} is not pinned with =="
            pins[_name(name)] = version
    return pins


def test_lxml_html_clean_is_a_direct_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "lxml-html-clean" in {_name(r) for r in project["dependencies"]}


def test_constraints_pin_every_declared_dependency_and_cpu_torch() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = _pins()
    declared = project["dependencies"] + project["optional-dependencies"]["test"]
    missing = sorted({_name(r) for r in declared} - set(pins))
    assert not missing, f"constraints.txt lacks {missing}; regenerate it (see its header)"
    assert pins["torch"] == "2.13.0+cpu"
    assert {"lxml", "lxml-html-clean", "justext", "schemathesis", "fastapi-offline"} <= set(pins)


def _readme_install() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.findall(r"^(pip install [^\n#]*?)\s*(?:#.*)?$", readme, flags=re.M)
    assert found, "README has no pip install command"
    return found[0].strip()


def test_ci_installs_exactly_the_readme_way_with_the_venvs_own_pip() -> None:
    install = _readme_install()
    assert install == "pip install -e '.[test]' -c constraints.txt"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert f"python -m {install} " in ci or f"python -m pip install -q {install[12:]}" in ci
    assert "--upgrade pip" not in ci and "install -U pip" not in ci
    assert "pip install -q torch" not in ci  # one command, constraints pin torch


def test_html_input_works() -> None:
    import lxml_html_clean  # noqa: F401  (what jusText imports for HTML pages)

    from factcheck.ingest import from_html

    article = from_html((FIXTURES / "daily-post.html").read_text(encoding="utf-8"))
    assert article.source == "The Daily Post" and len(article.text) > 500


def test_every_package_folder_is_listed_for_the_wheel() -> None:
    """A package split into a folder (``factcheck/conflicts/``) ships only if pyproject lists
    it: setuptools' explicit ``packages`` does not find sub-packages by itself."""
    tool = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    listed = set(tool["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for top in ("factcheck", "service")
        for init in (ROOT / top).rglob("__init__.py")
    }
    assert found - listed == set(), f"add to [tool.setuptools] packages: {sorted(found - listed)}"
