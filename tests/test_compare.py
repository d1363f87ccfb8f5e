"""End to end through the real models: fixture articles (ours) and the seed articles (../shared).

The fixtures plant one disagreement of every conflict type between two outlets, plus every
non-conflict a careful reader would not flag (spelling, rounding, weekday vs date, paraphrase), and
a third page that republishes the wire copy inside page boilerplate.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from factcheck.cli import cli
from factcheck.ingest import load_paths
from factcheck.pipeline import Pipeline
from factcheck.types import Conflict, Report

FIXTURES = Path(__file__).parent / "fixtures" / "articles"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


@pytest.fixture(scope="module")
def fixture_report(pipeline: Pipeline) -> Report:
    return pipeline.compare(load_paths([FIXTURES]))


def pair_conflicts(report: Report, a_words: str, b_words: str) -> list[Conflict]:
    """Conflicts between the sentence containing a_words and the one containing b_words."""
    out = []
    for c in report.conflicts:
        texts = (c.match.a.text, c.match.b.text)
        if (a_words in texts[0] and b_words in texts[1]) or (
            a_words in texts[1] and b_words in texts[0]
        ):
            out.append(c)
    return out


def aligned(report: Report, a_words: str, b_words: str) -> str | None:
    for m in report.matches:
        t = (m.a.text, m.b.text)
        if (a_words in t[0] and b_words in t[1]) or (a_words in t[1] and b_words in t[0]):
            return m.relation
    return None


def spans_text(c: Conflict) -> set[str]:
    return {s.text for s in c.a_spans} | {s.text for s in c.b_spans}


def test_every_conflict_type_is_found_with_evidence(fixture_report: Report) -> None:
    r = fixture_report
    cases = [
        ("$80 million", "$55 million", "number", {"$80 million", "$55 million"}),
        ("March 3, 2025", "March 5, 2025", "date", {"March 3, 2025", "March 5, 2025"}),
        ("this year", "this decade", "quote", {"year", "decade"}),
        ("found structural damage", "found no structural damage", "negation", {"no"}),
        ("reportedly caused", "contractor caused", "hedge", {"reportedly"}),
        ("said Ruiz", "said Tom Becker", "attribution", {"Tom Becker"}),
        ("from Portland", "from Seattle", "entity", {"Portland", "Seattle"}),
    ]
    for a, b, kind, evidence in cases:
        found = [c for c in pair_conflicts(r, a, b) if c.type == kind]
        assert found, f"no {kind} conflict between '{a}' and '{b}'"
        c = found[0]
        assert evidence <= spans_text(c), (kind, spans_text(c))
        assert c.explanation and "\n" not in c.explanation
        for span, text in [(s, c.match.a.text) for s in c.a_spans] + [
            (s, c.match.b.text) for s in c.b_spans
        ]:
            assert text[span.start : span.end] == span.text


def test_non_conflicts_stay_quiet(fixture_report: Report) -> None:
    r = fixture_report
    quiet = [
        ("honour to serve", "honor to serve"),  # spelling variant
        ("Around 1,200 workers", "Some 1,180 workers"),  # rounding
        ("diverted to the northern tunnel", "sent through the northern tunnel"),  # paraphrase
    ]
    for a, b in quiet:
        assert aligned(r, a, b) is not None, f"'{a}' and '{b}' should be aligned"
        assert pair_conflicts(r, a, b) == [], [c.explanation for c in pair_conflicts(r, a, b)]
    # the same day given as a weekday and as a date: the pair still carries its real
    # disagreement (the amount), but no date conflict
    assert aligned(r, "on Wednesday", "on Feb. 12") is not None
    kinds = [c.type for c in pair_conflicts(r, "on Wednesday", "on Feb. 12")]
    assert "number" in kinds and "date" not in kinds


def test_wire_copy_inside_page_boilerplate_is_a_duplicate(fixture_report: Report) -> None:
    r = fixture_report

    def by_file(name: str) -> str:
        return next(a.id for a in r.articles if name in (a.origin or ""))

    wire, page = by_file("coastal-wire"), by_file("daily-post")
    assert frozenset((wire, page)) in {frozenset((d.a_id, d.b_id)) for d in r.duplicates}
    assert frozenset((by_file("harbor-herald"), wire)) not in {
        frozenset((d.a_id, d.b_id)) for d in r.duplicates
    }
    for m in r.matches:
        for t in (m.a.text, m.b.text):
            for junk in ("read more", "login", "supporter", "Photo:", "Copyright", "newsletter"):
                assert junk not in t
    assert len(r.stories) == 1 and len(r.stories[0].article_ids) == 3


def test_cli_json_is_the_documented_schema(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    res = CliRunner().invoke(cli, ["compare", str(FIXTURES), "--format", "json", "-o", str(out)])
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text())
    assert data["schema"] == "factcheck.report/1"
    assert set(data) >= {"summary", "articles", "matches", "conflicts", "duplicates", "stories"}
    c = data["conflicts"][0]
    assert set(c) >= {"id", "type", "severity", "explanation", "a", "b"}
    assert set(c["a"]) >= {"article_id", "source", "text", "start", "end", "spans"}
    assert data["conflicts"][0]["severity"] == "high"  # worst first


def test_cli_table_and_html(tmp_path: Path) -> None:
    res = CliRunner().invoke(cli, ["compare", str(FIXTURES)])
    assert res.exit_code == 0, res.output
    assert "CONFLICTS" in res.output and "[$55 million]" in res.output
    html = tmp_path / "r.html"
    res = CliRunner().invoke(cli, ["compare", str(FIXTURES), "--format", "html", "-o", str(html)])
    assert res.exit_code == 0
    page = html.read_text()
    assert (
        "<mark>$55 million</mark>" in page
        and "<script" not in page
        and "http" not in page.split("<body>")[0]
    )


# ----------------------------------------------------------------------------- seeds

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not present")


@pytest.fixture(scope="module")
def seed_report(pipeline: Pipeline) -> Report:
    return pipeline.compare(load_paths(sorted(SEEDS.glob("*.txt"))))


@needs_seeds
def test_seed_invitation_quote_is_aligned_and_at_most_a_low_variant(seed_report: Report) -> None:
    rel = aligned(seed_report, "great honor to speak to you", "great honour to speak with you")
    assert rel in ("duplicate", "same_claim")
    found = pair_conflicts(seed_report, "great honor to speak to you", "honour to speak with you")
    assert all(c.type == "quote" and c.severity == "low" for c in found), [
        (c.type, c.severity) for c in found
    ]


@needs_seeds
def test_seed_dropped_hedge_is_a_conflict(seed_report: Report) -> None:
    a, b = "does not use social networks", "does not directly use social networks"
    assert aligned(seed_report, a, b) is not None
    kinds = {c.type for c in pair_conflicts(seed_report, a, b)}
    assert kinds & {"hedge", "quote", "negation"}
    hedge = [c for c in pair_conflicts(seed_report, a, b) if c.type == "hedge"]
    assert hedge and "directly" in spans_text(hedge[0])


@needs_seeds
def test_seed_interesting_proposal_is_aligned(seed_report: Report) -> None:
    assert aligned(seed_report, "understand what he means", "understand what is meant") in (
        "same_claim",
        "duplicate",
    )


@needs_seeds
def test_seed_boilerplate_never_matches_and_lead_counts_once(seed_report: Report) -> None:
    for m in seed_report.matches:
        for t in (m.a.text, m.b.text):
            for junk in ("Crew-4", "read more", "supporter", "login", "Kjell Lindgren", "Getty"):
                assert junk not in t
    lead = [
        s for s in seed_report.sentences if "Peskov said Monday that Russian President" in s.text
    ]
    assert len(lead) == 1


def test_bounds_decide_number_conflicts_end_to_end(pipeline: Pipeline) -> None:
    """A figure outside another outlet's bound is a conflict; one inside it is not."""
    from factcheck.types import Article

    herald = Article(
        "h1",
        "Herald",
        "The studio said the sequel grossed less than $81.4 million in North America. "
        "The striker has scored more than 120 goals for the club since 2015.",
    )
    wire = Article(
        "w1",
        "Wire",
        "The studio said the sequel grossed $81.5 million in North America. "
        "The striker has scored 121 goals for the club since 2015.",
    )
    report = pipeline.compare([herald, wire])
    [c] = pair_conflicts(report, "less than $81.4 million", "$81.5 million")
    assert c.type == "number" and spans_text(c) == {"$81.4 million", "$81.5 million"}
    assert aligned(report, "more than 120 goals", "121 goals") is not None
    assert pair_conflicts(report, "more than 120 goals", "121 goals") == []
