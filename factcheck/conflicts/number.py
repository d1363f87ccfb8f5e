"""``number``: two values of one quantity in one statement that cannot both be true."""

from __future__ import annotations

from factcheck.conflicts.common import _pair_up, _span, _src
from factcheck.conflicts.registry import ConflictKind, register
from factcheck.quantities import numbers_compatible
from factcheck.types import Conflict, Match, SentenceFacts, Severity


def _number_conflicts(fa: SentenceFacts, fb: SentenceFacts, m: Match) -> list[Conflict]:
    out: list[Conflict] = []
    skip = (None, "ordinal", "name", "time_of_day")  # times of day are dated by the claim rules
    na = [f for f in fa.facts if f.kind == "number" and f.unit not in skip]
    nb = [f for f in fb.facts if f.kind == "number" and f.unit not in skip]
    for unit in sorted({f.unit for f in na} & {f.unit for f in nb}, key=str):
        xs = [f for f in na if f.unit == unit]
        ys = [f for f in nb if f.unit == unit]
        left = [x for x in xs if not any(numbers_compatible(x, y) for y in ys)]
        right = [y for y in ys if not any(numbers_compatible(x, y) for x in xs)]
        for x, y in _pair_up(m, left, right):
            a, b = float(x.value), float(y.value)
            rel = abs(a - b) / max(abs(a), abs(b), 1e-9)
            severity: Severity = "high" if rel >= 0.2 else "medium"
            out.append(
                Conflict(
                    type="number",
                    severity=severity,
                    explanation=(
                        f'Number differs: "{x.text}" ({_src(m.a_source)}) vs "{y.text}" '
                        f"({_src(m.b_source)})"
                    ),
                    match=m,
                    a_spans=(_span(m.a.text, x.start, x.end),),
                    b_spans=(_span(m.b.text, y.start, y.end),),
                )
            )
    return out


KIND = register(
    ConflictKind(
        name="number",
        label="Number",
        description="two figures for one quantity that cannot both be true",
        order=10,
        detector=_number_conflicts,
    )
)
