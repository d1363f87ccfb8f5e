"""Service settings from the environment (prefix ``FACTCHECK_``) or explicit arguments.

The core never reads the environment; this is the one place the service does.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024


class Settings(BaseSettings):
    """Where the data lives, who may write/read, and how big a request body may be."""

    model_config = SettingsConfigDict(env_prefix="FACTCHECK_", extra="ignore")

    data_dir: Path = Field(default=Path("factcheck-data"), description="SQLite store + FAISS index")
    store_url: str | None = Field(
        default=None,
        description="where the store lives: sqlite:///<dir> or postgresql://user@host/db; "
        "unset: sqlite://<data_dir>",
    )
    api_key: SecretStr | None = Field(default=None, description="key for POST/DELETE")
    read_key: SecretStr | None = Field(default=None, description="key for reads too")
    max_body_bytes: int = Field(default=DEFAULT_MAX_BODY_BYTES, ge=1, description="413 above this")
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    analysis_workers: int | None = Field(
        default=None,
        ge=0,
        description="processes that run the spaCy analysis of POSTs side by side; "
        "unset: min(2, CPU cores); 0: in the server process, one article at a time",
    )

    def store_location(self) -> str:
        """The store URL the workspace opens (``store_url``, else the SQLite data folder)."""
        from factcheck.backends import store_url

        return store_url(self.store_url or self.data_dir)

    def analysis_pool_size(self) -> int:
        """The number of analysis worker processes to start (0: none)."""
        from factcheck.analysis_pool import default_workers

        return default_workers() if self.analysis_workers is None else self.analysis_workers

    @field_validator("api_key", "read_key", "store_url", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        """``FACTCHECK_API_KEY=`` (empty) means no key, not a key that is the empty string
        (likewise an empty ``FACTCHECK_STORE_URL`` means the default store)."""
        if isinstance(value, str) and not value.strip():
            return None
        return value
