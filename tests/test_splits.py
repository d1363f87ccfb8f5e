"""The one split scheme: deterministic, by group, the same for training and calibration."""

from __future__ import annotations

from dataclasses import dataclass

from training import splits
from training.relation_data import Pair


@dataclass(frozen=True)
class P:
    dataset: str
    a: str
    b: str
    keys: tuple[str, ...] = ()


def test_shares_are_the_documented_quantiles_and_deterministic() -> None:
    items = [("set", f"g{i}") for i in range(1000)]
    got = splits.split_groups(items)
    assert got == splits.split_groups(list(reversed(items)))[::-1]  # order does not matter
    assert (got.count("heldout"), got.count("calib")) == (150, 100)


def test_a_set_with_few_groups_still_has_a_held_out_part() -> None:
    got = splits.split_groups([("docs", f"doc{i}") for i in range(12)])
    assert got.count("heldout") == 2 and got.count("calib") == 1


def test_pairs_linked_by_a_sentence_or_a_key_share_a_split() -> None:
    pairs = [P("fever", f"claim {i}", f"evidence {i}") for i in range(200)]
    pairs += [P("fever", "claim 7", "other evidence"), P("fever", "x", "y", keys=("page:7",))]
    pairs += [P("fever", "evidence 7", "z", keys=("page:7",))]
    got = splits.assign_splits(pairs)
    assert got[200] == got[7]  # shares "claim 7"
    assert got[201] == got[202] == got[7]  # page:7 joins them through "evidence 7"


def test_calibration_holds_out_what_the_relation_model_holds_out() -> None:
    """MRPC pairs: the calibration's held-out mask equals the training split's."""
    pairs = [Pair("mrpc", "f", f"Sentence {i}.", f"Other {i}.", "1") for i in range(300)]
    training = [s == "heldout" for s in splits.assign_splits(pairs)]
    calibration = splits.held_out("mrpc", [splits.pair_text_group("mrpc", p.a, p.b) for p in pairs])
    assert calibration == training and 30 < sum(training) < 60
