"""A body's meeting rules: quorum as a fraction, substitutes, remote participation."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from meetings.archive.models import AuditEntry
from tests.client import Client
from tests.factories import Factory
from tests.organisations.test_admin_people import admin_of

RULES = {
    "quorum_numerator": "1",
    "quorum_denominator": "2",
    "substitutes_count_for_quorum": "on",
    "substitutes_may_vote": "on",
}


def test_the_body_page_shows_the_rules_form_with_the_current_rules(
    client: Client, factory: Factory
) -> None:
    org = factory.organisation()
    admin_of(client, factory, org)
    body = factory.body(org)
    page = client.get(f"/admin/bodies/{body.id}").text
    assert f'action="/admin/bodies/{body.id}/rules"' in page
    assert 'name="quorum_numerator" type="number" value="2"' in page
    assert 'name="quorum_denominator" type="number" value="3"' in page
    assert 'name="remote_counts_for_quorum" type="checkbox" value="on" checked' in page
    assert 'name="substitutes_may_vote" type="checkbox" value="on">' in page


def test_admin_sets_the_rules_and_the_change_is_audited(
    client: Client, factory: Factory, db: Session
) -> None:
    org = factory.organisation()
    admin_of(client, factory, org)
    body = factory.body(org)
    response = client.submit(f"/admin/bodies/{body.id}/rules", RULES)
    assert response.status_code == 303
    assert response.headers["location"] == f"/admin/bodies/{body.id}#rules"
    db.refresh(body)
    assert (body.quorum_numerator, body.quorum_denominator) == (1, 2)
    assert body.substitutes_count_for_quorum and body.substitutes_may_vote
    assert not body.remote_counts_for_quorum, "an unticked box turns the rule off"
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "body.rules_set")).one()
    assert '"quorum":"1/2"' in entry.data.replace(" ", "")
    assert "The meeting rules of" in client.get(f"/admin/bodies/{body.id}").text


@pytest.mark.parametrize(
    ("numerator", "denominator", "field", "message"),
    [
        ("0", "3", "quorum_numerator", "The numerator must be a whole number from 1"),
        ("4", "3", "quorum_numerator", "The numerator must be a whole number from 1"),
        ("-1", "3", "quorum_numerator", "The numerator must be a whole number from 1"),
        ("1.5", "3", "quorum_numerator", "The numerator must be a whole number from 1"),
        ("", "3", "quorum_numerator", "The numerator must be a whole number from 1"),
        ("1", "0", "quorum_denominator", "The denominator must be a whole number from 1 to 100."),
        ("1", "101", "quorum_denominator", "The denominator must be a whole number from 1 to 100."),
        ("1", "ba", "quorum_denominator", "The denominator must be a whole number from 1 to 100."),
    ],
)
def test_bad_fractions_are_refused_and_nothing_changes(
    client: Client,
    factory: Factory,
    db: Session,
    numerator: str,
    denominator: str,
    field: str,
    message: str,
) -> None:
    org = factory.organisation()
    admin_of(client, factory, org)
    body = factory.body(org)
    form = {**RULES, "quorum_numerator": numerator, "quorum_denominator": denominator}
    refused = client.submit(f"/admin/bodies/{body.id}/rules", form)
    assert refused.status_code == 422
    assert message in refused.text
    element = field.replace("quorum_", "quorum-")
    assert f'aria-describedby="{element}-error" aria-invalid="true"' in refused.text
    assert f'value="{numerator}"' in refused.text, "what was typed is kept"
    db.refresh(body)
    rules = (body.quorum_numerator, body.quorum_denominator, body.substitutes_may_vote)
    assert rules == (2, 3, False)
    assert not db.exec(select(AuditEntry).where(AuditEntry.action == "body.rules_set")).all()


def test_the_whole_range_is_accepted(client: Client, factory: Factory, db: Session) -> None:
    org = factory.organisation()
    admin_of(client, factory, org)
    body = factory.body(org)
    for n, d in (("1", "1"), ("100", "100"), ("1", "100")):
        form = {"quorum_numerator": n, "quorum_denominator": d}
        assert client.submit(f"/admin/bodies/{body.id}/rules", form).status_code == 303
        db.refresh(body)
        assert (body.quorum_numerator, body.quorum_denominator) == (int(n), int(d))


def test_only_admins_of_the_organisation_set_rules(
    client: Client, other_client: Client, factory: Factory, db: Session
) -> None:
    org = factory.organisation()
    body = factory.body(org)
    secretary = factory.user(organisation=org, role="secretary")
    other_client.cookies.set("ecab_lang", "en")
    other_client.log_in(secretary)
    assert other_client.submit(f"/admin/bodies/{body.id}/rules", RULES).status_code == 403
    admin_of(client, factory)  # an administrator of another organisation
    assert client.submit(f"/admin/bodies/{body.id}/rules", RULES).status_code == 404
    db.refresh(body)
    assert (body.quorum_numerator, body.quorum_denominator) == (2, 3)
