"""iCalendar (RFC 5545) for meetings: one meeting as a file, and each person's private feed.

A meeting keeps one UID for life and its SEQUENCE grows with every change participants are
told about, so calendar programs update the event in place, or show it as cancelled. Times
carry the organisation's time zone (TZID with its VTIMEZONE), so they read as they were meant.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event
from sqlmodel import Session, col, select

from meetings.accounts.models import User
from meetings.agenda.access import Viewer
from meetings.agenda.models import ItemStatus, Meeting, MeetingState
from meetings.agenda.queries import agenda_of, amendments, meetings_for
from meetings.archive.audit import Actor, record
from meetings.db import utcnow
from meetings.i18n import _
from meetings.notifications.models import CalendarFeed
from meetings.organisations import queries as org_queries
from meetings.organisations.models import Organisation
from meetings.security import new_token, token_hash

PRODID = "-//e-Cabinet//Meetings//VI"
FEED_DAYS_BACK = 60
FEED_LIMIT = 1000
STATUSES = {
    MeetingState.draft: "TENTATIVE",
    MeetingState.postponed: "TENTATIVE",
    MeetingState.cancelled: "CANCELLED",
}


def uid(meeting: Meeting) -> str:
    """The event's identity, the same for the whole life of the meeting."""
    return f"meeting-{meeting.id}@e-cabinet"


def _description(db: Session, meeting: Meeting) -> str:
    lines = [meeting.state_reason] if meeting.state_reason else []
    agenda = [p for p in agenda_of(db, meeting) if p.item.status != ItemStatus.withdrawn]
    if agenda:
        lines.append(_("Agenda:"))
    lines += [f"{'    ' * p.depth}{p.number}. {p.item.title}" for p in agenda]
    if meeting.video_url:
        lines.append(_("Video link: %(url)s", url=meeting.video_url))
    return "\n".join(lines)


def _last_modified(db: Session, meeting: Meeting) -> datetime:
    moments = [meeting.updated_at, meeting.published_at, meeting.opened_at, meeting.closed_at]
    moments += [amendment.at for amendment in amendments(db, meeting.id or 0)]
    return max(moment for moment in moments if moment is not None)


def event(db: Session, meeting: Meeting, *, base_url: str, zone: ZoneInfo) -> Event:
    """The meeting as a VEVENT, its times in the organisation's zone."""
    found = Event()
    found.add("uid", uid(meeting))
    found.add("dtstamp", utcnow())
    found.add("dtstart", meeting.starts_at.astimezone(zone))
    found.add("dtend", meeting.ends_at.astimezone(zone))
    found.add("summary", meeting.title)
    if meeting.place or meeting.video_url:
        found.add("location", meeting.place or meeting.video_url)
    found.add("description", _description(db, meeting))
    found.add("url", f"{base_url}/meetings/{meeting.id}")
    found.add("sequence", meeting.sequence)
    found.add("status", STATUSES.get(MeetingState(meeting.state), "CONFIRMED"))
    found.add("created", meeting.created_at)
    found.add("last-modified", _last_modified(db, meeting))
    return found


def _zones(db: Session, meetings: Iterable[Meeting]) -> dict[int, ZoneInfo]:
    ids = {meeting.organisation_id for meeting in meetings}
    rows = db.exec(select(Organisation).where(col(Organisation.id).in_(ids))) if ids else []
    return {org.id or 0: ZoneInfo(org.timezone) for org in rows}


def calendar(
    db: Session, meetings: list[Meeting], *, base_url: str, name: str | None = None
) -> bytes:
    """A VCALENDAR with one event per meeting; a named one is a feed to subscribe to."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", name)
        cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", "PT1H")
    zones = _zones(db, meetings)
    for meeting in meetings:
        cal.add_component(
            event(db, meeting, base_url=base_url, zone=zones[meeting.organisation_id])
        )
    cal.add_missing_timezones()
    return cal.to_ical()


# -- private feeds -------------------------------------------------------------------


def active_feed(db: Session, user_id: int) -> CalendarFeed | None:
    """The user's feed in use, if any (there is at most one)."""
    return db.exec(
        select(CalendarFeed).where(
            CalendarFeed.user_id == user_id, col(CalendarFeed.revoked_at).is_(None)
        )
    ).first()


def _revoke(db: Session, user_id: int) -> int:
    count = 0
    while (row := active_feed(db, user_id)) is not None:
        row.revoked_at = utcnow()
        db.add(row)
        db.flush()
        count += 1
    return count


def create_feed(db: Session, *, user: User, actor: Actor) -> str:
    """A new private feed for the user; return its secret token. The earlier feed stops."""
    _revoke(db, user.id or 0)
    token = new_token()
    row = CalendarFeed(user_id=user.id or 0, token_hash=token_hash(token))
    db.add(row)
    db.flush()
    record(db, actor, "calendar.feed_created", ("calendar_feed", row.id))
    db.commit()
    return token


def revoke_feed(db: Session, *, user: User, actor: Actor) -> bool:
    """Stop the user's feed; False if there was none."""
    if not _revoke(db, user.id or 0):
        return False
    record(db, actor, "calendar.feed_revoked", ("user", user.id))
    db.commit()
    return True


def feed_owner(db: Session, token: str) -> User | None:
    """The active user whose feed the token opens; None if unknown or revoked."""
    row = db.exec(select(CalendarFeed).where(CalendarFeed.token_hash == token_hash(token))).first()
    if row is None or row.revoked_at is not None:
        return None
    user = db.get(User, row.user_id)
    return user if user is not None and user.is_active else None


def feed_meetings(db: Session, user: User) -> list[Meeting]:
    """What the user may see in all their organisations, from 60 days back onwards."""
    since = utcnow() - timedelta(days=FEED_DAYS_BACK)
    found: list[Meeting] = []
    for org, role in org_queries.organisations_of(db, user.id or 0):
        viewer = Viewer(user.id or 0, org.id or 0, role)
        found += meetings_for(db, viewer, since=since, limit=FEED_LIMIT)
    return sorted(found, key=lambda meeting: (meeting.starts_at, meeting.id or 0))
