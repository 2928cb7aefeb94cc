"""Form data shared by the guards' tests (locks, stale saves, merges, deletion,
rate limits, the admin crawl); their people come from tests.roles."""

from wagtail.test.utils.form_data import inline_formset, nested_form_data


def service_form(service, **fields):
    """The service editor's POST data for `service` as it stands, with `fields` changed."""
    links = list(service.service_at_locations.all())
    data = {
        "title": service.title,
        "slug": service.slug,
        "status": service.status,
        "description": service.description,
        "service_at_locations": inline_formset(
            [{"id": link.pk, "location": link.location_id} for link in links],
            initial=len(links),
        ),
        "phones": inline_formset(
            [
                {"id": p.pk, "number": p.number, "type": p.type, "location": p.location_id or ""}
                for p in service.phones.all()
            ],
            initial=service.phones.count(),
        ),
        "additional_urls": inline_formset([]),
        "hours": inline_formset(
            [
                {
                    "id": h.pk,
                    "weekday": h.weekday,
                    "opens_at": h.opens_at.strftime("%H:%M") if h.opens_at else "",
                    "closes_at": h.closes_at.strftime("%H:%M") if h.closes_at else "",
                    "location": h.location_id or "",
                }
                for h in service.hours.all()
            ],
            initial=service.hours.count(),
        ),
        **fields,
    }
    return nested_form_data(data)


def loaded_from(page_or_location):
    """The hidden fields an editor's form carries: the revision it was loaded from."""
    revision = page_or_location.latest_revision
    return {
        "loaded_revision_id": str(revision.pk),
        "loaded_revision_created_at": revision.created_at.isoformat(),
    }
