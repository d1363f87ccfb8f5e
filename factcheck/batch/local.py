"""Engines: who runs the analysis map (sentences, facts, embeddings) over a corpus.

Both engines get the same plan, fixed batches of at most ``BATCH_SIZE`` articles cut inside each
window block (``plan``), and analyse each batch with one ``Pipeline.analyse_many`` call: the
embedding model then sees the same batches whichever engine ran it, so both give the same
vectors and the same store. Both hand the batches back one by one, in plan order, so the driver
matches and stores a block while later blocks are still being analysed, and only the batches in
flight are held in memory, not a month of analyses. The local engine runs the batches one after
the other in this process; the Ray engine (``factcheck.batch.ray_engine``) maps them over Ray
Data workers.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Protocol

from factcheck.errors import InputError

if TYPE_CHECKING:
    from factcheck.pipeline import AnalysedArticle, Pipeline
    from factcheck.types import Article

BATCH_SIZE = 16  # articles per analyse_many call (one embedding batch), the same on every engine
RAY_AUTO_MIN = 500  # --engine auto picks Ray (when installed) from this many articles
ENGINES = ("auto", "local", "ray")


class Engine(Protocol):
    """Runs the analysis map; ``close`` releases what it started (a local Ray runtime)."""

    name: str

    def analyse(
        self, pipeline: Pipeline, articles: Sequence[Article], plan: Sequence[Sequence[int]]
    ) -> Iterator[list[AnalysedArticle]]:
        """The analyses of each batch of ``plan`` (positions in ``articles``), in plan order."""
        ...

    def close(self) -> None: ...


def plan(groups: Iterable[Sequence[int]], size: int = BATCH_SIZE) -> list[list[int]]:
    """Batches of at most ``size`` positions, cut inside each group (window block), in order."""
    return [list(g[lo : lo + size]) for g in groups for lo in range(0, len(g), size)]


class LocalEngine:
    """The batches one after the other in this process (spaCy in the pipeline's own pool)."""

    name = "local"

    def analyse(
        self, pipeline: Pipeline, articles: Sequence[Article], plan: Sequence[Sequence[int]]
    ) -> Iterator[list[AnalysedArticle]]:
        for part in plan:
            yield pipeline.analyse_many([articles[i] for i in part])

    def close(self) -> None:
        pass


def ray_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("ray") is not None


def open_engine(name: str, *, address: str | None = None, corpus_size: int = 0) -> Engine:
    """The engine ``--engine`` names; ``auto`` is Ray when installed and the corpus is large
    (``RAY_AUTO_MIN`` articles or more: below that, starting Ray costs more than it saves)."""
    if name not in ENGINES:
        raise InputError(f"--engine {name!r} is not an engine; use one of {', '.join(ENGINES)}")
    if name == "auto":
        large = corpus_size >= RAY_AUTO_MIN and ray_installed()
        name = "ray" if address is not None or large else "local"
    if name == "local":
        if address is not None:
            raise InputError(
                "--address is the address of a Ray cluster; it needs --engine ray (or auto)"
            )
        return LocalEngine()
    from factcheck.batch.ray_engine import RayEngine

    return RayEngine(address=address)
