"""Loaders read any file of a known format, with each format's quirks (invented fixtures)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from factcheck.errors import FormatError, SourceNotFoundError
from training import datasets as ds

FIX = Path(__file__).parent / "fixtures" / "data"
SHARED = Path(__file__).parents[1].parent / "shared" / "data"


def only(name: str) -> Path:
    (path,) = ds.discover(FIX)[name]
    return path


def test_discover_finds_every_format_and_skips_readmes() -> None:
    found = ds.discover(FIX)
    assert set(found) == {
        "mrpc", "stsb", "paws", "sick", "snli", "mnli", "vitaminc", "fever", "summedits",
        "clef2020", "ecbplus",
    }  # fmt: skip
    every = [p.name for files in found.values() for p in files]
    assert "readme.txt" not in every and "SOURCE.txt" not in every and "README.txt" not in every
    assert [p.name for p in found["snli"]] == ["snli_1.0_fixture.jsonl", "snli_fixture.tsv"]
    assert len(found["ecbplus"]) == 8


def test_discover_skips_absent_folders_and_finds_renamed_files(tmp_path: Path) -> None:
    shutil.copytree(FIX / "mrpc", tmp_path / "mrpc")
    (tmp_path / "mrpc" / "msr_paraphrase_fixture.txt").rename(tmp_path / "mrpc" / "other_name.txt")
    shutil.copytree(FIX / "ecbplus", tmp_path / "ecbplus")
    (tmp_path / "unknown_set").mkdir()
    (tmp_path / "unknown_set" / "x.tsv").write_text("1\ta\tb\n", encoding="utf-8")
    found = ds.discover(tmp_path)
    assert set(found) == {"mrpc", "ecbplus"}
    assert [p.name for p in found["mrpc"]] == ["other_name.txt"]


def test_discover_rejects_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(SourceNotFoundError, match="does not exist"):
        ds.discover(tmp_path / "nope")


def test_mrpc_strips_bom_skips_header_and_keeps_quotes() -> None:
    pairs = ds.read_mrpc(only("mrpc"))
    assert len(pairs) == 6
    assert pairs[0].label == 1 and pairs[1].label == 0
    assert pairs[0].s1 == 'The mayor said "the bridge will reopen" on Monday.'
    assert pairs[0].meta["id1"] == "101"


def test_sts_uses_first_seven_columns_and_keeps_genre() -> None:
    pairs = ds.read_sts(only("stsb"))
    assert [p.label for p in pairs] == [4.8, 0.4, 2.6, 5.0, 1.2, 3.4]
    extra = pairs[2]
    assert extra.s2 == "Commuters face delays as rail workers walk out"
    assert [p.meta["genre"] for p in pairs].count("main-news") == 3
    assert pairs[5].s1 == 'The "best" answer is to wait.'


def test_paws_without_header_and_crlf() -> None:
    pairs = ds.read_paws(only("paws"))
    assert [p.label for p in pairs] == [0, 1, 0, 1]
    assert not pairs[0].s2.endswith("\r")


def test_paws_with_header(tmp_path: Path) -> None:
    path = tmp_path / "train.tsv"
    path.write_text("id\tsentence1\tsentence2\tlabel\n7\tA b .\tB a .\t0\n", encoding="utf-8")
    assert [(p.s1, p.label) for p in ds.read_paws(path)] == [("A b .", 0)]


def test_sick_header_by_name_and_labels() -> None:
    pairs = ds.read_sick(only("sick"))
    assert [p.label for p in pairs] == ["ENTAILMENT", "CONTRADICTION", "NEUTRAL", "CONTRADICTION"]
    assert pairs[0].meta["relatedness"] == 4.2


def test_sick_without_needed_columns_says_what_is_missing(tmp_path: Path) -> None:
    path = tmp_path / "SICK_bad.txt"
    path.write_text("pair_ID\tsentence_A\tsentence_B\n1\ta\tb\n", encoding="utf-8")
    with pytest.raises(FormatError, match="entailment_judgment"):
        ds.read_sick(path)


def test_nli_tsv_and_snli_jsonl_skip_no_consensus_rows() -> None:
    jsonl, tsv = ds.discover(FIX)["snli"]
    rows = ds.read_nli_jsonl(jsonl)
    assert [p.label for p in rows] == ["CONTRADICTION", "ENTAILMENT"]  # the '-' row is gone
    assert [p.label for p in ds.read_nli_tsv(tsv)] == ["ENTAILMENT", "CONTRADICTION", "NEUTRAL"]
    assert ds.load_pairs("mnli", only("mnli"))[0].label == "CONTRADICTION"


def test_claim_evidence_sets_put_evidence_first() -> None:
    pairs = ds.read_claim_evidence(only("vitaminc"))
    assert [p.label for p in pairs] == ["SUPPORTS", "REFUTES", "NOT ENOUGH INFO", "REFUTES"]
    assert pairs[1].s1.startswith("The bridge spans 150") and pairs[1].s2.startswith(
        "The bridge is"
    )
    assert [ds.conflict_label("vitaminc", p.label) for p in pairs] == [False, True, None, True]
    fever = ds.load_pairs("fever", only("fever"))
    assert [ds.conflict_label("fever", p.label) for p in fever] == [False, True, None]


def test_summedits_pairs_original_with_edit() -> None:
    pairs = ds.read_summedits(only("summedits"))
    assert [p.label for p in pairs] == [1, 0, 1, 0]
    assert all(p.s1 == pairs[0].s1 for p in pairs)
    assert pairs[1].meta["edit_types"] == ("number",)
    assert [ds.conflict_label("summedits", p.label) for p in pairs] == [False, True, False, True]


def test_summedits_rejects_a_non_list(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"id": 1}', encoding="utf-8")
    with pytest.raises(FormatError, match="JSON list"):
        ds.read_summedits(path)


def test_conflict_labels_for_nli_sets() -> None:
    assert ds.conflict_label("sick", "CONTRADICTION") is True
    assert ds.conflict_label("snli", "NEUTRAL") is False
    assert ds.conflict_label("mrpc", 1) is None


def test_clef_quoting_headers_and_qrels() -> None:
    data = ds.load_clef(ds.discover(FIX)["clef2020"])
    assert [c.id for c in data.claims] == ["0", "1", "2", "3", "4"]
    assert data.claims[1].text == 'A senator said "taxes will triple" next year.'
    assert data.claims[2].text.startswith("Drinking hot water") and "\n" in data.claims[2].text
    assert [q.id for q in data.queries] == ["7", "8", "9"]
    assert {q.split for q in data.queries} == {"test"}
    assert data.relevant()[("test", "8")] == {"1"}


def test_ecb_document_text_url_and_chains() -> None:
    docs = {d.id: d for d in ds.load_ecbplus(ds.discover(FIX)["ecbplus"])}
    assert set(docs) == {f"{t}_{n}{k}" for t in "24" for n in "12" for k in ("ecb", "ecbplus")}
    plus = docs["2_1ecbplus"]
    assert plus.topic == "2" and plus.kind == "ecbplus" and plus.event == "2_ecbplus"
    assert plus.url == "http://news.example.org/2013/lakeside-school-fire"
    assert "http" not in plus.text and plus.sentences[0].index == 1
    ecb = docs["2_1ecb"]
    assert ecb.url is None and ecb.sentences[0].index == 0
    assert "officials said." in ecb.text and 'is "under investigation".' in ecb.text
    (chain,) = ecb.chains
    assert chain.kind == "cross" and chain.id == docs["2_2ecb"].chains[0].id
    assert chain.mentions[0].text == "destroys" and chain.mentions[0].sentence == 0


def test_detokenize() -> None:
    toks = ["He", "said", '"', "no", '"', ",", "then", "left", "(", "again", ")", "."]
    assert ds.detokenize(toks) == 'He said "no", then left (again).'
    assert ds.detokenize(["It", "is", "n't", "$", "5", "."]) == "It isn't $5."


def test_load_pairs_rejects_non_pair_sets() -> None:
    with pytest.raises(FormatError, match="not a pair data set"):
        ds.load_pairs("ecbplus", FIX)


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data (development data) not present")
def test_real_development_data_loads() -> None:
    found = ds.discover(SHARED)
    assert {"mrpc", "stsb", "paws", "sick", "vitaminc", "clef2020", "ecbplus"} <= set(found)
    mrpc = ds.load_pairs("mrpc", found["mrpc"][0])
    assert len(mrpc) > 1000 and {p.label for p in mrpc} == {0, 1}
    snli = [p for f in found["snli"] for p in ds.load_pairs("snli", f)]
    assert all(p.label in ("ENTAILMENT", "NEUTRAL", "CONTRADICTION") for p in snli)


def test_sick_without_header_uses_positional_columns(tmp_path: Path) -> None:
    path = tmp_path / "SICK_copy.txt"
    path.write_text("9\tA dog barks\tNo dog barks\t3.5\tCONTRADICTION\n", encoding="utf-8")
    (pair,) = ds.read_sick(path)
    assert (pair.s1, pair.label, pair.meta["relatedness"]) == ("A dog barks", "CONTRADICTION", 3.5)
    shutil.copy(path, tmp_path / "x.txt")
    (tmp_path / "sick").mkdir()
    shutil.move(tmp_path / "x.txt", tmp_path / "sick" / "x.txt")
    assert list(ds.discover(tmp_path)) == ["sick"]
