"""Written opinions (ý kiến) on the current item during the session: the chair and the
secretariat see them at once; everyone else sees those the chair makes public."""

from __future__ import annotations

from sqlmodel import Session, col, select

from meetings.agenda import access
from meetings.agenda.models import Meeting
from meetings.agenda.session import require_session
from meetings.archive.audit import Actor, record
from meetings.documents.access import GUEST_ROLES
from meetings.errors import Refusal
from meetings.i18n import _
from meetings.live import announce
from meetings.live.events import OpinionsChanged
from meetings.live.models import Opinion

TEXT_MAX = 2000


def of_item(
    db: Session, meeting_id: int, item_id: int | None, *, public_only: bool
) -> list[Opinion]:
    query = select(Opinion).where(Opinion.meeting_id == meeting_id, Opinion.item_id == item_id)
    if public_only:
        query = query.where(col(Opinion.public).is_(True))
    return list(db.exec(query.order_by(col(Opinion.created_at), col(Opinion.id))))


def post(db: Session, meeting: Meeting, user_id: int, *, text: str, actor: Actor) -> Opinion:
    """A member's (or substitute's) opinion on the item under discussion."""
    require_session(meeting)
    row = access.participation(db, meeting.id or 0, user_id)
    guest = row is not None and row.role in GUEST_ROLES  # a guest's substitute is a guest too
    if (row is None and meeting.chair_id != user_id) or guest:
        raise Refusal(_("Only the meeting's members may post opinions."), status=403)
    if meeting.current_item_id is None:
        raise Refusal(
            _("Opinions are given on the item under discussion; there is none now."), status=409
        )
    text = text.strip()
    if not text:
        raise Refusal(_("Write your opinion first."), "text")
    if len(text) > TEXT_MAX:
        raise Refusal(_("Keep the opinion under %(max)s characters.", max=TEXT_MAX), "text")
    opinion = Opinion(
        meeting_id=meeting.id or 0, item_id=meeting.current_item_id, user_id=user_id, text=text
    )
    db.add(opinion)
    db.flush()
    record(db, actor, "opinion.posted", ("opinion", opinion.id), item=opinion.item_id)
    announce.queue(db, OpinionsChanged, meeting.id or 0, opinion_id=opinion.id or 0)
    db.commit()
    return opinion


def show(db: Session, meeting: Meeting, opinion: Opinion, *, public: bool, actor: Actor) -> None:
    """The chair shows an opinion to everyone (or hides it again)."""
    require_session(meeting)
    if opinion.meeting_id != meeting.id:
        raise Refusal(_("This opinion is not one of this meeting's."), status=404)
    opinion.public = public
    db.add(opinion)
    record(db, actor, "opinion.shown" if public else "opinion.hidden", ("opinion", opinion.id))
    announce.queue(db, OpinionsChanged, meeting.id or 0, opinion_id=opinion.id or 0)
    db.commit()
