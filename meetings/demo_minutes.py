"""Demo records of last month's Government session, written as the Government Office would.

The secretariat drafts the minutes (biên bản) item by item, circulates them, then starts the
conclusion notice (thông báo kết luận) from the conclusions they hold; the Prime Minister
approves the notice, then the minutes, which archives the session. Three conclusions become
follow-up tasks of the ministers responsible: one done and accepted, one overdue, one due in a
few days with progress reported. Dates follow the session's day and today. Loading twice
changes nothing: records are written only while the meeting has no minutes, and a task whose
title the body already has is left as it is.

The module runs past the usual length because most of it is the records' own wording, kept
beside the code that writes it so that a reader sees text and flow together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from meetings.accounts.models import User
from meetings.agenda.items import items
from meetings.agenda.models import Meeting, MeetingState
from meetings.attendance.actions import participants
from meetings.attendance.models import Answer, ParticipantRole, Presence
from meetings.demo_meetings import Place, month_before, month_name
from meetings.minutes import actions as records
from meetings.minutes.models import MeetingRecord, RecordKind, RecordSection
from meetings.minutes.queries import latest_of, sections_of
from meetings.tasks import actions as tasks
from meetings.tasks.models import Task
from meetings.tasks.queries import source

MINUTES_NUMBER = "45/BB-VPCP"
NOTICE_NUMBER = "512/TB-VPCP"
E_ID = "Dự thảo Nghị định quy định chi tiết một số điều của Luật Căn cước"
INVESTMENT = "Tờ trình dự án Luật sửa đổi, bổ sung một số điều của Luật Đầu tư công"
REPORT = "Báo cáo tình hình kinh tế - xã hội"

OPENING = """\
Vào hồi 08 giờ 00 ngày {day}, tại {room}, Chính phủ họp phiên thường kỳ {month}, kết hợp trực \
tuyến qua hệ thống hội nghị truyền hình.

Chủ trì: Thủ tướng Chính phủ {chair}.

Thành phần: {present} thành viên Chính phủ dự họp{remote}; vắng {absent}.

Thư ký phiên họp: {secretary}.

Phiên họp có đủ số thành viên Chính phủ tham dự theo quy định của Quy chế làm việc của \
Chính phủ. Thủ tướng Chính phủ phát biểu khai mạc, nêu mục đích, yêu cầu của phiên họp; \
Chính phủ thống nhất chương trình phiên họp gồm {items} nội dung."""

NOTICE_OPENING = """\
Ngày {day}, tại Trụ sở Chính phủ, Thủ tướng Chính phủ {chair} chủ trì Phiên họp Chính phủ \
thường kỳ {month}, kết hợp trực tuyến. Tham dự phiên họp có các Phó Thủ tướng Chính phủ và \
các thành viên Chính phủ.

Sau khi nghe các báo cáo, tờ trình và ý kiến phát biểu của các thành viên Chính phủ, Văn \
phòng Chính phủ thông báo ý kiến kết luận của Thủ tướng Chính phủ như sau:"""


@dataclass(frozen=True)
class Writing:
    """What the minutes say on the agenda item whose title starts with `prefix`."""

    prefix: str
    text: str
    conclusion: str


WRITINGS = (
    Writing(
        "Tình hình kinh tế - xã hội",
        "Chính phủ nghe Bộ trưởng Bộ Tài chính trình bày Báo cáo tình hình kinh tế - xã hội "
        "{report} (mục 1.1) và Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ báo cáo tình hình "
        "thực hiện Nghị quyết phiên họp Chính phủ thường kỳ {previous} (mục 1.2). Các Phó Thủ "
        "tướng Chính phủ phát biểu về lĩnh vực được phân công phụ trách; 14 thành viên Chính "
        "phủ phát biểu ý kiến.",
        "Chính phủ đánh giá: trong {report}, kinh tế vĩ mô tiếp tục ổn định, lạm phát được "
        "kiểm soát, các cân đối lớn của nền kinh tế được bảo đảm; sản xuất công nghiệp, xuất "
        "khẩu và thu hút đầu tư nước ngoài tiếp tục tăng trưởng khá. Tuy nhiên, giải ngân vốn "
        "đầu tư công còn chậm; thị trường bất động sản phục hồi chưa vững chắc; mưa lũ tại "
        "các tỉnh miền Trung gây thiệt hại lớn về người và tài sản.\n"
        "Các bộ, cơ quan, địa phương tập trung thực hiện quyết liệt, hiệu quả các nhiệm vụ, "
        "giải pháp đã đề ra; ưu tiên thúc đẩy tăng trưởng gắn với giữ vững ổn định kinh tế "
        "vĩ mô; đẩy nhanh giải ngân vốn đầu tư công; khắc phục hậu quả thiên tai, sớm ổn định "
        "đời sống Nhân dân.",
    ),
    Writing(
        REPORT,
        "Bộ trưởng Bộ Tài chính Dương Văn Long trình bày Báo cáo.\n"
        "- Thống đốc Ngân hàng Nhà nước Việt Nam Kiều Văn Thắng phát biểu về điều hành chính "
        "sách tiền tệ, lãi suất và tỷ giá trong những tháng cuối năm.\n"
        "- Bộ trưởng Bộ Công Thương Lý Thị Mai phát biểu về bảo đảm cung ứng xăng dầu, điện "
        "cho sản xuất và tiêu dùng dịp cuối năm.\n"
        "- Bộ trưởng Bộ Nông nghiệp và Môi trường Trịnh Văn Nam báo cáo thiệt hại do mưa lũ, "
        "đề nghị hỗ trợ giống cây trồng cho các địa phương bị ảnh hưởng.\n"
        "- Bộ trưởng Bộ Xây dựng Phan Thị Oanh phát biểu về tiến độ các dự án giao thông "
        "trọng điểm quốc gia.\n"
        "Các ý kiến cơ bản thống nhất với đánh giá tại Báo cáo; đề nghị bổ sung số liệu giải "
        "ngân vốn đầu tư công của từng bộ, địa phương và phân tích rõ nguyên nhân chậm giải "
        "ngân.",
        "Chính phủ thống nhất thông qua Báo cáo. Giao Bộ Tài chính tiếp thu ý kiến thành viên "
        "Chính phủ, hoàn thiện Báo cáo.\n"
        "Giao Văn phòng Chính phủ chủ trì, phối hợp với Bộ Tài chính tổng hợp ý kiến thành "
        "viên Chính phủ, hoàn thiện dự thảo Nghị quyết phiên họp Chính phủ thường kỳ {month}, "
        "trình Thủ tướng Chính phủ ký ban hành trước ngày {resolution}.",
    ),
    Writing(
        "Báo cáo tình hình thực hiện Nghị quyết",
        "Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ Đinh Thị Uyên báo cáo: trong 126 nhiệm vụ "
        "giao tại Nghị quyết phiên họp Chính phủ thường kỳ {previous}, các bộ, cơ quan đã hoàn "
        "thành 98 nhiệm vụ, 21 nhiệm vụ đang thực hiện trong hạn, 07 nhiệm vụ quá hạn, chủ yếu "
        "là xây dựng văn bản quy định chi tiết luật.\n"
        "Tổng Thanh tra Chính phủ Cao Thị Thảo và Bộ trưởng Bộ Tư pháp Ngô Thị Lan đề nghị "
        "xác định rõ trách nhiệm người đứng đầu đối với các nhiệm vụ quá hạn.",
        "Chính phủ ghi nhận kết quả thực hiện Nghị quyết. Các bộ, cơ quan có nhiệm vụ quá hạn "
        "khẩn trương hoàn thành, báo cáo Thủ tướng Chính phủ trong {month}; người đứng đầu "
        "chịu trách nhiệm trước Chính phủ, Thủ tướng Chính phủ về tiến độ, chất lượng nhiệm vụ "
        "được giao. Văn phòng Chính phủ theo dõi, đôn đốc trên Hệ thống theo dõi nhiệm vụ.",
    ),
    Writing(
        E_ID,
        "Bộ trưởng Bộ Công an Đặng Văn Hải trình bày Tờ trình số 198/TTr-BCA và dự thảo Nghị "
        "định. Dự thảo gồm 6 chương, 42 điều, quy định về tài khoản định danh điện tử, mức độ "
        "tài khoản, việc kết nối, chia sẻ dữ liệu với Cơ sở dữ liệu quốc gia về dân cư và "
        "trách nhiệm bảo đảm an ninh, an toàn dữ liệu. Bộ trưởng Bộ Tư pháp Ngô Thị Lan báo "
        "cáo kết quả thẩm định: hồ sơ cơ bản đủ điều kiện trình Chính phủ; đề nghị rà soát, "
        "bảo đảm thống nhất với Luật Giao dịch điện tử và Luật Bảo vệ dữ liệu cá nhân.\n"
        "Ý kiến thảo luận:\n"
        "- Bộ trưởng Bộ Giáo dục và Đào tạo Lương Thị Quyên đề nghị quy định rõ việc định "
        "danh điện tử cho người dưới 14 tuổi và trách nhiệm của cha mẹ, người giám hộ.\n"
        "- Bộ trưởng Bộ Khoa học và Công nghệ Hồ Minh Quân đề nghị bổ sung yêu cầu kỹ thuật "
        "kết nối với nền tảng xác thực của các bộ, ngành, không phát sinh chi phí cho người "
        "dân.\n"
        "- Thống đốc Ngân hàng Nhà nước Việt Nam Kiều Văn Thắng đề nghị có lộ trình sử dụng "
        "tài khoản định danh điện tử mức độ 2 trong giao dịch ngân hàng trực tuyến.\n"
        "- Bộ trưởng Bộ Tài chính Dương Văn Long đề nghị làm rõ nguồn kinh phí vận hành hệ "
        "thống định danh và xác thực điện tử.\n"
        "- Phó Thủ tướng Chính phủ Hoàng Minh Đức đề nghị đánh giá kỹ tác động đối với người "
        "cao tuổi, người dân vùng sâu, vùng xa chưa có thiết bị di động thông minh.\n"
        "Bộ trưởng Bộ Công an tiếp thu, giải trình các ý kiến.",
        "Chính phủ thống nhất sự cần thiết ban hành và các nội dung cơ bản của dự thảo Nghị "
        "định quy định chi tiết một số điều của Luật Căn cước về định danh điện tử.\n"
        "Giao Bộ Công an chủ trì, phối hợp với Bộ Tư pháp, Văn phòng Chính phủ và các bộ, cơ "
        "quan liên quan tiếp thu tối đa ý kiến thành viên Chính phủ, nhất là về định danh "
        "điện tử cho người dưới 14 tuổi, kết nối với nền tảng xác thực của các bộ, ngành và "
        "không phát sinh chi phí cho người dân; hoàn thiện dự thảo Nghị định, gửi lấy ý kiến "
        "thành viên Chính phủ bằng phiếu, trình Thủ tướng Chính phủ ký ban hành trước "
        "ngày {identity}.\n"
        "Phó Thủ tướng Chính phủ Hoàng Minh Đức trực tiếp chỉ đạo việc hoàn thiện dự thảo "
        "Nghị định.",
    ),
    Writing(
        INVESTMENT,
        "Bộ trưởng Bộ Tài chính Dương Văn Long trình bày Tờ trình dự án Luật, tập trung vào "
        "phân cấp, phân quyền cho địa phương trong quyết định chủ trương đầu tư, rút gọn trình "
        "tự điều chỉnh kế hoạch đầu tư công và tháo gỡ vướng mắc trong giải ngân. Bộ trưởng "
        "Bộ Tư pháp báo cáo kết quả thẩm định.\n"
        "Ý kiến thảo luận:\n"
        "- Phó Thủ tướng Chính phủ Lê Quang Cường đề nghị mạnh dạn phân cấp cho Hội đồng nhân "
        "dân cấp tỉnh quyết định chủ trương đầu tư dự án nhóm A sử dụng vốn ngân sách địa "
        "phương, đi đôi với kiểm tra, giám sát.\n"
        "- Bộ trưởng Bộ Xây dựng Phan Thị Oanh đề nghị cho phép tách bồi thường, hỗ trợ, tái "
        "định cư thành dự án độc lập.\n"
        "- Tổng Thanh tra Chính phủ Cao Thị Thảo đề nghị quy định rõ trách nhiệm cá nhân khi "
        "để chậm giải ngân kéo dài.",
        "Chính phủ thống nhất thông qua dự án Luật sửa đổi, bổ sung một số điều của Luật Đầu "
        "tư công.\n"
        "Giao Bộ Tài chính chủ trì, phối hợp với Bộ Tư pháp, Văn phòng Chính phủ tiếp thu ý "
        "kiến thành viên Chính phủ, hoàn thiện hồ sơ dự án Luật, báo cáo Thủ tướng Chính phủ "
        "trước ngày {investment}.\n"
        "Giao Bộ trưởng Bộ Tài chính, thừa ủy quyền Thủ tướng Chính phủ, thay mặt Chính phủ "
        "trình Quốc hội dự án Luật.",
    ),
    Writing(
        "Báo cáo công tác giải quyết khiếu nại",
        "Nội dung thuộc danh sách thông qua không thảo luận. Trước phiên họp, không thành viên "
        "Chính phủ nào đề nghị đưa ra thảo luận.",
        "Chính phủ thông qua Báo cáo theo danh sách. Giao Thanh tra Chính phủ hoàn thiện Báo "
        "cáo, gửi các cơ quan theo quy định.",
    ),
    Writing(
        "Báo cáo tình hình thực hiện nhiệm vụ",
        "Nội dung thuộc danh sách thông qua không thảo luận. Trước phiên họp, không thành viên "
        "Chính phủ nào đề nghị đưa ra thảo luận.",
        "Chính phủ thông qua Báo cáo theo danh sách. Giao Văn phòng Chính phủ tiếp tục theo "
        "dõi, đôn đốc việc thực hiện nhiệm vụ Chính phủ, Thủ tướng Chính phủ giao, báo cáo tại "
        "phiên họp thường kỳ tháng sau.",
    ),
)


@dataclass(frozen=True)
class Step:
    """What happens to a task after it is assigned: progress, comment, submitted, accepted."""

    kind: str
    comment: str
    progress: int = 0


@dataclass(frozen=True)
class Assignment:
    """A task from the conclusion on an agenda item, due on the day `due` names."""

    prefix: str
    login: str
    agency: str
    title: str
    due: str
    steps: tuple[Step, ...]


ASSIGNMENTS = (
    Assignment(
        REPORT,
        "cnvpcp",
        "Văn phòng Chính phủ",
        "Hoàn thiện dự thảo Nghị quyết phiên họp Chính phủ thường kỳ {month}, trình Thủ tướng "
        "Chính phủ ký ban hành",
        "resolution",
        (
            Step("progress", "Đã tổng hợp ý kiến thành viên Chính phủ, chỉnh lý dự thảo.", 60),
            Step("submitted", "Nghị quyết số 178/NQ-CP đã được Thủ tướng Chính phủ ký ban hành."),
            Step("accepted", "Văn phòng Chính phủ ghi nhận nhiệm vụ đã hoàn thành."),
        ),
    ),
    Assignment(
        INVESTMENT,
        "bt.taichinh",
        "Bộ Tài chính",
        "Hoàn thiện hồ sơ dự án Luật sửa đổi, bổ sung một số điều của Luật Đầu tư công, báo "
        "cáo Thủ tướng Chính phủ",
        "investment",
        (
            Step(
                "comment",
                "Bộ Tài chính đang chờ ý kiến thẩm định bổ sung của Bộ Tư pháp về phân cấp "
                "quyết định chủ trương đầu tư; đề nghị gia hạn thêm 10 ngày.",
            ),
        ),
    ),
    Assignment(
        E_ID,
        "bt.congan",
        "Bộ Công an",
        "Hoàn thiện dự thảo Nghị định quy định chi tiết một số điều của Luật Căn cước về "
        "định danh điện tử, trình Thủ tướng Chính phủ ký ban hành",
        "identity",
        (
            Step(
                "progress",
                "Đã tiếp thu, chỉnh lý dự thảo Nghị định theo ý kiến thành viên Chính phủ tại "
                "phiên họp; Văn phòng Chính phủ đã gửi phiếu lấy ý kiến thành viên Chính phủ, "
                "Bộ Công an đang tổng hợp.",
                70,
            ),
        ),
    ),
)


def long_date(day: date) -> str:
    """A day as an official text writes it: a zero before days under 10 and before the
    months January and February (Nghị định 30/2020/NĐ-CP)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{day.day:02d} tháng {month} năm {day.year}"


@dataclass(frozen=True)
class Days:
    """The session's day, the notice's, and the tasks' due days: one done a week after the
    session, one overdue by four days, one due in five."""

    meeting: date
    today: date

    @property
    def notice(self) -> date:
        return self.meeting + timedelta(days=4)

    def due(self) -> dict[str, date]:
        return {
            "resolution": self.meeting + timedelta(days=7),
            "investment": self.today - timedelta(days=4),
            "identity": self.today + timedelta(days=5),
        }


def _days(place: Place, meeting: Meeting) -> Days:
    zone = ZoneInfo(place.org.timezone)
    return Days(meeting.starts_at.astimezone(zone).date(), datetime.now(zone).date())


def _who(db: Session, user_id: int | None, title: str, *, name_first: bool = False) -> str:
    """A person as the minutes name them: title then name, or the name first."""
    user = db.get(User, user_id) if user_id else None
    if user is None:
        return title
    return f"{user.name}, {title}" if name_first else f"{title} {user.name}"


def _lower_first(reason: str) -> str:
    reason = reason.strip().rstrip(".")
    return reason[:1].lower() + reason[1:]


def _attendance(db: Session, meeting: Meeting) -> dict[str, str]:
    """Who attended, as the minutes' opening says it."""
    rows = participants(db, meeting.id or 0)
    members = [r for r in rows if r.role in (ParticipantRole.chair, ParticipantRole.member)]
    absent = [r for r in members if r.answer == Answer.absent]
    remote = [_who(db, r.user_id, r.title) for r in members if r.presence == Presence.remote]
    secretary = next((r for r in rows if r.role == ParticipantRole.secretary), None)
    return {
        "present": f"{len(members) - len(absent):02d}",
        "remote": f", trong đó {', '.join(remote)} dự trực tuyến" if remote else "",
        "absent": "; ".join(
            f"{_who(db, r.user_id, r.title)} (có lý do: {_lower_first(r.absence_reason)})"
            for r in absent
        )
        or "không",
        "secretary": _who(db, secretary.user_id, secretary.title, name_first=True)
        if secretary
        else "",
    }


def _words(db: Session, place: Place, meeting: Meeting, days: Days) -> dict[str, str]:
    """What the texts' {fields} say for this session."""
    month = days.meeting.replace(day=1)
    return {
        "day": long_date(days.meeting),
        "room": meeting.place,
        "chair": place.users["thutuong"].name,
        "month": month_name(month),
        "report": month_name(month_before(month)),
        "previous": month_name(month_before(month_before(month))),
        "items": str(len([i for i in items(db, meeting.id or 0) if i.parent_id is None])),
        **{name: long_date(day) for name, day in days.due().items()},
        **_attendance(db, meeting),
    }


def _by_item(db: Session, meeting: Meeting) -> dict[int | None, Writing]:
    """The writing for each agenda item, by the start of its title."""
    found: dict[int | None, Writing] = {}
    for item in items(db, meeting.id or 0):
        writing = next((w for w in WRITINGS if item.title.startswith(w.prefix)), None)
        if writing is not None:
            found[item.id] = writing
    return found


def _write(
    db: Session, place: Place, row: MeetingRecord, texts: dict[int | None, tuple[str, str]]
) -> None:
    for section in sections_of(db, row.id or 0):
        text, conclusion = texts.get(section.item_id, ("", section.conclusion))
        records.save_section(
            db,
            row,
            section,
            actor=place.actor(),
            text=text,
            conclusion=conclusion,
            base_version=section.version,
        )


def _minutes(db: Session, place: Place, meeting: Meeting, words: dict[str, str]) -> MeetingRecord:
    """The minutes drafted by the secretariat, numbered, circulated and commented on."""
    row = records.start(db, meeting, actor=place.actor(), kind=RecordKind.minutes)
    texts = {
        item_id: (w.text.format(**words), w.conclusion.format(**words))
        for item_id, w in _by_item(db, meeting).items()
    }
    _write(db, place, row, {None: (OPENING.format(**words), ""), **texts})
    records.set_number(db, row, actor=place.actor(), number=MINUTES_NUMBER)
    records.circulate(db, row, meeting, actor=place.actor())
    records.comment(
        db, row, actor=place.actor("bt.tuphap"), text="Bộ Tư pháp nhất trí với dự thảo Biên bản."
    )
    return row


def _notice(db: Session, place: Place, meeting: Meeting, words: dict[str, str]) -> MeetingRecord:
    """The conclusion notice, started from the minutes' conclusions, with its own opening."""
    row = records.start(db, meeting, actor=place.actor(), kind=RecordKind.conclusions)
    _write(db, place, row, {None: (NOTICE_OPENING.format(**words), "")})
    records.set_number(db, row, actor=place.actor(), number=NOTICE_NUMBER)
    return row


def write_records(db: Session, place: Place, meeting: Meeting, words: dict[str, str]) -> None:
    """Minutes and notice; the notice approved first, so that the minutes archive the meeting."""
    minutes = _minutes(db, place, meeting, words)
    notice = _notice(db, place, meeting, words)
    records.approve(db, notice, actor=place.actor("thutuong"))
    records.approve(db, minutes, actor=place.actor("thutuong"))


def _follow(db: Session, place: Place, task: Task, login: str, step: Step) -> None:
    who = place.actor(login)
    if step.kind == "progress":
        tasks.report(db, task, actor=who, progress=step.progress, comment=step.comment)
    elif step.kind == "comment":
        tasks.comment(db, task, actor=who, text=step.comment)
    elif step.kind == "submitted":
        tasks.submit(db, task, actor=who, comment=step.comment)
    else:
        tasks.accept(db, task, actor=place.actor(), comment=step.comment)


@dataclass(frozen=True)
class Scene:
    """Last month's session, its conclusion notice, and what the texts say about it."""

    place: Place
    meeting: Meeting
    notice: MeetingRecord
    days: Days
    words: dict[str, str]

    def section_on(self, db: Session, prefix: str) -> RecordSection:
        """The notice's section on the agenda item whose title starts with `prefix`."""
        by_item = _by_item(db, self.meeting)
        return next(
            s
            for s in sections_of(db, self.notice.id or 0)
            if s.item_id in by_item and by_item[s.item_id].prefix == prefix
        )


def _assign(db: Session, scene: Scene, job: Assignment) -> None:
    place, title = scene.place, job.title.format(**scene.words)
    if db.exec(select(Task.id).where(Task.body_id == place.body.id, Task.title == title)).first():
        return
    section = scene.section_on(db, job.prefix)
    due = scene.days.due()[job.due]
    facts = tasks.Facts(title, section.conclusion, job.agency, place.users[job.login].id, due)
    # Assigned the day the notice went out, so a due day since passed is still accepted.
    task = tasks.create(
        db,
        place.body,
        actor=place.actor(),
        facts=facts,
        today=scene.days.notice,
        source=source(db, place.org.id or 0, section.id or 0),
    )
    for step in job.steps:
        _follow(db, place, task, job.login, step)


def last_session(db: Session, place: Place) -> Meeting | None:
    """Last month's regular session, as demo_meetings names it."""
    today = datetime.now(ZoneInfo(place.org.timezone)).date()
    title = f"Phiên họp Chính phủ thường kỳ {month_name(month_before(today))}"
    query = select(Meeting).where(Meeting.body_id == place.body.id, Meeting.title == title)
    return db.exec(query).first()


def load_minutes(db: Session, government_place: Place) -> None:
    """The minutes, conclusion notice and follow-up tasks of last month's session (once)."""
    place = government_place
    meeting = last_session(db, place)
    if meeting is None:
        return
    days = _days(place, meeting)
    words = _words(db, place, meeting, days)
    written = latest_of(db, meeting.id or 0, RecordKind.minutes) is not None
    if meeting.state == MeetingState.closed and not written:
        write_records(db, place, meeting, words)
    notice = latest_of(db, meeting.id or 0, RecordKind.conclusions)
    if notice is None:
        return
    for job in ASSIGNMENTS:
        _assign(db, Scene(place, meeting, notice, days, words), job)
