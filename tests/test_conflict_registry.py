"""The conflict type registry: every type a rule emits is registered, and a new type registered
in one place reaches the detector loop, the API (filter + OpenAPI enum) and the dashboard."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from factcheck import conflicts
from factcheck.conflicts import ConflictKind, detect, register, unregister
from factcheck.errors import ConfigError
from factcheck.pipeline import Pipeline
from factcheck.types import Conflict, Match, Sentence, SentenceFacts, Span
from service.app import create_app
from service.settings import Settings

PACKAGE = Path(conflicts.__file__).resolve().parents[1]  # factcheck/


def _literals(node: ast.expr) -> set[str] | None:
    """The strings an expression can be: a literal, or ``"a" if x else "b"``; None otherwise."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        body, orelse = _literals(node.body), _literals(node.orelse)
        return None if body is None or orelse is None else body | orelse
    return None


def _emitted_types() -> tuple[dict[str, set[str]], set[str]]:
    """Every literal a ``Conflict(type=...)`` in the core can take, by module (read from source,
    so a rule that only fires on rare input is covered too), and the modules that build a
    Conflict with a computed type."""
    found: dict[str, set[str]] = {}
    computed: set[str] = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        module = str(path.relative_to(PACKAGE))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            if getattr(node.func, "id", None) == "versus" and node.args:
                # conflicts.pairing.versus("other", ...): the builder of the any-two-sentence
                # rules; its first argument is the type the rule emits
                values = _literals(node.args[0])
                if values is None:
                    computed.add(module)
                else:
                    found.setdefault(module, set()).update(values)
                continue
            if getattr(node.func, "id", None) != "Conflict":
                continue
            for kw in node.keywords:
                if kw.arg == "type":
                    values = _literals(kw.value)
                    if values is None:
                        computed.add(module)
                    else:
                        found.setdefault(module, set()).update(values)
    return found, computed


def test_every_type_a_rule_emits_is_registered() -> None:
    emitted, computed = _emitted_types()
    # decoding a stored report: the type was checked on the way in; pairing.versus builds the
    # conflicts of the types its callers pass as literals (read above)
    assert computed <= {"report.py", "conflicts/pairing.py"}
    # the sentence rules, the claim rules and the intensity rule all emit types
    assert {"conflicts/number.py", "claim_conflicts.py", "anchors.py", "intensity.py"} <= set(
        emitted
    )
    every = set().union(*emitted.values())
    assert every == set(conflicts.names()), (every, conflicts.names())
    unregistered = {m: t - set(conflicts.names()) for m, t in emitted.items()}
    assert not any(unregistered.values()), unregistered


def test_builtin_kinds_in_order_with_labels_and_detectors() -> None:
    assert conflicts.names() == (
        "number", "date", "quote", "negation", "hedge", "attribution", "entity", "update", "other"
    )  # fmt: skip
    assert all(k.label and k.description for k in conflicts.kinds())
    with_rule = [k.name for k in conflicts.kinds() if k.detector is not None]
    assert with_rule == ["number", "date", "negation", "attribution", "entity"]


def test_a_taken_or_malformed_name_is_refused_with_a_fix() -> None:
    with pytest.raises(ConfigError, match="already registered"):
        register(ConflictKind("number", "Figure", "x", 1))
    with pytest.raises(ConfigError, match="lower-case identifier"):
        register(ConflictKind("Bad Name", "x", "x", 1))
    assert conflicts.get("number") is not None and conflicts.get("number").label == "Number"  # type: ignore[union-attr]


# --- a new kind, registered in a test only ------------------------------------------------------

SUNNY = (
    "The harbour festival in Westhaven opened on Saturday under sunny skies, organisers said, "
    "and thousands of visitors crowded the quay."
)
RAINY = SUNNY.replace("sunny", "rainy")


def _weather(fa: SentenceFacts, fb: SentenceFacts, m: Match) -> list[Conflict]:
    a, b = m.a.text.lower(), m.b.text.lower()
    if not (("sunny" in a and "rainy" in b) or ("rainy" in a and "sunny" in b)):
        return []
    ia = a.index("sunny") if "sunny" in a else a.index("rainy")
    ib = b.index("sunny") if "sunny" in b else b.index("rainy")
    return [
        Conflict(
            type="weather",
            severity="low",
            explanation=f"Weather differs ({m.a_source} vs {m.b_source})",
            match=m,
            a_spans=(Span(ia, ia + 5, m.a.text[ia : ia + 5]),),
            b_spans=(Span(ib, ib + 5, m.b.text[ib : ib + 5]),),
        )
    ]


@pytest.fixture
def weather() -> Iterator[ConflictKind]:
    kind = register(
        ConflictKind("weather", "Weather", "sun in one report, rain in the other", 75, _weather)
    )
    try:
        yield kind
    finally:
        unregister("weather")
    assert "weather" not in conflicts.names()


def test_a_registered_kind_runs_in_detect(weather: ConflictKind) -> None:
    a, b = Sentence("a", 0, 0, len(SUNNY), SUNNY), Sentence("b", 0, 0, len(RAINY), RAINY)
    m = Match(a, b, "Herald", "Wire", 0.95, "same_claim")
    fa, fb = SentenceFacts(a, (), (), ()), SentenceFacts(b, (), (), ())
    assert [c.type for c in detect(fa, fb, m)] == ["weather"]
    assert detect(fa, fb, m, strong=False) == []  # a sentence rule: strong pairs only


def test_a_registered_kind_reaches_the_api_and_the_dashboard(
    weather: ConflictKind, tmp_path: Path, fake_pipeline: Pipeline
) -> None:
    with TestClient(
        create_app(Settings(data_dir=tmp_path / "data"), pipeline=fake_pipeline)
    ) as client:
        for source, text in (("herald", SUNNY), ("wire", RAINY)):
            r = client.post("/articles", json={"source": source, "text": text})
            assert r.status_code == 201, r.text
        # the filter accepts it and finds the stored conflict; an unknown type is still a 422
        page = client.get("/conflicts", params={"type": "weather"}).json()
        assert page["total"] == 1 and page["items"][0]["type"] == "weather"
        bad = client.get("/conflicts", params={"type": "hail"})
        assert bad.status_code == 422 and "weather" in bad.json()["error"]["message"]
        # the OpenAPI enum lists it beside the built-in types
        spec = client.get("/openapi.json").json()
        for path in ("/conflicts", "/conflicts.claimreview"):
            params = {p["name"]: p for p in spec["paths"][path]["get"]["parameters"]}
            enum = str(params["type"]["schema"])
            assert "'weather'" in enum and "'number'" in enum and "'update'" in enum
        # the dashboard's filter offers it, its badge shows the label
        html = client.get("/ui/conflicts", params={"type": "weather"}).text
        assert '<option value="weather" selected>Weather</option>' in html
        assert '<span class="badge type">Weather</span>' in html
