"""Verification: one click by a professional, recorded with who, for which
organization, which fields and when; never an edit."""

import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from wagtail.models import PageLogEntry

import pytest

from review.models import LedgerEvent, ListingFreshness, Verification
from review.trust.actions import record_approved_edit, verify_service
from review.trust.fields import all_fields, fields_for_changes, present_fields_for
from review.trust.standing import standing_for
from tests.factories import OrganizationFactory, UserFactory, make_service, membership
from tests.roles import professional

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


@pytest.fixture
def service():
    return make_service(title="Evening meals")


def test_a_professional_verifies_everything_for_their_organization(service, other_org):
    user = professional(other_org, email="sam@example.org")
    revisions_before = service.revisions.count()
    verification = verify_service(service=service, user=user, now=NOW)
    assert verification.fields == all_fields()
    assert (verification.user, verification.organization_id) == (user, other_org.pk)
    assert verification.verified_at == NOW
    assert service.revisions.count() == revisions_before  # not an edit
    entry = PageLogEntry.objects.get(page=service, action="steward.verify")
    assert entry.data == {
        "fields": all_fields(),
        "organization": {"id": other_org.pk, "title": "Northside Legal Aid"},
    }
    assert "sam@example.org" not in str(entry.data)
    assert entry.user_id == user.pk
    assert "Verified as still accurate for Northside Legal Aid" in entry.message


def test_only_chosen_fields_are_verified_in_the_order_of_the_table(service, other_org):
    user = professional(other_org)
    verification = verify_service(service=service, user=user, fields=["phone", "hours"], now=NOW)
    assert verification.fields == ["hours", "phone"]


def test_unknown_or_no_fields_are_refused_and_nothing_is_written(service, other_org):
    user = professional(other_org)
    with pytest.raises(ValidationError):
        verify_service(service=service, user=user, fields=["phone", "shoe size"])
    with pytest.raises(ValidationError):
        verify_service(service=service, user=user, fields=[])
    assert not Verification.objects.exists()
    assert not PageLogEntry.objects.filter(action="steward.verify").exists()


def test_only_signed_in_professionals_verify(service):
    for user in (AnonymousUser(), UserFactory()):
        with pytest.raises(PermissionDenied):
            verify_service(service=service, user=user)
    assert not Verification.objects.exists()


def test_a_professional_acts_only_for_an_organization_they_belong_to(service, other_org):
    user = professional(OrganizationFactory())
    with pytest.raises(PermissionDenied):
        verify_service(service=service, user=user, organization=other_org)
    membership(user, other_org)
    assert verify_service(service=service, user=user, organization=other_org).organization == (
        other_org
    )


def test_a_verification_refreshes_the_store_at_once(service, other_org):
    verify_service(service=service, user=professional(other_org), now=NOW)
    row = ListingFreshness.objects.get(page=service)
    assert row.score == pytest.approx(1.0)
    assert row.last_full_verification_at == NOW
    assert row.verifying_organizations_count == 1


def test_model_fields_and_child_objects_map_to_trust_fields():
    assert fields_for_changes(
        ["phones", "hours", "minimum_age", "eligibility_description", "application_process"]
    ) == ["eligibility", "hours", "intake", "phone"]
    assert fields_for_changes(
        ["fees_description", "website", "status", "service_at_locations", "title", "description"]
    ) == ["address", "description", "fees", "name", "status", "url"]
    assert fields_for_changes(["alternate_name", "categories", "email"]) == ["email"]


def test_present_fields_follow_what_the_listing_has():
    bare = make_service(description="", eligibility_description="", phones=(), hours=())
    full = make_service(
        website="https://example.org/",
        email="help@example.org",
        application_process="Walk in.",
        fees_description="Free",
        minimum_age=18,
    )
    present = present_fields_for([bare, full])
    assert present[bare.pk] == ["name", "status", "address"]
    assert set(present[full.pk]) == set(all_fields())


# --- approved edits ------------------------------------------------------------


def test_an_approved_edit_verifies_the_fields_it_changed_and_pays_the_editor(service, other_org):
    editor = professional(other_org)
    approver = UserFactory()
    verification = record_approved_edit(
        service=service, fields=["phones", "hours"], approver=approver, editor=editor, now=NOW
    )
    assert verification.kind == "edit"
    assert verification.fields == ["hours", "phone"]
    assert verification.organization == other_org
    event = LedgerEvent.objects.get()
    assert (event.user, event.kind, event.points, event.page_id) == (
        editor,
        "edit_accepted",
        5,
        service.pk,
    )
    assert standing_for(editor).points == 6
    row = ListingFreshness.objects.get(page=service)
    assert row.last_verified_at == NOW


def test_an_edit_touching_no_trust_field_records_nothing(service):
    editor = UserFactory()
    assert (
        record_approved_edit(service=service, fields=["categories"], approver=None, editor=editor)
        is None
    )
    assert not Verification.objects.exists()


def _accepted_edit(service, organization, *, at, fields=("phone",)):
    editor = professional(organization)
    record_approved_edit(
        service=service, fields=list(fields), approver=UserFactory(), editor=editor, now=at
    )
    return editor


def test_an_edit_reverified_by_another_organization_after_30_days_earns_10(service, other_org):
    editor_org = OrganizationFactory()
    editor = _accepted_edit(service, editor_org, at=NOW)
    checker = professional(other_org)
    verify_service(service=service, user=checker, fields=["phone"], now=NOW + 29 * DAY)
    assert not LedgerEvent.objects.filter(kind="edit_reverified").exists()
    verify_service(service=service, user=checker, fields=["phone"], now=NOW + 31 * DAY)
    verify_service(service=service, user=checker, fields=["phone"], now=NOW + 40 * DAY)
    reverified = LedgerEvent.objects.filter(kind="edit_reverified")
    assert [(e.user, e.points) for e in reverified] == [(editor, 10)]  # once per edit
    assert standing_for(editor).points == 1 + 5 + 10


def test_no_reverified_points_from_the_editors_own_organization_or_for_other_fields(service):
    editor_org = OrganizationFactory()
    _accepted_edit(service, editor_org, at=NOW)
    verify_service(service=service, user=professional(editor_org), now=NOW + 60 * DAY)
    verify_service(
        service=service,
        user=professional(OrganizationFactory()),
        fields=["hours"],
        now=NOW + 60 * DAY,
    )
    assert not LedgerEvent.objects.filter(kind="edit_reverified").exists()


def test_an_edit_replaced_by_a_later_edit_is_not_standing(service, other_org):
    first = _accepted_edit(service, OrganizationFactory(), at=NOW)
    _accepted_edit(service, OrganizationFactory(), at=NOW + 5 * DAY)
    verify_service(
        service=service, user=professional(other_org), fields=["phone"], now=NOW + 60 * DAY
    )
    winners = set(LedgerEvent.objects.filter(kind="edit_reverified").values_list("user", flat=True))
    assert first.pk not in winners and len(winners) == 1


def test_another_organization_confirming_a_verification_is_a_good_judgment(service, other_org):
    first = professional(OrganizationFactory())
    verify_service(service=service, user=first, fields=["phone"], now=NOW)
    verify_service(
        service=service, user=professional(first.memberships.get().organization), now=NOW + DAY
    )
    assert standing_for(first).good == 0  # same organization: no confirmation
    verify_service(service=service, user=professional(other_org), now=NOW + 2 * DAY)
    verify_service(service=service, user=professional(OrganizationFactory()), now=NOW + 3 * DAY)
    standing = standing_for(first)
    assert (standing.good, standing.points) == (1, 1)  # once, and no points


# --- the public "Still accurate" -------------------------------------------------


def url(service):
    return f"/review/verify/{service.pk}/"


def test_anonymous_visitors_and_non_professionals_never_see_the_button(client, service):
    html = client.get(service.url).content.decode()
    assert "Still accurate" not in html
    client.force_login(UserFactory())
    assert "Still accurate" not in client.get(service.url).content.decode()


def test_a_professional_sees_a_form_that_works_without_javascript(client, service, other_org):
    client.force_login(professional(other_org))
    html = client.get(service.url).content.decode()
    assert f'<form method="post" action="{url(service)}">' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'value="phone"' in html and "<details" in html


def test_the_verify_url_refuses_get_anonymous_and_non_professionals(client, service):
    assert client.get(url(service)).status_code == 405
    assert client.post(url(service), {"scope": "all"}).status_code == 403
    client.force_login(UserFactory())
    assert client.post(url(service), {"scope": "all"}).status_code == 403
    assert not Verification.objects.exists()


def test_the_verify_url_needs_the_csrf_token(service, other_org):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(professional(other_org))
    assert browser.post(url(service), {"scope": "all"}).status_code == 403
    assert not Verification.objects.exists()


def test_a_professional_confirms_everything_in_one_click(client, service, other_org):
    user = professional(other_org)
    client.force_login(user)
    response = client.post(url(service), {"scope": "all"})
    assert response.status_code == 302
    assert response["Location"] == f"{service.url}?verified=1#trust"
    assert Verification.objects.get().fields == all_fields()
    html = client.get(response["Location"]).content.decode()
    assert "Verified today by 1 organization" in html
    assert "your check is recorded" in html


def test_only_some_fields(client, service, other_org):
    client.force_login(professional(other_org))
    client.post(url(service), {"scope": "some", "fields": ["phone", "hours"]})
    assert Verification.objects.get().fields == ["hours", "phone"]


@pytest.mark.parametrize(
    "data",
    [
        {"scope": "some"},
        {"scope": "some", "fields": ["shoe size"]},
        {"scope": "everything"},
        {},
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(client, service, other_org, data):
    client.force_login(professional(other_org))
    response = client.post(url(service), data)
    assert response.status_code == 400
    assert "Nothing was recorded" in response.content.decode()
    assert not Verification.objects.exists()


def test_an_unpublished_or_missing_listing_is_not_found(client, service, other_org):
    client.force_login(professional(other_org))
    assert client.post("/review/verify/999999/", {"scope": "all"}).status_code == 404
    service.unpublish()
    assert client.post(url(service), {"scope": "all"}).status_code == 404


def test_the_service_page_costs_few_queries_for_a_professional(
    client, service, other_org, django_assert_max_num_queries
):
    client.force_login(professional(other_org))
    with django_assert_max_num_queries(40):
        assert client.get(service.url).status_code == 200


# --- the admin "Still accurate" --------------------------------------------------


def admin_url(service):
    return f"/admin/review/verify/{service.pk}/"


def test_the_admin_offers_still_accurate_on_a_service(client, service):
    from directory.accounts.groups import editors_group as organization_editors

    organization = service.get_parent().specific
    user = professional(organization)
    user.groups.add(organization_editors(organization))
    client.force_login(user)
    html = client.get(f"/admin/pages/{service.pk}/edit/").content.decode()
    assert admin_url(service) in html
    html = client.get(f"/admin/pages/{organization.pk}/").content.decode()
    assert admin_url(service) in html  # in the listing's "more" menu
    response = client.get(admin_url(service))
    assert response.status_code == 200
    response = client.post(admin_url(service), {"scope": "some", "fields": ["status"]})
    assert response.status_code == 302
    assert Verification.objects.get().fields == ["status"]


def test_the_admin_verify_view_refuses_non_professionals_and_bad_input(client, service, other_org):
    assert client.post(admin_url(service), {"scope": "all"}).status_code == 302  # to sign-in
    client.force_login(professional(other_org))
    assert client.post(admin_url(service), {"scope": "some"}).status_code == 400
    assert not Verification.objects.exists()


def test_verifying_a_value_shown_wrong_within_90_days_costs_20_once(service, other_org):
    from review.trust.actions import record_shown_wrong

    careless = professional(other_org)
    old = professional(OrganizationFactory())
    verify_service(service=service, user=old, fields=["phone"], now=NOW - 100 * DAY)
    verify_service(service=service, user=careless, fields=["phone", "hours"], now=NOW - 10 * DAY)
    verify_service(
        service=service, user=professional(OrganizationFactory()), fields=["fees"], now=NOW
    )
    for _ in range(2):
        record_shown_wrong(service=service, fields=["phones"], now=NOW)
    events = LedgerEvent.objects.filter(kind="verification_shown_wrong")
    assert [(e.user, e.points, e.judgment) for e in events] == [(careless, -20, "bad")]
    assert standing_for(careless).bad == 1
    assert standing_for(old).bad == 0


def test_the_admin_verify_page_stays_within_its_query_budget(
    client, service, other_org, django_assert_max_num_queries
):
    client.force_login(professional(other_org))
    with django_assert_max_num_queries(30):
        response = client.get(admin_url(service))
    assert response.status_code == 200
    assert "Not yet verified" in response.content.decode()
    assert client.get("/admin/review/verify/999999/").status_code == 404


def test_the_demo_shows_listings_verified_at_several_ages():
    from directory.demo import seed_demo

    seed_demo(debug=False)
    assert Verification.objects.filter(user__username="professional").exists()
    assert Verification.objects.filter(user__username="orgadmin").exists()
    assert ListingFreshness.objects.filter(stale_at__lt=timezone.now()).exists()
    assert ListingFreshness.objects.filter(stale_at__gt=timezone.now()).exists()
    count = Verification.objects.count()
    seed_demo(debug=False)  # the demo loads once; verifications are not added twice
    assert Verification.objects.count() == count
