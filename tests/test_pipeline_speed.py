"""The fast paths give the answers of the plain ones (real models): embedding prefetch while
spaCy parses."""

from __future__ import annotations

import numpy as np

from factcheck.embed import Embedder
from factcheck.pipeline import Pipeline
from factcheck.types import Article

TEXT = (
    "The harbour authority said on Tuesday that the new pier in Riverton would open in late "
    'September. "We are ready for the season," director Sara Kim told reporters. About 4,000 '
    "visitors are expected on the first weekend. The project cost 12 million dollars."
)


def test_prefetched_analysis_equals_the_unprefetched_one() -> None:
    article = Article(id="a", source="wire", text=TEXT)
    cached = Embedder(cache_size=1000)
    fast = Pipeline(embedder=cached, relation=None).analyse(article)
    # the sentences were embedded ahead, in the background; the views found them cached
    assert cached.cache_info()["hits"] >= len(fast.facts)
    plain_embedder = Embedder(cache_size=0)  # no cache: no prefetch
    plain = Pipeline(embedder=plain_embedder, relation=None).analyse(article)
    assert fast.facts == plain.facts
    np.testing.assert_array_equal(fast.view_sentence, plain.view_sentence)
    np.testing.assert_array_equal(fast.vectors, plain.vectors)
    assert len(fast.vectors) > len(fast.facts)  # the quote got a view of its own
