"""Model designations: the figure-and-letters names of a made thing ("737 MAX 8", "A320neo",
"K-220"), an anchor that pins two sentences to one object though the sentences differ.

A bare figure of three digits is too weak to pin a fact ("Boeing 737" names a whole family
and "a 737 crashed" says nothing of which variant), so a designation is the figure with the
capitals or digits written right after it, and two sentences share one only when they share the
figure and a lettered one of those parts ("737 MAX 8" / "737-800MAX": *737* and *max*).
"""

from __future__ import annotations

import re

# A figure of three digits or more not inside a longer number, and up to two parts after it:
# capitals (two letters or more) or digits, parted by a space, a hyphen or nothing.
_DESIGNATION = re.compile(
    r"(?<![\d,.$\u00a3\u20ac])(?P<fig>\d{3,})(?![,.%]?\d)"
    r"(?P<rest>(?:[-\s]?(?:[A-Z]{2,}|\d+)(?![a-z])){0,2})"
)
_PART = re.compile(r"[A-Z]{2,}|\d+")
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")


def designations(text: str) -> list[tuple[str, frozenset[str], tuple[int, int]]]:
    """The designations of a sentence: figure, the parts after it (lowercased) and the span."""
    out = []
    for m in _DESIGNATION.finditer(text):
        parts = frozenset(p.lower() for p in _PART.findall(m.group("rest")))
        if parts and not _YEAR.match(m.group("fig")):
            out.append((m.group("fig"), parts, m.span()))
    return out


def shared_designation(ta: str, tb: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The spans of one designation both texts write: the figure and a lettered part in common
    (digits alone after a figure may be the next group of a spaced number: "150 000")."""
    for fig, parts, span in designations(ta):
        for fig_b, parts_b, span_b in designations(tb):
            if fig == fig_b and any(not p.isdigit() for p in parts & parts_b):
                return span, span_b
    return None
