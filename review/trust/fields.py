"""Which trust fields a listing has, and which trust field a page change touches.

Freshness is kept per *trust field* (the keys of review.conf HALF_LIVES), not
per model field: a service's phones are one field "phone", its ages and
eligibility text one field "eligibility".
"""

from django.utils.translation import gettext_lazy as _

from review.conf import trust_setting

# ServicePage model fields and child relations -> trust field.
MODEL_TO_FIELD = {
    "title": "name",
    "description": "description",
    "phones": "phone",
    "email": "email",
    "website": "url",
    "hours": "hours",
    "eligibility_description": "eligibility",
    "minimum_age": "eligibility",
    "maximum_age": "eligibility",
    "application_process": "intake",
    "fees_description": "fees",
    "status": "status",
    "service_at_locations": "address",
}

LABELS = {
    "name": _("Name"),
    "description": _("Description"),
    "phone": _("Phone numbers"),
    "email": _("Email"),
    "url": _("Website"),
    "hours": _("Hours"),
    "eligibility": _("Who can get this"),
    "intake": _("How to apply"),
    "fees": _("Cost"),
    "status": _("Open or closed"),
    "address": _("Address"),
}


def all_fields():
    return list(trust_setting("HALF_LIVES"))


def fields_for_changes(names):
    """Trust fields touched by a change of these model fields or child relations.

    Trust-field keys pass through unchanged; names that carry no trust field
    (alternate_name, categories, slug...) are dropped. Sorted, without repeats.
    """
    known = set(all_fields())
    touched = set()
    for name in names:
        if name in known:
            touched.add(name)
        elif name in MODEL_TO_FIELD:
            touched.add(MODEL_TO_FIELD[name])
    return sorted(touched)


def present_fields(page, *, has_phones, has_hours, has_locations):
    """The trust fields this listing has a value for (name and status always)."""
    present = ["name", "status"]
    if page.description:
        present.append("description")
    if has_phones:
        present.append("phone")
    if page.email:
        present.append("email")
    if page.website:
        present.append("url")
    if has_hours:
        present.append("hours")
    if page.eligibility_description or page.minimum_age is not None or page.maximum_age is not None:
        present.append("eligibility")
    if page.application_process:
        present.append("intake")
    if page.fees_description:
        present.append("fees")
    if has_locations:
        present.append("address")
    return present


def present_fields_for(pages):
    """{page pk: [trust fields]} for many ServicePages: five queries in all.

    Phones and hours given at a location count for every service there.
    """
    from directory.models import (
        LocationPhone,
        LocationSchedule,
        ServiceAtLocation,
        ServicePhone,
        ServiceSchedule,
    )

    pks = [page.pk for page in pages]
    links = list(
        ServiceAtLocation.objects.filter(service_id__in=pks).values_list(
            "service_id", "location_id"
        )
    )
    locations = {service_id for service_id, _ in links}
    at = [location_id for _, location_id in links]
    phoned = set(
        LocationPhone.objects.filter(location_id__in=at).values_list("location_id", flat=True)
    )
    timed = set(
        LocationSchedule.objects.filter(location_id__in=at).values_list("location_id", flat=True)
    )
    phones = set(
        ServicePhone.objects.filter(service_id__in=pks).values_list("service_id", flat=True)
    )
    hours = set(
        ServiceSchedule.objects.filter(service_id__in=pks).values_list("service_id", flat=True)
    )
    for service_id, location_id in links:
        if location_id in phoned:
            phones.add(service_id)
        if location_id in timed:
            hours.add(service_id)
    return {
        page.pk: present_fields(
            page,
            has_phones=page.pk in phones,
            has_hours=page.pk in hours,
            has_locations=page.pk in locations,
        )
        for page in pages
    }
