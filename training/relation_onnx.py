"""Continuation and export: rebuild the float net from a shipped int8 graph, check it, export."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from training.relation_data import FROZEN_LAYERS, Pair
from training.relation_net import make_tokenizer, torch_probs

# --------------------------------------------------------------------------------------------
# Continuation: rebuild the float network from a shipped int8 artefact
# --------------------------------------------------------------------------------------------


def onnx_weights(path: Path) -> dict[str, tuple[np.ndarray, float]]:
    """Torch parameter name -> (float weight in torch layout, quantisation step) from an
    ``export_onnx`` graph; the step is 0.0 for weights stored as float.

    Names are taken from the graph structure, not from initializer names (MatMul weights are
    exported as generic ``onnx::MatMul_123``): each ``MatMulInteger`` node is named after its
    module (``/inner/encoder/encoder/layer.2/attention/self/query/MatMul_quant``), each
    ``DequantizeLinear`` feeding an embedding ``Gather`` after its table, and the remaining float
    initializers (biases, LayerNorm) keep their ``inner.<param>`` names. int8 values are
    dequantised as ``(q - zero_point) * scale``; MatMul weights are ``[in, out]`` in ONNX and
    ``[out, in]`` in ``torch.nn.Linear``, hence the transpose.
    """
    import onnx
    from onnx import numpy_helper

    graph = onnx.load(str(path)).graph
    init = {i.name: numpy_helper.to_array(i) for i in graph.initializer}

    def deq(q: str, scale: str, zp: str) -> tuple[np.ndarray, float]:
        step = float(init[scale])
        return (init[q].astype(np.float32) - init[zp].astype(np.float32)) * step, step

    out: dict[str, tuple[np.ndarray, float]] = {}
    for node in graph.node:
        if node.op_type == "MatMulInteger" and node.input[1] in init:
            m = re.fullmatch(r"/inner/(.+?)/(?:Gemm_)?MatMul_quant", node.name)
            if not m:
                raise RuntimeError(f"unexpected quantised MatMul node {node.name!r} in {path}")
            q = node.input[1]
            if not q.endswith("_quantized"):
                raise RuntimeError(f"{node.name}: weight {q!r} is not a quantised initializer")
            stem = q[: -len("_quantized")]
            w, step = deq(q, stem + "_scale", node.input[3])
            out[m.group(1).replace("/", ".") + ".weight"] = (w.T.copy(), step)
        elif node.op_type == "DequantizeLinear" and node.input[1] in init:
            m = re.fullmatch(r"inner\.(.+)\.weight_scale", node.input[1])
            q = node.input[1][: -len("_scale")] + "_quantized"
            if not m or q not in init:
                continue
            out[m.group(1) + ".weight"] = deq(q, node.input[1], node.input[2])
        elif node.op_type == "MatMul" and any(i in init for i in node.input):
            raise RuntimeError(f"float MatMul weight in node {node.name!r}: not handled")
    for name, arr in init.items():
        if name.startswith("inner.") and not name.endswith(("_quantized", "_scale", "_zero_point")):
            out[name[len("inner.") :]] = (arr.astype(np.float32), 0.0)
    return out


def load_from_onnx(net: Any, folder: Path, log: Callable[[str], None]) -> dict[str, Any]:
    """Overwrite ``net`` (built from base MiniLM) with every weight the int8 graph holds.

    Weights the recipe froze (word embeddings, bottom ``FROZEN_LAYERS`` layers) are checked to
    equal base MiniLM within half a quantisation step (float ones exactly) and then kept at the
    exact base float value; if one does not match, the dequantised value is used and it is
    reported. Every other parameter takes the dequantised or float value from the graph.
    """
    import torch

    weights = onnx_weights(folder / "model.onnx")
    params = dict(net.named_parameters())
    unknown = sorted(set(weights) - set(params))
    if unknown:
        raise RuntimeError(f"{folder}/model.onnx holds weights the net lacks: {unknown[:5]}")
    frozen_prefixes = (
        "encoder.embeddings.word_embeddings.",
        *(f"encoder.encoder.layer.{i}." for i in range(FROZEN_LAYERS)),
    )
    kept, mismatched, loaded = 0, [], 0
    with torch.no_grad():
        for name, (arr, step) in sorted(weights.items()):
            prm = params[name]
            if tuple(prm.shape) != arr.shape:
                raise RuntimeError(f"{name}: graph shape {arr.shape} != net {tuple(prm.shape)}")
            if name.startswith(frozen_prefixes):
                gap = float(np.max(np.abs(prm.detach().numpy() - arr)))
                if gap <= step * 0.5 * 1.001 + 1e-6:
                    kept += 1
                    continue  # frozen in training: base MiniLM, exact
                mismatched.append(f"{name} (max gap {gap:.3g}, step {step:.3g})")
            prm.copy_(torch.from_numpy(arr))
            loaded += 1
    missing = sorted(n for n in params if n not in weights)
    report = {
        "params_from_graph": loaded,
        "frozen_params_equal_to_base": kept,
        "frozen_params_not_equal_to_base": mismatched,
        "params_not_in_graph": missing,
    }
    log(
        f"init from {folder / 'model.onnx'}: {loaded} parameters from the graph, {kept} frozen "
        f"ones verified equal to base MiniLM, {len(mismatched)} frozen ones differ, not in the "
        f"graph (unused by the forward pass): {missing}"
    )
    if mismatched:
        log("WARNING frozen parameters differ from base MiniLM: " + "; ".join(mismatched))
    if any(not n.startswith("encoder.pooler.") for n in missing):
        raise RuntimeError(
            f"parameters used by the forward pass are missing from the graph: {missing}"
        )
    return report


def verify_rebuild(
    net: Any,
    folder: Path,
    pairs: Sequence[tuple[str, str]],
    threads: int,
    log: Callable[[str], None],
) -> dict[str, Any]:
    """|p_torch - p_onnx| on ``pairs``: the float rebuild must reproduce the int8 artefact.

    The artefact runs through ``factcheck.relation`` (pairs one at a time, as shipped); the
    torch net runs in eval mode. Only int8 noise may separate them (mean < 0.03 required).
    """
    from factcheck.relation import load_relation_folder

    net.eval()
    tok = make_tokenizer(folder / "tokenizer.json")
    pt = torch_probs(net, tok, pairs)
    model = load_relation_folder(folder, threads=threads)
    r = model.predict(pairs)
    model.close()
    po = np.stack([r.same, r.conflict, r.neutral], axis=1)
    diff = np.abs(pt - po)
    agree = float(np.mean(pt.argmax(1) == po.argmax(1)))
    res = {
        "pairs": len(pairs),
        "max_abs_prob_diff": round(float(diff.max()), 4),
        "mean_abs_prob_diff": round(float(diff.mean()), 4),
        "p95_abs_prob_diff": round(float(np.quantile(diff, 0.95)), 4),
        "argmax_agreement": round(agree, 4),
    }
    # Round trip: re-export the rebuilt net through the same int8 export and score the same
    # pairs. If every weight landed in the right place, this reproduces the shipped graph up to
    # float rounding of the quantisation scales, so any torch-vs-int8 gap above is int8 noise.
    attn = net.encoder.config._attn_implementation
    with tempfile.TemporaryDirectory() as tmp:
        again = Path(tmp)
        export_onnx(net, again, log)
        shutil.copy2(folder / "tokenizer.json", again / "tokenizer.json")
        man = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        man.pop("files", None)  # no checksums: this is a different file by construction
        (again / "manifest.json").write_text(json.dumps(man))
        model = load_relation_folder(again, threads=threads)
        r2 = model.predict(pairs)
        model.close()
    net.encoder.set_attn_implementation(attn)  # export switched to eager; train as before
    p2 = np.stack([r2.same, r2.conflict, r2.neutral], axis=1)
    rt = np.abs(p2 - po)
    res["reexport_int8_vs_shipped_max_abs_prob_diff"] = round(float(rt.max()), 4)
    res["reexport_int8_vs_shipped_mean_abs_prob_diff"] = round(float(rt.mean()), 5)
    log(f"rebuild check (torch float vs shipped int8, {len(pairs)} calibration pairs): {res}")
    if res["mean_abs_prob_diff"] >= 0.03 or agree < 0.9 or rt.mean() >= 0.005:
        raise RuntimeError(
            f"the float net rebuilt from {folder}/model.onnx does not reproduce it ({res}); "
            "the graph layout probably changed: check onnx_weights against the node names"
        )
    return res


def verify_pairs(calib: dict[str, list[Pair]], n: int = 200) -> list[tuple[str, str]]:
    """~n calibration pairs, round-robin over data sets (fixed order, no RNG)."""
    queues = [list(calib[k]) for k in sorted(calib)]
    out: list[tuple[str, str]] = []
    i = 0
    while len(out) < n and any(i < len(q) for q in queues):
        out.extend((q[i].a, q[i].b) for q in queues if i < len(q))
        i += 1
    return out[:n]


def export_onnx(net: Any, out_dir: Path, log: Callable[[str], None]) -> Path:
    """fp32 ONNX export then dynamic int8 quantisation; returns the int8 model path."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    class Export(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(
            self, input_ids: Any, attention_mask: Any, token_type_ids: Any
        ) -> tuple[Any, Any]:
            logits, sim = self.inner(input_ids, attention_mask, token_type_ids)
            return torch.softmax(logits, -1), torch.sigmoid(sim)

    net.encoder.set_attn_implementation("eager")  # a graph onnxruntime's optimiser can fuse
    wrapper = Export(net).eval()
    dummy = tuple(
        torch.ones((2, 16), dtype=torch.long)
        if k != "token_type_ids"
        else torch.zeros((2, 16), dtype=torch.long)
        for k in ("input_ids", "attention_mask", "token_type_ids")
    )
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "model_fp32.onnx"
        axes = {0: "batch", 1: "seq"}
        torch.onnx.export(
            wrapper,
            dummy,
            str(fp32),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["probs", "similarity"],
            dynamic_axes={
                "input_ids": axes,
                "attention_mask": axes,
                "token_type_ids": axes,
                "probs": {0: "batch"},
                "similarity": {0: "batch"},
            },
            opset_version=17,
            do_constant_folding=True,
            dynamo=False,
        )
        out = out_dir / "model.onnx"
        quantize_dynamic(str(fp32), str(out), weight_type=QuantType.QInt8)
        log(
            f"exported fp32 {fp32.stat().st_size / 1e6:.1f} MB -> "
            f"int8 {out.stat().st_size / 1e6:.1f} MB"
        )
    return out
