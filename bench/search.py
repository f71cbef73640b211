"""Search over 100,000 documents of generated Vietnamese text: the time to build the index
(`meetings search reindex`), then p50/p99 of a mix of queries through meetings.search (a
member's search: the engine, every area's access rule, snippets) against a bare FTS5 (or
tsvector) query of the same words on the same index in the same run.

    .venv/bin/python -m bench.search                       # SQLite in a temporary folder
    .venv/bin/python -m bench.search --documents 20000 --database-url postgresql+psycopg://...
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from meetings.agenda.access import Viewer
from meetings.attendance.models import Participant
from meetings.cli import upgrade_database
from meetings.db import make_engine, utcnow
from meetings.documents.models import Document, DocumentVersion
from meetings.search import queries
from meetings.search.cli import Bar
from meetings.search.index import reindex
from meetings.search.queries import VECTOR, Filters
from meetings.search.terms import parse
from tests.factories import Factory

TOPICS = [
    "định danh và xác thực điện tử",
    "đầu tư công trung hạn",
    "chuyển đổi số quốc gia",
    "ngân sách nhà nước năm 2026",
    "phòng, chống thiên tai",
    "giáo dục và đào tạo",
    "bảo hiểm xã hội",
    "đất đai và tài nguyên",
    "thủ tục hành chính",
    "khoa học công nghệ",
    "giao thông vận tải",
    "y tế cơ sở",
    "an ninh mạng",
    "phát triển nông thôn mới",
    "xuất khẩu nông sản",
    "quy hoạch đô thị",
    "năng lượng tái tạo",
    "đường sắt tốc độ cao",
]
KINDS = [
    "Dự thảo Nghị định quy định về",
    "Tờ trình Chính phủ về",
    "Báo cáo tổng kết",
    "Đề án",
    "Dự thảo Quyết định phê duyệt",
    "Báo cáo thẩm định",
]
AGENCIES = [
    "Bộ Công an",
    "Bộ Tài chính",
    "Bộ Tư pháp",
    "Bộ Kế hoạch và Đầu tư",
    "Bộ Y tế",
    "Bộ Giáo dục và Đào tạo",
    "Bộ Xây dựng",
    "Văn phòng Chính phủ",
    "Bộ Nội vụ",
]
PHRASES = [
    "Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015",
    "theo đề nghị của Bộ trưởng",
    "Chính phủ ban hành Nghị định",
    "quy định chi tiết một số điều",
    "tổ chức thực hiện",
    "các bộ, cơ quan ngang bộ, Ủy ban nhân dân các tỉnh",
    "chịu trách nhiệm thi hành",
    "bảo đảm công khai, minh bạch",
    "đơn giản hóa thủ tục hành chính",
    "nguồn lực tài chính",
    "phân cấp, phân quyền",
    "cơ sở dữ liệu quốc gia về dân cư",
    "tài khoản định danh điện tử",
    "kế hoạch triển khai",
    "đánh giá tác động của chính sách",
    "lấy ý kiến các bộ, ngành",
    "Đặng Quốc Khánh",
    "hoàn thiện hồ sơ trình Chính phủ",
    "ý kiến thẩm định của Bộ Tư pháp",
    "dịch vụ công trực tuyến",
    "người dân và doanh nghiệp",
    "hiệu lực thi hành",
    "giải ngân vốn đầu tư công",
    "tăng trưởng kinh tế",
    "kỷ luật, kỷ cương hành chính",
]
QUERIES = [
    "nghi dinh dinh danh",
    '"dinh danh dien tu"',
    "chuyen doi so",
    "ngan sach nha nuoc 2026",
    "Đặng Quốc Khánh",
    "quyet dinh phe duyet de an",
    "thu tuc hanh ch",
    "bo tai chinh ke hoach",
    "giai ngan von dau tu cong",
    "duong sat toc do cao",
    "y te co so",
    "an ninh mang bo cong an",
]


def text(rng: random.Random, topic: str, words: int) -> str:
    """A document's text: its topic's phrases among the usual administrative ones."""
    sentences, count = [], 0
    while count < words:
        parts = [*rng.sample(PHRASES, 3), topic]
        rng.shuffle(parts)
        sentence = ", ".join(parts).capitalize() + "."
        sentences.append(sentence)
        count += len(sentence.split())
    return " ".join(sentences)


def documents(
    rng: random.Random, meeting_ids: list[int], org_id: int, count: int, words: int
) -> Iterator[tuple[dict[str, object], str]]:
    for n in range(count):
        topic = rng.choice(TOPICS)
        row = {
            "organisation_id": org_id,
            "meeting_id": meeting_ids[n % len(meeting_ids)],
            "title": f"{rng.choice(KINDS)} {topic} (số {n})",
            "kind": "report",
            "agency": rng.choice(AGENCIES),
            "classification": "internal",
            "published_at": utcnow(),
            "created_at": utcnow(),
            "original_download": True,
        }
        yield row, text(rng, topic, words)


def seed(engine: Engine, count: int, words: int) -> Viewer:
    """A body of 200 meetings, a member invited to all, and `count` published documents with
    one version each (plain rows: the bench times the index, not the uploads)."""
    rng = random.Random(2026)
    with Session(engine) as db:
        factory = Factory(db)
        org = factory.organisation("Chính phủ")
        body = factory.body(org, "Chính phủ")
        member = factory.user("Bộ Trưởng", organisation=org)
        factory.seat(body, member)
        start = utcnow() - timedelta(days=400)
        meetings = [
            factory.meeting(body, f"Phiên họp {n}", starts_at=start + timedelta(days=2 * n))
            for n in range(200)
        ]
        ids = [m.id or 0 for m in meetings]
        viewer = Viewer(member.id or 0, org.id or 0, "member")
    docs, versions = Document.__table__, DocumentVersion.__table__  # type: ignore[attr-defined]
    with engine.begin() as conn:
        conn.execute(
            Participant.__table__.insert(),
            [  # type: ignore[attr-defined]
                {"meeting_id": i, "user_id": viewer.user_id, "role": "member"} for i in ids
            ],
        )
        conn.execute(sa.text("UPDATE meeting SET state = 'scheduled'"))
        batch: list[tuple[dict[str, object], str]] = []
        for pair in documents(rng, ids, viewer.organisation_id, count, words):
            batch.append(pair)
            if len(batch) == 2000:
                _store(conn, docs, versions, batch)
                batch = []
        _store(conn, docs, versions, batch)
    return viewer


def _store(
    conn: sa.Connection,
    docs: sa.Table,
    versions: sa.Table,
    batch: list[tuple[dict[str, object], str]],
) -> None:
    for row, body in batch:
        document_id = conn.execute(docs.insert().values(**row)).inserted_primary_key[0]
        conn.execute(
            versions.insert().values(
                document_id=document_id,
                number=1,
                blob="0" * 64,
                size=len(body),
                media_type="text/plain",
                file_kind="text",
                filename="van-ban.txt",
                text=body,
                uploaded_at=utcnow(),
                has_text=True,
            )
        )


def bare(engine: Engine) -> Callable[[str], object]:
    """The engine's own query: the 20 best matches of the same words, nothing else."""
    if engine.dialect.name == "postgresql":
        sql = sa.text(
            f"SELECT id FROM searchentry WHERE {VECTOR} @@ to_tsquery('simple', :q) "  # noqa: S608 (a constant)
            f"ORDER BY ts_rank({VECTOR}, to_tsquery('simple', :q)) DESC LIMIT 20"
        )
        form = "tsquery"
    else:
        sql = sa.text(
            "SELECT rowid FROM searchentry_fts WHERE searchentry_fts MATCH :q "
            "ORDER BY bm25(searchentry_fts, 4.0, 1.0) LIMIT 20"
        )
        form = "fts5"

    def run(typed: str) -> object:
        with engine.connect() as conn:
            return conn.execute(sql, {"q": getattr(parse(typed), form)()}).all()

    return run


def full(engine: Engine, viewer: Viewer) -> Callable[[str], object]:
    def run(typed: str) -> object:
        with Session(engine) as db:
            return queries.search(db, viewer, parse(typed), Filters())

    return run


def timed(run: Callable[[str], object], rounds: int) -> tuple[list[float], int]:
    timings, hits = [], 0
    for _ in range(rounds):
        for typed in QUERIES:
            began = time.perf_counter()
            result = run(typed)
            timings.append(time.perf_counter() - began)
            hits += len(getattr(result, "hits", result))  # type: ignore[arg-type]
    return timings, hits


def report(label: str, timings: list[float], hits: int, base: list[float] | None) -> None:
    p50 = statistics.median(timings) * 1000
    p99 = statistics.quantiles(timings, n=100)[98] * 1000
    ratio = f"  x{p50 / (statistics.median(base) * 1000):.1f} of bare (p50)" if base else ""
    print(f"{label:32} p50 {p50:7.2f} ms  p99 {p99:7.2f} ms  {hits} hits{ratio}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--words", type=int, default=150, help="words of text per document")
    parser.add_argument("--rounds", type=int, default=10, help="times each query is run")
    parser.add_argument("--database-url", default="", help="an empty database (default: SQLite)")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='bench-search-')}/b.sqlite3"
    upgrade_database(url)
    engine = make_engine(url)
    began = time.perf_counter()
    viewer = seed(engine, args.documents, args.words)
    print(
        f"{engine.dialect.name}: {args.documents} documents of ~{args.words} words stored "
        f"in {time.perf_counter() - began:.1f} s"
    )
    began = time.perf_counter()
    with engine.begin() as conn:
        sources = reindex(conn, Bar(sys.stderr))
    print(f"index built: {sources} sources in {time.perf_counter() - began:.1f} s")
    timed(full(engine, viewer), 1)  # warm the caches of both
    base, base_hits = timed(bare(engine), args.rounds)
    mine, my_hits = timed(full(engine, viewer), args.rounds)
    report("bare engine query (20 best)", base, base_hits, None)
    report("meetings.search (a member)", mine, my_hits, base)
    secretariat = Viewer(viewer.user_id, viewer.organisation_id, "secretary")
    theirs, their_hits = timed(full(engine, secretariat), args.rounds)
    report("meetings.search (secretariat)", theirs, their_hits, base)
    engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
