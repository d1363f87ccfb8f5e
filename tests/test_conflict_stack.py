"""The conflict stack: exported trees score exactly like scikit-learn, a stale or malformed stack
is refused with a fix, and the shipped stack is what the relation model and pipeline apply."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from factcheck.config import MODELS_DIR
from factcheck.conflict_stack import (
    STACK_FILE,
    ConflictStack,
    load_stack,
    stack_from_json,
    stack_to_json,
)
from factcheck.errors import ModelError
from factcheck.pairfeatures import FEATURE_NAMES
from factcheck.relation import load_relation_folder, load_relation_model, operating_thresholds

RELATION = MODELS_DIR / "relation"


def small_stack(version: str = "v1") -> tuple[ConflictStack, np.ndarray, np.ndarray]:
    """A stack exported from a real (small) scikit-learn fit, its inputs and sklearn's output."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    from training.fit_conflict import export

    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, len(FEATURE_NAMES)))
    y = (x[:, 1] + 0.5 * x[:, 5] - x[:, 4] + rng.normal(scale=0.5, size=400) > 0).astype(int)
    clf = HistGradientBoostingClassifier(max_iter=15, max_leaf_nodes=7, early_stopping=False)
    clf.fit(x, y)
    baseline, trees = export(clf)
    stack = ConflictStack(version, FEATURE_NAMES, baseline, trees, 0.5, {"name": "test"})
    return stack, x, clf.predict_proba(x)[:, 1]


def test_exported_trees_score_like_scikit_learn_and_survive_json() -> None:
    stack, x, expected = small_stack()
    np.testing.assert_allclose(stack.probability(x), expected, atol=1e-9)
    again = stack_from_json(json.loads(json.dumps(stack_to_json(stack))))
    np.testing.assert_allclose(again.probability(x), expected, atol=1e-9)
    assert again.manifest["name"] == "test" and again.threshold == 0.5


def write(folder: Path, data: object) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / STACK_FILE).write_text(json.dumps(data))


def test_no_stack_file_means_none(tmp_path: Path) -> None:
    assert load_stack(tmp_path, "v1") is None


def test_stack_for_another_relation_model_is_refused(tmp_path: Path) -> None:
    stack, _, _ = small_stack("old-version")
    write(tmp_path, stack_to_json(stack))
    with pytest.raises(ModelError) as exc:
        load_stack(tmp_path, "new-version")
    msg = str(exc.value)
    assert "was fitted for relation model old-version" in msg and "is new-version" in msg
    assert "python -m training.fit_conflict --data ../shared/data" in msg


def test_stack_with_other_features_is_refused(tmp_path: Path) -> None:
    stack, _, _ = small_stack()
    data = stack_to_json(stack)
    data["features"] = [*FEATURE_NAMES[:-1], "something_else"]
    write(tmp_path, data)
    with pytest.raises(ModelError, match=r"was fitted on features .* but this version"):
        load_stack(tmp_path, "v1")


@pytest.mark.parametrize(
    "breakage",
    [
        lambda d: d.pop("trees"),
        lambda d: d["trees"][0].update(left=[999] * len(d["trees"][0]["left"])),
        lambda d: d["trees"][0].update(value=[]),
    ],
)
def test_malformed_stack_is_refused_with_the_fix(tmp_path: Path, breakage: object) -> None:
    stack, _, _ = small_stack()
    data = stack_to_json(stack)
    breakage(data)  # type: ignore[operator]
    write(tmp_path, data)
    with pytest.raises(ModelError, match="delete it to use the cross-encoder's conflict"):
        load_stack(tmp_path, "v1")


def test_unreadable_stack_is_refused(tmp_path: Path) -> None:
    (tmp_path / STACK_FILE).write_text("{not json")
    with pytest.raises(ModelError, match="is unreadable"):
        load_stack(tmp_path, "v1")


@pytest.fixture(scope="module")
def shipped() -> ConflictStack:
    if not (RELATION / STACK_FILE).exists():
        pytest.fail(f"no conflict stack in {RELATION}: run python -m training.fit_conflict")
    manifest = json.loads((RELATION / "manifest.json").read_text())
    stack = load_stack(RELATION, manifest["version"])
    assert stack is not None
    return stack


def test_shipped_stack_matches_the_shipped_model_and_reports_heldout_gains(
    shipped: ConflictStack,
) -> None:
    metrics = shipped.manifest["heldout_metrics"]["vitaminc"]
    assert metrics["n"] > 1000
    assert metrics["stack"]["f1"] > metrics["cross_encoder_alone"]["f1"]
    assert shipped.manifest["evaluator_max_abs_diff_vs_sklearn"] <= 1e-6
    assert 0.0 < shipped.threshold < 1.0


def test_model_applies_the_stack_and_its_threshold(shipped: ConflictStack) -> None:
    model = load_relation_model()
    assert model is not None and model.stack is not None
    assert model.conflict_threshold == shipped.threshold
    assert operating_thresholds(RELATION)["conflict"] == shipped.threshold
    raw = load_relation_folder(RELATION, stack=False)
    assert raw.stack is None and raw.conflict_threshold != shipped.threshold
    pairs = [
        ("The film grossed $81.5 million in North America.", "The film grossed less than "
         "$81.4 million in North America."),
        ("The film grossed $81.5 million in North America.", "The film grossed more than "
         "$81.4 million in North America."),
    ]
    with_stack, alone = model.predict(pairs), raw.predict(pairs)
    np.testing.assert_allclose(with_stack.model_conflict, alone.conflict, atol=1e-6)
    np.testing.assert_allclose(with_stack.same, alone.same, atol=1e-6)
    # the violated bound is a conflict, the satisfied one is not
    assert with_stack.conflict[0] >= model.conflict_threshold > with_stack.conflict[1]


def test_stale_stack_stops_the_model_from_loading(tmp_path: Path, shipped: ConflictStack) -> None:
    folder = tmp_path / "relation"
    shutil.copytree(RELATION, folder)
    data = json.loads((folder / STACK_FILE).read_text())
    data["relation_version"] = "someother"
    (folder / STACK_FILE).write_text(json.dumps(data))
    with pytest.raises(ModelError, match="was fitted for relation model someother"):
        load_relation_folder(folder)
