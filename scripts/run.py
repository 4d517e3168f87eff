"""`make run`: Redis (embedded unless REDIS_URL is set), a Celery worker and Daphne, together.

A small supervisor rather than honcho because the embedded Redis must be up (and its URL known)
before the others start. Ctrl-C or SIGTERM stops everything; if any child dies, the rest are
stopped too and the exit code says so, so a broken stack is never half up.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.stack import (
    ROOT,
    Child,
    free_port,
    port_open,
    redis_reachable,
    start_daphne,
    start_redis,
    start_worker,
)

VAR = ROOT / "var"


def _redis(env: dict[str, str], children: list[Child]) -> None:
    url = env.get("REDIS_URL", "")
    if url:
        if not redis_reachable(url):
            sys.exit(f"REDIS_URL={url} is not reachable; start that Redis or unset REDIS_URL")
        print(f"topolab: using Redis at {url}", flush=True)
        return
    port = int(env.get("EMBEDDED_REDIS_PORT", "6391"))
    if port_open("127.0.0.1", port):
        port = free_port()
    child, url = start_redis(VAR / "redis", port, VAR / "log" / "redis.log")
    children.append(child)
    env["REDIS_URL"] = url
    print(f"topolab: embedded Redis at {url} (log: var/log/redis.log)", flush=True)


def main() -> int:
    (VAR / "log").mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    host = env.get("HOST", "127.0.0.1")
    port = int(env.get("PORT", "8000"))
    children: list[Child] = []
    stopping = False

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    code = 0
    try:
        _redis(env, children)
        concurrency = int(env.get("WORKER_CONCURRENCY", "2"))
        children.append(start_worker(env, None, concurrency=concurrency))
        children.append(start_daphne(env, host, port, None))
        print(f"topolab: studio at http://{host}:{port}/  (Ctrl-C stops everything)", flush=True)
        while not stopping:
            dead = [c for c in children if not c.alive()]
            if dead:
                print(f"topolab: {dead[0].name} exited ({dead[0].proc.returncode}); stopping",
                      file=sys.stderr, flush=True)  # fmt: skip
                code = 1
                break
            time.sleep(0.3)
    except (RuntimeError, TimeoutError) as exc:
        print(f"topolab: {exc}", file=sys.stderr, flush=True)
        code = 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for child in reversed(children):
            child.stop()
    return code


if __name__ == "__main__":
    sys.exit(main())
