"""Every error factcheck raises on purpose, in one tree.

Each message says what is wrong and how to fix it; adapters (CLI, API) turn these into an exit
code or an HTTP status without re-wording them.

    FactcheckError
    ├── InputError                  bad input from the user: fix the input and retry (HTTP 4xx)
    │   ├── SourceNotFoundError     a file or folder that does not exist
    │   ├── DecodeError             bytes that are not text in a known encoding
    │   ├── FormatError             JSON / HTML / record shape that cannot be read
    │   ├── EmptyArticleError       nothing left to check after boilerplate removal
    │   ├── MissingSourceError      an article without a source name where one is required
    │   ├── InvalidURLError         a url that is not an http(s) web address
    │   ├── InvalidSourceError      a source name with control characters, or far too long
    │   └── TooFewSourcesError      comparing needs articles from two or more sources
    ├── NotFoundError               an id that is not in the store (HTTP 404)
    ├── ModelError                  a model or calibration file is missing or broken: reinstall
    ├── StoreError                  the store or index on disk is unusable
    ├── WorkerError                 an analysis worker process died mid-task: retry (HTTP 503)
    ├── CancelledError              the caller gave up (a client that went away): nothing stored
    └── ConfigError                 a setting or a registration that cannot work: fix the code
"""

from __future__ import annotations


class FactcheckError(Exception):
    """Base class: ``code`` is a stable machine-readable name, ``detail`` extra context."""

    code = "factcheck_error"

    def __init__(self, message: str, *, detail: object | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


class InputError(FactcheckError):
    code = "invalid_input"


class SourceNotFoundError(InputError):
    code = "not_found_on_disk"


class DecodeError(InputError):
    code = "undecodable"


class FormatError(InputError):
    code = "bad_format"


class EmptyArticleError(InputError):
    code = "empty_article"


class MissingSourceError(InputError):
    code = "missing_source"


class InvalidURLError(InputError):
    code = "invalid_url"


class InvalidSourceError(InputError):
    code = "invalid_source"


class TooFewSourcesError(InputError):
    code = "too_few_sources"


class NotFoundError(FactcheckError):
    code = "not_found"


class ModelError(FactcheckError):
    code = "model_error"


class StoreError(FactcheckError):
    code = "store_error"


class WorkerError(FactcheckError):
    code = "analysis_worker_failed"


class CancelledError(FactcheckError):
    """Work stopped because the caller cancelled it (``stage`` says before what)."""

    code = "cancelled"


class ConfigError(FactcheckError):
    """A cut-off out of range, or a conflict type registered twice or under a bad name."""

    code = "invalid_config"
