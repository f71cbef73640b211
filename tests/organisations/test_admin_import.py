"""Importing a body's members from CSV: preview, per-row errors, all or nothing, encodings."""

from __future__ import annotations

import re
import unicodedata
from html import unescape
from typing import Any

import pytest
from sqlmodel import Session, col, func, select

from meetings.accounts.models import User
from meetings.archive.models import AuditEntry
from meetings.organisations import imports, queries
from meetings.organisations.models import Body, Membership, Organisation
from tests.client import Client
from tests.factories import Factory
from tests.organisations.test_admin_people import admin_of

HEADER = "email,name,title,role,voting_right,vote_weight\n"


def setup(client: Client, factory: Factory) -> tuple[Organisation, Body]:
    org = factory.organisation()
    admin_of(client, factory, org)
    return org, factory.body(org, "Ủy ban Nhân dân")


def counts(db: Session) -> tuple[int, int, int]:
    """Users, seats and audit entries: what an import would add to."""
    db.expire_all()
    return tuple(  # type: ignore[return-value]
        db.exec(select(func.count()).select_from(model)).one()
        for model in (User, Membership, AuditEntry)
    )


def paste(client: Client, body: Body, text: str) -> Any:
    """The form without JavaScript: the CSV pasted into the text box (a browser sends the
    chosen file's name, if any, as a plain field)."""
    form = {"csv": text, "file": "members.csv"}
    return client.submit(f"/admin/bodies/{body.id}/import", form)


def upload(client: Client, body: Body, data: bytes) -> Any:
    """The form with JavaScript: htmx sends the chosen file as multipart."""
    return client.htmx(
        "POST",
        f"/admin/bodies/{body.id}/import",
        files={"file": ("members.csv", data, "text/csv")},
        data={"csv": ""},
    )


def payload(page: Any) -> str:
    found = re.search(r'name="payload" value="([^"]*)"', page.text)
    assert found, "the preview offers the confirmation"
    return unescape(found.group(1))


def confirm(client: Client, body: Body, packed: str) -> Any:
    return client.submit(f"/admin/bodies/{body.id}/import/confirm", {"payload": packed})


def test_good_csv_is_previewed_without_storing_then_imported_in_full(
    client: Client, factory: Factory, db: Session
) -> None:
    org, body = setup(client, factory)
    factory.user("Lê Có Sẵn", organisation=org, email="san@test.example")
    csv_text = (
        HEADER
        + "chu.tich@test.example,Nguyễn Văn An,Chủ tịch,chair,yes,2\n"
        + "san@test.example,,Ủy viên,member,có,1\n"
        + "khach@test.example,Trần Khách,Đại biểu,guest,,\n"
    )
    before = counts(db)
    preview = paste(client, body, csv_text)
    assert preview.status_code == 200
    assert "New account and new seat" in preview.text
    assert "Existing person, new seat" in preview.text and "Lê Có Sẵn" in preview.text
    assert counts(db) == before, "the preview stores nothing"
    response = confirm(client, body, payload(preview))
    assert response.status_code == 303
    assert response.headers["location"] == f"/admin/bodies/{body.id}#seats"
    seats = {s.user.email: s.membership for s in queries.seats(db, body.id or 0)}
    chair = seats["chu.tich@test.example"]
    assert (chair.title, chair.role, chair.voting_right, chair.vote_weight) == (
        "Chủ tịch",
        "chair",
        True,
        2,
    )
    assert (seats["san@test.example"].role, seats["san@test.example"].vote_weight) == ("member", 1)
    assert (seats["khach@test.example"].voting_right, seats["khach@test.example"].vote_weight) == (
        False,
        0,
    )
    new = db.exec(select(User).where(User.email == "chu.tich@test.example")).one()
    assert new.name == "Nguyễn Văn An" and new.is_active
    assert queries.role_in(db, org.id or 0, new.id or 0) == "member"
    assert db.exec(select(AuditEntry.action).order_by(col(AuditEntry.id).desc())).first() == (
        "body.members_imported"
    )
    flash = client.get(f"/admin/bodies/{body.id}").text
    assert "3 members have been imported." in flash and "no password yet" in flash


def test_new_accounts_from_an_import_have_no_usable_password(
    client: Client, factory: Factory, db: Session
) -> None:
    _org, body = setup(client, factory)
    csv_text = "email,name\nmot@test.example,Đặng Một\nhai@test.example,Đặng Hai\n"
    confirm(client, body, payload(paste(client, body, csv_text)))
    new = db.exec(select(User).where(col(User.email).in_(["mot@test.example", "hai@test.example"])))
    for user in new:
        assert not user.password_hash.startswith("$argon2"), "no password anyone could know"
        for guess in ("", "!no-password-set", user.password_hash):
            response = client.submit("/login", {"email": user.email, "password": guess})
            assert response.status_code == 422


def test_preview_shows_each_rows_errors_and_stores_nothing(
    client: Client, factory: Factory, db: Session
) -> None:
    org, body = setup(client, factory)
    factory.user(email="noi.khac@test.example", organisation=factory.organisation())
    factory.user(email="co.san@test.example", organisation=org)
    csv_text = HEADER + "\n".join(
        [
            "tot@test.example,Người Tốt,Ủy viên,member,yes,1",
            "sai-dia-chi,Người Sai,,member,yes,1",
            "vai.tro@test.example,Vai Trò,,king,yes,1",
            "trong.so@test.example,Trọng Số,,member,yes,nhiều",
            "tot@test.example,Người Tốt,Ủy viên,member,yes,1",
            "khong.ten@test.example,,,member,yes,1",
            "noi.khac@test.example,Người Nơi Khác,,member,yes,1",
            "bieu.quyet@test.example,Biểu Quyết,,member,maybe,1",
            "co.san@test.example,,,member,yes,1,thừa",
        ]
    )
    before = counts(db)
    preview = paste(client, body, csv_text)
    assert preview.status_code == 200
    text = unescape(preview.text)
    for message in [
        "Enter an e-mail address such as name@example.gov.vn.",
        "Unknown role “king”. Write chair, secretary, member or guest.",
        "The vote weight must be a whole number from 0 to 100.",
        "This e-mail address is already on line 2.",
        "This person is not in the organisation. Give their name to create an account.",
        "This e-mail address belongs to an account outside this organisation.",
        "Write yes or no for the voting right, not “maybe”.",
        "This line has more cells than the line of column names.",
    ]:
        assert message in text, message
    assert text.count('class="row-invalid"') == 8
    assert "Nothing can be imported until every line is correct." in text
    assert 'name="payload"' not in text, "no confirmation is offered"
    assert counts(db) == before


def test_csv_with_one_bad_row_imports_nothing(
    client: Client, factory: Factory, db: Session
) -> None:
    _org, body = setup(client, factory)
    csv_text = HEADER + "mot@test.example,Một,,member,yes,1\nhai@test.example,Hai,,boss,yes,1\n"
    before = counts(db)
    response = confirm(client, body, imports.pack(csv_text))
    assert response.status_code == 422
    assert "Nothing was imported, because some rows have errors." in response.text
    assert counts(db) == before


def test_existing_seat_is_updated_and_empty_cells_keep_its_values(
    client: Client, factory: Factory, db: Session
) -> None:
    org, body = setup(client, factory)
    person = factory.user(organisation=org, email="pho@test.example")
    seat = factory.seat(body, person, title="Phó Chủ tịch", role="secretary", vote_weight=3)
    preview = paste(client, body, "email,role\npho@test.example,\n")
    assert "Seat updated" in preview.text
    assert confirm(client, body, payload(preview)).status_code == 303
    db.refresh(seat)
    assert (seat.title, seat.role, seat.vote_weight) == ("Phó Chủ tịch", "secretary", 3)
    assert len(queries.seats(db, body.id or 0)) == 1


def test_file_with_byte_order_mark_and_semicolons_is_read(
    client: Client, factory: Factory, db: Session
) -> None:
    _org, body = setup(client, factory)
    data = "\ufeffEmail;Name;Title;Role;Voting right;Vote weight\r\n".encode() + (
        "bom@test.example;Phan Văn Bốn;Ủy viên;member;yes;1\r\n".encode()
    )
    preview = upload(client, body, data)
    assert preview.status_code == 200
    assert "<html" not in preview.text, "htmx receives only the fragment"
    assert "Phan Văn Bốn" in preview.text and 'class="row-invalid"' not in preview.text
    assert confirm(client, body, payload(preview)).status_code == 303
    assert db.exec(select(User).where(User.email == "bom@test.example")).one().name == (
        "Phan Văn Bốn"
    )


def test_vietnamese_names_are_stored_composed(
    client: Client, factory: Factory, db: Session
) -> None:
    _org, body = setup(client, factory)
    name, title = "Nguyễn Thị Hồng Hạnh", "Phó Chủ tịch Ủy ban"
    decomposed = unicodedata.normalize("NFD", f"nfd@test.example,{name},{title}\n")
    preview = upload(client, body, ("email,name,title\n" + decomposed).encode())
    assert name in preview.text
    assert confirm(client, body, payload(preview)).status_code == 303
    user = db.exec(select(User).where(User.email == "nfd@test.example")).one()
    seat = db.exec(select(Membership).where(Membership.user_id == user.id)).one()
    assert user.name == name and seat.title == title
    assert unicodedata.is_normalized("NFC", user.name)


def test_file_over_two_megabytes_is_refused_with_413(
    client: Client, factory: Factory, db: Session
) -> None:
    _org, body = setup(client, factory)
    before = counts(db)
    response = upload(client, body, HEADER.encode() + b"x" * imports.MAX_BYTES)
    assert response.status_code == 413
    assert "larger than 2 MB" in response.text
    assert counts(db) == before


def test_more_than_two_thousand_members_are_refused_with_422(
    client: Client, factory: Factory
) -> None:
    _org, body = setup(client, factory)
    lines = "".join(f"n{i}@test.example,Người {i}\n" for i in range(imports.MAX_ROWS + 1))
    response = upload(client, body, ("email,name\n" + lines).encode())
    assert response.status_code == 422
    assert "The file has 2001 members; at most 2000 can be imported at once." in response.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("Email,Tên\nx@test.example,Tên\n".encode("cp1258"), "The file is not UTF-8 text."),
        (b"name,title\nAn,Chairman\n", "one must be email"),
        (b"email,phone\nx@test.example,0900\n", "Unknown column"),
        (b"email,name,email\nx@test.example,An,y@test.example\n", "appears more than once"),
        (b"email,name\n", "no members"),
        (b"", "Choose a CSV file or paste its text."),
    ],
)
def test_unreadable_file_is_refused_with_a_clear_message(
    client: Client, factory: Factory, data: bytes, message: str
) -> None:
    _org, body = setup(client, factory)
    response = upload(client, body, data)
    assert response.status_code == 422
    assert message in unescape(response.text)


def test_damaged_confirmation_is_refused(client: Client, factory: Factory, db: Session) -> None:
    _org, body = setup(client, factory)
    before = counts(db)
    response = confirm(client, body, "not-a-packed-csv!")
    assert response.status_code == 422
    assert "damaged" in response.text
    assert counts(db) == before


def test_import_page_explains_the_columns_and_works_without_javascript(
    client: Client, factory: Factory
) -> None:
    _org, body = setup(client, factory)
    page = client.get(f"/admin/bodies/{body.id}/import")
    assert page.status_code == 200
    for column in imports.COLUMNS:
        assert f"<code>{column}</code>" in page.text
    assert 'hx-encoding="multipart/form-data"' in page.text
    assert '<textarea id="import-csv" name="csv"' in page.text
