"""What every benchmark sets up before Django starts: a private data directory and database.

`prepare(prefix)` makes a temporary WENMING_DATA_DIR and points DATABASE_URL at SQLite in it,
or, when BENCH_DATABASE_URL=postgres://…/NAME is set, at that PostgreSQL database, which is
dropped and created afresh (give it a name of its own). Returns the data directory.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any


def prepare(prefix: str) -> str:
    data_dir = tempfile.mkdtemp(prefix=prefix)
    os.environ["WENMING_DATA_DIR"] = data_dir
    pg_url = os.environ.get("BENCH_DATABASE_URL", "")
    if pg_url:
        import dj_database_url
        import psycopg

        cfg = dj_database_url.parse(pg_url)
        with psycopg.connect(
            host=cfg["HOST"] or "127.0.0.1",
            port=cfg["PORT"] or 5432,
            user=cfg["USER"] or "postgres",
            password=cfg["PASSWORD"] or None,
            dbname="postgres",
            autocommit=True,
        ) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{cfg["NAME"]}"')
            conn.execute(f'CREATE DATABASE "{cfg["NAME"]}"')
        os.environ["DATABASE_URL"] = pg_url
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(data_dir) / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "wenming.settings"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    return data_dir


def timed(client: Any, url: str, runs: int = 20) -> list[float]:
    """Milliseconds for `runs` GETs of `url` after one warm-up request (templates, caches).

    The objects the benchmark built its data with stay alive in this process, which a server
    process never holds: they are frozen out of the garbage collector first, so its full
    collections time the page's own objects, not the fixture's."""
    import gc
    import time

    gc.collect()
    gc.freeze()
    assert client.get(url).status_code == 200, url
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(round(0.95 * len(ordered))) - 1)]


def page_passes(label: str, client: Any, url: str, target_ms: float) -> bool:
    """Time one page, print its median and p95 against the target; True when p95 meets it."""
    import statistics

    times = timed(client, url)
    med, top = statistics.median(times), p95(times)
    ok = top < target_ms
    print(
        f"{label}: 中位数 {med:.1f} ms，p95 {top:.1f} ms（目标 p95 < {target_ms:.0f} ms）"
        f" {'PASS' if ok else 'FAIL'}"
    )
    return ok
