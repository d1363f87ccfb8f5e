"""News benchmark: the product's own job, scored on hand-annotated multi-outlet stories.

    python benchmarks/news.py --stories ../shared/news-dev [--json out.json] [--only STORY ...]

Every sub-folder of --stories that holds ``annotations.json`` is one story: its ``*.txt`` pages
are compared exactly as ``factcheck compare <story>/*.txt --format json`` would (same ingest,
same pipeline, same JSON report), then scored by the rule of the set's README:

- a reported conflict *finds* an annotated conflict when its two sentences come from the
  annotation's two files and contain the annotated spans (either order; a side's ``span`` or one
  of its ``alt``), after folding case, typographic quotes and whitespace;
- recall = annotations found / annotations (also on non-minor ones only);
- precision = reported conflicts that find an annotation / reported conflicts;
- controls flagged = controls with at least one reported conflict between sentences holding them;
- boilerplate hits = matches or conflicts on a sentence holding a boilerplate span;
- type accuracy = found annotations that some finding conflict types right (``update:`` entries
  may be typed ``update`` or ``number``).

It fits nothing: the pipeline runs with its shipped settings. ``--json`` writes one flat object
(``news.recall``, ``news.recall_major``, ``news.precision``, ``news.controls_flagged_rate``,
``news.boilerplate_hits``, ``news.type_accuracy``, ``news.seconds`` and per-story figures under
``news.story.<name>.*``). ``--misses`` lists what was missed and what was flagged wrongly.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # runnable as a plain script from any directory
    sys.path.insert(0, str(REPO))

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})
_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Case, typographic quotes and whitespace folded: how spans are looked up."""
    return _SPACE.sub(" ", text.translate(_QUOTES).lower()).strip()


def holds(sentence: str, spans: Iterable[str]) -> bool:
    """Whether the (folded) sentence contains any of the (folded) spans."""
    s = fold(sentence)
    return any(sp and fold(sp) in s for sp in spans)


def holds_boilerplate(sentence: str, span: str) -> bool:
    """A boilerplate span inside a sentence, as a whole-word match ("REUTERS" must not hit
    "Reuters reported" as a word inside a longer word, but does hit it as a word)."""
    sp = fold(span)
    if not sp:
        return False
    pat = (r"(?<!\w)" if sp[0].isalnum() else "") + re.escape(sp)
    pat += r"(?!\w)" if sp[-1].isalnum() else ""
    return re.search(pat, fold(sentence)) is not None


@dataclass
class StoryScore:
    name: str
    annotations: int = 0
    major: int = 0
    found: int = 0
    found_major: int = 0
    typed_right: int = 0
    reported: int = 0
    correct: int = 0
    controls: int = 0
    controls_flagged: int = 0
    boilerplate_hits: int = 0
    seconds: float = 0.0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)
    boilerplate: list[str] = field(default_factory=list)


def _side_spans(side: dict[str, Any]) -> list[str]:
    return [side["span"], *side.get("alt", [])]


def score_story(
    name: str,
    annotations: dict[str, Any],
    report: dict[str, Any],
    file_of: dict[str, str],
) -> StoryScore:
    """Score one story's JSON report against its annotations (``file_of``: article id -> file)."""
    out = StoryScore(name)
    reported = [
        (
            file_of.get(c["a"]["article_id"], "?"),
            c["a"]["text"],
            file_of.get(c["b"]["article_id"], "?"),
            c["b"]["text"],
            c,
        )
        for c in report["conflicts"]
    ]

    def finds(r: tuple[str, str, str, str, Any], a: dict[str, Any], b: dict[str, Any]) -> bool:
        fa, ta, fb, tb, _ = r
        sa, sb = _side_spans(a), _side_spans(b)
        if (fa, fb) == (a["file"], b["file"]) and holds(ta, sa) and holds(tb, sb):
            return True
        return (fb, fa) == (a["file"], b["file"]) and holds(tb, sa) and holds(ta, sb)

    useful = [False] * len(reported)
    for ann in annotations.get("conflicts", []):
        out.annotations += 1
        major = not ann.get("minor", False)
        out.major += major
        hits = [i for i, r in enumerate(reported) if finds(r, ann["a"], ann["b"])]
        for i in hits:
            useful[i] = True
        if hits:
            out.found += 1
            out.found_major += major
            want = {ann["type"]}
            if ann.get("why", "").lower().startswith("update:"):
                want |= {"update", "number"}
            if any(reported[i][4]["type"] in want for i in hits):
                out.typed_right += 1
        else:
            out.misses.append(
                f"[{ann['type']}{' minor' if not major else ''}] {ann.get('fact', '')}: "
                f"{ann['a']['file']} \"{ann['a']['span']}\" vs {ann['b']['file']} "
                f"\"{ann['b']['span']}\""
            )
    out.reported = len(reported)
    out.correct = sum(useful)
    for ok, r in zip(useful, reported, strict=True):
        if not ok:
            c = r[4]
            out.false_alarms.append(f"[{c['type']}/{c['severity']}] {c['explanation']}")
    for ctl in annotations.get("controls", []):
        out.controls += 1
        a = {"file": ctl["a"]["file"], "span": ctl["a"]["span"]}
        b = {"file": ctl["b"]["file"], "span": ctl["b"]["span"]}
        if any(finds(r, a, b) for r in reported):
            out.controls_flagged += 1
            out.false_alarms.append(
                f"(control {ctl['kind']}) {ctl['a']['file']} \"{ctl['a']['span']}\" vs "
                f"{ctl['b']['file']} \"{ctl['b']['span']}\""
            )
    boiler = annotations.get("boilerplate", [])
    for item in (*report["matches"], *report["conflicts"]):
        hit = [
            sp
            for sp in boiler
            if holds_boilerplate(item["a"]["text"], sp) or holds_boilerplate(item["b"]["text"], sp)
        ]
        if hit:
            out.boilerplate_hits += 1
            a, b = item["a"]["text"][:60], item["b"]["text"][:60]
            out.boilerplate.append(f"{hit[0]!r} in: {a!r} / {b!r}")
    return out


def story_dirs(root: Path, only: Sequence[str] = ()) -> list[Path]:
    dirs = sorted(p for p in root.iterdir() if (p / "annotations.json").is_file())
    if only:
        dirs = [p for p in dirs if p.name in set(only)]
    return dirs


def run_story(pipeline: Any, folder: Path, analysed: Any = None) -> StoryScore:
    """Compare one story's pages as ``factcheck compare <story>/*.txt --format json`` does
    (``analysed``: the story's articles already analysed, for runs that vary only cut-offs)."""
    from factcheck import ingest
    from factcheck.report import report_to_dict

    annotations = json.loads((folder / "annotations.json").read_text(encoding="utf-8"))
    paths = sorted(folder.glob("*.txt"))
    t0 = time.perf_counter()
    articles = ingest.load_paths(paths)
    if analysed is None:
        report = report_to_dict(pipeline.compare(articles))
    else:
        report = report_to_dict(pipeline.compare_analysed(analysed))
    seconds = time.perf_counter() - t0
    file_of = {a.id: Path(a.origin or "").name for a in articles}
    score = score_story(folder.name, annotations, report, file_of)
    score.seconds = seconds
    return score


def analyse_story(pipeline: Any, folder: Path) -> Any:
    """The story's articles analysed once (sentences, facts, vectors)."""
    from factcheck import ingest

    return pipeline.analyse_many(ingest.load_paths(sorted(folder.glob("*.txt"))))


def totals(scores: Sequence[StoryScore]) -> dict[str, float]:
    def ratio(n: float, d: float) -> float:
        return round(n / d, 4) if d else 0.0

    s = {
        k: sum(getattr(x, k) for x in scores)
        for k in StoryScore.__dataclass_fields__
        if k not in ("name", "misses", "false_alarms", "boilerplate")
    }
    found_any = s["found"]
    return {
        "news.stories": len(scores),
        "news.annotations": s["annotations"],
        "news.recall": ratio(s["found"], s["annotations"]),
        "news.recall_major": ratio(s["found_major"], s["major"]),
        "news.precision": ratio(s["correct"], s["reported"]),
        "news.reported": s["reported"],
        "news.controls_flagged_rate": ratio(s["controls_flagged"], s["controls"]),
        "news.controls_flagged": s["controls_flagged"],
        "news.boilerplate_hits": s["boilerplate_hits"],
        "news.type_accuracy": ratio(s["typed_right"], found_any),
        "news.seconds": round(s["seconds"], 1),
    }


def render(scores: Sequence[StoryScore], tot: dict[str, float]) -> str:
    head = (
        f"{'story':38} {'found':>7} {'major':>7} {'rep':>4} {'prec':>5} {'ctl':>5} "
        f"{'boil':>4} {'type':>5} {'s':>5}"
    )
    lines = [head, "-" * len(head)]
    for x in scores:
        prec = f"{x.correct / x.reported:.2f}" if x.reported else "  -"
        typ = f"{x.typed_right / x.found:.2f}" if x.found else "  -"
        lines.append(
            f"{x.name[:38]:38} {x.found:>3}/{x.annotations:<3} {x.found_major:>3}/{x.major:<3} "
            f"{x.reported:>4} {prec:>5} {x.controls_flagged:>2}/{x.controls:<2} "
            f"{x.boilerplate_hits:>4} {typ:>5} {x.seconds:>5.1f}"
        )
    lines.append("-" * len(head))
    lines.append(
        f"recall {tot['news.recall']:.3f} (non-minor {tot['news.recall_major']:.3f})  "
        f"precision {tot['news.precision']:.3f} of {int(tot['news.reported'])} reported  "
        f"controls flagged {tot['news.controls_flagged_rate']:.3f}  "
        f"boilerplate hits {int(tot['news.boilerplate_hits'])}  "
        f"type accuracy {tot['news.type_accuracy']:.3f}  {tot['news.seconds']:.0f} s"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--stories", type=Path, required=True, help="folder of story folders")
    ap.add_argument("--json", type=Path, help="write the figures as one flat JSON object")
    ap.add_argument("--only", nargs="*", default=(), help="run only these story folders")
    ap.add_argument("--misses", action="store_true", help="list misses and false alarms")
    args = ap.parse_args(argv)
    if not args.stories.is_dir():
        print(f"error: {args.stories} is not a folder of story folders", file=sys.stderr)
        return 2
    dirs = story_dirs(args.stories, args.only)
    if not dirs:
        print(
            f"error: no story folder (one holding annotations.json) under {args.stories}",
            file=sys.stderr,
        )
        return 2
    from factcheck.pipeline import Pipeline

    pipeline = Pipeline()
    scores = []
    for d in dirs:
        scores.append(run_story(pipeline, d))
        print(f"  {d.name}: {scores[-1].found}/{scores[-1].annotations}", file=sys.stderr)
    tot = totals(scores)
    print(render(scores, tot))
    if args.misses:
        for x in scores:
            print(f"\n## {x.name}")
            for line in x.misses:
                print("  MISS ", line)
            for line in x.false_alarms:
                print("  FALSE", line)
            for line in x.boilerplate:
                print("  BOIL ", line)
    if args.json:
        flat: dict[str, Any] = dict(tot)
        for x in scores:
            p = f"news.story.{x.name}."
            flat[p + "recall"] = round(x.found / x.annotations, 4) if x.annotations else 0.0
            flat[p + "precision"] = round(x.correct / x.reported, 4) if x.reported else 0.0
            flat[p + "controls_flagged"] = x.controls_flagged
        args.json.write_text(json.dumps(flat, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
