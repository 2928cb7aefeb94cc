"""seed_demo: the demo organizations, listings and one user per role, loaded once."""

import io

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, override_settings

from wagtail.models import GroupPagePermission, Page, Revision

import pytest

from directory.demo import seed_demo
from directory.models import Location, Membership, OrganizationPage, ServicePage

pytestmark = pytest.mark.django_db

ROLES = ["professional", "orgadmin", "moderator", "analyst", "operator"]


def run(**settings_overrides):
    out = io.StringIO()
    with override_settings(**settings_overrides):
        call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_creates_one_user_per_role():
    run()
    User = get_user_model()
    assert set(User.objects.values_list("username", flat=True)) >= set(ROLES)
    assert User.objects.get(username="operator").is_superuser
    assert User.objects.get(username="moderator").groups.filter(name="Moderators").exists()
    assert User.objects.get(username="analyst").groups.filter(name="Analysts").exists()
    member = Membership.objects.get(user__username="professional")
    assert member.role == Membership.Role.MEMBER
    admin = Membership.objects.get(user__username="orgadmin")
    assert admin.role == Membership.Role.ADMIN


def test_professionals_reach_the_admin_edit_any_listing_and_publish_their_own_only():
    run()
    professional = get_user_model().objects.get(username="professional")
    assert professional.has_perm("wagtailadmin.access_admin")
    own = Membership.objects.get(user=professional).organization
    other = OrganizationPage.objects.exclude(pk=own.pk).first()
    assert GroupPagePermission.objects.filter(
        page=own, group__name=f"{own.title} editors", group__user=professional
    ).exists()
    own_service = ServicePage.objects.child_of(own).first()
    other_service = ServicePage.objects.child_of(other).first()
    assert own_service.permissions_for_user(professional).can_publish()
    # The wiki: any professional edits any listing; others' edits wait for review.
    assert other_service.permissions_for_user(professional).can_edit()
    assert not other_service.permissions_for_user(professional).can_publish()
    assert other_service.has_workflow
    client = Client()
    client.force_login(professional)
    assert client.get("/admin/").status_code == 200


def test_the_domestic_violence_shelter_has_a_confidential_location():
    run()
    location = Location.objects.get(address_is_public=False)
    assert location.organization.title == "Safe Haven Chicago"
    assert location.address_lines() == []
    shelter = ServicePage.objects.get(service_at_locations__location=location)
    assert shelter.live


def test_listings_are_published_through_revisions_with_realistic_hours():
    run()
    services = ServicePage.objects.live()
    assert services.count() >= 10
    assert all(s.live_revision_id and s.live_revision_id == s.latest_revision_id for s in services)
    overnight = ServicePage.objects.get(title="Overnight Shelter")
    assert all(row.is_overnight for row in overnight.hours.all())
    crisis = ServicePage.objects.get(title="24-Hour Crisis Line")
    assert crisis.hours.count() == 7
    closed = ServicePage.objects.get(status="temporarily closed")
    assert closed.alert
    assert {lang.code for lang in crisis.languages.all()} >= {"en", "es", "pl"}


def test_some_demo_listings_are_in_spanish(client):
    run()
    pantry = ServicePage.objects.get(title="Uptown Community Food Pantry")
    html = client.get(pantry.url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Despensa Comunitaria de Uptown" in html
    assert "Aún no traducido" not in html
    shelter = ServicePage.objects.get(title="Overnight Shelter")
    html = client.get(shelter.url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Albergue nocturno" in html
    assert "Aún no traducido" in html  # how to apply is in English only
    assert ServicePage.objects.exclude(title_es="").count() >= 3


def test_a_second_run_skips_and_changes_nothing():
    run()
    counts = (Page.objects.count(), Revision.objects.count(), get_user_model().objects.count())
    assert "skipped" in run()
    assert (Page.objects.count(), Revision.objects.count(), get_user_model().objects.count()) == (
        counts
    )
    assert not seed_demo().created
    assert not any(Page.find_problems())


def test_prints_sign_in_names_but_no_passwords_without_debug():
    out = run(DEBUG=False)
    for username in ROLES:
        assert username in out
    assert "steward-demo-" not in out
    assert "password:" not in out
    professional = get_user_model().objects.get(username="professional")
    assert not professional.check_password("steward-demo-professional")


def test_prints_the_fixed_demo_passwords_in_debug():
    out = run(DEBUG=True)
    assert "steward-demo-professional" in out
    professional = get_user_model().objects.get(username="professional")
    assert professional.check_password("steward-demo-professional")
