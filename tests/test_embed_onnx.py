"""The int8 ONNX embedder: agrees with fp32 torch, right shape, fallback without the artefact."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from factcheck.embed import DEFAULT_ONNX_DIR, MODEL_NAME, ONNX_SUFFIX, Embedder, _onnx_available
from factcheck.errors import ModelError

SENTENCES = [
    "The harbour authority said the new pier would open in late September.",
    "Three firefighters were treated for smoke inhalation after the warehouse blaze.",
    "The school district cut its bus routes from 42 to 35 to save money.",
    "Mayor Ana Ruiz denied that the council had been warned about the flooding.",
    "Train services between Riverton and Lakeside resumed on Thursday morning.",
    "Prices at the farmers' market rose by about 8 percent this summer.",
    "A spokesman declined to comment on the investigation.",
    "The museum will be closed for renovation until next spring, officials said.",
]

needs_artefact = pytest.mark.skipif(
    not (DEFAULT_ONNX_DIR / "manifest.json").is_file(),
    reason="models/embedder/ is absent; create it with python -m training.export_embedder",
)


@pytest.fixture(scope="module")
def onnx() -> Embedder:
    if not (DEFAULT_ONNX_DIR / "manifest.json").is_file():
        pytest.skip("models/embedder/ is absent; run python -m training.export_embedder")
    return Embedder(backend="onnx", batch_size=4, cache_size=0)


@pytest.fixture(scope="module")
def fp32() -> Embedder:
    try:
        return Embedder(backend="torch", batch_size=4, cache_size=0)
    except ModelError as exc:  # pragma: no cover - the model is a declared dependency
        pytest.skip(f"embedding model unavailable: {exc}")


def test_onnx_output_is_unit_float32_and_named(onnx: Embedder) -> None:
    vecs = onnx.encode(SENTENCES)
    assert vecs.shape == (len(SENTENCES), 384) and vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)
    assert onnx.name == MODEL_NAME + ONNX_SUFFIX and onnx.backend == "onnx"
    assert onnx.encode([]).shape == (0, 384)


def test_int8_agrees_with_fp32(onnx: Embedder, fp32: Embedder) -> None:
    q, ref = onnx.encode(SENTENCES), fp32.encode(SENTENCES)
    cos = np.sum(q * ref, axis=1)
    assert cos.mean() >= 0.98 and cos.min() >= 0.95
    # the neighbour structure is kept: each sentence's nearest other sentence is the same
    sim_q, sim_ref = q @ q.T, ref @ ref.T
    np.fill_diagonal(sim_q, -1)
    np.fill_diagonal(sim_ref, -1)
    assert (sim_q.argmax(1) == sim_ref.argmax(1)).mean() >= 0.75


def test_a_vector_does_not_depend_on_its_batch_mates(onnx: Embedder) -> None:
    alone = np.stack([onnx.encode([s])[0] for s in SENTENCES])
    together = onnx.encode(SENTENCES[::-1])[::-1]
    np.testing.assert_allclose(alone, together, atol=1e-5)


@needs_artefact
def test_auto_uses_onnx_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FACTCHECK_EMBED_BACKEND", raising=False)
    emb = Embedder(cache_size=0)
    assert emb.backend == "onnx" and emb.name.endswith(ONNX_SUFFIX)


def test_falls_back_to_torch_when_artefact_absent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FACTCHECK_EMBED_BACKEND", raising=False)
    try:
        emb = Embedder(onnx_dir=tmp_path / "missing", cache_size=0)
    except ModelError as exc:  # pragma: no cover
        pytest.skip(f"embedding model unavailable: {exc}")
    assert emb.backend == "torch" and emb.name == MODEL_NAME
    assert emb.encode(SENTENCES[:2]).shape == (2, 384)


def test_config_forces_torch_and_the_core_ignores_the_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The backend is a parameter (``Config.embed_backend``); only adapters read the env var."""
    monkeypatch.setenv("FACTCHECK_EMBED_BACKEND", "torch")
    try:
        forced = Embedder(backend="torch", cache_size=0)
    except ModelError as exc:  # pragma: no cover
        pytest.skip(f"embedding model unavailable: {exc}")
    assert forced.backend == "torch"
    if _onnx_available(DEFAULT_ONNX_DIR):
        assert Embedder(cache_size=0).backend == "onnx"  # the env var alone changes nothing


def test_adapters_read_the_backend_from_the_env(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from factcheck import cli
    from service.settings import Settings

    monkeypatch.setenv("FACTCHECK_EMBED_BACKEND", "torch")
    assert Settings().embed_backend == "torch"
    seen: list[str] = []

    @cli.cli.command("probe-backend")
    def probe() -> None:
        seen.append(cli._embed_backend())

    try:
        result = CliRunner().invoke(cli.cli, ["probe-backend"])
        assert result.exit_code == 0, result.output
        result = CliRunner().invoke(cli.cli, ["--embed-backend", "onnx", "probe-backend"])
        assert result.exit_code == 0, result.output
    finally:
        cli.cli.commands.pop("probe-backend")
    assert seen == ["torch", "onnx"]


def test_broken_artefact_raises_model_error_with_fix(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text('{"file": "model.onnx"}')
    (tmp_path / "tokenizer.json").write_text("{}")
    with pytest.raises(ModelError, match=r"training\.export_embedder"):
        Embedder(backend="onnx", onnx_dir=tmp_path)


def test_unknown_backend_is_rejected() -> None:
    with pytest.raises(ValueError, match="backend must be one of"):
        Embedder(backend="tpu")


@needs_artefact
def test_parallel_workers_give_the_same_vectors_in_input_order() -> None:
    one = Embedder(backend="onnx", threads=1, cache_size=0).encode_uncached(SENTENCES)
    two = Embedder(backend="onnx", threads=2, cache_size=0).encode_uncached(SENTENCES * 3)
    np.testing.assert_array_equal(two[: len(SENTENCES)], one)
    np.testing.assert_array_equal(two[len(SENTENCES) :], np.concatenate([one, one]))
