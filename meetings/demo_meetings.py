"""Demo meetings, built through the rules so that every step is audited like real work.

The Government gets next month's regular session (published: invitations answered, positions
taken, a consent block) and last month's session (closed); the provincial People's Committee
gets its next meeting. Dates follow today in the organisation's time zone. A meeting that
already exists (same body, same title) is left as it is, so loading twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from meetings.accounts.models import User
from meetings.agenda import access, items, positions, session
from meetings.agenda import actions as agenda
from meetings.agenda.models import AgendaItem, Meeting
from meetings.archive.audit import Actor
from meetings.attendance import actions as attendance
from meetings.live import floor, opinions
from meetings.organisations.models import Body, Organisation

THURSDAY, TUESDAY = 3, 1
GOV_ROOM = "Phòng họp Chính phủ, Trụ sở Chính phủ, số 1 Hoàng Hoa Thám, Hà Nội"
GOV_VIDEO = "https://hop.chinhphu.example/phien-hop-thuong-ky"
PROVINCE_ROOM = "Phòng họp số 1, Trụ sở Ủy ban nhân dân tỉnh Bình An"


@dataclass(frozen=True)
class Plan:
    """An agenda item to create: who presents it, for how long, and its sub-items."""

    title: str
    agency: str
    minutes: int
    presenter: str | None = None
    consent: bool = False
    parts: tuple[Plan, ...] = ()


@dataclass
class Place:
    """An organisation, the body that meets and where, its people by login, who prepares."""

    org: Organisation
    body: Body
    users: dict[str, User]
    secretary: str
    room: str
    video_url: str = ""

    def actor(self, login: str | None = None) -> Actor:
        return Actor(self.users[login or self.secretary].id, "demo", self.org.id)


# -- dates ---------------------------------------------------------------------------


def month_after(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def month_before(day: date) -> date:
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


def first_weekday(month: date, weekday: int) -> date:
    """The first Monday (0) ... Sunday (6) of the month."""
    start = month.replace(day=1)
    return start + timedelta(days=(weekday - start.weekday()) % 7)


def at(place: Place, day: date, hour: int) -> datetime:
    """A local time of the organisation, in UTC."""
    local = datetime.combine(day, time(hour), tzinfo=ZoneInfo(place.org.timezone))
    return local.astimezone(UTC)


def month_name(month: date) -> str:
    return f"tháng {month.month} năm {month.year}"


# -- agendas -------------------------------------------------------------------------

VPCP = "Văn phòng Chính phủ"
BTC = "Bộ Tài chính"


def government_agenda(report: date) -> list[Plan]:
    """A regular session's agenda; `report` is the month reported on."""
    previous = month_before(report)
    return [
        Plan(
            f"Tình hình kinh tế - xã hội {month_name(report)}",
            BTC,
            45,
            "bt.taichinh",
            parts=(
                Plan(f"Báo cáo tình hình kinh tế - xã hội {month_name(report)}", BTC, 30),
                Plan(
                    "Báo cáo tình hình thực hiện Nghị quyết phiên họp Chính phủ thường kỳ "
                    + month_name(previous),
                    VPCP,
                    15,
                    "cnvpcp",
                ),
            ),
        ),
        Plan(
            "Dự thảo Nghị định quy định chi tiết một số điều của Luật Căn cước "
            "về định danh điện tử",
            "Bộ Công an",
            30,
            "bt.congan",
        ),
        Plan(
            "Tờ trình dự án Luật sửa đổi, bổ sung một số điều của Luật Đầu tư công",
            BTC,
            40,
            "bt.taichinh",
        ),
        Plan(
            "Dự thảo Nghị định sửa đổi, bổ sung một số điều của Nghị định số 30/2020/NĐ-CP "
            "về công tác văn thư",
            "Bộ Nội vụ",
            20,
            "bt.noivu",
        ),
        Plan(
            "Đề án phát triển hạ tầng số quốc gia giai đoạn 2026 - 2030",
            "Bộ Khoa học và Công nghệ",
            30,
            "bt.khcn",
        ),
        Plan(
            "Dự thảo Nghị quyết về cơ chế, chính sách đặc thù phát triển nhà ở xã hội",
            "Bộ Xây dựng",
            25,
            "bt.xaydung",
        ),
        Plan(
            "Báo cáo tình hình thực hiện Chương trình mục tiêu quốc gia xây dựng nông thôn mới",
            "Bộ Nông nghiệp và Môi trường",
            20,
            "bt.nongnghiep",
        ),
        *consent_items(report),
    ]


def consent_items(report: date) -> list[Plan]:
    """Reports adopted without discussion unless someone objects."""
    return [
        Plan(
            "Báo cáo công tác chỉ đạo, điều hành của Chính phủ, Thủ tướng Chính phủ "
            f"{month_name(report)} (thông qua theo danh sách)",
            VPCP,
            5,
            "cnvpcp",
            consent=True,
        ),
        Plan(
            f"Báo cáo công tác giải quyết khiếu nại, tố cáo {month_name(report)} "
            "(thông qua theo danh sách)",
            "Thanh tra Chính phủ",
            5,
            "tongthanhtra",
            consent=True,
        ),
        Plan(
            "Báo cáo tình hình thực hiện nhiệm vụ Chính phủ, Thủ tướng Chính phủ giao "
            "(thông qua theo danh sách)",
            VPCP,
            5,
            "cnvpcp",
            consent=True,
        ),
    ]


def province_agenda(report: date) -> list[Plan]:
    return [
        Plan(
            f"Báo cáo tình hình kinh tế - xã hội, quốc phòng - an ninh {month_name(report)}",
            "Sở Tài chính",
            30,
            "gd.taichinh",
        ),
        Plan(
            "Dự thảo Kế hoạch đầu tư công trung hạn giai đoạn 2026 - 2030 của tỉnh",
            "Sở Tài chính",
            40,
            "gd.taichinh",
        ),
        Plan(
            "Tờ trình phương án giá dịch vụ khám bệnh, chữa bệnh tại các cơ sở y tế công lập",
            "Sở Y tế",
            25,
            "gd.yte",
        ),
        Plan(
            "Dự thảo Quyết định ban hành Quy định quản lý chất lượng công trình xây dựng "
            "trên địa bàn tỉnh",
            "Sở Xây dựng",
            20,
            "gd.xaydung",
        ),
    ]


# -- building through the rules ------------------------------------------------------


def _new_meeting(db: Session, place: Place, title: str, day: date, hours: int) -> Meeting | None:
    """A draft meeting at 08:00 on the day, or None if it exists already."""
    found = db.exec(
        select(Meeting.id).where(Meeting.body_id == place.body.id, Meeting.title == title)
    ).first()
    if found is not None:
        return None
    return agenda.create_meeting(
        db,
        actor=place.actor(),
        body=place.body,
        title=title,
        starts_at=at(place, day, 8),
        ends_at=at(place, day, 8 + hours),
        place=place.room,
        video_url=place.video_url,
    )


def _add(db: Session, place: Place, meeting: Meeting, plan: Plan, parent: int | None) -> AgendaItem:
    presenter = place.users[plan.presenter] if plan.presenter else None
    return items.add_item(
        db,
        meeting,
        actor=place.actor(),
        parent_id=parent,
        title=plan.title,
        presenter_id=presenter.id if presenter else None,
        presenter_agency=plan.agency,
        duration_minutes=plan.minutes,
        consent=plan.consent,
    )


def build_agenda(db: Session, place: Place, meeting: Meeting, plans: list[Plan]) -> None:
    for plan in plans:
        item = _add(db, place, meeting, plan, None)
        for part in plan.parts:
            _add(db, place, meeting, part, item.id)


def reply(
    db: Session,
    place: Place,
    meeting: Meeting,
    login: str,
    answer: str,
    reason: str = "",
    substitute: str | None = None,
) -> None:
    """`login` answers their invitation (naming a substitute by login)."""
    row = access.participation(db, meeting.id or 0, place.users[login].id or 0)
    assert row is not None, login
    attendance.answer(
        db,
        meeting,
        row,
        actor=place.actor(login),
        reply=answer,
        reason=reason,
        substitute_id=place.users[substitute].id if substitute else None,
    )


def position(
    db: Session,
    place: Place,
    meeting: Meeting,
    login: str,
    number: int,
    kind: str,
    comment: str = "",
) -> None:
    """`login` takes a position on main item `number` (1-based)."""
    main = [i for i in items.items(db, meeting.id or 0) if i.parent_id is None]
    row = access.participation(db, meeting.id or 0, place.users[login].id or 0)
    assert row is not None, login
    positions.set_position(
        db, meeting, main[number - 1], row, actor=place.actor(login), kind=kind, comment=comment
    )


# -- the meetings --------------------------------------------------------------------


def next_government_session(db: Session, place: Place, today: date) -> None:
    month = month_after(today)
    title = f"Phiên họp Chính phủ thường kỳ {month_name(month)}"
    meeting = _new_meeting(db, place, title, first_weekday(month, THURSDAY), 9)
    if meeting is None:
        return
    build_agenda(db, place, meeting, government_agenda(today.replace(day=1)))
    attendance.add_guest(
        db,
        meeting,
        actor=place.actor(),
        role="guest",
        name="Văn phòng Quốc hội",
        title="Đại diện lãnh đạo Văn phòng Quốc hội",
    )
    agenda.publish(db, meeting, actor=place.actor())
    for login in ("thutuong", "pttg.thuongtruc", "pttg.kinhte", "bt.congan", "bt.noivu", "cnvpcp"):
        reply(db, place, meeting, login, "attend")
    reply(
        db,
        place,
        meeting,
        "bt.ngoaigiao",
        "absent",
        "Tháp tùng Chủ tịch nước thăm cấp Nhà nước tới Nhật Bản.",
    )
    reply(
        db,
        place,
        meeting,
        "bt.xaydung",
        "substitute",
        "Kiểm tra tiến độ dự án đường bộ cao tốc Bắc - Nam phía Đông.",
        substitute="tt.xaydung",
    )
    take_positions(db, place, meeting)


def take_positions(db: Session, place: Place, meeting: Meeting) -> None:
    """No objection to the consent items but one, which drops out of the consent block."""
    for login in ("pttg.thuongtruc", "cnvpcp"):
        for number in (8, 9, 10):
            position(db, place, meeting, login, number, "no_objection")
    position(
        db,
        place,
        meeting,
        "bt.noivu",
        9,
        "objection",
        "Đề nghị thảo luận tại phiên họp: số liệu khiếu nại đông người ở một số địa phương "
        "chưa được cập nhật đến cuối tháng.",
    )
    position(db, place, meeting, "pttg.kinhte", 3, "wish_to_speak")
    position(db, place, meeting, "bt.congan", 2, "no_objection")


def last_government_session(db: Session, place: Place, today: date) -> None:
    month = month_before(today)
    title = f"Phiên họp Chính phủ thường kỳ {month_name(month)}"
    meeting = _new_meeting(db, place, title, first_weekday(month, THURSDAY), 9)
    if meeting is None:
        return
    plans = government_agenda(month_before(month))
    build_agenda(db, place, meeting, [*plans[:3], *plans[-2:]])
    agenda.publish(db, meeting, actor=place.actor())
    reply(db, place, meeting, "bt.yte", "absent", "Chủ trì hội nghị phòng, chống dịch bệnh.")
    position(db, place, meeting, "pttg.thuongtruc", 4, "no_objection")
    agenda.open_session(db, meeting, actor=place.actor("thutuong"))
    check_in_everyone(db, place, meeting, remote=("bt.dantoc",))
    positions.adopt_consent_block(db, meeting, actor=place.actor("thutuong"))
    agenda.close_session(db, meeting, actor=place.actor("thutuong"))


def check_in_everyone(db: Session, place: Place, meeting: Meeting, remote: tuple[str, ...]) -> None:
    """The secretariat checks in everyone who did not send apologies."""
    far = {place.users[login].id for login in remote}
    for row in attendance.participants(db, meeting.id or 0):
        if row.user_id and row.answer != "absent":
            presence = "remote" if row.user_id in far else "in_room"
            attendance.check_in(db, meeting, row, actor=place.actor(), presence=presence)


def next_province_meeting(db: Session, place: Place, today: date) -> None:
    month = month_after(today)
    title = f"Phiên họp Ủy ban nhân dân tỉnh thường kỳ {month_name(month)}"
    meeting = _new_meeting(db, place, title, first_weekday(month, TUESDAY), 4)
    if meeting is None:
        return
    build_agenda(db, place, meeting, province_agenda(today.replace(day=1)))
    agenda.publish(db, meeting, actor=place.actor())
    for login in ("chutich", "pct.kinhte", "gd.taichinh"):
        reply(db, place, meeting, login, "attend")
    reply(db, place, meeting, "gd.yte", "absent", "Đi công tác tại Bộ Y tế.")


def live_province_session(db: Session, place: Place, today: date) -> None:
    """A thematic session in progress today: the second item under discussion, a member
    speaking, another waiting, and written opinions (one shown to everyone)."""
    title = "Phiên họp chuyên đề về đầu tư công trung hạn"
    meeting = _new_meeting(db, place, title, today, 4)
    if meeting is None:
        return
    build_agenda(db, place, meeting, province_agenda(month_before(today))[:3])
    agenda.publish(db, meeting, actor=place.actor())
    agenda.open_session(db, meeting, actor=place.actor("chutich"))
    check_in_everyone(db, place, meeting, remote=("gd.yte",))
    chair = place.actor("chutich")
    session.go_to(db, meeting, items.items(db, meeting.id or 0)[0], actor=chair)
    session.step(db, meeting, actor=chair)
    for login, topic in (
        ("pct.kinhte", "Cân đối nguồn vốn ngân sách tỉnh"),
        ("gd.xaydung", "Tiến độ giải phóng mặt bằng"),
    ):
        user_id = place.users[login].id or 0
        floor.ask(db, meeting, user_id, topic=topic, actor=place.actor(login))
    floor.grant(db, meeting, actor=chair)
    shown = opinions.post(
        db,
        meeting,
        place.users["gd.taichinh"].id or 0,
        text="Đề nghị ưu tiên vốn cho các dự án chuyển tiếp, hoàn thành trong năm 2026.",
        actor=place.actor("gd.taichinh"),
    )
    opinions.show(db, meeting, shown, public=True, actor=chair)
    opinions.post(
        db,
        meeting,
        place.users["pct.vanxa"].id or 0,
        text="Cần bổ sung danh mục dự án y tế, giáo dục vùng khó khăn.",
        actor=place.actor("pct.vanxa"),
    )


def load_meetings(db: Session, government: Place, province: Place) -> None:
    """The demo meetings of both organisations (each only once)."""
    for place, steps in (
        (government, (next_government_session, last_government_session)),
        (province, (next_province_meeting, live_province_session)),
    ):
        today = datetime.now(ZoneInfo(place.org.timezone)).date()
        for step in steps:
            step(db, place, today)
