"""Liveness and readiness probes."""

from __future__ import annotations

from sqlalchemy import text
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


async def healthz(_request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


def _database_ok(request: Request) -> bool:
    try:
        with request.app.state.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


async def readyz(request: Request) -> JSONResponse:
    """Ready when the database answers and the broadcast backend answers."""
    checks = {
        "database": "ok" if await run_in_threadpool(_database_ok, request) else "failed",
        "broadcast": "ok" if await request.app.state.broadcast.ping() else "failed",
    }
    ready = all(value == "ok" for value in checks.values())
    return JSONResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status_code=200 if ready else 503,
    )


routes = [Route("/healthz", healthz), Route("/readyz", readyz)]
