"""Polls run through the real engine, and the text of the files made from them."""

from __future__ import annotations

import io
from datetime import timedelta

from docx import Document as WordDocument
from docx.oxml.ns import qn
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph as WordParagraph
from pypdf import PdfReader
from sqlmodel import Session

from meetings.archive.audit import Actor
from meetings.db import utcnow
from meetings.voting import actions, casting
from meetings.voting.models import Meaning, Poll, PollMode
from meetings.voting.queries import options_of
from tests.attendance.support import ACTOR, Scene, scene
from tests.factories import Factory

PROVINCE = "Ủy ban nhân dân tỉnh Bình An"
COMMITTEE = "Ủy ban nhân dân tỉnh"
QUESTION = "Ý kiến về dự thảo Nghị quyết về phát triển kinh tế - xã hội năm 2027?"
AGREED = "Đề nghị bổ sung đánh giá tác động thủ tục hành chính."
OTHER = "Đề nghị làm rõ phạm vi điều chỉnh của Điều 3."


def province(factory: Factory, db: Session) -> Scene:
    """The scene's people in a provincial People's Committee."""
    s = scene(factory, db)
    s.org.name, s.body.name = PROVINCE, COMMITTEE
    db.add_all([s.org, s.body])
    db.commit()
    return s


def option(db: Session, poll: Poll, meaning: str) -> int:
    return next(o.id or 0 for o in options_of(db, poll.id or 0) if o.meaning == meaning)


def cast(s: Scene, poll: Poll, who, meaning: str, comment: str = "") -> None:  # type: ignore[no-untyped-def]
    casting.cast(s.db, poll, who.id, [option(s.db, poll, meaning)], actor=ACTOR, comment=comment)


def open_ballot(s: Scene, *, secret: bool = False) -> Poll:
    """An opinion ballot sent to the committee, approved by its chair; nobody answered yet."""
    poll = actions.create(
        s.db,
        s.body,
        actor=ACTOR,
        question=QUESTION,
        mode=PollMode.ballot,
        deadline=utcnow() + timedelta(days=3),
        secret=secret,
    )
    actions.approve(s.db, poll, actor=Actor(s.chair.id, "test"))
    return actions.open_poll(s.db, poll, actor=ACTOR)


def answered_ballot(s: Scene, *, secret: bool = False) -> Poll:
    """Two members agree (one with a comment), one gives another opinion, the chair does not
    answer; closed."""
    poll = open_ballot(s, secret=secret)
    cast(s, poll, s.members[0], Meaning.in_favour, AGREED)
    cast(s, poll, s.members[1], Meaning.in_favour)
    cast(s, poll, s.members[2], Meaning.other, OTHER)
    actions.close(s.db, poll, actor=ACTOR)
    return poll


def live_vote(s: Scene) -> Poll:
    """A named vote in the session: three in favour, the chair against; closed."""
    s.open()
    for person in [s.chair, *s.members]:
        s.check_in(person)
    poll = actions.create(s.db, s.body, actor=ACTOR, question=QUESTION, meeting=s.meeting)
    actions.open_poll(s.db, poll, actor=ACTOR)
    for person in s.members:
        cast(s, poll, person, Meaning.in_favour)
    cast(s, poll, s.chair, Meaning.against, "Cần thêm thời gian thẩm tra.")
    actions.close(s.db, poll, actor=ACTOR)
    return poll


def squash(text: str) -> str:
    """Runs of white space (line breaks, the number's blank) as one space."""
    return " ".join(text.split())


def docx_text(content: bytes) -> str:
    """A Word file's text in reading order; a table row's cells side by side, as in print."""
    word = WordDocument(io.BytesIO(content))
    parts = []
    for child in word.element.body.iterchildren():
        if child.tag == qn("w:p"):
            parts.append(WordParagraph(child, word).text)
        elif child.tag == qn("w:tbl"):
            parts.extend(" ".join(c.text for c in row.cells) for row in WordTable(child, word).rows)
    return squash(" ".join(parts))


def pdf_text(content: bytes) -> str:
    return squash(" ".join(pdf_pages(content)))


def pdf_pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def text_of(kind: str, content: bytes) -> str:
    return docx_text(content) if kind == "docx" else pdf_text(content)
