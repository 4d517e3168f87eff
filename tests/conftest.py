"""Test harness shared by the whole suite.

`live_stack` starts the real parts the way `make run` does (scripts/stack.py): a Celery worker
and Daphne on a free loopback port, against the Redis in REDIS_URL (`make test` wraps pytest in
scripts/with_redis.py, which starts a throwaway one when none is given) and a database of their
own: a fresh SQLite file, or a fresh PostgreSQL database when DATABASE_URL names PostgreSQL.
Tests talk to it over HTTP and websockets only.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from scripts.stack import (
    ROOT,
    Stack,
    free_port,
    manage,
    redis_url_with_db,
    start_daphne,
    start_worker,
)

ARTIFACTS = ROOT / "tests" / "artifacts"
# Logical Redis database of the live stack; unit tests keep database 0 of the same server.
STACK_REDIS_DB = 3


def _stack_database(tmp: Path) -> tuple[str, str | None]:
    """(DATABASE_URL for the stack, PostgreSQL database to drop afterwards or None)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{tmp / 'stack.sqlite3'}", None
    import psycopg

    name = f"topolab_stack_{uuid.uuid4().hex[:10]}"
    base = url.rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}", name


def _drop_database(url: str, name: str) -> None:
    import psycopg

    base = url.rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def live_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("stack")
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    db_url, pg_name = _stack_database(tmp)
    env = dict(os.environ)
    env.update(
        DATABASE_URL=db_url,
        REDIS_URL=redis_url_with_db(redis_url, STACK_REDIS_DB),
        DEBUG="true",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        PYTHONUNBUFFERED="1",
    )
    env.pop("DJANGO_SETTINGS_MODULE", None)
    manage(["migrate", "--noinput", "-v", "0"], env)
    port = free_port()
    stack = Stack(base_url=f"http://127.0.0.1:{port}", env=env)
    logs = tmp / "logs"
    logs.mkdir()
    try:
        stack.children.append(
            start_worker(env, logs / "worker.log", concurrency=2, schedule=tmp / "beat-schedule")
        )
        stack.children.append(start_daphne(env, "127.0.0.1", port, logs / "daphne.log"))
        yield stack
    finally:
        stack.stop()
        if pg_name:
            _drop_database(db_url, pg_name)
        _show_logs_on_failure(logs)


def _show_logs_on_failure(logs: Path) -> None:
    """Keep the stack's logs next to the artifacts so a red CI run can be read afterwards."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for log in logs.glob("*.log"):
        (ARTIFACTS / f"stack-{log.name}").write_bytes(log.read_bytes()[-200_000:])


# Django-level fixtures shared by tests/scenarios, tests/runs and later apps -----------------


def _small_scenario(**settings: Any) -> dict[str, Any]:
    return {
        "format": "topolab/1",
        "name": "small",
        "nodes": [
            {"id": "users", "kind": "client", "label": "</script><b>Users</b>", "x": 10, "y": 10,
             "params": {"rate_rps": 50, "arrival": "poisson"}},
            {"id": "api-1", "kind": "service", "x": 200, "y": 10,
             "params": {"workers": 1, "service_time_ms": 10}},
        ],
        "edges": [{"id": "e1", "source": "users", "target": "api-1", "params": {"latency_ms": 1}}],
        "settings": {"duration_s": 2, "warmup_s": 0, "seed": 7, **settings},
    }  # fmt: skip


@pytest.fixture
def make_scenario() -> Callable[..., dict[str, Any]]:
    """A factory of two-node client-server scenarios (settings overridable), cheap to run."""
    return _small_scenario


@pytest.fixture
def scenario_data() -> dict[str, Any]:
    return _small_scenario()


class JsonClient(Client):
    """A test client with post_json/put_json helpers."""

    def post_json(self, path: str, body: Any, **extra: Any) -> Any:
        return self.post(path, data=json.dumps(body), content_type="application/json", **extra)

    def put_json(self, path: str, body: Any, **extra: Any) -> Any:
        return self.put(path, data=json.dumps(body), content_type="application/json", **extra)


@pytest.fixture
def api() -> JsonClient:
    """A cookie-less script: no session, no CSRF token needed."""
    return JsonClient()


@pytest.fixture
def browser() -> JsonClient:
    """A browser that enforces CSRF like a real one would be checked."""
    return JsonClient(enforce_csrf_checks=True)
