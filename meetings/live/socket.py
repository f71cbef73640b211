"""/ws/meetings/{id}: the live socket of a meeting.

Admission is decided before the handshake is accepted, so a refused socket gets a plain HTTP 403
and learns nothing about the meeting. The page names its view (`?view=console|tablet|screen`);
a view the person may not have is refused the same way. A browser proves itself with its
session cookie, and then the Origin must be this site (another site's page cannot open a socket
with our cookie); other clients send a Bearer token. Only the meeting's participants, its chair
and the secretariat are admitted; guests and bridge points only get the room screen's view.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket

from meetings import i18n
from meetings.accounts import sessions
from meetings.accounts.actions import user_for_token
from meetings.accounts.models import SessionStage, User
from meetings.agenda import access
from meetings.agenda.access import Viewer
from meetings.config import Config
from meetings.db import session_scope
from meetings.documents.access import GUEST_ROLES
from meetings.live.events import Audience
from meetings.live.hub import Client
from meetings.organisations import queries as org_queries
from meetings.web.handler import LANG_COOKIE
from meetings.web.security import cookie_name, read_cookies


@dataclass(frozen=True)
class Admitted:
    user_id: int
    audience: str
    locale: str


def _same_origin(websocket: WebSocket) -> bool:
    origin = websocket.headers.get("origin", "")
    host = websocket.headers.get("host", "")
    return bool(origin and host) and urlsplit(origin).netloc == host


def _user(db, config: Config, websocket: WebSocket) -> User | None:  # type: ignore[no-untyped-def]
    header = websocket.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return user_for_token(db, header[7:].strip())
    key = read_cookies(websocket.scope).get(cookie_name(config, websocket.scope, "ecab_session"))
    if not key or not _same_origin(websocket):
        return None
    login = sessions.load(db, config, key)
    if login is None or login.stage != SessionStage.full:
        return None
    return db.get(User, login.user_id)


def _locale(websocket: WebSocket, user: User, config: Config) -> str:
    """The language of the person's pages: their choice, the language cookie, the browser's."""
    chosen = user.locale or read_cookies(websocket.scope).get(LANG_COOKIE)
    if chosen in i18n.LOCALES:
        return chosen
    wanted = websocket.headers.get("accept-language", "")
    return i18n.pick_locale(wanted, config.default_locale) if wanted else config.default_locale


def _view(db, viewer: Viewer, meeting, wanted: str) -> str | None:  # type: ignore[no-untyped-def]
    """The view the socket asked for, if the person may have it (none asked: their own).

    The console is the chair's and the secretariat's; the tablet view is for those invited in
    their own right or as substitutes; guests and bridge points only get the room screen.
    """
    if access.may_chair(db, viewer, meeting):
        return wanted if wanted in Audience.ALL else Audience.console
    row = access.participation(db, meeting.id or 0, viewer.user_id)
    if row is None:
        return None
    guest = row.role in GUEST_ROLES  # a guest's substitute is a guest too
    allowed = (Audience.screen,) if guest else (Audience.tablet, Audience.screen)
    if not wanted:
        return allowed[0]
    return wanted if wanted in allowed else None


def admit(websocket: WebSocket, meeting_id: int) -> Admitted | None:
    """Who is asking and in which audience, or None to refuse (runs in a worker thread)."""
    config: Config = websocket.app.state.config
    with session_scope(websocket.app.state.engine) as db:
        user = _user(db, config, websocket)
        if user is None or user.id is None or not user.is_active:
            return None
        for organisation, role in org_queries.organisations_of(db, user.id):
            viewer = Viewer(user.id, organisation.id or 0, role)
            meeting = access.visible(db, viewer, meeting_id)
            if meeting is None:
                continue
            locale = _locale(websocket, user, config)
            view = _view(db, viewer, meeting, websocket.query_params.get("view", ""))
            return Admitted(user.id, view, locale) if view else None
    return None


async def meeting_socket(websocket: WebSocket) -> None:
    meeting_id = int(websocket.path_params["meeting_id"])
    admitted = await run_in_threadpool(admit, websocket, meeting_id)
    if admitted is None:
        await websocket.close(code=1008)  # before accept: the client gets HTTP 403
        return
    await websocket.accept()
    client = Client(websocket, admitted.user_id, admitted.audience, admitted.locale)
    await websocket.app.state.hub.serve(client, meeting_id)


routes = [WebSocketRoute("/ws/meetings/{meeting_id:int}", meeting_socket)]
