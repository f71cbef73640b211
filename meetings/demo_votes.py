"""Demo votes, cast through the engine like real ones.

In the province's session in progress, the first item's vote is closed and published and the
item under discussion has a vote open with some votes cast, so the console, the tablets and the
room screen show a live count. The Government has an opinion ballot open on the draft decree on
electronic identification (some ministers have answered, one with another opinion, and the
Prime Minister's assistant has drafted his answer) and last month's ballot closed with its
summary. Loading twice changes nothing: a poll with the same question is left as it is.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from meetings.agenda import items
from meetings.agenda.models import Meeting, MeetingState
from meetings.archive.audit import Actor
from meetings.demo_meetings import Place
from meetings.voting import actions, casting
from meetings.voting.models import Meaning, Poll
from meetings.voting.queries import eligible_of, options_of

SESSION_TITLE = "Phiên họp chuyên đề về đầu tư công trung hạn"
BALLOT = (
    "Thành viên Chính phủ cho ý kiến về dự thảo Nghị định quy định về định danh và xác thực điện tử"
)
BALLOT_NOTE = (
    "Bộ Công an trình dự thảo Nghị định thay thế Nghị định số 59/2022/NĐ-CP. Đề nghị các thành "
    "viên Chính phủ cho ý kiến tán thành hoặc không tán thành; nếu có ý kiến khác, ghi rõ nội "
    "dung đề nghị chỉnh sửa."
)
LAST_BALLOT = (
    "Thành viên Chính phủ cho ý kiến về Báo cáo tình hình kinh tế - xã hội tháng trước và "
    "nhiệm vụ trọng tâm tháng tới"
)


def _exists(db: Session, place: Place, question: str) -> bool:
    query = select(Poll.id).where(Poll.body_id == place.body.id, Poll.question == question)
    return db.exec(query).first() is not None


def _option(db: Session, poll: Poll, meaning: str) -> int:
    return next(o.id or 0 for o in options_of(db, poll.id or 0) if o.meaning == meaning)


def _answer(
    db: Session, place: Place, poll: Poll, login: str, meaning: str, comment: str = ""
) -> None:
    user_id = place.users[login].id or 0
    casting.cast(
        db, poll, user_id, [_option(db, poll, meaning)], actor=place.actor(login), comment=comment
    )


def province_votes(db: Session, place: Place) -> None:
    meeting = db.exec(
        select(Meeting).where(Meeting.body_id == place.body.id, Meeting.title == SESSION_TITLE)
    ).first()
    if meeting is None or meeting.state != MeetingState.in_session:
        return
    agenda = items.items(db, meeting.id or 0)
    chair = place.actor("chutich")
    first = f"Thông qua: {agenda[0].title}"
    if not _exists(db, place, first):
        poll = actions.create(
            db, place.body, actor=chair, question=first, meeting=meeting, item=agenda[0]
        )
        actions.open_poll(db, poll, actor=chair)
        for login in ("chutich", "pct.kinhte", "pct.vanxa", "gd.taichinh", "gd.xaydung"):
            _answer(db, place, poll, login, Meaning.in_favour)
        _answer(db, place, poll, "gd.yte", Meaning.abstain)
        actions.close(db, poll, actor=chair)
        actions.publish(db, poll, actor=chair)
    current = f"Thông qua: {agenda[1].title}"
    if not _exists(db, place, current):
        poll = actions.create(
            db, place.body, actor=chair, question=current, meeting=meeting, item=agenda[1]
        )
        actions.open_poll(db, poll, actor=chair)
        _answer(db, place, poll, "pct.kinhte", Meaning.in_favour)
        _answer(db, place, poll, "gd.taichinh", Meaning.in_favour)
        _answer(db, place, poll, "gd.xaydung", Meaning.against)


def _deadline(place: Place, days: int) -> datetime:
    zone = ZoneInfo(place.org.timezone)
    day = datetime.now(zone).date() + timedelta(days=days)
    return datetime.combine(day, time(17), zone).astimezone(ZoneInfo("UTC"))


def _ballot(db: Session, place: Place, question: str, note: str, days: int) -> Poll:
    poll = actions.create(
        db,
        place.body,
        actor=place.actor(),
        question=question,
        mode="ballot",
        deadline=_deadline(place, days),
    )
    poll.description = note
    db.add(poll)
    db.commit()
    actions.approve(db, poll, actor=place.actor("thutuong"))
    return actions.open_poll(db, poll, actor=place.actor())


def government_ballots(db: Session, place: Place) -> None:
    if not _exists(db, place, LAST_BALLOT):
        poll = _ballot(db, place, LAST_BALLOT, "", 1)
        other = place.users["bt.yte"].id
        late = {
            place.users[login].id for login in ("bt.dantoc", "thongdoc") if login in place.users
        }
        for row in eligible_of(db, poll.id or 0):
            if row.user_id in late or row.user_id == other:
                continue
            casting.cast(
                db,
                poll,
                row.user_id,
                [_option(db, poll, Meaning.in_favour)],
                actor=Actor(row.user_id, "demo", place.org.id),
            )
        _answer(
            db,
            place,
            poll,
            "bt.yte",
            Meaning.other,
            "Đề nghị bổ sung đánh giá tình hình cung ứng thuốc, vật tư y tế.",
        )
        actions.close(db, poll, actor=place.actor())
        actions.publish(db, poll, actor=place.actor())
    if not _exists(db, place, BALLOT):
        poll = _ballot(db, place, BALLOT, BALLOT_NOTE, 3)
        for login in ("pttg.noichinh", "bt.tuphap", "cnvpcp"):
            if login in place.users:
                _answer(db, place, poll, login, Meaning.in_favour)
        _answer(
            db,
            place,
            poll,
            "bt.giaoduc",
            Meaning.other,
            "Đề nghị làm rõ việc định danh điện tử cho học sinh dưới 14 tuổi và trách nhiệm "
            "của cha mẹ, người giám hộ.",
        )
        if "trolythutuong" in place.users:
            casting.draft_answer(
                db,
                poll,
                place.users["thutuong"].id or 0,
                [_option(db, poll, Meaning.in_favour)],
                actor=place.actor("trolythutuong"),
                drafted_by=place.users["trolythutuong"].id or 0,
            )


def load_votes(db: Session, government: Place, province: Place) -> None:
    """The demo votes of both organisations (each only once)."""
    province_votes(db, province)
    government_ballots(db, government)
