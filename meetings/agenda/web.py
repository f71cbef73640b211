"""Shared steps for meeting pages and API operations: find the meeting, check the role."""

from __future__ import annotations

from starlette.exceptions import HTTPException

from meetings.agenda import access
from meetings.agenda.access import Viewer
from meetings.agenda.models import Meeting
from meetings.attendance.models import Participant
from meetings.web.handler import Context


def viewer(ctx: Context) -> Viewer:
    assert ctx.user is not None and ctx.user.id is not None
    return Viewer(ctx.user.id, ctx.org_id(), ctx.org_role)


def meeting_or_404(ctx: Context, meeting_id: int | None = None) -> Meeting:
    """The meeting named in the path, if the viewer may see it; otherwise 404."""
    wanted = meeting_id if meeting_id is not None else ctx.request.path_params["meeting_id"]
    meeting = access.visible(ctx.db, viewer(ctx), wanted)
    if meeting is None:
        raise HTTPException(404)
    return meeting


def require_prepare(ctx: Context, meeting: Meeting) -> None:
    """Only the secretariat prepares a meeting (403 for other participants)."""
    if not access.may_prepare(ctx.db, viewer(ctx), meeting):
        raise HTTPException(403)


def require_chair(ctx: Context, meeting: Meeting) -> None:
    """Only the chair (or the secretariat for them) runs the session."""
    if not access.may_chair(ctx.db, viewer(ctx), meeting):
        raise HTTPException(403)


def my_participation(ctx: Context, meeting: Meeting) -> Participant | None:
    assert ctx.user is not None and ctx.user.id is not None
    return access.participation(ctx.db, meeting.id or 0, ctx.user.id)
