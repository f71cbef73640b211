"""A body with its secretariat, chair and members, an assignee from an agency, people who see
nothing, and a meeting record whose sections carry conclusions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import Session

from meetings.accounts.models import User
from meetings.agenda.models import AgendaItem, Meeting
from meetings.archive.audit import Actor
from meetings.db import utcnow
from meetings.minutes.models import MeetingRecord, RecordKind, RecordSection
from meetings.organisations.models import Body, Organisation
from meetings.tasks import actions
from meetings.tasks.actions import Facts
from meetings.tasks.models import Task
from meetings.tasks.queries import today_in
from tests.client import Client
from tests.factories import Factory

ZONE = "Asia/Ho_Chi_Minh"
CONCLUSION = (
    "Giao Bộ Tài chính chủ trì, phối hợp với các bộ hoàn thiện dự thảo Nghị định, "
    "trình Chính phủ trước ngày 15 tháng 12.\nCác bộ gửi ý kiến bằng văn bản."
)


def today() -> date:
    """Today in the test organisations' calendar (Hà Nội)."""
    return today_in(ZONE, utcnow())


def at(day: date, hour: int = 9) -> datetime:
    """A moment of a day in Hà Nội, as aware UTC: the clock the queries and the job are given."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo(ZONE)).astimezone(
        ZoneInfo("UTC")
    )


@dataclass
class Scene:
    """Who is who around one body; `outsider` is of the organisation but has no seat, and
    `stranger` is of another organisation (where they are its secretary)."""

    db: Session
    org: Organisation
    body: Body
    secretary: User
    chair: User
    member: User
    guest: User
    assignee: User
    outsider: User
    stranger: User
    other: Organisation
    meeting: Meeting
    item: AgendaItem
    section: RecordSection

    @property
    def actor(self) -> Actor:
        return Actor(self.secretary.id, "test", self.org.id)

    def task(self, *, due: date | None = None, assignee: User | None = None, **values: str) -> Task:
        """A task assigned by the secretary through the action (due in a week by default)."""
        facts = Facts(
            title=values.get("title", "Hoàn thiện dự thảo Nghị định"),
            description=values.get("description", ""),
            agency=values.get("agency", "Bộ Tài chính"),
            assignee_id=(assignee or self.assignee).id,
            due=due or today() + timedelta(days=7),
        )
        when = min(facts.due or today(), today())  # a past due day: assigned back then
        return actions.create(
            self.db, self.body, actor=self.actor, facts=facts, today=when, source=None
        )


def scene(factory: Factory, db: Session) -> Scene:
    org = factory.organisation()
    body = factory.body(org, "Chính phủ")
    secretary = factory.user("Chánh Văn Phòng", organisation=org, role="secretary")
    chair = factory.user("Thủ Tướng", organisation=org)
    factory.seat(body, chair, role="chair", title="Thủ tướng")
    member = factory.user("Bộ Trưởng Tư Pháp", organisation=org)
    factory.seat(body, member, title="Bộ trưởng")
    guest = factory.user("Khách Mời", organisation=org)
    factory.seat(body, guest, role="guest", title="Khách mời")
    assignee = factory.user("Vụ Trưởng Tài Chính", organisation=org)
    outsider = factory.user("Chuyên Viên", organisation=org)
    other = factory.organisation()
    factory.body(other, "Ủy ban nhân dân tỉnh")
    stranger = factory.user("Người Tỉnh Khác", organisation=other, role="secretary")
    meeting = factory.meeting(body, items=1, publish=True)
    item = factory.item(meeting, "Dự thảo Nghị định về đầu tư công")
    record = MeetingRecord(
        organisation_id=org.id or 0, meeting_id=meeting.id or 0, kind=RecordKind.conclusions
    )
    db.add(record)
    db.flush()
    section = RecordSection(record_id=record.id or 0, item_id=item.id, conclusion=CONCLUSION)
    db.add(section)
    db.commit()
    return Scene(
        db,
        org,
        body,
        secretary,
        chair,
        member,
        guest,
        assignee,
        outsider,
        stranger,
        other,
        meeting,
        item,
        section,
    )


def log_in(client: Client, user: User) -> None:
    """Log in with English pages."""
    client.cookies.set("ecab_lang", "en")
    client.log_in(user)


def files_under(folder: Path) -> set[Path]:
    """Every file below a folder (to see what an upload left behind)."""
    return {path for path in folder.rglob("*") if path.is_file()}
