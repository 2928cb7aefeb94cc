"""HSDS 3.1's `url` table / `service.additional_urls`: edited in the service editor
(saved in the page's revisions), served by the API, imported from HSDS 3.1."""

import csv
import io
import json

from django.core.cache import cache
from django.core.management import call_command

from wagtail.test.utils.form_data import inline_formset, nested_form_data

import pytest

from directory.hsds.serialize import validate
from directory.models import ServicePage
from tests.factories import make_service

pytestmark = pytest.mark.django_db


def editor_post(service, urls):
    links = list(service.service_at_locations.all())
    return nested_form_data(
        {
            "title": service.title,
            "slug": service.slug,
            "status": "active",
            "description": service.description,
            "service_at_locations": inline_formset(
                [{"id": link.pk, "location": link.location_id} for link in links],
                initial=len(links),
            ),
            "phones": inline_formset([]),
            "hours": inline_formset([]),
            "additional_urls": inline_formset(urls),
            "action-publish": "publish",
        }
    )


def test_an_editor_adds_a_web_address_it_is_a_revision_in_history_and_served(admin_client):
    service = make_service(title="Legal clinic")
    before = service.revisions.count()
    response = admin_client.post(
        f"/admin/pages/{service.pk}/edit/",
        editor_post(service, [{"label": "Apply online", "url": "https://apply.example.org/"}]),
    )
    assert response.status_code == 302, response.content[:500]
    assert service.revisions.count() == before + 1
    revision = ServicePage.objects.get(pk=service.pk).latest_revision
    assert revision.content["additional_urls"][0]["url"] == "https://apply.example.org/"
    live = ServicePage.objects.get(pk=service.pk)
    assert [(u.label, u.url) for u in live.additional_urls.all()] == [
        ("Apply online", "https://apply.example.org/")
    ]

    from history.diff import compare

    first, second = list(service.revisions.order_by("created_at", "pk"))[-2:]
    changes = compare(first, second)
    assert any(
        c.field_name == "additional_urls" and "apply.example.org" in c.replacement for c in changes
    )

    cache.clear()
    data = admin_client.get(f"/api/hsds/services/{live.uuid}").json()
    [url] = data["additional_urls"]
    assert url == {
        "id": str(live.additional_urls.get().uuid),
        "url": "https://apply.example.org/",
        "label": "Apply online",
        "service_id": str(live.uuid),
    }
    assert validate("service", data) == []  # HSDS 3.0 allows the 3.1 addition


def test_a_bad_web_address_is_refused_and_nothing_changes(admin_client):
    service = make_service(title="Legal clinic")
    before = service.revisions.count()
    response = admin_client.post(
        f"/admin/pages/{service.pk}/edit/", editor_post(service, [{"url": "not a web address"}])
    )
    assert response.status_code == 200
    assert response.context["form"].formsets["additional_urls"].forms[0].errors["url"]
    assert service.revisions.count() == before
    assert not ServicePage.objects.get(pk=service.pk).additional_urls.exists()


ORG = "5d5c3e1b-0c55-4e53-9a66-2c2d6f4b7a01"
SERVICE = "7b1f4d6a-52a1-4c3e-8f0e-3d1c9a2b6e02"
URL_ID = "9c2e5b7d-1f3a-4b6c-8d9e-0a1b2c3d4e03"


def test_hsds_31_json_additional_urls_are_imported(tmp_path, home):
    package = tmp_path / "services.json"
    package.write_text(
        json.dumps(
            [
                {
                    "id": SERVICE,
                    "name": "Tenant help",
                    "status": "active",
                    "organization": {"id": ORG, "name": "Aid", "description": "Aid"},
                    "additional_urls": [
                        {"id": URL_ID, "label": "En español", "url": "https://aid.example.org/es"},
                        {"id": "bad-row", "url": "not a web address"},
                    ],
                }
            ]
        )
    )
    out = io.StringIO()
    call_command("import_hsds", str(package), stdout=out)
    service = ServicePage.objects.get(uuid=SERVICE)
    assert [(str(u.uuid), u.label, u.url) for u in service.additional_urls.all()] == [
        (URL_ID, "En español", "https://aid.example.org/es")
    ]
    assert "not a web address" in out.getvalue()


def test_hsds_31_csv_url_table_is_imported(tmp_path, home):
    tables = {
        "organizations.csv": [{"id": ORG, "name": "Aid", "description": "Aid"}],
        "services.csv": [
            {"id": SERVICE, "organization_id": ORG, "name": "Tenant help", "status": "active"}
        ],
        "url.csv": [
            {
                "id": URL_ID,
                "label": "Apply",
                "url": "https://aid.example.org/apply",
                "service_id": SERVICE,
            }
        ],
    }
    for name, rows in tables.items():
        with (tmp_path / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    call_command("import_hsds", str(tmp_path), stdout=io.StringIO())
    service = ServicePage.objects.get(uuid=SERVICE)
    assert [(u.label, u.url) for u in service.additional_urls.all()] == [
        ("Apply", "https://aid.example.org/apply")
    ]
