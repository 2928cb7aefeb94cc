"""HSDS 3.0 metadata records: field-level changes with stable ids, valid against
the shared HSDS schema."""

import csv
import json
from pathlib import Path

from django.core.management import call_command

import pytest

from history.metadata import metadata_records, validator
from tests.history.conftest import edit, set_phone

pytestmark = pytest.mark.django_db

SHARED_SCHEMA = (
    Path(__file__).parents[2].parent / "shared" / "hsds-3.0" / "schema" / "metadata.json"
)


@pytest.fixture
def shared_validator():
    if not SHARED_SCHEMA.exists():
        pytest.fail(f"the shared HSDS schema {SHARED_SCHEMA} is missing")
    return validator(json.loads(SHARED_SCHEMA.read_text()))


def test_a_published_phone_change_is_one_record_valid_against_hsds(
    service, member, shared_validator
):
    edit(service, member, set_phone("312-555-0199"))
    records = [r for r in metadata_records() if r["resource_id"] == str(service.uuid)]
    phone = [
        r for r in records if r["field_name"] == "phones" and r["last_action_type"] == "update"
    ]
    assert len(phone) == 1
    record = phone[0]
    assert (record["previous_value"], record["replacement_value"]) == (
        "(312) 555-0101",
        "(312) 555-0199",
    )
    assert record["resource_type"] == "service"
    assert "member" not in record["updated_by"]
    for each in metadata_records():
        shared_validator.validate(each)


def test_ids_are_stable_and_unique(service, member):
    edit(service, member, set_phone("312-555-0199"))
    first = [r["id"] for r in metadata_records()]
    second = [r["id"] for r in metadata_records()]
    assert first == second
    assert len(set(first)) == len(first)


def test_drafts_are_not_exported(service, member):
    edit(service, member, set_phone("312-555-0666"), publish=False)
    values = {r["replacement_value"] for r in metadata_records()}
    assert "(312) 555-0666" not in values


def test_the_command_writes_json_and_csv(tmp_path, service, member, shared_validator):
    edit(service, member, set_phone("312-555-0199"))
    out = tmp_path / "metadata.json"
    call_command("export_metadata", str(out))
    records = json.loads(out.read_text())
    assert any(r["replacement_value"] == "(312) 555-0199" for r in records)
    for record in records:
        shared_validator.validate(record)
    out_csv = tmp_path / "metadata.csv"
    call_command("export_metadata", str(out_csv))
    rows = list(csv.DictReader(out_csv.open()))
    assert len(rows) == len(records)
    assert rows[0].keys() >= {"id", "resource_id", "field_name", "updated_by"}
