"""Storage backends, chosen by URL: ``open_backend("sqlite:///data")`` -> repository + vectors.

A backend registers a scheme with ``register`` (two openers: the repository, then the vector
search over it). ``sqlite`` (SQLite + a FAISS file in one folder, the zero-setup default) is
built in; ``postgresql`` (PostgreSQL + pgvector) registers itself when its module
``factcheck.backends.postgres`` is importable, i.e. after ``pip install 'factcheck[postgres]'``.

Between the two openers the core checks that the stored vectors come from the model in use,
the same rule on every backend.

URLs: ``sqlite:///abs/dir`` or ``sqlite://rel/dir`` (everything after ``sqlite://`` is the
data directory; the database file and index live in it), ``postgresql://user@host/db``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from factcheck.config import DEFAULT_EXACT_INDEX_LIMIT
from factcheck.errors import StoreError
from factcheck.ports import ArticleRepository, VectorSearch, WorkspaceVectors

DEFAULT_SAVE_EVERY = 64  # writes between index-file saves (the store is the source of truth)
DEFAULT_SAVE_INTERVAL = 60.0  # seconds: a dirty index is saved on the first write after this


@dataclass(frozen=True)
class BackendOptions:
    """What a backend needs to know about the run: the model's vectors and index tuning."""

    dim: int
    embedder: str
    exact_limit: int = DEFAULT_EXACT_INDEX_LIMIT  # vectors searched exactly below this size
    save_every: int = DEFAULT_SAVE_EVERY  # writes between saves of a file-based index
    save_interval: float = DEFAULT_SAVE_INTERVAL  # seconds between saves of a file-based index
    extra: dict[str, Any] = field(default_factory=dict)  # backend-specific (pool size, ef_search)


RepositoryOpener = Callable[[str, BackendOptions], ArticleRepository]
VectorsOpener = Callable[[str, ArticleRepository, BackendOptions], WorkspaceVectors]


@dataclass(frozen=True)
class BackendKind:
    """A registered backend: how to open its repository, then its vector search."""

    scheme: str
    open_repository: RepositoryOpener
    open_vectors: VectorsOpener


@dataclass(frozen=True)
class Backend:
    """An open backend: the repository (source of truth) and the vector search over it."""

    url: str
    repository: ArticleRepository
    vectors: WorkspaceVectors

    def close(self) -> None:
        """Close the vectors (saving a dirty index), then the repository."""
        try:
            self.vectors.close()
        finally:
            self.repository.close()


_REGISTRY: dict[str, BackendKind] = {}
# schemes whose module registers itself on import, and the extra that installs its dependencies
_PLUGINS: dict[str, tuple[str, str]] = {
    "postgresql": ("factcheck.backends.postgres", "postgres"),
    "postgres": ("factcheck.backends.postgres", "postgres"),
}


def register(scheme: str, open_repository: RepositoryOpener, open_vectors: VectorsOpener) -> None:
    """Make ``scheme://...`` URLs open with these openers (a later call replaces an earlier)."""
    _REGISTRY[scheme.lower()] = BackendKind(scheme.lower(), open_repository, open_vectors)


def schemes() -> list[str]:
    """Schemes registered now (plugins appear once imported)."""
    return sorted(_REGISTRY)


def scheme_of(url: str) -> str:
    """The scheme of a store URL, lower case (``postgresql+psycopg`` counts as ``postgresql``)."""
    scheme, sep, _ = url.partition("://")
    if not sep or not scheme:
        raise StoreError(
            f"{url!r} is not a store URL; use sqlite:///<data dir> or postgresql://user@host/db",
            detail={"url": redact(url)},
        )
    return scheme.lower().split("+", 1)[0]


def backend_kind(url: str) -> BackendKind:
    """The registered backend for ``url``'s scheme, importing its plugin module when needed."""
    scheme = scheme_of(url)
    if scheme not in _REGISTRY and scheme in _PLUGINS:
        module, extra = _PLUGINS[scheme]
        try:
            importlib.import_module(module)
        except ImportError as exc:
            raise StoreError(
                f"the {scheme} backend is not installed ({exc}); install it with "
                f"pip install 'factcheck[{extra}]'",
                detail={"scheme": scheme, "extra": extra},
            ) from exc
    if scheme not in _REGISTRY:
        known = sorted({*_REGISTRY, *_PLUGINS})
        raise StoreError(
            f"unknown store URL scheme {scheme!r} in {redact(url)}; use one of "
            f"{', '.join(k + '://' for k in known)}",
            detail={"scheme": scheme, "known": known},
        )
    return _REGISTRY[scheme]


def open_backend(url: str, options: BackendOptions) -> Backend:
    """Open the repository at ``url``, check its vectors come from ``options.embedder``, then
    open the vector search over it. Raises ``StoreError`` with what to change."""
    kind = backend_kind(url)
    repository = kind.open_repository(url, options)
    try:
        check_embedder(repository, options.embedder)
        vectors = kind.open_vectors(url, repository, options)
    except BaseException:
        repository.close()
        raise
    return Backend(url=url, repository=repository, vectors=vectors)


def open_repository(url: str) -> ArticleRepository:
    """Only the repository at ``url`` (to read a store without a model: checks, tools)."""
    return backend_kind(url).open_repository(url, BackendOptions(dim=0, embedder=""))


def check_embedder(repository: ArticleRepository, name: str) -> None:
    """Record the embedding model of a new store; refuse a store that holds another model's."""
    stored = repository.meta("embedder")
    if stored is None:
        repository.set_meta("embedder", name)
    elif stored != name and repository.view_count():
        where = repository.describe().get("url", "this store")
        raise StoreError(
            f"{where} holds embeddings of model {stored!r} but this run uses {name!r}; run "
            "with the same model, or use a new --data-dir / --store",
            detail={"stored": stored, "running": name},
        )


def sqlite_url(data_dir: Path | str) -> str:
    """The store URL of a data directory (absolute, so it means the same from any cwd)."""
    return "sqlite://" + str(Path(data_dir).expanduser().resolve())


def store_url(location: Path | str) -> str:
    """A store URL as given, or the SQLite URL of a data directory given as a path."""
    text = str(location)
    return text if "://" in text else sqlite_url(text)


def redact(url: str) -> str:
    """``url`` without its password, for messages and /health."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparseable URL>"
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def memory_search(dim: int, *, exact_limit: int = DEFAULT_EXACT_INDEX_LIMIT) -> VectorSearch:
    """An in-memory vector search (the pipeline's, for one ``compare``): FAISS, exact below
    ``exact_limit`` vectors."""
    from factcheck.backends.faiss.index import VectorIndex

    return VectorIndex(dim, exact_limit=exact_limit)


def _register_sqlite() -> None:
    from factcheck.backends.sqlite import open_sqlite_repository, open_sqlite_vectors

    register("sqlite", open_sqlite_repository, open_sqlite_vectors)


_register_sqlite()
