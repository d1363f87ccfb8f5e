"""The end-of-run summary of ``factcheck ingest``: counts, time, and how to print them."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field


@dataclass(frozen=True)
class IngestSummary:
    """What an ingest run did; ``stories`` counts the stories its articles ended up in."""

    articles: int  # read from the corpus
    stored: int  # new in the store
    already: int  # already stored (a re-run, or the same text twice in the corpus)
    duplicates: int  # near-duplicate (wire copy) links stored
    conflicts: int  # conflicts stored
    stories: int
    blocks: int
    seconds: float
    engine: str
    window: str
    skipped_files: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, object]:
        rate = self.articles / self.seconds if self.seconds > 0 else 0.0
        return {
            "articles": self.articles,
            "stored": self.stored,
            "already_stored": self.already,
            "duplicates": self.duplicates,
            "conflicts": self.conflicts,
            "stories": self.stories,
            "blocks": self.blocks,
            "seconds": round(self.seconds, 2),
            "articles_per_second": round(rate, 2),
            "engine": self.engine,
            "window": self.window,
            "skipped_files": list(self.skipped_files),
        }

    def render(self, fmt: str) -> str:
        """The summary as an aligned table, one JSON object, or CSV (header + one row)."""
        data = self.as_dict()
        if fmt == "json":
            return json.dumps(data, indent=2) + "\n"
        if fmt == "csv":
            buf = io.StringIO()
            writer = csv.writer(buf, lineterminator="\n")
            writer.writerow(list(data))
            writer.writerow([";".join(v) if isinstance(v, list) else v for v in data.values()])
            return buf.getvalue()
        width = max(len(k) for k in data)
        return "".join(
            f"{k.replace('_', ' '):<{width}}  {', '.join(v) if isinstance(v, list) else v}\n"
            for k, v in data.items()
            if v != []
        )
