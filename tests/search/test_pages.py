"""The search page and the API around the results: filters, order, pages, escaping, bad
input (4xx with the reason in the user's language), and htmx asking for the fragment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from meetings.i18n import translations
from meetings.tasks.models import Task
from tests.client import Client
from tests.search.support import DECREE, TASK, Scene, found, log_in


def test_the_page_shows_marked_results_and_htmx_gets_only_the_fragment(
    client: Client, scene: Scene
) -> None:
    log_in(client, scene.people["member"])
    page = client.get("/search", params={"q": "dinh danh dien t"})
    assert page.status_code == 200
    assert '<input type="search" id="search-q" name="q" value="dinh danh dien t"' in page.text
    assert 'hx-trigger="submit, change, input changed delay:300ms' in page.text
    assert "<mark>định</mark> <mark>danh</mark> <mark>điện</mark> <mark>tử</mark>" in page.text
    assert f'href="/documents/{scene.docs["decree"].id}"' in page.text
    fragment = client.get("/search", params={"q": "dinh danh"}, headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith("{#") is False
    assert '<div id="search-results"' in fragment.text and "<html" not in fragment.text


def test_the_page_speaks_vietnamese(client: Client, scene: Scene) -> None:
    log_in(client, scene.people["member"], language="vi")
    page = client.get("/search", params={"q": "dinh danh"})
    vietnamese = translations("vi")
    assert 'lang="vi"' in page.text
    for msgid in ("Kind", "Body", "All bodies", "Classification", "Minutes"):
        assert vietnamese.gettext(msgid) != msgid and vietnamese.gettext(msgid) in page.text


def test_titles_and_text_are_escaped_and_only_our_mark_is_markup(
    client: Client, scene: Scene
) -> None:
    scene.document(scene.meeting, "<script>alert('định danh')</script>", "<mark>x</mark> định")
    log_in(client, scene.people["member"])
    page = client.get("/search", params={"q": "alert"})
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;<mark>alert</mark>" in page.text
    hits = client.get("/api/v1/search", params={"q": "dinh", "kind": "document"}).json()["hits"]
    (shown,) = [hit for hit in hits if hit["title"].startswith("<script>")]
    assert shown["snippet_html"].startswith("&lt;mark&gt;x&lt;/mark&gt; <mark>định</mark>")
    assert shown["snippet"].startswith("<mark>x</mark> định")


def test_filters_by_kind_body_meeting_dates_and_classification(
    client: Client, scene: Scene
) -> None:
    log_in(client, scene.people["secretary"])
    assert found(client, "dinh danh", kind="task") == {("task", TASK)}
    kinds = {kind for kind, _ in found(client, "dinh danh", kind="minutes,conclusion")}
    assert kinds == {"minutes", "conclusion"}
    assert found(client, "dinh danh", classification="confidential") == {
        ("document", "Báo cáo mật về an ninh hệ thống định danh")
    }
    other_body = scene.other_meeting.body_id
    assert {k for k, _ in found(client, "dinh danh", body=str(other_body))} == {
        "meeting",
        "document",
    }
    in_meeting = found(client, "dinh danh", meeting=str(scene.other_meeting.id))
    assert in_meeting == {
        ("meeting", "Họp Hội đồng Thi đua về định danh"),
        ("document", "Báo cáo thi đua về định danh"),
    }
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date()
    later = (tomorrow + timedelta(days=30)).isoformat()
    assert found(client, "dinh danh", since=later) == set()
    assert ("document", DECREE) in found(
        client, "dinh danh", since=tomorrow.strftime("%d/%m/%Y"), until=later, kind="document"
    )


def _tasks(db: Session, scene: Scene, count: int) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for n in range(count):
        db.add(
            Task(
                organisation_id=scene.org.id or 0,
                body_id=scene.body.id or 0,
                title=f"Việc số {n:02d} về chữ ký số",
                assignee_id=scene.people["member"].id or 0,
                due=start.date(),
                created_at=start + timedelta(days=n),
            )
        )
    db.commit()


def test_newest_first_and_twenty_a_page(client: Client, scene: Scene, db: Session) -> None:
    _tasks(db, scene, 25)
    log_in(client, scene.people["member"])
    first = client.get("/api/v1/search", params={"q": "chu ky so", "sort": "date"}).json()
    assert first["has_more"] and len(first["hits"]) == 20
    assert [hit["title"][8:10] for hit in first["hits"][:3]] == ["24", "23", "22"]
    second = client.get("/api/v1/search", params={"q": "chu ky so", "sort": "date", "page": "2"})
    assert not second.json()["has_more"]
    assert [hit["title"][8:10] for hit in second.json()["hits"]] == ["04", "03", "02", "01", "00"]
    page = client.get("/search", params={"q": "chu ky so", "sort": "date"})
    assert 'rel="next"' in page.text and "page=2" in page.text


def test_bad_input_is_refused_with_the_reason_in_the_users_language(
    client: Client, scene: Scene
) -> None:
    log_in(client, scene.people["member"], language="vi")
    api = client.get("/api/v1/search", params={"q": "x" * 201})
    assert api.status_code == 422 and "200" in api.text
    for params in (
        {"since": "31/02/2026"},
        {"kind": "letter"},
        {"page": "0x"},
        {"since": "2026-12-01", "until": "2026-11-01"},
        {"sort": "random"},
        {"classification": "top-secret"},
        {"page": "101"},
        {"body": "-1"},
    ):
        response = client.get("/api/v1/search", params={"q": "dinh", **params})
        assert response.status_code == 422, (params, response.text)
        page = client.get("/search", params={"q": "dinh", **params})
        assert page.status_code == 422 and 'role="alert"' in page.text, params
    page = client.get("/search", params={"q": "dinh", "since": "hôm qua"})
    wanted = translations("vi").gettext("Give the date as day/month/year, for example 22/11/2026.")
    assert "22/11/2026" in wanted and wanted in page.text


def test_searching_needs_a_login_and_empty_words_find_nothing(client: Client, scene: Scene) -> None:
    assert client.get("/api/v1/search", params={"q": "dinh"}).status_code == 401
    assert client.get("/search").status_code in (302, 303)
    log_in(client, scene.people["member"])
    assert client.get("/api/v1/search", params={"q": '  " ; '}).json()["hits"] == []
    assert "search-results" in client.get("/search").text
