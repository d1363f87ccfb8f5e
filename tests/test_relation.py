"""The committed claim-relation artefact: loading, output contract and the judgements it exists for.

All sentences here are invented for the tests.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from factcheck.config import MODELS_DIR
from factcheck.errors import ModelError
from factcheck.relation import RelationModel, RelationScores, load_relation_model

PLANT = "The company paid $80 million for the plant."
PLANT_PARAPHRASE = "The plant was bought by the company for $80 million."
PLANT_NUMBER = "The company paid $55 million for the plant."
TALKS = "The minister confirmed that the talks would resume next week."
TALKS_PARAPHRASE = "Talks will resume next week, the minister confirmed."
TALKS_NEGATED = "The minister denied that the talks would resume next week."
TALKS_NOT = "The minister did not confirm that the talks would resume next week."
BUDGET = "The city council approved the new budget on Monday."
BUDGET_PARAPHRASE = "On Monday the new budget was approved by the city council."
FLOOD = "Heavy rain flooded several roads in the northern district overnight."


@pytest.fixture(scope="module")
def model() -> RelationModel:
    loaded = load_relation_model()
    assert loaded is not None, f"no relation artefact in {MODELS_DIR / 'relation'}"
    return loaded


def test_scores_have_one_entry_per_pair_and_are_probabilities(model: RelationModel) -> None:
    pairs = [(PLANT, PLANT_PARAPHRASE), (BUDGET, FLOOD), (TALKS, TALKS_NEGATED)]
    scores = model.predict(pairs)
    assert isinstance(scores, RelationScores)
    for arr in (
        scores.same,
        scores.conflict,
        scores.neutral,
        scores.similarity,
        scores.model_conflict,
    ):
        assert arr.shape == (3,)
        assert np.all((arr >= 0.0) & (arr <= 1.0))
    total = scores.same + scores.model_conflict + scores.neutral  # the cross-encoder's three
    np.testing.assert_allclose(total, 1.0, atol=1e-4)
    assert model.name and model.version
    assert 0.0 < model.same_threshold < 1.0 and 0.0 < model.conflict_threshold < 1.0


def test_empty_input_gives_empty_scores(model: RelationModel) -> None:
    scores = model.predict([])
    assert len(scores) == 0 and scores.similarity.shape == (0,)


def test_a_pairs_scores_do_not_depend_on_the_other_pairs(model: RelationModel) -> None:
    pairs = [(PLANT, PLANT_NUMBER), (BUDGET, BUDGET_PARAPHRASE), (TALKS, TALKS_NOT), (FLOOD, PLANT)]
    alone = [model.predict([p]) for p in pairs]
    together = model.predict(pairs[::-1] * 3)  # another order, repeated: runs on the workers
    for k, one in enumerate(alone):
        row = len(pairs) - 1 - k
        assert together.same[row] == one.same[0] and together.conflict[row] == one.conflict[0]
        assert together.same[row + len(pairs)] == one.same[0]
        assert together.similarity[row] == one.similarity[0]


def test_paraphrase_is_more_same_and_similar_than_unrelated(model: RelationModel) -> None:
    s = model.predict([(BUDGET, BUDGET_PARAPHRASE), (BUDGET, FLOOD)])
    assert s.same[0] > s.same[1]
    assert s.similarity[0] > s.similarity[1]
    assert s.same[0] >= model.same_threshold  # a plain paraphrase is "same" at the operating point
    assert s.same[1] < model.same_threshold


def test_changed_number_conflicts_more_than_paraphrase(model: RelationModel) -> None:
    s = model.predict([(PLANT, PLANT_NUMBER), (PLANT, PLANT_PARAPHRASE)])
    assert s.conflict[0] > s.conflict[1]
    assert s.same[1] > s.same[0]


def test_negation_conflicts_more_than_paraphrase(model: RelationModel) -> None:
    s = model.predict([(TALKS, TALKS_NOT), (TALKS, TALKS_NEGATED), (TALKS, TALKS_PARAPHRASE)])
    assert s.conflict[0] > s.conflict[2]
    assert s.conflict[1] > s.conflict[2]


def test_missing_artefact_gives_none(tmp_path: Path) -> None:
    assert load_relation_model(tmp_path) is None


def _copy_small_files(tmp_path: Path) -> Path:
    src, dst = MODELS_DIR / "relation", tmp_path / "relation"
    dst.mkdir()
    for name in ("manifest.json", "tokenizer.json"):
        shutil.copy(src / name, dst / name)
    return dst


def test_corrupt_model_file_raises_model_error_saying_how_to_rebuild(tmp_path: Path) -> None:
    dst = _copy_small_files(tmp_path)
    (dst / "model.onnx").write_bytes(b"version https://git-lfs.github.com/spec/v1\n")
    with pytest.raises(ModelError, match=r"training\.train_relation"):
        load_relation_model(tmp_path)


def test_unreadable_manifest_raises_model_error(tmp_path: Path) -> None:
    dst = _copy_small_files(tmp_path)
    (dst / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError, match=r"training\.train_relation"):
        load_relation_model(tmp_path)


def test_missing_model_file_raises_model_error(tmp_path: Path) -> None:
    _copy_small_files(tmp_path)
    with pytest.raises(ModelError, match="missing"):
        load_relation_model(tmp_path)


def test_manifest_records_heldout_metrics_and_thresholds() -> None:
    manifest = json.loads((MODELS_DIR / "relation" / "manifest.json").read_text())
    assert {"same", "conflict"} <= set(manifest["thresholds"])
    assert "mrpc" in manifest["heldout_metrics"] and "sts" in manifest["heldout_metrics"]
    assert manifest["command"].startswith("python models/train_relation.py")
