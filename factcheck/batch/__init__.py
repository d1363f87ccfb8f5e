"""Batch at scale: a corpus (a day or a month of news) analysed on an engine (in-process or
Ray Data), matched inside publication-time windows, and stored or reported.

    engine.analyse (parallel map)  ->  blocks by window  ->  match + store in the driver

Public API: ``open_engine``, ``parse_window``, ``ingest``, ``compare``, ``join_reports``.
"""

from __future__ import annotations

from factcheck.batch.blocks import Window, parse_window
from factcheck.batch.local import ENGINES, Engine, LocalEngine, open_engine
from factcheck.batch.runner import compare, ingest, join_reports
from factcheck.batch.summary import IngestSummary

__all__ = [
    "ENGINES",
    "Engine",
    "IngestSummary",
    "LocalEngine",
    "Window",
    "compare",
    "ingest",
    "join_reports",
    "open_engine",
    "parse_window",
]
