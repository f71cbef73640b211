"""The minutes editor on a tablet: the secretariat writes a record of a held meeting (the
recorded facts inserted, the text autosaved; not yet when the page is left at once), two
secretaries meet on one section, the history shows what each save changed, the chair approves
and the record becomes read-only. Every page is shot in both orientations and its controls
measured for touch.

The held meeting is made in the test process with the areas' own actions (tests/minutes'
`held` scene), straight in the server's SQLite file, in an organisation of its own; both
secretaries have two-factor login set up with keys the test knows. The pages are in
Vietnamese (the browser's language), so the steps find controls by their form actions and
ids rather than their labels.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pyotp
import pytest
from playwright.sync_api import Dialog, Page, expect
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from meetings.accounts.models import User
from meetings.db import make_engine, utcnow
from meetings.minutes.models import MeetingRecord, RecordSection, SectionRevision
from meetings.organisations.models import Body
from meetings.tasks import actions as tasks
from meetings.tasks.actions import Facts
from meetings.tasks.queries import today_in
from tests.browser.harness import Tablets
from tests.browser.steps import log_in, shoot, submit, wait_for_path
from tests.browser.test_agenda_drag import _server_database
from tests.browser.test_touch_targets import _in_both_orientations
from tests.factories import PASSWORD, Factory
from tests.minutes.support import by, held, section_of, started

pytestmark = pytest.mark.browser

SUMMARY_SAYS = ("Thông qua dự thảo Nghị định?", "Đề nghị bổ sung điều 7.")
FIRST = "Các thành viên thống nhất với dự thảo."
MINE = "Thư ký thứ nhất: giao Bộ Tư pháp thẩm định."
THEIRS = "Thư ký thứ hai: đề nghị lùi thời hạn."


@dataclass
class Secretary:
    email: str
    totp: str


@dataclass
class Written:
    """A held meeting with a started record, its two secretaries and its chair."""

    engine: Engine
    meeting_id: int
    record_id: int
    section_id: int
    secretaries: tuple[Secretary, Secretary]
    chair_email: str

    @property
    def url(self) -> str:
        return f"/records/{self.record_id}"

    @property
    def section_url(self) -> str:
        return f"{self.url}/sections/{self.section_id}"

    def section(self) -> RecordSection:
        with Session(self.engine) as db:
            found = db.get(RecordSection, self.section_id)
            assert found is not None
            return found

    def versions(self) -> list[int]:
        with Session(self.engine) as db:
            query = select(SectionRevision.version).where(
                SectionRevision.section_id == self.section_id
            )
            return sorted(db.exec(query).all())

    def state(self) -> str:
        with Session(self.engine) as db:
            found = db.get(MeetingRecord, self.record_id)
            assert found is not None
            return found.state


def _secretary(factory: Factory, user: User) -> Secretary:
    return Secretary(user.email, factory.second_factor(user))


def _tasks(db: Session, body: Body, secretary: User, member: User) -> None:
    """Two follow-up tasks: one of the secretary's due next week, one overdue for a member."""
    actor = by(secretary)
    today = today_in("Asia/Ho_Chi_Minh", utcnow())
    for who, due, title in (
        (secretary, today + timedelta(days=7), "Hoàn thiện biên bản và trình ký"),
        (member, today - timedelta(days=3), "Báo cáo tiến độ giải ngân vốn đầu tư công"),
    ):
        facts = Facts(title, "Theo kết luận của Chủ tọa.", "Bộ Tài chính", who.id, due)
        tasks.create(db, body, actor=actor, facts=facts, today=min(due, today), source=None)


@pytest.fixture
def written(server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Written]:
    engine = make_engine(f"sqlite:///{_server_database(tmp_path_factory)}")
    tag = uuid.uuid4().hex[:8]
    with Session(engine, expire_on_commit=False) as db:
        factory = Factory(db)
        h = held(factory, db)
        second = factory.user(
            "Trần Thị Thư", organisation=h.s.org, role="secretary", email=f"tk2-{tag}@test.example"
        )
        record = started(h)
        _tasks(db, h.s.body, h.s.secretary, h.s.members[0])
        made = Written(
            engine,
            h.s.meeting.id or 0,
            record.id or 0,
            section_of(db, record, h.item).id or 0,
            (_secretary(factory, h.s.secretary), _secretary(factory, second)),
            h.s.chair.email,
        )
    yield made
    engine.dispose()


def look_at(page: Page, name: str) -> None:
    """Screenshots of the page in both orientations; every control big enough to touch."""
    shoot(page, name)
    problems = _in_both_orientations(page, name)
    assert not problems, "touch targets under 44 px:\n" + "\n".join(problems)


def log_in_secretary(page: Page, secretary: Secretary) -> None:
    log_in(page, secretary.email, PASSWORD)
    wait_for_path(page, "/login/second-factor")
    page.locator("#code").fill(pyotp.TOTP(secretary.totp).now())
    submit(page, "/login/second-factor")
    wait_for_path(page, "/")


def open_record(page: Page, written: Written) -> None:
    page.goto(written.url)
    expect(page.locator(f"#editor-{written.section_id}")).to_be_visible()


def text_field(written: Written) -> str:
    """The section's discussion field in the editor."""
    return f"#section-{written.section_id}-text"


def base_version(written: Written) -> str:
    """The version the editor's next save builds on."""
    return f"#status-{written.section_id} input[name=base_version]"


def type_and_wait_for_autosave(page: Page, written: Written, text: str, version: int) -> None:
    """Type into the discussion field, touch nothing else; htmx saves it after a pause."""
    page.locator(text_field(written)).fill(text)
    expect(page.locator(base_version(written))).to_have_value(str(version))


def test_secretary_inserts_the_recorded_facts_types_and_the_text_is_autosaved(
    tablets: Tablets, written: Written
) -> None:
    page = tablets.open("landscape")
    log_in_secretary(page, written.secretaries[0])
    open_record(page, written)
    field = page.locator(text_field(written))
    expect(field).to_have_value("")
    status = page.locator(f"#status-{written.section_id} .saved")
    untouched = status.inner_text()

    # Typed, then the summary at once: the typed text is sent with it and kept.
    field.fill(FIRST)
    page.locator(f'#editor-{written.section_id} button[formaction$="/summary"]').click()
    for fact in (FIRST, *SUMMARY_SAYS):
        expect(field).to_have_value(re.compile(re.escape(fact)))
    expect(page.locator(f"#editor-{written.section_id}.section-conflict")).to_have_count(0)
    assert written.section().text.startswith(f"{FIRST}\n\n")
    saved = written.versions()[-1]

    summary = field.input_value()
    type_and_wait_for_autosave(page, written, f"{summary}\n\n{MINE}", saved + 1)
    expect(status).not_to_have_text(untouched)
    expect(status).to_contain_text(re.compile(r"\d\d:\d\d"))
    assert written.section().text.endswith(MINE)

    page.reload()
    expect(page.locator(text_field(written))).to_have_value(re.compile(re.escape(MINE)))
    expect(page.locator(base_version(written))).to_have_value(str(saved + 1))


def test_text_typed_just_before_leaving_the_page_is_saved(
    tablets: Tablets, written: Written
) -> None:
    page = tablets.open("portrait")
    log_in_secretary(page, written.secretaries[0])
    open_record(page, written)
    page.locator(text_field(written)).fill(FIRST)
    page.locator(f'main a[href="/meetings/{written.meeting_id}/minutes"]').click()
    wait_for_path(page, f"/meetings/{written.meeting_id}/minutes")
    page.goto(written.url)
    expect(page.locator(text_field(written))).to_have_value(FIRST)
    assert written.section().text == FIRST


def test_two_secretaries_on_one_section_see_a_conflict_and_nothing_is_overwritten(
    tablets: Tablets, written: Written
) -> None:
    tablets.log.expect_error(written.section_url, 409)  # the conflict answers 409
    mine, theirs = tablets.open("landscape"), tablets.open("portrait")
    for page, secretary in zip((mine, theirs), written.secretaries, strict=True):
        log_in_secretary(page, secretary)
        open_record(page, written)

    type_and_wait_for_autosave(mine, written, MINE, 1)
    theirs.locator(text_field(written)).fill(THEIRS)  # still on version 0
    conflict = theirs.locator(f"#editor-{written.section_id}.section-conflict")
    expect(conflict).to_be_visible()
    expect(conflict.locator(".conflict-side .record-text").first).to_have_text(MINE)
    expect(conflict.locator(f"#conflict-{written.section_id}-text")).to_have_value(THEIRS)
    expect(conflict.locator(".conflict-changes del").first).to_contain_text("nhất")
    assert written.section().text == MINE, "the second save overwrote nothing"
    assert written.versions() == [1]
    look_at(theirs, "minutes-conflict")
    mine.reload()
    expect(mine.locator(text_field(written))).to_have_value(MINE)

    # The second secretary merges both texts in the conflict form and saves over version 1.
    merged = f"{MINE}\n{THEIRS}"
    conflict.locator(f"#conflict-{written.section_id}-text").fill(merged)
    conflict.locator('button[type="submit"]').click()
    expect(theirs.locator(f"form#editor-{written.section_id}")).to_be_visible()
    expect(theirs.locator(text_field(written))).to_have_value(merged)
    expect(theirs.locator(base_version(written))).to_have_value("2")
    assert written.section().text == merged
    assert written.versions() == [1, 2]
    theirs.reload()
    expect(theirs.locator(text_field(written))).to_have_value(merged)


def test_history_lists_every_save_with_what_it_changed(tablets: Tablets, written: Written) -> None:
    page = tablets.open("landscape")
    log_in_secretary(page, written.secretaries[0])
    open_record(page, written)
    type_and_wait_for_autosave(page, written, FIRST, 1)
    type_and_wait_for_autosave(page, written, f"{FIRST}\n{MINE}", 2)
    history = page.locator(f'a[href="{written.section_url}/revisions"]')
    expect(history).to_contain_text("2")  # the autosave brings the link up to date
    history.click()
    wait_for_path(page, f"{written.section_url}/revisions")
    versions = page.locator(".revision-list li")
    expect(versions).to_have_count(2)
    expect(versions.locator("a")).to_have_text([re.compile("2"), re.compile("1")])
    expect(page.locator(".revision-list a[aria-current=true]")).to_contain_text("2")
    expect(page.locator(".record-diff ins").first).to_have_text(re.compile(re.escape(MINE)))
    expect(page.locator(".record-diff del")).to_have_count(0)
    look_at(page, "minutes-revisions")

    versions.locator("a").nth(1).click()
    expect(page.locator(".revision-list a[aria-current=true]")).to_contain_text("1")
    expect(page.locator(".record-diff ins").first).to_have_text(FIRST)


def agree(dialog: Dialog, asked: list[str]) -> None:
    """Answer yes to a confirmation, noting what it asked."""
    asked.append(dialog.message)
    dialog.accept()


def test_the_chair_approves_and_the_record_becomes_read_only(
    tablets: Tablets, written: Written
) -> None:
    secretary = tablets.open("landscape")
    log_in_secretary(secretary, written.secretaries[0])
    open_record(secretary, written)
    type_and_wait_for_autosave(secretary, written, FIRST, 1)
    secretary.goto(f"/meetings/{written.meeting_id}/minutes")
    expect(secretary.locator(f'a.record-link[href="{written.url}"]')).to_be_visible()
    look_at(secretary, "minutes-records")
    secretary.goto(written.url)
    look_at(secretary, "minutes-record")

    chair = tablets.open("portrait")
    log_in(chair, written.chair_email, PASSWORD)
    wait_for_path(chair, "/")
    chair.goto(written.url)
    expect(chair.locator("main textarea")).to_have_count(0)  # the chair reads, never edits
    expect(chair.locator(f"#section-{written.section_id} .record-text").first).to_have_text(FIRST)
    asked: list[str] = []
    chair.once("dialog", lambda dialog: agree(dialog, asked))
    submit(chair, f"{written.url}/approve")
    wait_for_path(chair, written.url)
    expect(chair.locator(".record-state-final")).to_be_visible()
    expect(chair.locator(f'main form[action="{written.url}/approve"]')).to_have_count(0)
    assert written.state() == "final"
    assert len(asked) == 1, "the chair was asked to confirm the approval"

    secretary.reload()
    expect(secretary.locator(".record-state-final")).to_be_visible()
    expect(secretary.locator("main textarea")).to_have_count(0)
    expect(secretary.locator(f"#editor-{written.section_id}")).to_have_count(0)
    expect(secretary.locator(f'main form[action="{written.url}/addendum"]')).to_be_visible()
    look_at(secretary, "minutes-record-final")


def test_the_task_pages_show_the_tasks_with_controls_big_enough_to_touch(
    tablets: Tablets, written: Written
) -> None:
    page = tablets.open("landscape")
    log_in_secretary(page, written.secretaries[0])
    page.goto("/tasks/board")
    expect(page.locator("main")).to_contain_text("Báo cáo tiến độ giải ngân")
    look_at(page, "tasks-board")
    page.goto("/tasks")
    expect(page.locator("main")).to_contain_text("Hoàn thiện biên bản")
    look_at(page, "tasks-mine")
    page.locator("main a", has_text="Hoàn thiện biên bản").first.click()
    page.wait_for_load_state()
    expect(page.locator("main h1")).to_contain_text("Hoàn thiện biên bản")
    look_at(page, "task")
