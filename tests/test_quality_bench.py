"""The quality benchmark and the calibration it reads: metrics, splits, and end-to-end runs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest

from factcheck.errors import ModelError
from training import calibrate as cal
from training import datasets as ds
from training import metrics, retrieval

REPO = Path(__file__).parents[1]
FIX = Path(__file__).parent / "fixtures" / "data"
SCRIPT = REPO / "benchmarks" / "quality.py"

PAIR_KEYS = {
    "mrpc.f1", "mrpc.accuracy", "stsb.spearman", "stsb.news_spearman", "paws.false_merge_rate",
    "conflict.vitaminc.f1", "conflict.sick.f1", "conflict.snli.f1", "conflict.mnli.f1",
    "conflict.summedits.f1", "conflict.fever.f1",
}  # fmt: skip
OTHER_KEYS = {
    "retrieval.clef2020.map5",
    "retrieval.clef2020.recall5",
    "clustering.ecbplus.bcubed_f1",
    "clustering.ecbplus.ari",
}
ALL_KEYS = PAIR_KEYS | OTHER_KEYS
EXPECTED = ALL_KEYS | {f"{k}.baseline" for k in ALL_KEYS}


def test_average_precision_and_map_at_5_hand_computed() -> None:
    assert metrics.average_precision_at_k(["a", "b", "c"], {"b"}) == pytest.approx(0.5)
    # relevant at ranks 1 and 3 of 2 relevant: (1/1 + 2/3) / 2
    assert metrics.average_precision_at_k(["a", "x", "c"], {"a", "c"}) == pytest.approx(5 / 6)
    # a relevant claim at rank 6 is past the cut
    ranked = [["a", "b", "c"], ["x", "y", "z", "w", "q", "r"]]
    assert metrics.map_at_k(ranked, [{"b"}, {"r"}]) == pytest.approx(0.25)
    assert metrics.recall_at_k(ranked, [{"b", "zz"}, {"r"}]) == pytest.approx(0.25)
    assert metrics.map_at_k([], []) == 0.0


def test_best_f1_threshold_cuts_between_scores() -> None:
    t, f1 = metrics.best_f1_threshold(np.array([0.9, 0.8, 0.7, 0.2]), np.array([1, 1, 0, 0]))
    assert t == pytest.approx(0.75) and f1 == pytest.approx(1.0)
    # ties cannot be split: both 0.5 scores go the same way
    t, f1 = metrics.best_f1_threshold(np.array([0.5, 0.5, 0.1]), np.array([1, 0, 0]))
    assert t == pytest.approx(0.3) and f1 == pytest.approx(2 / 3)


def test_f1_and_spearman() -> None:
    pred, gold = np.array([True, True, False, False]), np.array([True, False, True, False])
    assert metrics.f1_score(pred, gold) == pytest.approx(0.5)
    assert metrics.spearman(np.array([1.0, 2, 3]), np.array([10.0, 20, 30])) == pytest.approx(100.0)


def test_clean_tweet_drops_links_and_signature() -> None:
    raw = (
        "Wow a SHARK on the #FloodedHighway!! pic.twitter.com/abc https://t.co/x "
        "\u2014 Storm Fan (@stormfan) August 27, 2017"
    )
    assert retrieval.clean_tweet(raw) == "Wow a SHARK on the Flooded Highway!!"
    assert retrieval.clean_tweet("says @SenatorSmith") == "says Senator Smith"


def test_top_k_orders_best_first() -> None:
    scores = np.array([[0.1, 0.9, 0.5, 0.7]])
    assert retrieval.top_k(scores, 3).tolist() == [[1, 3, 2]]


def test_bm25_ranks_the_claim_sharing_rare_words_first() -> None:
    data = ds.load_clef(ds.discover(FIX)["clef2020"])
    index = retrieval.ClaimIndex.build(data.claims)  # vectors are only encoded when asked for
    lex = index.lexical(["Lakeside banned bicycles downtown", "zzz qqq"])
    assert index.ids[int(lex[0].argmax())] == "3" and lex[0].max() == pytest.approx(1.0)
    assert not lex[1].any()


def test_missing_calibration_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="factcheck calibrate"):
        cal.load_calibration(tmp_path)


def run_bench(data: Path, models: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--data",
            str(data),
            "--models",
            str(models),
            "--json",
            str(out),
            "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO,
    )


def check_ranges(result: dict[str, float | None]) -> None:
    for key, value in result.items():
        assert value is not None, key
        if "spearman" in key:
            assert -100.0 <= value <= 100.0, key
        elif key.startswith("clustering.ecbplus.ari"):
            assert -1.0 <= value <= 1.0, key
        else:
            assert 0.0 <= value <= 1.0, key


@pytest.mark.slow
def test_calibrate_then_benchmark_on_fixture_tree(tmp_path: Path) -> None:
    models = tmp_path / "models"
    written = cal.calibrate(FIX, models)
    stored = json.loads((models / "calibration.json").read_text(encoding="utf-8"))
    assert {"same_claim", "related", "story"} <= set(stored["thresholds"])
    assert stored["thresholds"]["related"] <= stored["thresholds"]["same_claim"]
    assert stored["story"]["linkage"] in ("average", "complete")
    assert set(stored["data"]) == {"mrpc", "stsb", "ecbplus", "clef2020"}
    assert written["thresholds"]["same_claim"] == pytest.approx(stored["thresholds"]["same_claim"])

    proc = run_bench(FIX, models, tmp_path / "q.json")
    assert proc.returncode == 0, proc.stderr
    result = json.loads((tmp_path / "q.json").read_text(encoding="utf-8"))
    assert set(result) == EXPECTED
    check_ranges(result)
    assert "relation model: absent" in proc.stdout
    assert "mrpc.f1" in proc.stdout and "time:" in proc.stdout


def test_benchmark_takes_thresholds_from_models_and_skips_absent_sets(tmp_path: Path) -> None:
    # An impossible same-claim cut and a related cut that admits everything: the cosine
    # baseline then merges nothing and calls every pair a conflict, whatever the data says.
    models = tmp_path / "models"
    models.mkdir()
    calib = {"thresholds": {"same_claim": 1.01, "related": -1.0, "story": 0.5}}
    (models / "calibration.json").write_text(json.dumps(calib), encoding="utf-8")
    data = tmp_path / "data"
    for name in ("mrpc", "paws_wiki", "sick"):
        (data / name).mkdir(parents=True)
        for f in (FIX / name).iterdir():
            (data / name / f.name).write_bytes(f.read_bytes())
    proc = run_bench(data, models, tmp_path / "q.json")
    assert proc.returncode == 0, proc.stderr
    result = json.loads((tmp_path / "q.json").read_text(encoding="utf-8"))
    keys = {"mrpc.f1", "mrpc.accuracy", "paws.false_merge_rate", "conflict.sick.f1"}
    assert set(result) == keys | {f"{k}.baseline" for k in keys}
    assert result["mrpc.f1.baseline"] == 0.0
    assert result["mrpc.accuracy.baseline"] == pytest.approx(0.5)  # 3 of 6 are paraphrases
    assert result["paws.false_merge_rate.baseline"] == 0.0
    assert result["conflict.sick.f1.baseline"] == pytest.approx(2 * 0.5 / 1.5, abs=1e-4)


def test_benchmark_without_calibration_fails_with_a_fix(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--data", str(FIX), "--models", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert proc.returncode == 2
    assert "factcheck calibrate" in proc.stderr


def test_sts_blend_weight_comes_from_the_relation_manifest() -> None:
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        import quality
    finally:
        sys.path.remove(str(SCRIPT.parent))

    class Model:
        manifest: ClassVar[dict[str, Any]] = {"similarity_blend": {"cosine_weight": 0.35}}

    assert quality.Bench(calibration={}, relation=Model()).cosine_weight() == 0.35
    Model.manifest = {}
    assert quality.Bench(calibration={}, relation=Model()).cosine_weight() == 0.0
    assert quality.Bench(calibration={}).cosine_weight() == 0.0
