"""On a tablet, the secretary sets a time of publication for a draft (a past time is refused at
its field), cancels it, and restricts a document to one member; each answer replaces just the
document's line (htmx), without leaving the page."""

from __future__ import annotations

from datetime import timedelta

import pyotp
from playwright.sync_api import expect

from meetings.db import utcnow
from tests.browser.harness import Tablets
from tests.browser.steps import log_in, submit, wait_for_path
from tests.browser.test_upload import Pack, pack  # noqa: F401 (the fixture)
from tests.documents.support import pdf
from tests.factories import PASSWORD


def test_secretary_schedules_cancels_and_restricts_in_place(
    tablets: Tablets,
    pack: Pack,  # noqa: F811
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    documents = f"/meetings/{pack.meeting_id}/documents"
    (tmp_path / "Báo cáo.pdf").write_bytes(pdf("Bao cao"))
    page = tablets.open("landscape", language="en")
    log_in(page, pack.secretary, PASSWORD)
    wait_for_path(page, "/login/second-factor")
    page.locator("#code").fill(pyotp.TOTP(pack.key).now())
    submit(page, "/login/second-factor")
    wait_for_path(page, "/")
    page.goto(documents)
    page.locator("#upload-files").set_input_files([str(tmp_path / "Báo cáo.pdf")])
    page.locator("form.upload-form button[type=submit]").click()
    line = page.locator("li.document").first
    expect(line).to_contain_text("Báo cáo")

    line.get_by_text("Publish at a set time").click()
    field = line.locator("input[type=datetime-local]")
    tablets.log.expect_error(f"{documents}/{line_id(line)}/schedule", 422)
    field.fill("2001-01-01T08:00")
    line.get_by_role("button", name="Schedule publication").click()
    expect(page.locator("li.document .field-error")).to_contain_text("Choose a time in the future")

    later = (utcnow() + timedelta(days=2)).strftime("%Y-%m-%dT09:30")
    page.locator("li.document input[type=datetime-local]").fill(later)
    page.locator("li.document").get_by_role("button", name="Schedule publication").click()
    expect(page.locator("li.document .tag-scheduled")).to_contain_text("Scheduled for")
    page.locator("li.document").get_by_role("button", name="Cancel schedule").click()
    expect(page.locator("li.document .flash")).to_contain_text("set time has been cancelled")
    expect(page.locator("li.document .tag-scheduled")).to_have_count(0)

    page.locator("li.document").get_by_text("Who may read", exact=True).last.click()
    page.get_by_label("Only these people").check()
    page.get_by_label("Ngô Thị Lan").check()
    page.get_by_role("button", name="Save who may read").click()
    expect(page.locator("li.document")).to_contain_text("Restricted: 1 person")
    assert page.url.endswith(documents)


def line_id(line) -> str:  # type: ignore[no-untyped-def]
    return (line.get_attribute("id") or "").removeprefix("document-")
