"""Page rendering cost: the full stack against a bare Starlette route returning the same bytes."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable

from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from meetings import config as config_module
from meetings.cli import upgrade_database
from meetings.demo import DEMO_PASSWORD, load_demo
from meetings.web.app import create_app

ROUNDS = 400


def measure(label: str, call: Callable[[], object]) -> list[float]:
    for _ in range(20):
        call()
    timings = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        call()
        timings.append(time.perf_counter() - start)
    return timings


def report(label: str, timings: list[float], baseline: list[float] | None = None) -> None:
    p50 = statistics.median(timings) * 1000
    p99 = statistics.quantiles(timings, n=100)[98] * 1000
    rate = len(timings) / sum(timings)
    ratio = (
        f"  x{statistics.median(timings) / statistics.median(baseline):.1f} of bare"
        if baseline
        else ""
    )
    print(f"{label:34} {rate:8.0f} req/s  p50 {p50:6.2f} ms  p99 {p99:6.2f} ms{ratio}")


def main() -> int:
    storage = tempfile.mkdtemp(prefix="bench-pages-")
    config = config_module.load({"MEETINGS_STORAGE_DIR": storage})
    upgrade_database(config.database_url)
    load_demo(config)
    app = create_app(config)
    with TestClient(app) as client:
        page = client.get("/login").text
        bare = Starlette(routes=[Route("/login", lambda _r: HTMLResponse(page))])
        with TestClient(bare) as bare_client:
            baseline = measure("bare", lambda: bare_client.get("/login"))
        report("bare Starlette, same bytes", baseline)
        report("GET /login (anonymous)", measure("login", lambda: client.get("/login")), baseline)
        token = client.get("/login").text.split('name="csrf-token" content="')[1].split('"')[0]
        client.post(
            "/login",
            data={
                "email": "bt.tuphap@chinhphu.example",
                "password": DEMO_PASSWORD,
                "csrf_token": token,
            },
        )
        assert client.get("/").status_code == 200, "logged in"
        report("GET / (member home)", measure("home", lambda: client.get("/")), baseline)
    return 0


if __name__ == "__main__":
    sys.exit(main())
