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
    api_key: SecretStr | None = Field(default=None, description="key for POST/DELETE")
    read_key: SecretStr | None = Field(default=None, description="key for reads too")
    max_body_bytes: int = Field(default=DEFAULT_MAX_BODY_BYTES, ge=1, description="413 above this")
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)

    @field_validator("api_key", "read_key", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        """``FACTCHECK_API_KEY=`` (empty) means no key, not a key that is the empty string."""
        if isinstance(value, str) and not value.strip():
            return None
        return value
