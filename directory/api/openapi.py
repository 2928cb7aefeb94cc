"""Steward's OpenAPI 3.1 document: ninja's routes and parameters, with the HSDS
3.0 schemas (the local files, $refs mapped to components) as the response bodies."""

import copy
import json
from functools import cache

from directory.hsds.serialize import schema_dir

from .problems import PROBLEM_SCHEMA

# component name: file under the HSDS schema folder (directory/hsds/schema). The
# nested objects are the one-table files, whose `$ref`s to one another become
# references to these components; the list shapes are HSDS's compiled files.
SCHEMA_FILES = {
    "hsds_service": "service.json",
    "hsds_service_list": "compiled/service_list.json",
    "hsds_organization": "organization.json",
    "hsds_organization_list": "compiled/organization_list.json",
    "hsds_service_at_location": "service_at_location.json",
    "hsds_taxonomy": "taxonomy.json",
    "hsds_taxonomy_term": "taxonomy_term.json",
    "hsds_metadata": "metadata.json",
}
# The one-table files the nested objects refer to.
REFERENCED = (
    "accessibility",
    "address",
    "attribute",
    "contact",
    "cost_option",
    "funding",
    "language",
    "location",
    "meta_table_description",
    "organization_identifier",
    "phone",
    "program",
    "required_document",
    "schedule",
    "service_area",
)
# Keys of the HSDS files that describe the CSV tables, not the JSON objects.
TABLE_KEYS = ("name", "path", "datapackage_metadata", "tabular_required", "constraints")
PAGE = {
    "type": "object",
    "required": [
        "total_items",
        "total_pages",
        "page_number",
        "size",
        "first_page",
        "last_page",
        "empty",
        "contents",
    ],
    "properties": {
        "total_items": {"type": "integer"},
        "total_pages": {"type": "integer"},
        "page_number": {"type": "integer"},
        "size": {"type": "integer"},
        "first_page": {"type": "boolean"},
        "last_page": {"type": "boolean"},
        "empty": {"type": "boolean"},
    },
}


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def any_of(*names):
    return {"anyOf": [ref(n) for n in names]}


# operation id: the schema of one object in its 200 answer (lists: of `contents`)
OBJECTS = {
    "about": {
        "type": "object",
        "required": ["version", "profile", "openapi_url"],
        "properties": {
            "version": {"type": "string"},
            "profile": {"type": "string", "format": "uri"},
            "openapi_url": {"type": "string", "format": "uri"},
        },
    },
    "list_services": any_of("hsds_service_list", "hsds_service"),
    "query_services": any_of("hsds_service_list", "hsds_service"),
    "get_service": ref("hsds_service"),
    "list_organizations": any_of("hsds_organization_list", "hsds_organization"),
    "query_organizations": any_of("hsds_organization_list", "hsds_organization"),
    "get_organization": ref("hsds_organization"),
    "list_service_at_locations": ref("hsds_service_at_location"),
    "query_service_at_locations": ref("hsds_service_at_location"),
    "get_service_at_location": ref("hsds_service_at_location"),
    "list_taxonomies": ref("hsds_taxonomy"),
    "get_taxonomy": ref("hsds_taxonomy"),
    "list_taxonomy_terms": ref("hsds_taxonomy_term"),
    "get_taxonomy_term": ref("hsds_taxonomy_term"),
}
PROBLEM = {"application/problem+json": {"schema": ref("Problem")}}


def _rewrite(node, names_by_file):
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                target = value.rsplit("/", 1)[-1]
                out[key] = f"#/components/schemas/{names_by_file.get(target, target)}"
            else:
                out[key] = _rewrite(value, names_by_file)
        return out
    if isinstance(node, list):
        return [_rewrite(v, names_by_file) for v in node]
    return node


@cache
def hsds_components():
    base = schema_dir()
    files = {**SCHEMA_FILES, **{f"hsds_{stem}": f"{stem}.json" for stem in REFERENCED}}
    names_by_file = {path: name for name, path in files.items() if "/" not in path}
    components = {}
    for name, rel in files.items():
        schema = json.loads((base / rel).read_text(encoding="utf-8"))
        for key in (*TABLE_KEYS, "$schema", "$id"):
            schema.pop(key, None)
        components[name] = _rewrite(schema, names_by_file)
    return components


def describe(schema):
    """ninja's document, with HSDS bodies and the problem answers."""
    schema = copy.deepcopy(schema)
    schema["info"]["summary"] = "Open Referral HSDS 3.0 API of a Steward directory"
    schema["info"]["license"] = {"name": "Open data: see the directory's terms of use"}
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.update(hsds_components())
    components["Page"] = PAGE
    components["Problem"] = PROBLEM_SCHEMA
    for path, methods in schema.get("paths", {}).items():
        for operation in methods.values():
            one = OBJECTS.get(operation.get("operationId"))
            if one is None:
                continue
            is_list = operation["operationId"].startswith(("list_", "query_"))
            body = (
                {
                    "allOf": [ref("Page")],
                    "properties": {"contents": {"type": "array", "items": one}},
                }
                if is_list
                else one
            )
            content = {"application/json": {"schema": body}}
            if is_list:
                content["application/x-ndjson"] = {"schema": {"type": "string"}}
            responses = {
                "200": {"description": "OK", "content": content},
                "304": {"description": "Not modified (ETag / Last-Modified)"},
                "400": {"description": "An invalid parameter", "content": PROBLEM},
                "429": {
                    "description": "Too many requests; see Retry-After",
                    "content": PROBLEM,
                },
            }
            if "{id}" in path:
                responses["404"] = {
                    "description": "Nothing published with this id",
                    "content": PROBLEM,
                }
            operation["responses"] = responses
            operation.pop("security", None)
    return schema
