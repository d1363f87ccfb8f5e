"""Loaders for the labelled evaluation data sets, by format, never by file name.

The calibration and the quality benchmark read a folder laid out like ``../shared/data``: one
sub-folder per data set (``mrpc/``, ``stsbenchmark/``, ...). The held-back half of the data has the
same folders and formats under other file names, so :func:`discover` finds files by folder, pattern
and a look at their first line, and every reader takes any file of its format. Readers return
frozen records; none of them keeps a copy of the data anywhere.
"""

from __future__ import annotations

from training.datasets.clef import (
    load_clef,
    read_clef_claims,
    read_clef_queries,
    read_qrels,
)
from training.datasets.discover import (
    PAIR_SETS,
    conflict_label,
    discover,
    load_pairs,
)
from training.datasets.ecb import (
    detokenize,
    load_ecbplus,
    read_ecb_document,
    read_ecb_selected_sentences,
)
from training.datasets.pairs import (
    read_claim_evidence,
    read_mrpc,
    read_nli_jsonl,
    read_nli_tsv,
    read_paws,
    read_sick,
    read_sts,
    read_summedits,
)
from training.datasets.records import (
    Chain,
    ClefClaim,
    ClefData,
    ClefQuery,
    EcbDocument,
    EcbKind,
    EcbSentence,
    Label,
    Mention,
    Pair,
    Qrel,
)

__all__ = [
    "PAIR_SETS",
    "Chain",
    "ClefClaim",
    "ClefData",
    "ClefQuery",
    "EcbDocument",
    "EcbKind",
    "EcbSentence",
    "Label",
    "Mention",
    "Pair",
    "Qrel",
    "conflict_label",
    "detokenize",
    "discover",
    "load_clef",
    "load_ecbplus",
    "load_pairs",
    "read_claim_evidence",
    "read_clef_claims",
    "read_clef_queries",
    "read_ecb_document",
    "read_ecb_selected_sentences",
    "read_mrpc",
    "read_nli_jsonl",
    "read_nli_tsv",
    "read_paws",
    "read_qrels",
    "read_sick",
    "read_sts",
    "read_summedits",
]
