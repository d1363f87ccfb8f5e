"""False-alarm probe: what ``compare`` flags on unannotated real news clusters (ECB+).

    python benchmarks/probe_ecb.py --data ../shared/data [--per-event 6] [--json PATH] [--list]

news-dev has every disagreement annotated, but its 12 stories are also the ones the conflict
rules were written while reading, so its precision flatters rules fitted to its wording. ECB+
(``ecbplus/``) holds other real events, each reported by several outlets, with no conflict
labels: every conflict reported there is either a real disagreement or a false alarm, and a
rule that fires often there is one to read before trusting. The probe compares the first
``--per-event`` documents of each event exactly as ``factcheck compare`` would and counts what
it reports, by type and by rule (the explanation's opening words); ``--list`` prints each one
with its two sentences, to read by hand. It fits nothing and scores nothing.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # runnable as a plain script from any directory
    sys.path.insert(0, str(REPO))

_RULE = re.compile(r"^[^\"(:]+")


def rule_of(explanation: str) -> str:
    """The rule a conflict came from, by its explanation's opening words ("Number (toll)
    differs: ..." -> "Number", "Hedged only in X: ..." -> "Hedged only in")."""
    head = _RULE.match(explanation)
    words = (head.group() if head else explanation).split()
    kept: list[str] = []
    for w in words[:4]:
        if kept and (w[:1].isupper() or w[:1].isdigit()):
            break  # a name or a figure: what the rule found, not which rule
        kept.append(w)
    return " ".join(kept).rstrip(",") or "?"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, required=True, help="the shared data folder")
    ap.add_argument("--per-event", type=int, default=6, help="documents compared per event")
    ap.add_argument("--json", type=Path, help="write every reported conflict as JSON")
    ap.add_argument("--list", action="store_true", help="print each conflict and its sentences")
    args = ap.parse_args(argv)
    files = sorted((args.data / "ecbplus").glob("**/*.xml"))
    if not files:
        print(f"error: no ECB+ XML files under {args.data / 'ecbplus'}", file=sys.stderr)
        return 2
    from factcheck.ingest import from_text
    from factcheck.pipeline import Pipeline
    from training.datasets.ecb import load_ecbplus

    events: dict[str, list[Any]] = collections.defaultdict(list)
    for doc in load_ecbplus(files):
        events[doc.event].append(doc)
    pipeline = Pipeline()
    rows = []
    compared = 0
    for event, docs in sorted(events.items()):
        if len(docs) < 3:
            continue
        compared += 1
        articles = [from_text(d.text, source=d.id) for d in docs[: args.per_event]]
        for c in pipeline.compare(articles).conflicts:
            rows.append(
                {
                    "event": event,
                    "type": c.type,
                    "severity": c.severity,
                    "rule": rule_of(c.explanation),
                    "explanation": c.explanation,
                    "a": c.match.a.text,
                    "b": c.match.b.text,
                }
            )
    by_type = collections.Counter(r["type"] for r in rows)
    by_rule = collections.Counter(r["rule"] for r in rows)
    print(f"{compared} events, {len(rows)} conflicts reported")
    print("by type: " + ", ".join(f"{k} {v}" for k, v in by_type.most_common()))
    for rule, n in by_rule.most_common():
        print(f"  {n:4d}  {rule}")
    if args.list:
        for r in rows:
            print(f"\n[{r['type']}/{r['severity']}] {r['event']}: {r['explanation']}")
            print(f"  A: {r['a'][:240]}\n  B: {r['b'][:240]}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
