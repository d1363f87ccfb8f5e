"""Story rules, once for every backend: which stored articles tell the same event.

A story is a connected group of articles: an article joins the story of every stored article it
is linked to (the rule ``compare`` groups stories with: shared claims or close article vectors)
or duplicates, and the stories it bridges merge into the oldest. Deleting an article that was
the only link between parts of a story splits it (the part holding the oldest article keeps the
id); an emptied story is dropped.

The rules run inside the repository's write transaction (``ports.WriteTransaction``), which the
backend serialises, so a merge never races another writer, on one process or many.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from factcheck.ports import ArticleRepository, WriteTransaction
from factcheck.records import NewArticle

T = TypeVar("T", str, int)

if TYPE_CHECKING:
    from factcheck.pipeline import AnalysedArticle
    from factcheck.types import Report


@dataclass(frozen=True)
class Stored:
    """What one committed ingest wrote: the article's story and its view ids."""

    story_id: str
    view_ids: list[int]


class StaleWrite(Exception):
    """The store changed since the ingest was matched; nothing was written."""


class _AlreadyStored(Exception):
    """Raised inside the transaction to roll it back: the article is already stored."""


def store_article(
    repository: ArticleRepository, new: NewArticle, *, generation: int | None = None
) -> Stored | None:
    """Store ``new`` and put it in its story, in one transaction; None (nothing written) when
    an article with its id is already stored: re-posting the same text is idempotent, also
    when two workers race with it. With ``generation``, raise ``StaleWrite`` (nothing written)
    if another write committed since the caller read that generation."""
    try:
        with repository.transaction() as tx:  # raising inside rolls back: nothing written
            if tx.has_article(new.id):
                raise _AlreadyStored
            if generation is not None and tx.generation() != generation:
                raise StaleWrite(f"store generation {tx.generation()}, matched at {generation}")
            view_ids = tx.insert_article(new)
            story_id = join_story(tx, new.id)
    except _AlreadyStored:
        return None
    return Stored(story_id, view_ids)


def delete_article(repository: ArticleRepository, article_id: str) -> list[int]:
    """Remove an article and what depended on it, splitting its story if it was a bridge;
    return its view ids. Raises ``NotFoundError`` when it is not stored."""
    with repository.transaction() as tx:
        view_ids, story_id = tx.delete_article(article_id)
        if story_id is not None:
            split_story(tx, story_id)
    return view_ids


def join_story(tx: WriteTransaction, article_id: str) -> str:
    """Put a just-inserted article in the story of its neighbours, merging the stories it
    bridges into the oldest; a new story when it has none. Returns the story id."""
    stories = tx.stories_of(tx.neighbours(article_id))
    if not stories:
        story_id = tx.new_story()
    else:
        story_id = stories[0]
        for other in stories[1:]:
            tx.assign_story(story_id, tx.story_members(other))
            tx.drop_story(other)
    tx.assign_story(story_id, [article_id])
    return story_id


def split_story(tx: WriteTransaction, story_id: str) -> None:
    """Regroup a story's remaining articles into connected parts (union-find over links and
    duplicates); the part with the oldest article keeps the id, the others get new stories."""
    members = tx.story_members(story_id)
    if not members:
        tx.drop_story(story_id)
        return
    for group in connected_groups(members, {m: tx.neighbours(m) for m in members})[1:]:
        tx.assign_story(tx.new_story(), group)


def connected_groups(members: Sequence[T], neighbours: Mapping[T, Iterable[T]]) -> list[list[T]]:
    """``members`` in connected groups (edges to non-members ignored), each in member order,
    groups in the order of their first member."""
    parent = {m: m for m in members}

    def find(x: T) -> T:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for m in members:
        for other in neighbours.get(m, ()):
            if other in parent:
                ra, rb = find(m), find(other)
                if ra != rb:
                    parent[rb] = ra
    groups: dict[T, list[T]] = {}
    for m in members:
        groups.setdefault(find(m), []).append(m)
    return list(groups.values())


def claim_groups(edges: Iterable[tuple[int, int]]) -> list[list[int]]:
    """A story's aligned claims: sentences (ids) linked by matches (``edges``), in connected
    groups, each sorted, groups in the order of their smallest id."""
    adjacency: dict[int, set[int]] = {}
    for a, b in edges:
        adjacency.setdefault(a, set()).add(b)
        adjacency.setdefault(b, set()).add(a)
    return connected_groups(sorted(adjacency), adjacency)


def story_links(
    analysed: AnalysedArticle,
    others: Sequence[AnalysedArticle],
    report: Report,
    threshold: float,
) -> list[str]:
    """Stored articles about the same event as ``analysed``, by the rule ``compare`` groups
    stories with: enough shared claims, or article vectors at or past ``threshold``."""
    from factcheck import align

    new_id = analysed.article.id
    everyone = [analysed, *others]
    sources = {a.article.id: a.article.source for a in everyone}
    vector = analysed.article_vector()
    close = [
        (new_id, o.article.id)
        for o in others
        if vector.shape == o.article_vector().shape
        and float(vector @ o.article_vector()) >= threshold
    ]
    groups = align.stories([a.article.id for a in everyone], sources, report.matches, close)
    for story in groups:
        if new_id in story.article_ids:
            return [a for a in story.article_ids if a != new_id]
    return []
