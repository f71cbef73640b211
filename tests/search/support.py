"""The shared search scene: one body's meeting with documents of every kind of access, its
records and votes, a task, another body's meeting, and another organisation saying the same
words. The same scene runs on SQLite and on PostgreSQL, so both engines answer alike."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from xml.sax.saxutils import escape

from sqlmodel import Session

from meetings.accounts.models import User
from meetings.agenda.models import Meeting
from meetings.archive.audit import Actor
from meetings.attendance import actions as attendance
from meetings.documents import actions as documents
from meetings.documents.models import Document
from meetings.documents.validation import inspect
from meetings.minutes.models import MeetingRecord, RecordKind, RecordSection, RecordState
from meetings.organisations.models import Body, Organisation
from meetings.storage.blobs import LocalBlobStore
from meetings.tasks.models import Task
from meetings.voting.models import Poll, PollMode, PollOption, PollState, Vote
from tests.client import Client
from tests.documents.support import docx
from tests.documents.test_downloads import store_file
from tests.factories import Factory

ACTOR = Actor(None, "test")
DECREE = "Dự thảo Nghị định quy định về định danh và xác thực điện tử"
DECREE_TEXT = (
    "Nghị định này quy định chi tiết một số điều của Luật Căn cước về định danh và xác thực "
    "điện tử; tài khoản định danh điện tử của công dân. Người ký: Đặng Quốc Khánh."
)
SECRET_REPORT = "Báo cáo mật về an ninh hệ thống định danh"
MINUTES_TEXT = "Các thành viên thảo luận dự thảo Nghị định định danh điện tử và thống nhất."
CONCLUSION = "Giao Bộ Công an hoàn thiện Nghị định định danh điện tử trước ngày 15 tháng 12."
BALLOT = "Cho ý kiến về dự thảo Nghị định định danh điện tử"
OPINION = "Đề nghị làm rõ việc định danh cho học sinh dưới 14 tuổi."
TASK = "Hoàn thiện Nghị định định danh điện tử"


@dataclass
class Scene:
    """Who is who: `guest` is invited to the meeting as a guest; `outsider` is of the
    organisation with no seat; `stranger` is the secretary of another organisation."""

    db: Session
    store: LocalBlobStore
    org: Organisation
    body: Body
    meeting: Meeting
    people: dict[str, User]
    other_meeting: Meeting
    foreign_meeting: Meeting
    docs: dict[str, Document] = field(default_factory=dict)

    def document(self, meeting: Meeting, title: str, text: str, **values: Any) -> Document:
        """A document uploaded (a DOCX saying `text`) and published through the actions."""
        publish = values.pop("publish", True)
        received = store_file(self.store, docx(escape(text)))
        inspected = inspect(received.path, "van-ban.docx")
        doc = documents.upload(
            self.db,
            meeting,
            actor=ACTOR,
            store=self.store,
            received=received,
            inspected=inspected,
            title=title,
            **values,
        )
        if publish:
            documents.publish(self.db, meeting, [doc], actor=ACTOR)
        return doc

    def new_version(self, doc: Document, text: str) -> None:
        received = store_file(self.store, docx(escape(text)))
        inspected = inspect(received.path, "van-ban-2.docx")
        meeting = self.db.get(Meeting, doc.meeting_id)
        assert meeting is not None
        documents.add_version(
            self.db,
            meeting,
            doc,
            actor=ACTOR,
            store=self.store,
            received=received,
            inspected=inspected,
        )

    def withdraw(self, doc: Document) -> None:
        meeting = self.db.get(Meeting, doc.meeting_id)
        assert meeting is not None
        documents.withdraw(self.db, meeting, doc, actor=ACTOR)


def _records(db: Session, meeting: Meeting) -> None:
    for kind, state in (
        (RecordKind.minutes, RecordState.circulated),
        (RecordKind.minutes, RecordState.draft),
    ):
        record = MeetingRecord(
            organisation_id=meeting.organisation_id,
            meeting_id=meeting.id or 0,
            kind=kind,
            state=state,
            number="12/BB-CP" if state != RecordState.draft else "",
        )
        db.add(record)
        db.flush()
        said = MINUTES_TEXT if state != RecordState.draft else "Bản nháp biên bản về căn cước"
        db.add(RecordSection(record_id=record.id or 0, text=said, conclusion=CONCLUSION))
    db.commit()


def _ballot(db: Session, body: Body, voter: User) -> None:
    poll = Poll(
        organisation_id=body.organisation_id,
        body_id=body.id or 0,
        mode=PollMode.ballot,
        question=BALLOT,
        state=PollState.published,
        deadline=datetime.now(UTC) + timedelta(days=3),
    )
    db.add(poll)
    db.flush()
    option = PollOption(poll_id=poll.id or 0, label="Đồng ý", meaning="in_favour")
    db.add(option)
    db.flush()
    db.add(
        Vote(
            poll_id=poll.id or 0,
            voter_id=voter.id or 0,
            cast_by=voter.id or 0,
            choices=str(option.id),
            comment=OPINION,
        )
    )
    db.add(
        Poll(
            organisation_id=body.organisation_id,
            body_id=body.id or 0,
            mode=PollMode.ballot,
            question="Phiếu nháp về định danh",
            state=PollState.draft,
        )
    )
    db.commit()


def _task(db: Session, body: Body, meeting: Meeting, assignee: User) -> None:
    db.add(
        Task(
            organisation_id=body.organisation_id,
            body_id=body.id or 0,
            meeting_id=meeting.id,
            title=TASK,
            agency="Bộ Công an",
            assignee_id=assignee.id or 0,
            due=datetime.now(UTC).date() + timedelta(days=7),
        )
    )
    db.commit()


def build(factory: Factory, db: Session, store: LocalBlobStore) -> Scene:
    org = factory.organisation()
    body = factory.body(org, "Chính phủ")
    people = {"secretary": factory.user("Chánh Văn Phòng", organisation=org, role="secretary")}
    for name in ("chair", "member", "guest", "outsider", "assignee"):
        people[name] = factory.user(organisation=org)
    factory.seat(body, people["chair"], role="chair")
    factory.seat(body, people["member"])
    other_body = factory.body(org, "Hội đồng Thi đua")
    foreign = factory.organisation()
    people["stranger"] = factory.user(organisation=foreign, role="secretary")
    meeting = factory.meeting(
        body, "Phiên họp Chính phủ chuyên đề xây dựng pháp luật", publish=True
    )
    factory.item(meeting, "Dự thảo Nghị định về định danh điện tử")
    attendance.add_guest(db, meeting, actor=ACTOR, role="guest", user_id=people["guest"].id)
    other = factory.meeting(other_body, "Họp Hội đồng Thi đua về định danh", publish=True)
    foreign_meeting = factory.meeting(factory.body(foreign), "Họp tỉnh về định danh", publish=True)
    scene = Scene(db, store, org, body, meeting, people, other, foreign_meeting)
    scene.docs["decree"] = scene.document(
        meeting, DECREE, DECREE_TEXT, kind="draft_decree", classification="public"
    )
    scene.docs["secret"] = scene.document(
        meeting, SECRET_REPORT, "Nội dung mật về định danh.", classification="confidential"
    )
    scene.docs["draft"] = scene.document(
        meeting, "Tờ trình định danh chưa công bố", "Chưa công bố.", publish=False
    )
    scene.docs["other"] = scene.document(other, "Báo cáo thi đua về định danh", "Thi đua.")
    scene.docs["foreign"] = scene.document(foreign_meeting, DECREE, DECREE_TEXT)
    _records(db, meeting)
    _ballot(db, body, people["member"])
    _task(db, body, meeting, people["assignee"])
    return scene


def log_in(client: Client, user: User, language: str = "en") -> Client:
    client.cookies.set("ecab_lang", language)
    client.log_in(user)
    return client


def found(client: Client, q: str, **params: str) -> set[tuple[str, str]]:
    """(kind, title) of every result of the API's first page."""
    response = client.get("/api/v1/search", params={"q": q, **params})
    assert response.status_code == 200, response.text
    return {(hit["kind"], hit["title"]) for hit in response.json()["hits"]}
