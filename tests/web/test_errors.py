"""Error pages in the layout and the user's language; JSON errors under /api/."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.routing import Route

from meetings.web.app import create_app
from tests.client import Client


def test_unknown_page_is_404_in_layout(client: Client) -> None:
    response = client.get("/khong-co-trang-nay")
    assert response.status_code == 404
    assert '<html lang="vi">' in response.text
    assert 'class="error-code">404<' in response.text


def test_error_page_follows_the_language_cookie(client: Client) -> None:
    client.submit("/language", {"locale": "en", "next": "/login"})
    response = client.get("/nowhere")
    assert '<html lang="en">' in response.text
    assert "Page not found" in response.text


def test_english_browser_gets_english_until_it_chooses(client: Client) -> None:
    response = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en">' in response.text


def test_unexpected_error_renders_500_page_without_details(config) -> None:  # type: ignore[no-untyped-def]
    app = create_app(config)

    async def boom(_request):  # type: ignore[no-untyped-def]
        raise RuntimeError("secret internal detail")

    app.router.routes.insert(0, Route("/boom", boom))
    with Client(app, raise_server_exceptions=False) as client:
        response = client.get("/boom")
    assert response.status_code == 500
    assert "secret internal detail" not in response.text
    assert 'class="error-code">500<' in response.text


def test_http_exceptions_map_to_their_pages(config) -> None:  # type: ignore[no-untyped-def]
    app = create_app(config)
    for status in (400, 403, 409, 413, 422, 429):

        async def fail(_request, status=status):  # type: ignore[no-untyped-def]
            raise HTTPException(status)

        app.router.routes.insert(0, Route(f"/fail/{status}", fail))
    with Client(app) as client:
        for status in (400, 403, 409, 413, 422, 429):
            response = client.get(f"/fail/{status}")
            assert response.status_code == status
            assert f'class="error-code">{status}<' in response.text


def test_api_errors_are_json(client: Client) -> None:
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert set(response.json()["error"]) == {"code", "message"}


def test_logged_in_error_page_keeps_the_top_bar(client: Client, factory) -> None:  # type: ignore[no-untyped-def]
    org = factory.organisation()
    client.log_in(factory.user(organisation=org))
    response = client.get("/account/sessions/999/end")
    assert response.status_code == 405
    page = client.submit("/account/sessions/999/end")
    assert page.status_code == 404
    assert 'action="/logout"' in page.text and org.short_name in page.text


def test_expired_form_page_offers_the_way_back(client: Client) -> None:
    client.get("/login")
    response = client.post(
        "/login",
        data={"email": "a@b.example", "password": "x"},
        headers={"Referer": "http://testserver/login?next=/account"},
    )
    assert response.status_code == 403
    assert 'href="/login?next=/account"' in response.text


def test_favicon_is_served(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.headers["content-type"] == "image/svg+xml"


def test_oversized_form_is_refused_before_it_is_read(client: Client, factory) -> None:  # type: ignore[no-untyped-def]
    client.log_in(factory.user(organisation=factory.organisation()))
    body = b"x" * (8 * 1024 * 1024 + 1)
    response = client.post(
        "/account/tokens",
        content=body,
        headers={"Content-Type": "multipart/form-data; boundary=z", "X-CSRF-Token": client.csrf()},
    )
    assert response.status_code == 413
    assert 'class="error-code">413<' in response.text
