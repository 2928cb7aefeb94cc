"""generate_listings: synthetic listings written in bulk, as Wagtail would leave them."""

import io

from django.core.management import call_command
from django.test import Client

from wagtail.models import Page, PageLogEntry

import pytest

from directory.generate import generate_listings, plan
from directory.models import Location, OrganizationPage, ServicePage
from directory.validators import parse_phone
from steward.models import HomePage


def summary(plans):
    return [
        (
            org.title,
            [(loc.address_1, loc.latitude, loc.longitude) for loc in org.locations],
            [(s.title, s.phones, s.categories, s.hours, s.languages) for s in org.services],
        )
        for org in plans
    ]


def test_the_same_seed_plans_the_same_listings():
    assert summary(plan(60, seed=7)) == summary(plan(60, seed=7))


def test_another_seed_plans_other_listings():
    assert summary(plan(60, seed=7)) != summary(plan(60, seed=8))


def test_the_plan_has_the_services_asked_for_and_the_organizations_asked_for():
    plans = list(plan(50, seed=1, organizations=12))
    assert len(plans) == 12
    assert sum(len(org.services) for org in plans) == 50
    assert all(org.services for org in plans)
    assert all(1 <= len(org.locations) <= 3 for org in plans)


def test_planned_phones_are_valid_chicago_numbers_and_places_are_in_the_metro_area():
    for org in plan(80, seed=3):
        for location in org.locations:
            assert 41.4 < location.latitude < 42.25
            assert -88.35 < location.longitude < -87.45
        for service in org.services:
            for number in service.phones:
                parsed = parse_phone(number)
                assert str(parsed.national_number)[:3] in {"312", "773", "872"}


@pytest.mark.django_db
class TestGeneratedListings:
    def generate(self, **kwargs):
        options = {"services": 45, "seed": 5, "organizations": 9, "batch_size": 10} | kwargs
        return generate_listings(**options)

    def test_creates_the_services_organizations_and_locations_asked_for(self):
        result = self.generate()
        assert (result.services, result.organizations) == (45, 9)
        assert ServicePage.objects.live().count() == 45
        assert OrganizationPage.objects.live().count() == 9
        assert Location.objects.count() == result.locations

    def test_writes_the_titles_the_plan_gives(self):
        self.generate()
        planned = sorted(s.title for org in plan(45, seed=5, organizations=9) for s in org.services)
        assert sorted(ServicePage.objects.values_list("title", flat=True)) == planned

    def test_leaves_the_page_tree_consistent(self):
        self.generate()
        evil_chars, bad_steplen, orphans, wrong_depth, wrong_numchild = Page.find_problems()
        assert not (evil_chars or bad_steplen or orphans or wrong_depth or wrong_numchild)
        assert HomePage.objects.get().get_children().count() == 9
        out = io.StringIO()
        call_command("fixtree", stdout=out)
        assert "No problems found" in out.getvalue()
        assert "Fixing" not in out.getvalue()

    def test_a_second_run_adds_a_second_copy_under_other_slugs(self):
        self.generate()
        self.generate()
        assert ServicePage.objects.live().count() == 90
        slugs = list(HomePage.objects.get().get_children().values_list("slug", flat=True))
        assert len(slugs) == len(set(slugs)) == 18
        assert not any(Page.find_problems())

    def test_each_page_has_a_published_revision_with_its_child_objects(self):
        self.generate()
        service = ServicePage.objects.live().order_by("pk").last()
        assert service.latest_revision_id == service.live_revision_id
        assert not service.has_unpublished_changes
        revision = service.latest_revision.as_object()
        assert revision.title == service.title
        assert [p.number for p in revision.phones.all()] == [p.number for p in service.phones.all()]
        assert [h.pk for h in revision.hours.all()] == [h.pk for h in service.hours.all()]
        assert list(revision.categories.all()) == list(service.categories.all())
        assert service.service_at_locations.get().location.organization_id == (
            service.get_parent().pk
        )
        assert PageLogEntry.objects.filter(page=service, action="wagtail.publish").count() == 1
        location = Location.objects.order_by("pk").first()
        assert location.latest_revision.as_object().name == location.name

    def test_generated_services_are_in_the_search_index(self):
        self.generate()
        service = ServicePage.objects.live().order_by("pk").first()
        organization = service.get_parent()
        found = ServicePage.objects.live().search(organization.title)
        assert service.pk in [page.pk for page in found]

    def test_a_generated_service_page_is_served(self):
        self.generate()
        service = ServicePage.objects.live().order_by("pk").first()
        response = Client().get(service.get_url())
        assert response.status_code == 200
        assert service.title in response.content.decode()


@pytest.mark.django_db
def test_the_command_reports_what_it_created():
    out = io.StringIO()
    call_command("generate_listings", services=12, seed=2, stdout=out)
    assert "Created 12 services" in out.getvalue()
    assert ServicePage.objects.live().count() == 12


@pytest.mark.django_db
def test_generated_listings_go_beside_the_demo_without_breaking_the_tree():
    from directory.demo import seed_demo

    seed_demo(debug=False)
    demo_orgs, demo_services = OrganizationPage.objects.count(), ServicePage.objects.count()
    generate_listings(services=10, seed=4, organizations=3)
    assert not seed_demo(debug=False).created
    assert OrganizationPage.objects.count() == demo_orgs + 3
    assert ServicePage.objects.live().count() == demo_services + 10
    assert not any(Page.find_problems())
