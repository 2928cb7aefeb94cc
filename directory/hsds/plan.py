"""What a package says, as specs for our objects: `Plan.build()` maps rows to field
values (mapping.py), attaches phones, hours, addresses, languages and categories
to their parents, and records every row it cannot use, with file, row and reason.
No writes, apart from reading which languages and categories exist."""

from collections import defaultdict

from directory.models import Language

from . import cleaning, mapping, values
from .confidential import flag_possible_confidential
from .languages import resolve as resolve_language
from .mapping import SkipRow
from .readers import OPEN_ELIGIBILITY
from .report import Issue
from .taxonomy import TaxonomyImport, browse_codes, browse_ref


def _id(row, name="id"):
    return values.one_line(row.get(name), 255)


class Plan:
    """Everything the package says, as specs for our objects, keyed by source id."""

    def __init__(self, package, report, *, today):
        self.package = package
        self.today = today
        self.report = report
        self.source = report.source
        self.orgs = {}
        self.locations = {}
        self.services = {}
        self.links = {}
        self.contacts = {}
        self.phones_by_id = {}
        self.language_codes = {}
        self._rows = {}

    # Tables whose rows other tables point at by id: a repeated id keeps its
    # first row under the id (what the pointers mean); the rest get natural keys.
    REFERENCED = ("organizations", "services", "locations", "contacts", "taxonomy_terms")

    def rows(self, table, kind):
        """The table's rows, exact duplicates collapsed. An id that repeats within a
        file never drops a row: the row is kept under a natural key made of its
        content and parent, the same on every import whatever the row order (JSON
        repeats nested objects; those are exact duplicates and collapse)."""
        if table in self._rows:
            return self._rows[table]
        seen, kept, repeated = set(), [], 0
        by_id = defaultdict(list)
        for row in self.package.rows(table):
            content = tuple(sorted((k, str(v)) for k, v in row.items() if not k.startswith("_")))
            if content in seen:
                repeated += not str(row.get("_file", "")).endswith(".json")
                continue
            seen.add(content)
            own = _id(row)
            # JSON repeats one object (same id) under each of its parents: the
            # first one read is the one kept.
            json_repeat = str(row.get("_file", "")).endswith(".json")
            if own and json_repeat and (row.get("_file"), own) in by_id:
                continue
            if own:
                # Ids are unique within a file: regular and holiday schedules, or
                # physical and postal addresses, may number their rows alike.
                by_id[(row.get("_file"), own)].append(row)
            kept.append(row)
        renamed = 0
        for (_, own), group in by_id.items():
            if len(group) < 2:
                continue
            if table in self.REFERENCED:
                # A pointer means the first row; later rows whose content differs
                # keep the source id's meaning only through their content.
                group = sorted(group, key=lambda r: r.get("_row") or 0)[1:]
            for row in group:
                content = sorted((k, str(v)) for k, v in row.items() if not k.startswith("_"))
                row["_source_id"] = own
                row["id"] = mapping.natural_key(table, content)
                renamed += 1
        if renamed:
            files = sorted({str(f) for (f, _), g in by_id.items() if len(g) > 1})
            ids = sum(1 for g in by_id.values() if len(g) > 1)
            self.report.warnings.append(
                Issue(
                    ", ".join(files),
                    "",
                    f"{ids} ids in {table} are used by more than one row; {renamed} rows "
                    "kept under a key made of their content and parent instead",
                    kind,
                )
            )
            self.report.repeated_ids[table] = renamed
        if repeated:
            self.report.notes.append(f"{repeated} repeated rows in {table} collapsed into one.")
        self._rows[table] = kept
        return kept

    def warner(self, kind, row):
        return lambda reason: self.report.warn(kind, row, reason)

    def build(self):
        for kind, row, reason in self.package.skipped:  # what a format reader refused
            self.report.skip(kind, row, reason)
        self._organizations()
        addresses = self._addresses()
        self._locations(addresses)
        self._services()
        self._service_at_location()
        flag_possible_confidential(self)
        self._service_extras()
        self._infer_links()
        self.contacts = {_id(r): r for r in self.rows("contacts", "contact") if _id(r)}
        self._phones()
        self._schedules()
        self.taxonomy = TaxonomyImport(self.package, self.report)
        self._languages()
        self._categories()
        self._notes()

    # --- objects ---------------------------------------------------------------

    def _assured(self, row, warn, read=mapping.assured_date, what="assured date"):
        """The source's last-verified date; one in the future is a typo, not a fact."""
        assured = read(row, warn)
        if assured and assured > self.today:
            warn(f"{what} {assured} is in the future; dropped")
            return None
        return assured

    def _modified(self, row, warn):
        return self._assured(row, warn, mapping.last_modified, "last modified date")

    def _organizations(self):
        for row in self.rows("organizations", "organization"):
            warn = self.warner("organization", row)
            try:
                fields = mapping.organization_fields(row, warn)
            except SkipRow as exc:
                self.report.skip("organization", row, str(exc))
                continue
            key = _id(row) or mapping.natural_key("organization", fields["title"])
            self.orgs[key] = {
                "key": key,
                "row": row,
                "fields": fields,
                "assured": self._assured(row, warn),
                "listed": mapping.listed(row),
                "modified": self._modified(row, warn),
            }

    def _addresses(self):
        by_location = defaultdict(list)
        for row in self.rows("addresses", "address"):
            location = _id(row, "location_id")
            if not location:
                self.report.skip(
                    "address",
                    row,
                    "address of an organization, not a location: Steward keeps "
                    "addresses on locations",
                )
                continue
            by_location[location].append(row)
        return by_location

    def _choose_address(self, row, candidates):
        physical = [a for a in candidates if _address_type(a) == "physical"]
        postal = [a for a in candidates if _address_type(a) == "postal"]
        if physical:
            return physical[0]
        virtual = values.text(row.get("location_type")).lower() == "virtual" or values.boolean(
            row.get("virtual")
        )
        if postal and not virtual:
            self.report.warn("location", row, "no street address; the postal address is used")
            return postal[0]
        return None

    def _locations(self, addresses):
        for row in self.rows("locations", "location"):
            key = _id(row)
            address = self._choose_address(row, addresses.get(key, []))
            warn = self.warner("location", row)
            try:
                fields = mapping.location_fields(row, address, warn)
            except SkipRow as exc:
                self.report.skip("location", row, str(exc))
                continue
            key = key or mapping.natural_key(
                "location", _id(row, "organization_id"), fields["name"], fields["address_1"]
            )
            self.locations[key] = {
                "key": key,
                "row": row,
                "org_ref": _id(row, "organization_id"),
                "fields": fields,
                "phones": [],
                "hours": mapping.free_text_hours(row, warn, parent_key=key),
                "accessibility": [],
            }

    def _services(self):
        for row in self.rows("services", "service"):
            warn = self.warner("service", row)
            try:
                fields = mapping.service_fields(row, warn)
            except SkipRow as exc:
                self.report.skip("service", row, str(exc))
                continue
            org_ref = _id(row, "organization_id")
            key = _id(row) or mapping.natural_key("service", org_ref, fields["title"])
            self.services[key] = {
                "key": key,
                "row": row,
                "org_ref": org_ref,
                "fields": fields,
                "phones": [],
                "urls": [],
                "hours": mapping.free_text_hours(row, warn, parent_key=key),
                "links": [],
                "categories": set(),
                "languages": set(),
                "assured": self._assured(row, warn),
                "listed": mapping.listed(row),
                "modified": self._modified(row, warn),
            }

    def _service_at_location(self):
        for row in self.rows("service_at_location", "service_at_location"):
            service, location = _id(row, "service_id"), _id(row, "location_id")
            if service not in self.services:
                self._skip_unknown("service_at_location", row, "service", service)
                continue
            if location not in self.locations:
                self._skip_unknown("service_at_location", row, "location", location)
                continue
            key = _id(row) or mapping.natural_key("sal", service, location)
            self.links[key] = (service, location)
            links = self.services[service]["links"]
            if location not in [link["location"] for link in links]:
                links.append(
                    {
                        "location": location,
                        "description": values.one_line(row.get("description")),
                        "source_id": key,
                    }
                )

    def _infer_links(self):
        """HSDS 1.x packages without a service_at_location table (ILAO's) still tie
        services and locations to the same organization. Where that organization
        has exactly one location, the service is given there: its hours and phones
        then show on the listing. With several locations nothing is guessed."""
        if self.links:
            return
        by_org = {}
        for key, location in self.locations.items():
            if location["org_ref"]:
                by_org.setdefault(location["org_ref"], []).append(key)
        linked = ambiguous = 0
        for service_key, service in self.services.items():
            if service["links"] or not service["org_ref"]:
                continue
            places = by_org.get(service["org_ref"], [])
            if len(places) == 1:
                key = mapping.natural_key("sal", service_key, places[0])
                self.links[key] = (service_key, places[0])
                service["links"].append(
                    {"location": places[0], "description": "", "source_id": key}
                )
                linked += 1
            elif places:
                ambiguous += 1
        if linked or ambiguous:
            self.report.notes.append(
                f"No service_at_location table: {linked} services linked to their "
                f"organization's only location; {ambiguous} services of organizations "
                "with several locations left without a location."
            )

    def _skip_unknown(self, kind, row, what, ref):
        if ref:
            self.report.skip(kind, row, f"refers to {what} {ref}, which is not in the package")
        else:
            self.report.skip(kind, row, f"names no {what}")

    def _service_extras(self):
        """Tables that add text to a service or a location."""
        extras = (
            ("eligibility", "eligibility_description", ("eligibility_description",)),
            ("required_documents", "required_documents", ("document",)),
            ("service_areas", "service_area", ("name", "description")),
        )
        for table, field, columns in extras:
            for row in self.rows(table, table):
                service = self.services.get(_id(row, "service_id"))
                if service is None:
                    self._skip_unknown(table, row, "service", _id(row, "service_id"))
                    continue
                text = next(
                    (cleaning.prose(row.get(c)) for c in columns if cleaning.prose(row.get(c))), ""
                )
                _append_line(service["fields"], field, text)
        for row in self.rows("urls", "url"):
            service = self.services.get(_id(row, "service_id"))
            if service is None:
                self._skip_unknown("url", row, "service", _id(row, "service_id"))
                continue
            try:
                entry = mapping.url_entry(row, self.warner("url", row))
                service["urls"].append(entry)
            except SkipRow as exc:
                self.report.skip("url", row, str(exc))
        for row in self.rows("accessibility", "accessibility"):
            location = self.locations.get(_id(row, "location_id"))
            if location is None:
                self._skip_unknown("accessibility", row, "location", _id(row, "location_id"))
                continue
            text = " ".join(cleaning.prose(row.get(c)) for c in ("description", "details"))
            _append_line(location["fields"], "accessibility", text.strip())

    # --- children --------------------------------------------------------------

    def _parent(self, row, *, depth=0):
        """(kind, key, location key) of what a phone or schedule row belongs to,
        the most specific first; raises SkipRow when it names nothing we have."""
        named = []
        for column, kind in (
            ("service_at_location_id", "sal"),
            ("service_id", "service"),
            ("location_id", "location"),
            ("contact_id", "contact"),
            ("organization_id", "organization"),
        ):
            ref = _id(row, column)
            if not ref:
                continue
            named.append((kind, ref))
            if kind == "sal" and ref in self.links:
                service, location = self.links[ref]
                return "service", service, location
            if kind == "service" and ref in self.services:
                return "service", ref, None
            if kind == "location" and ref in self.locations:
                return "location", ref, None
            if kind == "contact" and ref in self.contacts and depth == 0:
                contact = {k: v for k, v in self.contacts[ref].items() if k != "contact_id"}
                return self._parent(contact, depth=1)
            if kind == "organization" and ref in self.orgs:
                raise SkipRow(
                    "organization-wide phones and hours are not imported: Steward keeps "
                    "them on services and locations"
                )
        if not named:
            raise SkipRow("belongs to no service, location or organization")
        kind, ref = named[0]
        what = {"sal": "service at location"}.get(kind, kind)
        raise SkipRow(f"refers to {what} {ref}, which is not in the package")

    def _children(self, table, kind, entries_for, bucket):
        closed_days = 0
        for row in self.rows(table, kind):
            try:
                parent_kind, key, location = self._parent(row)
                owner = self.services[key] if parent_kind == "service" else self.locations[key]
                entries = entries_for(row, self.warner(kind, row), parent_key=(parent_kind, key))
            except SkipRow as exc:
                self.report.skip(kind, row, str(exc))
                continue
            if not entries:
                closed_days += 1
            for entry in entries:
                if parent_kind == "service":
                    entry["location"] = location
                owner[bucket].append(entry)
                if kind == "phone" and _id(row):
                    self.phones_by_id.setdefault(_id(row), []).append(entry)
        return closed_days

    def _phones(self):
        self._children("phones", "phone", mapping.phone_entries, "phones")

    def _schedules(self):
        closed = self._children("schedules", "schedule", mapping.schedule_entries, "hours")
        if closed:
            self.report.notes.append(
                f"{closed} weekday rows without opening times (closed that day) left out."
            )

    # --- shared vocabularies -----------------------------------------------------

    def _languages(self):
        known = {}
        for language in Language.objects.all():
            known[language.code.lower()] = language
            known.setdefault(language.name.lower(), language)
        self.languages = known
        by_location = defaultdict(set)
        for row in self.rows("languages", "language"):
            code = self._language(row, known)
            if code is None:
                continue
            service, location, phone = (
                _id(row, "service_id"),
                _id(row, "location_id"),
                _id(row, "phone_id"),
            )
            if service in self.services:
                self.services[service]["languages"].add(code)
            elif location in self.locations:
                by_location[location].add(code)
            elif phone in self.phones_by_id:
                for entry in self.phones_by_id[phone]:
                    entry["language"] = entry["language"] or known[code].name
            else:
                self.report.skip("language", row, "belongs to no service, location or phone")
        # A language spoken at a place is offered by the services there.
        for service in self.services.values():
            for link in service["links"]:
                service["languages"] |= by_location.get(link["location"], set())

    def _language(self, row, known):
        name, code = values.text(row.get("name")), values.text(row.get("code")).lower()
        for word in (code, name.lower()):
            if word and word in known:
                return known[word].code
        found = resolve_language(code) or resolve_language(name)
        if found is None and code and name:
            found = (code, name)
        if found is None:
            self.report.skip("language", row, f"unknown language “{name or code}”")
            return None
        code, english = found
        if code not in known:
            known[code] = Language(code=code, name=english)
        return code

    def _categories(self):
        self.taxonomy.prepare()
        for row in self.rows("service_taxonomy", "service_taxonomy"):
            service = self.services.get(_id(row, "service_id"))
            if service is None:
                self._skip_unknown("service_taxonomy", row, "service", _id(row, "service_id"))
                continue
            term = self.taxonomy.term_ref(row)
            browse = self._browse(term, row)
            if term is None and not browse:
                ref = _id(row, "taxonomy_term_id") or _id(row, "code")
                self.report.skip("service_taxonomy", row, f"unknown category {ref}")
                continue
            if term is not None:
                service["categories"].add(term)
            service["categories"] |= browse
        for row in self.rows("attributes", "attribute"):
            entity = values.text(row.get("link_entity")).lower()
            service = self.services.get(_id(row, "link_id"))
            if entity not in ("service", "") or service is None:
                self.report.skip(
                    "attribute", row, "links a category to something other than a known service"
                )
                continue
            term = self.taxonomy.term_ref({"taxonomy_term_id": row.get("taxonomy_term_id")})
            if term is None:
                self.report.skip("attribute", row, "unknown category")
                continue
            service["categories"].add(term)
            service["categories"] |= self._browse(term, {})
        self._browse_by_name()

    def _browse(self, term, row):
        """Our browse categories for a term of another taxonomy (211 / AIRS), through
        the shipped crosswalk; none for Open Eligibility terms (they are ours)."""
        spec = self.taxonomy.terms.get(term[3:]) if term and term.startswith("id:") else None
        if spec is not None:
            if spec["taxonomy"] == OPEN_ELIGIBILITY:
                return set()
            code, name = spec["code"] or spec["key"], spec["name"]
        elif term:
            return set()
        else:
            code, name = (
                _id(row, "code") or _id(row, "taxonomy_term_id"),
                values.text(row.get("name")),
            )
        return {browse_ref(c) for c in browse_codes(code, name)}

    def _browse_by_name(self):
        """A service without any category is given the browse categories its own name
        names ("Legal clinic" -> Legal), through the same crosswalk's words."""
        given = 0
        for service in self.services.values():
            if service["categories"]:
                continue
            found = browse_codes("", service["fields"]["title"])
            if found:
                service["categories"] = {browse_ref(c) for c in found}
                given += 1
        if given:
            self.report.notes.append(
                f"{given} services without categories given browse categories from the "
                "words of their names (directory/data/airs-crosswalk.json)."
            )

    def _notes(self):
        if self.package.unused_files:
            self.report.notes.append(
                "not imported (no place in Steward yet): " + ", ".join(self.package.unused_files)
            )


def _address_type(row):
    kind = values.text(row.get("address_type")).lower()
    return "postal" if kind in ("postal", "mailing", "mail") else "physical"


def _append_line(fields, name, text):
    if text and text not in fields.get(name, ""):
        fields[name] = f"{fields.get(name, '')}\n{text}".strip()
