"""The application factory."""

from __future__ import annotations

import asyncio
import contextlib
import mimetypes
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlmodel import Session
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from meetings import config as config_module
from meetings import jobs
from meetings.accounts import api as accounts_api
from meetings.accounts import token_use
from meetings.accounts import views as accounts_views
from meetings.agenda import api as agenda_api
from meetings.agenda import builder as agenda_builder
from meetings.agenda import views as agenda_views
from meetings.archive import api as archive_api
from meetings.archive import archive_views as archive_package_views
from meetings.archive import views as archive_views
from meetings.attendance import api as attendance_api
from meetings.attendance import views as attendance_views
from meetings.config import Config
from meetings.db import make_engine
from meetings.documents import api as documents_api
from meetings.documents import downloads as documents_downloads
from meetings.documents import note_views as documents_note_views
from meetings.documents import notes_api as documents_notes_api
from meetings.documents import views as documents_views
from meetings.live import announce, presence, regions
from meetings.live import socket as live_socket
from meetings.live import views as live_views
from meetings.live import vote_views as live_vote_views
from meetings.live.broadcast import from_url
from meetings.live.hub import Hub
from meetings.minutes import api as minutes_api
from meetings.minutes import views as minutes_views
from meetings.notifications import calendar_views
from meetings.notifications import views as notifications_views
from meetings.organisations import api as organisations_api
from meetings.organisations import views as organisations_views
from meetings.search import api as search_api
from meetings.search import views as search_views
from meetings.storage.blobs import LocalBlobStore
from meetings.tasks import api as tasks_api
from meetings.tasks import views as tasks_views
from meetings.voting import api as voting_api
from meetings.voting import report_views as voting_report_views
from meetings.voting import views as voting_views
from meetings.web import errors, health, shell
from meetings.web.api import openapi_endpoint
from meetings.web.security import CSRFProtection, SecurityHeaders
from meetings.web.templating import STATIC_DIR, make_templates


def all_routes() -> list[BaseRoute]:
    return [
        *health.routes,
        *shell.routes,
        *accounts_views.routes,
        *organisations_views.routes,
        *agenda_views.routes,
        *agenda_builder.routes,
        *attendance_views.routes,
        *notifications_views.routes,
        *calendar_views.routes,
        *documents_views.routes,
        *documents_downloads.routes,
        *documents_note_views.routes,
        *archive_views.routes,
        *archive_package_views.routes,
        *minutes_views.routes,
        *live_views.routes,
        *live_vote_views.routes,
        *live_socket.routes,
        Route("/api/v1/openapi.json", openapi_endpoint, methods=["GET"]),
        *accounts_api.routes,
        *organisations_api.routes,
        *agenda_api.routes,
        *attendance_api.routes,
        *documents_api.routes,
        *tasks_views.routes,
        *voting_views.routes,
        *voting_report_views.routes,
        *voting_api.routes,
        *minutes_api.routes,
        *tasks_api.routes,
        *archive_api.routes,
        *documents_notes_api.routes,
        *search_views.routes,
        *search_api.routes,
        Mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False), name="static"),
    ]


# PDF.js ships as ES modules; some systems have no type for .mjs in /etc/mime.types.
mimetypes.add_type("text/javascript", ".mjs")


def create_app(config: Config | None = None) -> Starlette:
    """Build the app for a configuration (read from the environment by default)."""
    config = config or config_module.load()
    engine = make_engine(config.database_url)
    broadcast = from_url(config.broadcast_url)

    blobs = LocalBlobStore(config.storage_dir)
    templates = make_templates()
    hub = Hub(broadcast, regions.renderer(engine, templates.env), presence.Store(engine))

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await broadcast.connect()
        await hub.start()
        announce.attach(engine, hub.announce)
        runner = None
        if config.jobs_interval_seconds:
            runner = asyncio.create_task(jobs.run_forever(engine, blobs, config))
        try:
            yield
        finally:
            if runner is not None:
                runner.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await runner
            announce.detach(engine)
            with Session(engine) as db:
                token_use.write(db)
            await hub.stop()
            await broadcast.disconnect()
            engine.dispose()

    app = Starlette(
        routes=all_routes(),
        middleware=[
            Middleware(SecurityHeaders, config=config),
            Middleware(CSRFProtection, config=config, on_failure=errors.csrf_failure),
        ],
        exception_handlers={HTTPException: errors.http_exception, Exception: errors.server_error},
        lifespan=lifespan,
    )
    app.state.config = config
    app.state.engine = engine
    app.state.broadcast = broadcast
    app.state.templates = templates
    app.state.hub = hub
    app.state.blobs = blobs
    return app
