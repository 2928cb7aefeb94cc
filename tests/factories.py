"""Test data. Pages are built under the site's home page, as the product builds them."""

import datetime as dt

from django.contrib.auth import get_user_model

import factory
import wagtail_factories

from directory.models import (
    Language,
    Location,
    Membership,
    OrganizationPage,
    ServiceAtLocation,
    ServicePage,
    ServicePhone,
    ServiceSchedule,
    TaxonomyTerm,
)
from steward.models import HomePage


def home_page():
    return HomePage.objects.get()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = "Sam"
    last_name = "Rivera"
    password = factory.django.Password("correct horse battery staple")


class OrganizationFactory(wagtail_factories.PageFactory):
    class Meta:
        model = OrganizationPage

    title = factory.Sequence(lambda n: f"Community Services {n}")
    description = "Helps people in the neighbourhood."
    website = "https://example.org/"
    parent = factory.LazyFunction(home_page)


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Main office {n}")
    address_1 = "100 W Randolph St"
    city = "Chicago"
    state_province = "IL"
    postal_code = "60601"
    latitude = 41.8847
    longitude = -87.6320
    timezone = "America/Chicago"


class ServiceFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ServicePage

    title = factory.Sequence(lambda n: f"Food pantry {n}")
    description = "Free groceries every week."
    eligibility_description = "Anyone in need."
    parent = factory.SubFactory(OrganizationFactory)


def add_location(service, location, *, phones=(), hours=(), publish=True):
    """Link a location to a service, with optional phones / weekly hours at it."""
    service.service_at_locations.add(ServiceAtLocation(location=location))
    for number in phones:
        service.phones.add(ServicePhone(number=number, location=location))
    for weekday, opens, closes in hours:
        service.hours.add(
            ServiceSchedule(weekday=weekday, opens_at=opens, closes_at=closes, location=location)
        )
    if publish:
        service.save_revision().publish()
    else:
        service.save()
    return service


def make_service(
    *,
    organization=None,
    title=None,
    location=None,
    phones=("(312) 555-0101",),
    hours=((1, dt.time(9), dt.time(17)),),
    categories=(),
    languages=(),
    **fields,
):
    """A published service with one location, phones and hours: the common case."""
    organization = organization or OrganizationFactory()
    kwargs = {"parent": organization, **fields}
    if title:
        kwargs["title"] = title
    service = ServiceFactory(**kwargs)
    location = location or LocationFactory(organization=organization)
    for term in categories:
        service.categories.add(term)
    for language in languages:
        service.languages.add(language)
    add_location(service, location, phones=phones, hours=hours)
    return ServicePage.objects.get(pk=service.pk)


def category(code):
    return TaxonomyTerm.objects.get(code=code)


def language(code, name):
    return Language.objects.get_or_create(code=code, defaults={"name": name})[0]


def membership(user, organization, role=Membership.Role.MEMBER, **fields):
    return Membership.objects.create(user=user, organization=organization, role=role, **fields)
