"""Print the PostgreSQL URL for the PG test pass, or exit 1 when no server answers there.

TEST_POSTGRES_URL overrides the default (the local server on these machines: user postgres,
trust auth). The suite creates and drops its own test databases on that server.
"""

from __future__ import annotations

import os
import sys

import psycopg

URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/topolab")


def main() -> int:
    admin = URL.rsplit("/", 1)[0] + "/postgres"
    try:
        with psycopg.connect(admin, connect_timeout=3) as conn:
            conn.execute("select 1")
    except psycopg.Error:
        return 1
    print(URL)
    return 0


if __name__ == "__main__":
    sys.exit(main())
