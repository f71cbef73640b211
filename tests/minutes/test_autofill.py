"""The automatic sections say what happened, read from the database: the meeting's facts and
chair, who attended in the room or remotely, who was absent and why, who came in whose place,
the consent block; per item the speakers and their times, the opinions made public (and only
those), the vote with its rule and figures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import Session

from meetings import i18n
from meetings.minutes import autofill
from meetings.minutes.autofill import Line
from tests.factories import Factory
from tests.minutes.support import Held, held


@pytest.fixture
def english() -> Iterator[None]:
    i18n.set_locale("en", "Asia/Ho_Chi_Minh")
    yield
    i18n.set_locale("vi")


@pytest.fixture
def h(factory: Factory, db: Session, english: None) -> Held:
    return held(factory, db)


def by_label(lines: list[Line]) -> dict[str, tuple[str, ...]]:
    return {line.label: line.values for line in lines}


def test_the_opening_states_the_meeting_its_chair_and_who_attended_how(
    db: Session, h: Held
) -> None:
    opening = by_label(autofill.facts(db, h.s.meeting)[None])
    meeting = h.s.meeting
    assert opening["Meeting"] == ("Phiên họp Chính phủ thường kỳ (Regular meeting)",)
    assert opening["Place"] == ("Phòng họp Chính phủ",)
    assert opening["Chair"] == ("Thủ Tướng Nguyễn",)
    opened = i18n.local_datetime(meeting.opened_at, "short")
    closed = i18n.local_datetime(meeting.closed_at, "short")
    assert opening["Time"] == (f"Opened at {opened}, closed at {closed}",)
    assert opening["In the room (3)"] == (
        "Thủ Tướng Nguyễn, Thủ tướng",
        "Bộ Trưởng 1, Bộ trưởng",
        "Thứ Trưởng Phạm",
    )
    assert opening["Remote (1)"] == ("Bộ Trưởng 2, Bộ trưởng",)
    assert opening["Absent (1)"] == ("Bộ Trưởng 3, Bộ trưởng: Đi công tác",)
    assert opening["Substitutes"] == ("Thứ Trưởng Phạm in place of Bộ Trưởng 4",)


def test_the_consent_block_is_stated_on_the_opening_and_on_its_items(db: Session, h: Held) -> None:
    facts = autofill.facts(db, h.s.meeting)
    assert by_label(facts[None])["Adopted by consent"] == ("2. Nội dung 2",)
    db.refresh(h.consent_item)
    adopted = i18n.local_datetime(h.consent_item.adopted_by_consent_at, "short")
    assert facts[h.consent_item.id] == [Line("Adopted by consent", (adopted,))]
    assert "Adopted by consent" not in by_label(facts[h.item.id])


def test_an_item_states_its_speakers_the_public_opinions_and_the_vote(db: Session, h: Held) -> None:
    item = by_label(autofill.facts(db, h.s.meeting)[h.item.id])
    assert len(item["Speakers"]) == 1
    speaker = item["Speakers"][0]
    assert speaker.startswith("Bộ Trưởng 1 (Về điều 5): ") and speaker.endswith(", 3 min 20 s")
    assert item["Opinions"] == ("Bộ Trưởng 2: Đề nghị bổ sung điều 7.",)
    question, options, figures, rule = item["Vote"]
    assert question == "Thông qua dự thảo Nghị định? — Passed"
    assert options == "Agree: 3; Disagree: 1; Abstain: 0"
    assert figures == "4 of 5 took part; 3 in favour, 1 against, 0 abstaining or other."
    assert rule.startswith("Rule: more than half of the votes cast")


def test_an_opinion_the_chair_kept_to_himself_is_not_in_the_record(db: Session, h: Held) -> None:
    text = autofill.as_text(
        line for lines in autofill.facts(db, h.s.meeting).values() for line in lines
    )
    assert "Ý kiến riêng." not in text
    assert "Đề nghị bổ sung điều 7." in text


def test_the_facts_read_as_text_for_a_starting_text_and_exports(db: Session, h: Held) -> None:
    text = autofill.as_text(autofill.facts(db, h.s.meeting)[None])
    assert "Chair: Thủ Tướng Nguyễn\n" in text
    assert "In the room (3):\n- Thủ Tướng Nguyễn, Thủ tướng\n- Bộ Trưởng 1, Bộ trưởng\n" in text
    assert "Absent (1): Bộ Trưởng 3, Bộ trưởng: Đi công tác\n" in text


def test_the_facts_are_worded_in_the_readers_language(db: Session, h: Held) -> None:
    i18n.set_locale("vi")
    opening = autofill.as_text(autofill.facts(db, h.s.meeting)[None])
    assert "Chair:" not in opening
    assert "Thủ Tướng Nguyễn" in opening
