"""The HSDS 3.0 schemas shipped in directory/hsds/schema: the same files as the
specification's (../shared), and what validation and the OpenAPI document use."""

import json
from pathlib import Path

from django.core.management import call_command

import pytest

from directory.hsds import serialize

SHIPPED = Path(serialize.__file__).resolve().parent / "schema"
SHARED = Path(__file__).parents[2].parent / "shared" / "hsds-3.0"


def counterpart(path):
    """Where a shipped file comes from in the HSDS 3.0 specification folder."""
    rel = path.relative_to(SHIPPED).as_posix()
    if rel == "datapackage.json":
        return SHARED / "examples" / "csv" / "datapackage.json"
    if rel == "LICENSE":
        return SHARED / "LICENSE"
    return SHARED / "schema" / rel


def shipped_files():
    return sorted(p for p in SHIPPED.rglob("*") if p.is_file())


def test_the_shipped_schemas_are_the_specifications_files_unchanged():
    if not SHARED.is_dir():
        pytest.skip("../shared/hsds-3.0 is not here to compare with")
    files = shipped_files()
    # Every one-table schema, the two compiled list shapes, openapi.json, the
    # datapackage template and the licence.
    one_table = {p.name for p in (SHARED / "schema").glob("*.json")}
    assert one_table <= {p.name for p in files}
    assert {"service_list.json", "organization_list.json"} <= {
        p.name for p in files if p.parent.name == "compiled"
    }
    drifted = [
        p.relative_to(SHIPPED).as_posix()
        for p in files
        if counterpart(p).read_bytes() != p.read_bytes()
    ]
    assert drifted == [], f"shipped HSDS files differ from ../shared: {drifted}"


def test_the_shipped_copy_is_small_and_used_by_validation_and_the_api(client, settings):
    settings.HSDS_SCHEMA_DIR = None
    size = sum(p.stat().st_size for p in shipped_files())
    assert size < 400_000  # not the 8 MB of compiled files
    assert serialize.schema_dir() == SHIPPED
    # Every file the validator registry and the OpenAPI components read is shipped.
    from directory.api.openapi import REFERENCED, SCHEMA_FILES

    for rel in [*SCHEMA_FILES.values(), *(f"{stem}.json" for stem in REFERENCED)]:
        assert (SHIPPED / rel).is_file(), rel
    document = client.get("/api/hsds/openapi.json").json()
    schemas = document["components"]["schemas"]
    assert schemas["hsds_service"]["properties"]["phones"]["items"] == {
        "$ref": "#/components/schemas/hsds_phone"
    }
    # Every reference in the served document resolves inside it.
    text = json.dumps(document)
    for name in {part.split('"')[0] for part in text.split("#/components/schemas/")[1:]}:
        assert name in schemas, name
    assert len(text) < 400_000


@pytest.mark.django_db
def test_validation_reads_the_shipped_copy_and_finds_real_errors(tmp_path, settings):
    """The export validates through the shipped schemas: pointing HSDS_SCHEMA_DIR at a
    copy whose service schema demands a field nobody has makes the export fail."""
    import shutil

    from django.core.management import CommandError

    call_command("seed_demo", verbosity=0)
    copy = tmp_path / "schema"
    shutil.copytree(SHIPPED, copy)
    service = json.loads((copy / "service.json").read_text())
    service["required"] = [*service["required"], "no_such_field"]
    (copy / "service.json").write_text(json.dumps(service))
    settings.HSDS_SCHEMA_DIR = str(copy)
    serialize.validator.cache_clear()
    serialize._registry.cache_clear()
    try:
        with pytest.raises(CommandError, match="no_such_field"):
            call_command("export_hsds", str(tmp_path / "out.json"), "--format", "json")
    finally:
        settings.HSDS_SCHEMA_DIR = None
        serialize.validator.cache_clear()
        serialize._registry.cache_clear()
    call_command("export_hsds", str(tmp_path / "out.json"), "--format", "json", verbosity=0)
    assert json.loads((tmp_path / "out.json").read_text())
