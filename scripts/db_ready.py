"""Exit 0 when the PostgreSQL database in argv[1] accepts connections, else explain and exit 1."""

import sys
import time

import dj_database_url
import psycopg


def main() -> int:
    cfg = dj_database_url.parse(sys.argv[1])
    params = {
        "host": cfg.get("HOST") or "127.0.0.1",
        "port": cfg.get("PORT") or 5432,
        "user": cfg.get("USER") or "postgres",
        "dbname": cfg.get("NAME") or "postgres",
        "connect_timeout": 3,
    }
    if cfg.get("PASSWORD"):
        params["password"] = cfg["PASSWORD"]
    for _ in range(10):
        try:
            psycopg.connect(**params).close()
            return 0
        except psycopg.OperationalError as exc:
            error = exc
            time.sleep(1)
    print(
        f"PostgreSQL at {params['host']}:{params['port']} is not reachable: {error}",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
