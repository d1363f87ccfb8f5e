"""Schemathesis against a real server: ``factcheck serve`` in a subprocess (uvicorn, real models,
a temporary data directory), every operation of /openapi.json fuzzed with valid and invalid data.

Asserts: no 5xx, every response matches its documented schema, every 4xx is the one error shape
``{"error": {"code", "message", "detail"}}`` with a message. Bounded examples per operation so the
whole run takes a few minutes (FACTCHECK_FUZZ_EXAMPLES raises or lowers the bound).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, Phase, settings  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import response_schema_conformance  # noqa: E402

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("FACTCHECK_FUZZ_EXAMPLES", "40"))
STARTUP_SECONDS = 180


FIXTURES = Path(__file__).parent / "fixtures" / "articles"


def _seed(base: str) -> None:
    """Store the fixture story (two outlets, seven conflicts) so reads return real records."""
    posts = [
        ("application/json", (FIXTURES / "coastal-wire.json").read_bytes(), {}),
        ("text/plain", (FIXTURES / "harbor-herald.txt").read_bytes(), {"source": "Harbor Herald"}),
        ("text/html", (FIXTURES / "daily-post.html").read_bytes(), {}),
    ]
    for mime, body, params in posts:
        r = httpx.post(
            f"{base}/articles", content=body, params=params, headers={"Content-Type": mime},
            timeout=120,
        )  # fmt: skip
        assert r.status_code == 201, r.text
    assert httpx.get(f"{base}/conflicts", timeout=30).json()["total"] >= 5


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    data_dir = tmp_path_factory.mktemp("fuzz-data")
    log = (tmp_path_factory.mktemp("fuzz-log") / "server.log").open("w")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    env.pop("FACTCHECK_API_KEY", None)
    env.pop("FACTCHECK_READ_KEY", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "factcheck.cli", "serve", "--host", "127.0.0.1",
         "--port", str(port), "--data-dir", str(data_dir)],
        stdout=log, stderr=subprocess.STDOUT, env=env,
        cwd=Path(__file__).resolve().parents[1],
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if proc.poll() is not None:
                pytest.fail(f"factcheck serve exited with {proc.returncode}; see {log.name}")
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"factcheck serve did not answer within {STARTUP_SECONDS} s")
            time.sleep(0.5)
        _seed(base)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def one_error_shape(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every 4xx is ``{"error": {"code": str, "message": str, "detail": ...}}``."""
    if not 400 <= response.status_code < 500:
        return None
    body = response.json()
    assert isinstance(body, dict) and set(body) == {"error"}, body
    err = body["error"]
    assert isinstance(err, dict) and set(err) == {"code", "message", "detail"}, err
    assert isinstance(err["code"], str) and err["code"], err
    assert isinstance(err["message"], str) and len(err["message"]) > 10, err
    return True


def test_no_server_errors_schema_violations_or_other_error_shapes(server: str) -> None:
    """Each operation x {valid, invalid} data, ``EXAMPLES`` cases each; all failures listed.

    (Hypothesis is driven directly: schemathesis' pytest plugin does not run on pytest 9.)
    """
    from hypothesis import given
    from hypothesis.errors import Unsatisfiable

    schema = schemathesis.openapi.from_url(f"{server}/openapi.json")
    failures: list[str] = []
    statuses: list[int] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                derandomize=True,
                database=None,
                phases=[Phase.explicit, Phase.generate],  # no shrinking: report, move on
            )
            def run(case: Any) -> None:
                response = case.call(base_url=server, timeout=120)
                statuses.append(response.status_code)
                case.validate_response(
                    response,
                    checks=[not_a_server_error, response_schema_conformance, one_error_shape],
                )

            try:
                run()
            except Unsatisfiable:
                continue  # no invalid value exists (e.g. a free string path parameter)
            except Exception as exc:  # one line per operation and mode, then go on
                first = str(exc).strip().splitlines()[:6]
                failures.append(f"{operation.label} [{mode.value}]: " + " | ".join(first))
    ran = len(statuses)
    assert ran >= 20, f"only {ran} requests were made"
    assert not failures, "\n".join(failures)
    assert any(400 <= s < 500 for s in statuses) and any(s < 300 for s in statuses)
