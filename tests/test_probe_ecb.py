"""The ECB+ false-alarm probe groups conflicts by rule and says what is missing."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import probe_ecb


def test_a_conflict_is_grouped_by_its_rule_not_by_what_it_found() -> None:
    assert probe_ecb.rule_of('Number (toll) differs: "61" (A) vs "118" (B)') == "Number"
    assert probe_ecb.rule_of('Hedged only in Wire: "reportedly" there') == "Hedged only in"
    assert probe_ecb.rule_of("Attributed to Tomas Varga in A but to Holm in B") == "Attributed to"


def test_a_data_folder_without_ecbplus_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert probe_ecb.main(["--data", str(tmp_path)]) == 2
    assert "no ECB+ XML files under" in capsys.readouterr().err
