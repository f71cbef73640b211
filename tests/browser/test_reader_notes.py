"""Private notes in the PDF reader on a tablet: a note on page 2, a highlight dragged on page 1,
both still there after a reload, the highlight drawn over its page only.

The scene (an organisation, a member, a published meeting with a four-page PDF) is the one
test_reader builds in the server's own database.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from meetings.documents.models import Note
from tests.browser.harness import Tablets
from tests.browser.steps import log_in, shoot, wait_for_path
from tests.browser.test_reader import Shelf, rendered
from tests.browser.test_reader import shelf as shelf  # the fixture
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

NOTE = "Đề nghị Bộ Kế hoạch và Đầu tư làm rõ nguồn vốn ở Điều 7"


def drag(page: Page, start: tuple[float, float], end: tuple[float, float]) -> None:
    """Drag across the drawn page, from and to points given as fractions of its size."""
    page.evaluate("window.scrollTo(0, 0)")  # the top of the page, below the toolbar
    canvas = page.locator("#reader-canvas").bounding_box()
    assert canvas
    at = lambda x, y: (canvas["x"] + x * canvas["width"], canvas["y"] + y * canvas["height"])  # noqa: E731
    hit = "([x, y]) => document.elementFromPoint(x, y).id"
    assert page.evaluate(hit, list(at(*start))) == "reader-marks", "the page takes the drag"
    page.mouse.move(*at(*start))
    page.mouse.down()
    page.mouse.move(*at(*end), steps=8)
    page.mouse.up()


def stored(shelf: Shelf) -> list[Note]:
    with Session(shelf.engine) as db:
        return list(db.exec(select(Note).where(Note.document_id == shelf.document_id)).all())


def test_a_member_notes_and_highlights_pages_and_finds_them_again(
    tablets: Tablets, shelf: Shelf
) -> None:
    page = tablets.open("landscape")
    log_in(page, shelf.member_email, PASSWORD)
    wait_for_path(page, "/")
    page.goto(f"/documents/{shelf.document_id}")
    rendered(page, 1)
    notes = page.locator("#reader-notes")
    expect(notes.get_by_test_id("no-notes")).to_be_visible()

    page.locator('[data-action="next"]').click()
    rendered(page, 2)
    expect(notes.locator("[data-page-label]")).to_have_text("2")
    page.locator("#note-text").fill(NOTE)
    save = notes.locator(".note-add button[type=submit]")
    box = save.bounding_box()
    assert box and box["height"] >= 44, "a button a finger can hit"
    save.click()
    expect(notes.locator(".note-text")).to_have_text(NOTE)
    expect(page.locator("#note-text")).to_have_value("")

    page.locator('[data-action="prev"]').click()
    rendered(page, 1)
    highlight = page.locator('[data-action="highlight"]')
    highlight.click()
    expect(highlight).to_have_attribute("aria-pressed", "true")
    page.locator("#reader-colour").select_option("green")
    drag(page, (0.08, 0.07), (0.75, 0.115))
    expect(notes.locator("li[data-rects]")).to_have_count(1)
    expect(notes.locator(".note-quote")).to_contain_text("trang 1")
    expect(page.locator("#reader-marks .reader-mark.mark-green")).to_have_count(1)

    page.reload()
    rendered(page, 1)
    expect(notes.locator(".note-text")).to_have_text(NOTE)
    expect(notes.locator("li[data-rects]")).to_have_count(1)
    mark = page.locator("#reader-marks .reader-mark")
    expect(mark).to_have_count(1)
    drawn, canvas = mark.bounding_box(), page.locator("#reader-canvas").bounding_box()
    assert drawn and canvas
    assert abs(drawn["x"] - (canvas["x"] + 0.08 * canvas["width"])) < 3, "where it was drawn"
    assert abs(drawn["width"] - 0.67 * canvas["width"]) < 3
    expect(notes.locator(".note-list > li").first).to_have_attribute("data-page", "1")
    shoot(page, "reader-notes")

    page.locator('[data-action="next"]').click()
    rendered(page, 2)
    expect(mark).to_have_count(0)
    expect(notes.locator(".note-list > li").first).to_have_class("note note-yellow on-this-page")

    saved = {n.kind: n for n in stored(shelf)}
    assert (saved["note"].page, saved["note"].text) == (2, NOTE)
    assert (saved["highlight"].page, saved["highlight"].colour) == (1, "green")
    ((x, y, w, h),) = json.loads(saved["highlight"].rects)
    assert (x, y) == pytest.approx((0.08, 0.07), abs=0.003)
    assert (w, h) == pytest.approx((0.67, 0.045), abs=0.003)


def test_notes_are_usable_with_the_keyboard_alone(tablets: Tablets, shelf: Shelf) -> None:
    page = tablets.open("portrait")
    log_in(page, shelf.member_email, PASSWORD)
    wait_for_path(page, "/")
    page.goto(f"/documents/{shelf.document_id}#page=3")
    rendered(page, 3)
    textarea = page.locator("#note-text")
    textarea.focus()
    page.keyboard.type("Ghi chú bằng bàn phím")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    notes = page.locator("#reader-notes")
    expect(notes.locator(".note-text")).to_have_text("Ghi chú bằng bàn phím")
    expect(page.locator("#notes-title")).to_be_focused()
    page.keyboard.press("Tab")  # the note field again
    page.keyboard.press("Tab")  # save
    page.keyboard.press("Tab")  # the note's page link
    expect(notes.locator("a[data-page-link]")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # Edit
    page.keyboard.press("Tab")
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("Đã sửa")
    page.keyboard.press("Tab")  # colour
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # save
    expect(notes.locator(".note-text")).to_have_text("Đã sửa")
    assert [n.page for n in stored(shelf)] == [3]
