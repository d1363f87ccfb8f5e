"""The real MiniLM embedder: output contract, meaning, cache, batching order, threads."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from factcheck.embed import MODEL_NAME, Embedder, load_embedder
from factcheck.errors import ModelError

SENTENCES = [
    "The city council approved a new budget of 4.2 million dollars on Tuesday.",
    "Heavy rain flooded the main road near the harbour overnight.",
    "A spokeswoman said the factory will reopen in March.",
    "Officials said 12 people were injured in the collision.",
    "Ticket prices for the concert rose sharply.",
]


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    try:
        return load_embedder(batch_size=4, cache_size=1_000)
    except ModelError as exc:  # pragma: no cover - the model is a declared dependency
        pytest.skip(f"embedding model unavailable: {exc}")


def test_output_is_normalised_float32_of_model_dim(embedder: Embedder) -> None:
    vecs = embedder.encode(SENTENCES)
    assert embedder.dim == 384 and embedder.name.startswith(MODEL_NAME)
    assert vecs.shape == (len(SENTENCES), 384) and vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert embedder.encode([]).shape == (0, 384)


def test_paraphrases_are_closer_than_unrelated_sentences(embedder: Embedder) -> None:
    a, b, c = embedder.encode(
        [
            "The mayor resigned on Friday after the corruption scandal.",
            "Following the bribery affair, the mayor stepped down on Friday.",
            "The football team won the championship final in extra time.",
        ]
    )
    assert float(a @ b) > float(a @ c) + 0.2


def test_identical_and_normalised_identical_texts_hit_the_cache(embedder: Embedder) -> None:
    embedder.cache_clear()
    first = embedder.encode(["Officials said the bridge would close on Monday."])
    assert embedder.cache_info()["misses"] == 1
    again = embedder.encode(
        [
            "Officials said the bridge would close on Monday.",
            "  OFFICIALS said   the bridge would close on Monday.",  # case and spacing
            "Officials said the bridge would close on Monday.",
        ]
    )
    info = embedder.cache_info()
    assert info["misses"] == 1 and info["hits"] == 3 and info["size"] == 1
    np.testing.assert_array_equal(again, np.repeat(first, 3, axis=0))
    # Curly vs straight quotes normalise to the same key too.
    embedder.encode(["He said \u201cno comment\u201d to reporters."])
    embedder.encode(['He said "no comment" to reporters.'])
    assert embedder.cache_info()["misses"] == 2


def test_duplicates_in_one_call_are_embedded_once(embedder: Embedder) -> None:
    embedder.cache_clear()
    vecs = embedder.encode([SENTENCES[0], SENTENCES[1], SENTENCES[0], SENTENCES[0]])
    assert embedder.cache_info()["misses"] == 2
    np.testing.assert_array_equal(vecs[0], vecs[2])
    np.testing.assert_array_equal(vecs[0], vecs[3])


def test_lru_is_bounded_and_zero_disables_it() -> None:
    emb = Embedder(batch_size=4, cache_size=2)
    emb.encode(SENTENCES[:3])
    assert emb.cache_info()["size"] == 2
    emb.encode([SENTENCES[0]])  # evicted (least recently used): embedded again
    assert emb.cache_info()["misses"] == 4
    emb.cache_size = 0
    emb.cache_clear()
    emb.encode([SENTENCES[4], SENTENCES[4]])
    emb.encode([SENTENCES[4]])
    assert emb.cache_info() == {"hits": 1, "misses": 2, "size": 0, "maxsize": 0}


def test_order_is_preserved_with_length_bucketing(embedder: Embedder) -> None:
    # Lengths deliberately unsorted, more texts than one batch (batch_size=4).
    texts = [
        "Short one.",
        SENTENCES[0] + " " + SENTENCES[1] + " " + SENTENCES[2],
        "Police closed the road.",
        SENTENCES[3],
        "Mid-length sentence about a local election result.",
        "Rain.",
        SENTENCES[4],
        SENTENCES[2] + " " + SENTENCES[3],
        "The museum reopened.",
    ]
    batched = embedder.encode_uncached([t.lower() for t in texts])
    one_by_one = np.vstack([embedder.encode_uncached([t.lower()]) for t in texts])
    np.testing.assert_allclose(batched, one_by_one, atol=1e-5)
    cached = embedder.encode(texts)  # the cached path embeds the normalised (lower-case) text
    np.testing.assert_allclose(cached, one_by_one, atol=1e-5)


def test_concurrent_encoding_gives_identical_results(embedder: Embedder) -> None:
    texts = [f"Report number {i} says {SENTENCES[i % len(SENTENCES)]}" for i in range(24)]
    expected = embedder.encode_uncached([t.lower() for t in texts])
    embedder.cache_clear()
    results: dict[int, np.ndarray] = {}
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            results[n] = embedder.encode(texts[n % 3 :] + texts[: n % 3])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for n, vecs in results.items():
        rolled = np.vstack([expected[n % 3 :], expected[: n % 3]])
        np.testing.assert_allclose(vecs, rolled, atol=1e-5)


def test_shared_instance_is_reused(embedder: Embedder) -> None:
    assert load_embedder(batch_size=4, cache_size=1_000) is embedder


def test_missing_model_folder_raises_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="no sentence-transformers model"):
        Embedder(tmp_path / "nowhere")


def test_fake_embedder_is_deterministic_and_word_based() -> None:
    from fakes import FakeEmbedder

    fake = FakeEmbedder()
    a, b, c = fake.encode(
        [
            "Police arrested two men near the station.",
            "Two men were arrested by police.",
            "The orchestra performs a new symphony tonight.",
        ]
    )
    assert fake.dim == 384 and a.dtype == np.float32
    np.testing.assert_allclose([a @ a, b @ b, c @ c], 1.0, atol=1e-5)
    assert float(a @ b) > float(a @ c) + 0.3
    np.testing.assert_array_equal(
        FakeEmbedder().encode(["Police arrested two men."]),
        fake.encode(["Police arrested two men."]),
    )
