"""The one list of conflict types: a new type is one module that calls :func:`register`.

Everything that names conflict types reads this list: the sentence rules run by
:func:`factcheck.conflicts.detect` (each kind's ``detector``, in ``order``), the API's ``type``
filter and its OpenAPI enum, the dashboard's labels and type filter, and the documentation.
Kinds without a detector are emitted by rules that compare more than one sentence pair (the
claim rules of ``factcheck.claim_conflicts`` / ``factcheck.anchors``) or by the quote and
intensity comparisons that :func:`detect` runs on every aligned pair; they are registered so the
adapters know them all the same.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

from factcheck.errors import ConfigError
from factcheck.types import Conflict, Match, SentenceFacts

Detector = Callable[[SentenceFacts, SentenceFacts, Match], list[Conflict]]

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


@dataclass(frozen=True)
class ConflictKind:
    """One conflict type: its stable name (stored, filtered on, in the JSON), what people read."""

    name: str  # stable identifier: stored with each conflict and used as the API's ``type``
    label: str  # short label for people (dashboard badges and filters)
    description: str  # one line: what makes two reports disagree in this way
    order: int  # position in lists and the order detectors run in (lower first)
    detector: Detector | None = (
        None  # sentence rule for strongly aligned pairs, if this kind has one
    )


_LOCK = threading.RLock()
_KINDS: dict[str, ConflictKind] = {}
# kinds() and detectors() cached until the next (un)register: detect() asks once per pair
_ORDERED: tuple[ConflictKind, ...] | None = None
_RULES: tuple[Detector, ...] | None = None


def register(kind: ConflictKind, *, replace: bool = False) -> ConflictKind:
    """Add ``kind`` to the registry (on import of its module) and return it.

    A second kind under a taken name is refused unless ``replace`` is given, so two modules can
    never silently fight over one stored type name.
    """
    if not _NAME.match(kind.name):
        raise ConfigError(
            f"conflict type name {kind.name!r} is not a lower-case identifier; use letters, "
            "digits and '_' (at most 32), starting with a letter"
        )
    with _LOCK:
        if kind.name in _KINDS and not replace and _KINDS[kind.name] != kind:
            raise ConfigError(
                f"conflict type {kind.name!r} is already registered; pick another name or pass "
                "replace=True to override it on purpose"
            )
        _KINDS[kind.name] = kind
        _invalidate()
    return kind


def unregister(name: str) -> None:
    """Remove a kind (tests that register a throwaway kind clean up with this)."""
    with _LOCK:
        _KINDS.pop(name, None)
        _invalidate()


def _invalidate() -> None:
    global _ORDERED, _RULES
    _ORDERED = _RULES = None


def kinds() -> tuple[ConflictKind, ...]:
    """Every registered kind, in ``order`` (then name)."""
    global _ORDERED
    with _LOCK:
        if _ORDERED is None:
            _ORDERED = tuple(sorted(_KINDS.values(), key=lambda k: (k.order, k.name)))
        return _ORDERED


def names() -> tuple[str, ...]:
    """The registered type names, in order: the values the API's ``type`` filter accepts."""
    return tuple(k.name for k in kinds())


def labels() -> dict[str, str]:
    """Type name -> label, in order: what the dashboard shows."""
    return {k.name: k.label for k in kinds()}


def get(name: str) -> ConflictKind | None:
    """The kind registered under ``name``, or None."""
    with _LOCK:
        return _KINDS.get(name)


def detectors() -> tuple[Detector, ...]:
    """The sentence rules, in order, each once (one rule may emit several kinds)."""
    global _RULES
    rules = _RULES
    if rules is None:
        with _LOCK:  # computed and stored under the lock: an (un)register cannot interleave
            seen: list[Detector] = []
            for k in kinds():
                if k.detector is not None and k.detector not in seen:
                    seen.append(k.detector)
            rules = _RULES = tuple(seen)
    return rules
