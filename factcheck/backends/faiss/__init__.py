"""FAISS vector search: the in-memory ``VectorIndex`` and ``FileVectors``, its file-backed cache."""

from __future__ import annotations

from factcheck.backends.faiss.cache import INDEX_FILE, INDEX_META_FILE, FileVectors
from factcheck.backends.faiss.index import VectorIndex

__all__ = ["INDEX_FILE", "INDEX_META_FILE", "FileVectors", "VectorIndex"]
