"""Realistic Vietnamese demo data with fictional people. Loading it twice changes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from meetings.accounts.models import User
from meetings.accounts.passwords import hash_password
from meetings.archive.audit import Actor
from meetings.config import Config
from meetings.db import make_engine, session_scope
from meetings.demo_documents import load_documents
from meetings.demo_meetings import GOV_ROOM, GOV_VIDEO, PROVINCE_ROOM, Place, load_meetings
from meetings.demo_minutes import load_minutes
from meetings.demo_votes import load_votes
from meetings.organisations import actions as org_actions
from meetings.organisations.models import Body, BodyRole, Organisation
from meetings.storage.blobs import LocalBlobStore

DEMO_PASSWORD = "phien-hop-chinh-phu-2026"  # noqa: S105  (printed for newcomers)
GOV_DOMAIN = "chinhphu.example"
PROVINCE_DOMAIN = "ubnd-binhan.example"

# (login, full name, title, seat role in the Government, organisation role)
GOVERNMENT = [
    ("thutuong", "Nguyễn Văn An", "Thủ tướng Chính phủ", BodyRole.chair, "member"),
    (
        "pttg.thuongtruc",
        "Trần Thị Bình",
        "Phó Thủ tướng Thường trực Chính phủ",
        BodyRole.member,
        "member",
    ),
    ("pttg.kinhte", "Lê Quang Cường", "Phó Thủ tướng Chính phủ", BodyRole.member, "member"),
    ("pttg.xahoi", "Phạm Thu Dung", "Phó Thủ tướng Chính phủ", BodyRole.member, "member"),
    ("pttg.noichinh", "Hoàng Minh Đức", "Phó Thủ tướng Chính phủ", BodyRole.member, "member"),
    ("bt.quocphong", "Vũ Đình Giang", "Bộ trưởng Bộ Quốc phòng", BodyRole.member, "member"),
    ("bt.congan", "Đặng Văn Hải", "Bộ trưởng Bộ Công an", BodyRole.member, "member"),
    ("bt.ngoaigiao", "Bùi Thị Hạnh", "Bộ trưởng Bộ Ngoại giao", BodyRole.member, "member"),
    ("bt.noivu", "Đỗ Quốc Hưng", "Bộ trưởng Bộ Nội vụ", BodyRole.member, "member"),
    ("bt.tuphap", "Ngô Thị Lan", "Bộ trưởng Bộ Tư pháp", BodyRole.member, "member"),
    ("bt.taichinh", "Dương Văn Long", "Bộ trưởng Bộ Tài chính", BodyRole.member, "member"),
    ("bt.congthuong", "Lý Thị Mai", "Bộ trưởng Bộ Công Thương", BodyRole.member, "member"),
    (
        "bt.nongnghiep",
        "Trịnh Văn Nam",
        "Bộ trưởng Bộ Nông nghiệp và Môi trường",
        BodyRole.member,
        "member",
    ),
    ("bt.xaydung", "Phan Thị Oanh", "Bộ trưởng Bộ Xây dựng", BodyRole.member, "member"),
    (
        "bt.vanhoa",
        "Tạ Quang Phúc",
        "Bộ trưởng Bộ Văn hóa, Thể thao và Du lịch",
        BodyRole.member,
        "member",
    ),
    ("bt.khcn", "Hồ Minh Quân", "Bộ trưởng Bộ Khoa học và Công nghệ", BodyRole.member, "member"),
    (
        "bt.giaoduc",
        "Lương Thị Quyên",
        "Bộ trưởng Bộ Giáo dục và Đào tạo",
        BodyRole.member,
        "member",
    ),
    ("bt.yte", "Mai Văn Sơn", "Bộ trưởng Bộ Y tế", BodyRole.member, "member"),
    ("bt.dantoc", "Lò Văn Tâm", "Bộ trưởng, Chủ nhiệm Ủy ban Dân tộc", BodyRole.member, "member"),
    ("tongthanhtra", "Cao Thị Thảo", "Tổng Thanh tra Chính phủ", BodyRole.member, "member"),
    (
        "thongdoc",
        "Kiều Văn Thắng",
        "Thống đốc Ngân hàng Nhà nước Việt Nam",
        BodyRole.member,
        "member",
    ),
    (
        "cnvpcp",
        "Đinh Thị Uyên",
        "Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ",
        BodyRole.member,
        "member",
    ),
    (
        "thuky",
        "Nguyễn Thị Vân",
        "Chuyên viên Vụ Tổng hợp, Văn phòng Chính phủ",
        BodyRole.secretary,
        "secretary",
    ),
    (
        "quantri",
        "Trần Minh Vũ",
        "Quản trị hệ thống, Cục Tin học hóa, Văn phòng Chính phủ",
        None,
        "admin",
    ),
    ("trolythutuong", "Phạm Quốc Xuân", "Trợ lý Thủ tướng", None, "member"),
    ("kiemtoan", "Đỗ Thị Lan", "Kiểm soát viên nội bộ, Văn phòng Chính phủ", None, "auditor"),
    ("tt.xaydung", "Nguyễn Hữu Khánh", "Thứ trưởng Bộ Xây dựng", None, "member"),
]
STANDING = (
    "thutuong",
    "pttg.thuongtruc",
    "pttg.kinhte",
    "pttg.xahoi",
    "pttg.noichinh",
    "cnvpcp",
    "thuky",
)

PROVINCE = [
    ("chutich", "Võ Thành Yên", "Chủ tịch Ủy ban nhân dân tỉnh", BodyRole.chair, "member"),
    ("pct.kinhte", "Lâm Thị Ánh", "Phó Chủ tịch Ủy ban nhân dân tỉnh", BodyRole.member, "member"),
    ("pct.vanxa", "Châu Văn Bảo", "Phó Chủ tịch Ủy ban nhân dân tỉnh", BodyRole.member, "member"),
    ("gd.taichinh", "Huỳnh Thị Chi", "Giám đốc Sở Tài chính", BodyRole.member, "member"),
    ("gd.xaydung", "Quách Văn Dũng", "Giám đốc Sở Xây dựng", BodyRole.member, "member"),
    ("gd.yte", "Tôn Nữ Diệu", "Giám đốc Sở Y tế", BodyRole.member, "member"),
    ("cvp", "La Văn Được", "Chánh Văn phòng Ủy ban nhân dân tỉnh", BodyRole.secretary, "secretary"),
    ("quantri", "Mạc Thị Hằng", "Quản trị hệ thống, Văn phòng Ủy ban nhân dân tỉnh", None, "admin"),
]


@dataclass
class DemoLogins:
    """What the demo command prints."""

    accounts: list[tuple[str, str]]
    password: str


def _org(db: Session, slug: str, name: str, short: str, actor: Actor) -> Organisation:
    found = db.exec(select(Organisation).where(Organisation.slug == slug)).first()
    if found:
        return found
    org = org_actions.create_organisation(
        db, name=name, short_name=short, timezone="Asia/Ho_Chi_Minh", actor=actor
    )
    org.slug = slug
    db.add(org)
    return org


def _body(db: Session, org: Organisation, name: str, description: str, actor: Actor) -> Body:
    found = db.exec(select(Body).where(Body.organisation_id == org.id, Body.name == name)).first()
    return found or org_actions.create_body(
        db, organisation_id=org.id or 0, name=name, description=description, actor=actor
    )


def _people(
    db: Session, org: Organisation, people: list, domain: str, password_hash: str, actor: Actor
) -> dict[str, User]:  # type: ignore[type-arg]
    users: dict[str, User] = {}
    for login, name, _title, _seat, org_role in people:
        email = f"{login}@{domain}"
        user = db.exec(select(User).where(User.email == email)).first()
        if user is None:
            user = User(email=email, name=name, password_hash=password_hash)
            db.add(user)
            db.flush()
        org_actions.add_person(
            db, organisation_id=org.id or 0, user_id=user.id or 0, role=org_role, actor=actor
        )
        users[login] = user
    return users


def _seat_all(
    db: Session,
    body: Body,
    people: list,
    users: dict[str, User],
    only: tuple[str, ...] | None,
    actor: Actor,
) -> None:  # type: ignore[type-arg]
    for login, _name, title, seat, _org_role in people:
        if seat is None or (only is not None and login not in only):
            continue
        org_actions.set_seat(
            db,
            body=body,
            user_id=users[login].id or 0,
            title=title,
            role=seat,
            voting_right=seat != BodyRole.secretary,
            vote_weight=1 if seat != BodyRole.secretary else 0,
            assistant_id=users["trolythutuong"].id
            if login == "thutuong" and "trolythutuong" in users
            else None,
            actor=actor,
            commit=False,
        )


def load_demo(config: Config) -> DemoLogins:
    """Create (or complete) the demo organisations, bodies, people, seats and meetings."""
    engine = make_engine(config.database_url)
    actor = Actor(None, "demo")
    password_hash = hash_password(DEMO_PASSWORD)
    with session_scope(engine) as db:
        gov = _org(
            db, "chinh-phu", "Chính phủ nước Cộng hòa xã hội chủ nghĩa Việt Nam", "Chính phủ", actor
        )
        users = _people(db, gov, GOVERNMENT, GOV_DOMAIN, password_hash, actor)
        government = _body(
            db, gov, "Chính phủ", "Phiên họp Chính phủ thường kỳ và chuyên đề", actor
        )
        standing = _body(
            db,
            gov,
            "Thường trực Chính phủ",
            "Thủ tướng, các Phó Thủ tướng và Chủ nhiệm Văn phòng Chính phủ",
            actor,
        )
        # The Government's own rules: more than half of all its members; on a tie, the side
        # the Prime Minister voted for prevails.
        government.majority, government.chair_breaks_ties = "members_half", True
        db.add(government)
        _seat_all(db, government, GOVERNMENT, users, None, actor)
        _seat_all(db, standing, GOVERNMENT, users, STANDING, actor)
        province = _org(
            db, "ubnd-tinh-binh-an", "Ủy ban nhân dân tỉnh Bình An", "UBND tỉnh Bình An", actor
        )
        locals_ = _people(db, province, PROVINCE, PROVINCE_DOMAIN, password_hash, actor)
        committee = _body(
            db,
            province,
            "Ủy ban nhân dân tỉnh",
            "Phiên họp thường kỳ của Ủy ban nhân dân tỉnh",
            actor,
        )
        _seat_all(db, committee, PROVINCE, locals_, None, actor)
        db.commit()
        gov_place = Place(gov, government, users, "thuky", GOV_ROOM, GOV_VIDEO)
        province_place = Place(province, committee, locals_, "cvp", PROVINCE_ROOM)
        load_meetings(db, gov_place, province_place)
        load_votes(db, gov_place, province_place)
        load_minutes(db, gov_place)
        load_documents(db, LocalBlobStore(config.storage_dir), (government, committee))
    engine.dispose()
    accounts = [
        (f"thuky@{GOV_DOMAIN}", "secretariat (Government Office), two-factor login"),
        (f"quantri@{GOV_DOMAIN}", "administrator, two-factor login"),
        (f"thutuong@{GOV_DOMAIN}", "chair: the Prime Minister"),
        (f"bt.tuphap@{GOV_DOMAIN}", "member: Minister of Justice"),
        (f"trolythutuong@{GOV_DOMAIN}", "the Prime Minister's assistant (drafts his answers)"),
        (f"kiemtoan@{GOV_DOMAIN}", "auditor: reads the audit trail"),
        (f"chutich@{PROVINCE_DOMAIN}", "chair of the provincial People's Committee"),
    ]
    return DemoLogins(accounts, DEMO_PASSWORD)
