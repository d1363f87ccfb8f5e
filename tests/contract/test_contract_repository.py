"""The repository contract, on every backend: the core's rules over ``ports`` only.

Each test opens a fresh store of each backend in ``tests/backends.py`` and drives it as the
workspace does (``factcheck.stories`` for writes, the repository's reads), so a backend that
passes here stores, merges, pages and filters exactly as the default SQLite one.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from builders import conflict, delete, duplicate, ingest, make_article, match

from factcheck import stories
from factcheck.backends import Backend
from factcheck.errors import NotFoundError, StoreError
from factcheck.ports import ArticleRepository
from factcheck.records import ConflictFilter, NewArticle, NewMatch, stored_precision


def state(repo: ArticleRepository) -> tuple[Any, ...]:
    """Everything a reader could see, to compare before and after."""
    return (
        repo.counts(),
        repo.generation(),
        repo.articles().to_dict(),
        repo.stories().to_dict(),
        repo.conflicts().to_dict(),
    )


def story_of(repo: ArticleRepository, article_id: str) -> str:
    return str(repo.article(article_id)["story_id"])


def test_a_failed_ingest_leaves_the_store_as_it_was(backend: Backend) -> None:
    repo = backend.repository
    ingest(backend, make_article("a1", "wire", ["Ten people were hurt.", "The bridge closed."]))
    before = state(repo)
    # the article row goes in first; the match naming an unstored sentence fails later
    bad = make_article(
        "b1", "paper", ["Twelve hurt."], matches=(match("b1", 0, "zz", 3, "p", "x"),)
    )
    with pytest.raises(StoreError, match="not stored"):
        stories.store_article(repo, bad)
    assert state(repo) == before and not repo.has_article("b1")
    with pytest.raises(RuntimeError, match="caller"), repo.transaction() as tx:
        tx.insert_article(make_article("c1", "blog", ["Something else entirely."]))
        raise RuntimeError("the caller failed after the insert")
    assert state(repo) == before and not repo.has_article("c1")


def test_re_ingesting_the_same_article_changes_nothing(backend: Backend) -> None:
    repo = backend.repository
    new = make_article("a1", "wire", ["Ten people were hurt."])
    ingest(backend, new)
    before = state(repo)
    assert stories.store_article(repo, new) is None
    assert state(repo) == before  # not even the generation moves


def test_a_stale_generation_writes_nothing(backend: Backend) -> None:
    """An ingest matched before another write committed is refused inside the transaction."""
    repo = backend.repository
    seen = repo.generation()
    ingest(backend, make_article("a1", "wire", ["Ten people were hurt."]))
    before = state(repo)
    late = make_article("b1", "paper", ["Twelve people were hurt."], seed=1)
    with pytest.raises(stories.StaleWrite):
        stories.store_article(repo, late, generation=seen)
    assert state(repo) == before
    assert stories.store_article(repo, late, generation=repo.generation()) is not None


def test_concurrent_ingests_of_one_article_store_it_once(backend: Backend) -> None:
    repo = backend.repository
    new = make_article("a1", "wire", ["Ten people were hurt.", "The bridge closed."])
    results: list[stories.Stored | None] = []
    start = threading.Barrier(4)

    def post() -> None:
        start.wait()
        results.append(stories.store_article(repo, new))

    threads = [threading.Thread(target=post) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r is not None for r in results) == 1
    counts = repo.counts()
    assert counts["articles"] == 1 and counts["views"] == 2 and counts["stories"] == 1


def test_concurrent_bridges_merge_stories_without_losing_an_article(backend: Backend) -> None:
    """Articles that each bridge two stories, stored at once, leave one story holding all."""
    repo = backend.repository
    for i in range(4):
        ingest(backend, make_article(f"s{i}", f"outlet{i}", [f"Seed {i}."], seed=i))
    bridges = [
        make_article(f"b{i}", "bridge", [f"Bridge {i}."], links=(f"s{i}", f"s{i + 1}"), seed=9 + i)
        for i in range(3)
    ]
    start = threading.Barrier(len(bridges))

    def post(new: NewArticle) -> None:
        start.wait()
        stories.store_article(repo, new)

    threads = [threading.Thread(target=post, args=(b,)) for b in bridges]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ids = [f"s{i}" for i in range(4)] + [f"b{i}" for i in range(3)]
    assert {story_of(repo, a) for a in ids} == {story_of(repo, "s0")}
    assert repo.counts()["stories"] == 1 and repo.counts()["articles"] == 7


def test_round_trip_with_matches_conflicts_and_duplicates(backend: Backend) -> None:
    repo = backend.repository
    a = ingest(backend, make_article("a1", "wire", ["Ten people were hurt.", "The bridge closed."]))
    m = match("b1", 0, "a1", 0, "paper", "wire")
    b_new = make_article(
        "b1",
        "paper",
        ["Twelve people were hurt.", "Police came."],
        matches=(m,),
        conflicts=(conflict(m),),
        duplicates=(duplicate("a1", "b1"),),
        seed=1,
    )
    b = ingest(backend, b_new)  # a duplicate joins the story of what it copies
    assert b.story_id == a.story_id
    assert len(a.view_ids) == 2 and len(b.view_ids) == 2 and min(b.view_ids) > max(a.view_ids)
    got = repo.article("b1")
    assert got["source"] == "paper" and got["title"] == "Title b1"
    assert [s["text"] for s in got["sentences"]] == ["Twelve people were hurt.", "Police came."]
    assert got["story_id"] == a.story_id and got["duplicate_of"] == "a1"
    assert len(got["matches"]) == 1
    assert [c["type"] for c in got["conflicts"]] == ["number"]
    assert got["conflicts"][0]["a_article"]["id"] == "b1"
    assert got["conflicts"][0]["b_article"]["title"] == "Title a1"
    assert [c["id"] for c in repo.article("a1")["conflicts"]] == ["number-b1-a1"]
    # what the pipeline reads back: analyses and vectors at the stored precision
    (analysis,) = repo.analyses(["b1", "unknown"])
    assert analysis.source == "paper" and analysis.analysed == b_new.analysed
    assert analysis.view_sentence.tolist() == [0, 1]
    want = stored_precision(b_new.vectors, repo.vector_dtype)
    np.testing.assert_allclose(analysis.vectors, want, atol=1e-6)
    owners = repo.view_articles([*b.view_ids, 10**9])
    assert owners == {v: ("b1", "paper") for v in b.view_ids}
    stored_ids = np.concatenate([ids for ids, _ in repo.iter_vectors(batch=3)])
    assert stored_ids.tolist() == sorted(a.view_ids + b.view_ids) and repo.view_count() == 4


def test_delete_removes_what_depended_on_the_article(backend: Backend) -> None:
    repo = backend.repository
    ingest(backend, make_article("a1", "wire", ["Ten people were hurt."]))
    m = match("b1", 0, "a1", 0, "paper", "wire")
    b = ingest(
        backend,
        make_article("b1", "paper", ["Twelve were hurt."], matches=(m,), conflicts=(conflict(m),)),
    )
    generation = repo.generation()
    assert delete(backend, "b1") == b.view_ids
    assert repo.generation() > generation
    counts = repo.counts()
    assert counts["articles"] == 1 and counts["conflicts"] == 0 and counts["matches"] == 0
    assert counts["views"] == 1 and counts["sentences"] == 1 and counts["stories"] == 1
    assert repo.article("a1")["conflicts"] == []
    with pytest.raises(NotFoundError, match="no article with id 'b1'"):
        repo.article("b1")
    before = state(repo)
    with pytest.raises(NotFoundError):
        stories.delete_article(repo, "b1")
    assert state(repo) == before


def test_stories_merge_when_bridged_and_split_when_the_bridge_goes(backend: Backend) -> None:
    repo = backend.repository
    s_a = ingest(backend, make_article("a1", "wire", ["Storm hits coast."])).story_id
    s_c = ingest(backend, make_article("c1", "blog", ["Election results in."], seed=2)).story_id
    assert s_a != s_c
    m1 = match("b1", 0, "a1", 0, "paper", "wire")
    m2 = match("b1", 1, "c1", 0, "paper", "blog")
    texts = ["Storm hit the coast.", "Votes counted."]
    bridge = make_article("b1", "paper", texts, matches=(m1, m2), links=("a1", "c1"), seed=3)
    assert ingest(backend, bridge).story_id == s_a  # merged into the oldest story
    assert repo.counts()["stories"] == 1
    story = repo.story(s_a)
    assert story["n_articles"] == 3 and story["sources"] == ["blog", "paper", "wire"]
    assert len(story["claims"]) == 2

    delete(backend, "b1")
    assert repo.counts()["stories"] == 2
    assert story_of(repo, "a1") == s_a  # the part with the oldest article keeps the id
    assert story_of(repo, "c1") != s_a
    delete(backend, "a1")
    with pytest.raises(NotFoundError, match="no story with id"):
        repo.story(s_a)


def _three_conflicts(backend: Backend) -> None:
    ingest(backend, make_article("a1", "wire", ["One.", "Two.", "Three."]))
    ms = [match("b1", i, "a1", i, "paper", "wire") for i in range(3)]
    cs = (conflict(ms[0], "number", "high"), conflict(ms[1], "date", "low"))
    b = make_article("b1", "paper", ["1.", "2.", "3."], matches=tuple(ms), conflicts=cs, seed=1)
    ingest(backend, replace(b, links=("a1",)))
    m3 = match("c1", 2, "a1", 2, "blog", "wire")
    c = make_article("c1", "blog", ["x.", "y.", "z."], matches=(m3,), seed=2)
    ingest(backend, replace(c, conflicts=(conflict(m3, "quote"),)))


def test_conflict_filters_and_paging(backend: Backend) -> None:
    repo = backend.repository
    _three_conflicts(backend)
    page = repo.conflicts()
    assert [c["type"] for c in page.items] == ["quote", "date", "number"]  # newest first
    assert page.total == 3 and page.next_offset is None
    assert [c["type"] for c in repo.conflicts(ConflictFilter(type="date")).items] == ["date"]
    assert repo.conflicts(ConflictFilter(types=("date", "quote"))).total == 2
    assert repo.conflicts(ConflictFilter(severity="low")).total == 1
    assert repo.conflicts(ConflictFilter(min_severity="medium")).total == 2
    assert repo.conflicts(ConflictFilter(source="blog")).total == 1
    assert repo.conflicts(ConflictFilter(source="wire")).total == 3
    assert repo.conflicts(ConflictFilter(article="c1")).total == 1
    story = story_of(repo, "a1")
    assert repo.conflicts(ConflictFilter(story=story)).total == 2  # c1 is a story of its own
    assert repo.conflicts(ConflictFilter(story="s_nope")).total == 0
    assert repo.conflicts(ConflictFilter(since="2999-01-01T00:00:00+00:00")).total == 0
    first = repo.conflicts(limit=2)
    assert len(first.items) == 2 and first.next_offset == 2
    rest = repo.conflicts(limit=2, offset=2)
    assert [c["type"] for c in rest.items] == ["number"] and rest.next_offset is None
    worst = repo.conflicts(order="severity")  # most severe first, newest first within one
    assert [(c["type"], c["severity"]) for c in worst.items] == [
        ("quote", "high"),
        ("number", "high"),
        ("date", "low"),
    ]
    with pytest.raises(ValueError, match="unknown conflict order"):
        repo.conflicts(order="loudest")


def test_article_and_story_paging(backend: Backend) -> None:
    repo = backend.repository
    for i in range(5):
        ingest(backend, make_article(f"a{i}", "wire" if i % 2 else "paper", [f"S {i}."], seed=i))
    page = repo.articles(limit=2)
    assert [a["id"] for a in page.items] == ["a4", "a3"] and page.total == 5
    assert page.next_offset == 2
    assert [a["id"] for a in repo.articles(limit=2, offset=4).items] == ["a0"]
    assert repo.articles(source="wire").total == 2
    assert repo.articles(story=story_of(repo, "a2")).total == 1
    listed = repo.stories(limit=3)
    assert listed.total == 5 and len(listed.items) == 3 and listed.next_offset == 3
    assert listed.items[0]["id"] == story_of(repo, "a4")  # most recently updated first
    assert {"id", "sources", "n_articles", "conflicts_by_type", "first_seen", "last_seen"} <= set(
        listed.items[0]
    )


def test_other_conflict_types_and_relations_round_trip(backend: Backend) -> None:
    """Nothing in a schema limits conflict types or match relations."""
    repo = backend.repository
    ingest(backend, make_article("a1", "wire", ["At least 14 people were killed."]))
    m = NewMatch("b1", 0, "a1", 0, "herald", "wire", 0.4, "same_fact", {"relation": "same_fact"})
    b = make_article("b1", "herald", ["The flood has now killed 19."], matches=(m,), seed=1)
    ingest(
        backend,
        replace(b, conflicts=(conflict(m, "update", "medium"),), links=("a1",)),
    )
    (got,) = repo.conflicts(ConflictFilter(type="update")).items
    assert got["id"] == "update-b1-a1" and got["severity"] == "medium"
    assert [x["relation"] for x in repo.article("b1")["matches"]] == ["same_fact"]
    assert repo.story(story_of(repo, "a1"))["conflicts_by_type"] == {"update": 1}


def test_meta_and_generation(backend: Backend) -> None:
    repo = backend.repository
    assert repo.meta("embedder") == "contract-test"  # recorded when the store was opened
    assert repo.meta("nothing-here") is None
    g0 = repo.generation()
    ingest(backend, make_article("a1", "wire", ["One."]))
    assert repo.generation() == g0 + 1
    repo.set_meta("note", "kept")
    assert repo.meta("note") == "kept"
    described = repo.describe()
    assert {"backend", "schema_version"} <= set(described)


def test_a_conflict_repeated_through_a_wire_copy_is_listed_once(backend: Backend) -> None:
    repo = backend.repository
    ingest(backend, make_article("a1", "wire", ["Ten people were hurt in the crash."]))
    m = match("b1", 0, "a1", 0, "paper", "wire")
    b = make_article("b1", "paper", ["Twelve people were hurt in the crash."], seed=1)
    ingest(backend, replace(b, matches=(m,), conflicts=(conflict(m),), links=("a1",)))
    m2 = match("c1", 0, "b1", 0, "reprint", "paper")
    c = make_article("c1", "reprint", ["Ten people were hurt in the crash."], seed=2)
    copy = replace(c, matches=(m2,), conflicts=(conflict(m2),), duplicates=(duplicate("a1", "c1"),))
    ingest(backend, copy)
    assert repo.counts()["conflicts"] == 2
    (shown,) = repo.conflicts().items  # the original's conflict, its repeat listed under it
    assert shown["id"] == "number-b1-a1" and shown["n_copies"] == 1
    assert [x["id"] for x in shown["copies"]] == ["number-c1-b1"]
    story = repo.story(story_of(repo, "a1"))
    assert story["n_articles"] == 3 and story["n_copies"] == 1
    assert story["n_conflicts"] == 1 and story["conflicts_by_type"] == {"number": 1}
    assert story["n_matches"] == 1
    assert [c["id"] for c in story["conflicts"]] == ["number-b1-a1"]
    assert repo.article("c1")["duplicate_of"] == "a1"
