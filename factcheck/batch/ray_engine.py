"""The Ray Data engine: the analysis map over Ray workers, locally or on a cluster.

Each row of the dataset is one batch of the plan (``local.plan``, so the embedding model sees
the same batches as in-process); a pool of actors, each holding one ``Pipeline`` (spaCy and
the embedding model load once per actor, not per batch), maps a batch to its analyses. Rows
travel as pickles: the analyses come back exactly as the local engine makes them, and are
handed to the driver in plan order (a batch that finishes early waits). Matching and the store
write stay in the driver (``factcheck.batch.runner``), so the store rules run in one place
whichever engine analysed, while the actors go on with the next batches.

Without ``--address`` a local Ray runtime starts (``num_cpus`` from this machine, no
dashboard, usage statistics off, bound to 127.0.0.1) and stops on ``close``; with it, the
driver joins that cluster (``ray://head:10001`` or ``head:6379``) and leaves it running.
"""

from __future__ import annotations

import logging
import os
import pickle
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from factcheck.errors import FactcheckError, InputError, WorkerError

if TYPE_CHECKING:
    from factcheck.config import Config
    from factcheck.pipeline import AnalysedArticle, Pipeline
    from factcheck.types import Article


class _Analyser:
    """A Ray Data actor: one pipeline, many batches."""

    def __init__(self, config: Config) -> None:
        from factcheck.pipeline import Pipeline

        self.pipeline = Pipeline(config, relation=None)  # matching runs in the driver

    def __call__(self, row: dict[str, Any]) -> dict[str, Any]:
        articles = pickle.loads(row["articles"])
        analysed = self.pipeline.analyse_many(articles)
        return {"batch": row["batch"], "analysed": pickle.dumps(analysed)}


class RayEngine:
    """The analysis map on Ray Data; see the module docstring."""

    name = "ray"

    def __init__(self, address: str | None = None, num_cpus: int | None = None) -> None:
        try:
            import ray
        except ImportError:
            raise InputError(
                "--engine ray needs Ray, which is not installed; install it with "
                "`pip install 'factcheck[ray]' -c constraints.txt`, or use --engine local"
            ) from None
        self._ray = ray
        self._started = False
        if ray.is_initialized():
            return  # joined by the caller (a test session, a notebook): theirs to stop
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # no call home from the runtime
        try:
            if address is None:
                ray.init(
                    num_cpus=num_cpus or os.cpu_count() or 1,
                    include_dashboard=False,
                    _node_ip_address="127.0.0.1",
                    log_to_driver=False,
                    configure_logging=False,
                )
            else:
                ray.init(address=address, log_to_driver=False, configure_logging=False)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            where = f"the Ray cluster at {address}" if address else "a local Ray runtime"
            raise FactcheckError(
                f"cannot start or join {where}: {exc}; check the address (ray://HEAD:10001 or "
                "HEAD:6379) and that the head is running, or use --engine local"
            ) from None
        self._started = True

    def workers(self) -> int:
        """How many analysis actors fit: one CPU each."""
        return max(1, int(self._ray.available_resources().get("CPU", 1)))

    def analyse(
        self, pipeline: Pipeline, articles: Sequence[Article], plan: Sequence[Sequence[int]]
    ) -> Iterator[list[AnalysedArticle]]:
        import ray.data

        if not plan:
            return
        rows = [
            {"batch": k, "articles": pickle.dumps([articles[i] for i in part])}
            for k, part in enumerate(plan)
        ]
        ctx = ray.data.DataContext.get_current()
        ctx.enable_progress_bars = False
        logging.getLogger("ray.data").setLevel(logging.WARNING)  # the run's own lines suffice
        actor: Any = _Analyser  # Ray Data takes a class for an actor pool
        ds = ray.data.from_items(rows, override_num_blocks=len(rows)).map(
            actor,
            fn_constructor_kwargs={"config": pipeline.config},
            compute=ray.data.ActorPoolStrategy(size=min(self.workers(), len(rows))),
            num_cpus=1,
        )
        early: dict[int, list[AnalysedArticle]] = {}  # batches done before their turn
        turn = 0
        try:
            for row in ds.iter_rows():
                early[int(row["batch"])] = pickle.loads(row["analysed"])
                while turn in early:
                    yield early.pop(turn)
                    turn += 1
        except self._ray.exceptions.RayError as exc:
            raise WorkerError(
                f"the analysis failed on a Ray worker ({type(exc).__name__}: "
                f"{str(exc).strip().splitlines()[-1][:300]}); the articles stored before it are "
                "stored whole, a rerun resumes. Check that every Ray worker has factcheck and "
                "its models installed (`factcheck doctor` on a worker), or rerun with --engine "
                "local to see which article fails",
            ) from None

    def close(self) -> None:
        if self._started:
            self._ray.shutdown()
            self._started = False
