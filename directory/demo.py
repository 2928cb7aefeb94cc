"""Demo data for `make serve`: a handful of Chicago organizations and one user per role.

Loaded once: `seed_demo()` looks for the first demo organization and skips
when it is there. Everything is published the way an editor would publish it
(`save_revision().publish()`), so history and the editor show real revisions.

The organizations are made up; the addresses are on real streets with real ZIP
codes, and the phone numbers are in the 555-01xx range set aside for fiction.
"""

import datetime as dt
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from wagtail import hooks

from directory.accounts import actions
from directory.accounts.groups import (  # noqa: F401 (EDITOR_PERMISSIONS: re-exported)
    ANALYSTS,
    EDITOR_PERMISSIONS,
    MODERATORS,
    PROFESSIONALS,
    editors_group,
    ensure_role_groups,
    grant_page_permissions,
)
from directory.models import (
    Language,
    Location,
    OrganizationDomain,
    OrganizationPage,
    Professional,
    ServiceAtLocation,
    ServicePage,
    ServicePhone,
    ServiceSchedule,
    TaxonomyTerm,
)

DEMO_NOTE = "Demo data: not a real organization."
MARKER_SLUG = "greater-chicago-food-partners"

# Pilsen registers its staff's email domain: a sign-up there joins without approval.
DEMO_DOMAIN = ("Pilsen Neighbors Health Center", "pilsen-health.example.org")
# The professional (a Food Partners member) has asked to join Pilsen too, so the
# organization admin has a request to decide.
DEMO_REQUEST = ("professional", "Pilsen Neighbors Health Center")

LANGUAGES = {
    "en": "English",
    "es": "Spanish",
    "pl": "Polish",
    "zh": "Chinese",
    "ar": "Arabic",
    "tl": "Tagalog",
    "uk": "Ukrainian",
}

WEEKDAYS = range(1, 6)
EVERY_DAY = range(1, 8)


def _hours(days, opens, closes, description=""):
    return [
        (day, dt.time.fromisoformat(opens), dt.time.fromisoformat(closes), description)
        for day in days
    ]


# Each organization: its page fields, its locations (by key), its services.
ORGANIZATIONS = [
    {
        "title": "Greater Chicago Food Partners",
        "description": (
            "A network of neighborhood pantries and community kitchens on the North Side."
        ),
        "website": "https://food-partners.example.org/",
        "email": "hello@food-partners.example.org",
        "locations": {
            "uptown": {
                "name": "Uptown pantry",
                "address_1": "4750 N Sheridan Rd",
                "postal_code": "60640",
                "latitude": 41.9679,
                "longitude": -87.6547,
                "transportation": "CTA Red Line to Lawrence; #36 Broadway bus.",
                "accessibility": "Step-free entrance on Sheridan Rd.",
            },
        },
        "services": [
            {
                "title": "Uptown Community Food Pantry",
                "description": (
                    "Free groceries every week, including fresh produce, dairy and bread."
                ),
                "categories": ["102-04"],
                "languages": ["en", "es", "pl"],
                "eligibility_description": "Anyone in need. No ID required on a first visit.",
                "application_process": "Walk in during open hours. Bring a bag if you can.",
                "fees_description": "Free.",
                # The listing in Spanish (directory.translations): complete.
                "title_es": "Despensa Comunitaria de Uptown",
                "description_es": (
                    "Comida gratis cada semana: frutas y verduras frescas, lácteos y pan."
                ),
                "eligibility_description_es": (
                    "Cualquier persona que lo necesite. No pedimos identificación la primera vez."
                ),
                "application_process_es": (
                    "Venga durante el horario de atención. Traiga una bolsa si puede."
                ),
                "fees_description_es": "Gratis.",
                "phones": ["(773) 555-0101"],
                "hours": _hours([2, 4], "10:00", "14:00") + _hours([6], "09:00", "12:00"),
                "locations": ["uptown"],
            },
            {
                "title": "Free Hot Lunch",
                "description": "A hot, sit-down lunch every day; vegetarian option available.",
                "categories": ["102-05"],
                "languages": ["en", "es"],
                "eligibility_description": "Everyone is welcome.",
                "fees_description": "Free.",
                "phones": ["(773) 555-0102"],
                "hours": _hours(EVERY_DAY, "11:30", "13:30"),
                "locations": ["uptown"],
            },
        ],
    },
    {
        "title": "Pilsen Neighbors Health Center",
        "description": (
            "A community health center with primary and dental care on a sliding fee scale."
        ),
        "website": "https://pilsen-health.example.org/",
        "email": "info@pilsen-health.example.org",
        "locations": {
            "pilsen": {
                "name": "18th Street clinic",
                "address_1": "1645 W 18th St",
                "postal_code": "60608",
                "latitude": 41.8577,
                "longitude": -87.6680,
                "transportation": "CTA Pink Line to 18th; #18 bus.",
                "accessibility": "Elevator to all floors.",
            },
        },
        "services": [
            {
                "title": "Walk-In Primary Care",
                "description": (
                    "Checkups, vaccinations and care for illness, for adults and children."
                ),
                "categories": ["106-06-09"],
                "languages": ["en", "es"],
                "eligibility_description": (
                    "Everyone, with or without insurance or immigration papers."
                ),
                "fees_description": "Sliding scale based on income; Medicaid accepted.",
                "required_documents": "Photo ID\nProof of income (for the sliding scale)",
                "title_es": "Atención primaria sin cita",
                "description_es": (
                    "Chequeos, vacunas y atención por enfermedad, para adultos y niños."
                ),
                "eligibility_description_es": (
                    "Todas las personas, con o sin seguro médico o papeles de inmigración."
                ),
                "fees_description_es": ("Precio según sus ingresos; aceptamos Medicaid."),
                "required_documents_es": (
                    "Identificación con foto\nComprobante de ingresos (para el precio reducido)"
                ),
                "phones": ["(312) 555-0110"],
                "hours": _hours(WEEKDAYS, "08:00", "18:00") + _hours([6], "09:00", "13:00"),
                "locations": ["pilsen"],
            },
            {
                "title": "Low-Cost Dental Clinic",
                "description": "Cleanings, fillings and extractions.",
                "categories": ["106-02"],
                "languages": ["en", "es"],
                "status": "temporarily closed",
                "alert": "Closed for renovation until further notice. Call for referrals.",
                "fees_description": "Sliding scale based on income.",
                "phones": ["(312) 555-0111"],
                "hours": _hours(WEEKDAYS, "09:00", "17:00"),
                "locations": ["pilsen"],
            },
        ],
    },
    {
        "title": "Northside Housing Coalition",
        "description": "Shelter and help finding and keeping a home.",
        "website": "https://northside-housing.example.org/",
        "email": "intake@northside-housing.example.org",
        "locations": {
            "lakeview": {
                "name": "Broadway shelter",
                "address_1": "3600 N Broadway",
                "postal_code": "60613",
                "latitude": 41.9469,
                "longitude": -87.6478,
                "transportation": "CTA Red, Brown and Purple Lines to Belmont or Addison.",
            },
        },
        "services": [
            {
                "title": "Overnight Shelter",
                "description": "Beds, a hot dinner and breakfast. Lockers for belongings.",
                "categories": ["103-01"],
                "languages": ["en", "es"],
                "eligibility_description": "Adults 18 and older.",
                "minimum_age": 18,
                "application_process": "Arrive by 9pm; beds are first come, first served.",
                "fees_description": "Free.",
                # Partly in Spanish: how to apply shows the English, "Aún no traducido".
                "title_es": "Albergue nocturno",
                "description_es": (
                    "Camas, cena caliente y desayuno. Casilleros para sus pertenencias."
                ),
                "eligibility_description_es": "Personas adultas de 18 años o más.",
                "fees_description_es": "Gratis.",
                "phones": ["(773) 555-0120"],
                # Opens in the evening, closes the next morning.
                "hours": _hours(EVERY_DAY, "19:00", "07:00"),
                "locations": ["lakeview"],
            },
            {
                "title": "Rental Assistance",
                "description": "One-time help with back rent to prevent eviction.",
                "categories": ["103-03"],
                "languages": ["en", "es", "ar"],
                "eligibility_description": (
                    "Chicago renters behind on rent, at or below 80% of area median income."
                ),
                "application_process": "Call for a screening appointment.",
                "required_documents": "Photo ID\nLease\nEviction or late-rent notice",
                "phones": ["(773) 555-0121"],
                "hours": _hours(WEEKDAYS, "09:00", "17:00"),
                "locations": ["lakeview"],
            },
        ],
    },
    {
        "title": "Safe Haven Chicago",
        "description": (
            "Shelter, advocacy and a 24-hour hotline for survivors of domestic violence."
        ),
        "website": "https://safe-haven.example.org/",
        "email": "help@safe-haven.example.org",
        "locations": {
            "confidential": {
                "name": "Confidential shelter",
                # No street address, even for staff: the demo has no real shelter.
                "postal_code": "60612",
                "latitude": 41.8800,
                "longitude": -87.6900,
                "address_is_public": False,
            },
        },
        "services": [
            {
                "title": "Confidential Emergency Shelter",
                "description": "Safe, confidential shelter for survivors and their children.",
                "categories": ["101-06-01", "103-05-03"],
                "languages": ["en", "es", "pl", "ar"],
                "eligibility_description": "Survivors of domestic violence and their children.",
                "application_process": "Call the hotline; an advocate will arrange a safe pick-up.",
                "fees_description": "Free.",
                "phones": ["(312) 555-0130"],
                "hours": _hours(EVERY_DAY, "00:00", "00:00", "Open 24 hours"),
                "locations": ["confidential"],
            },
            {
                "title": "24-Hour Crisis Line",
                "description": (
                    "Talk to a trained advocate any time, day or night. Calls are confidential."
                ),
                "categories": ["108-07-02", "101-06-01"],
                "languages": ["en", "es", "pl", "zh", "ar", "tl", "uk"],
                "interpretation_services": "Interpreters for more than 100 languages by phone.",
                "fees_description": "Free.",
                "phones": ["(312) 555-0131"],
                "hours": _hours(EVERY_DAY, "00:00", "00:00", "Open 24 hours"),
                "locations": [],
            },
        ],
    },
    {
        "title": "Polish American Community Services",
        "description": "Classes, citizenship help and senior programs in Polish and English.",
        "website": "https://pacs.example.org/",
        "email": "biuro@pacs.example.org",
        "locations": {
            "avondale": {
                "name": "Milwaukee Avenue center",
                "address_1": "3000 N Milwaukee Ave",
                "postal_code": "60618",
                "latitude": 41.9358,
                "longitude": -87.7210,
                "transportation": "CTA Blue Line to Belmont.",
            },
        },
        "services": [
            {
                "title": "English Classes and Citizenship Preparation",
                "description": (
                    "ESL classes at every level and help preparing for the citizenship test."
                ),
                "categories": ["109-03-03", "109-05-01"],
                "languages": ["pl", "en", "uk"],
                "eligibility_description": "Adults 18 and older.",
                "minimum_age": 18,
                "fees_description": "Free; books provided.",
                "phones": ["(773) 555-0140"],
                "hours": _hours([1, 3], "18:00", "20:30"),
                "locations": ["avondale"],
            },
        ],
    },
    {
        "title": "South Side Legal Aid",
        "description": "Free civil legal help for low-income residents of the South Side.",
        "website": "https://southside-legal.example.org/",
        "email": "intake@southside-legal.example.org",
        "locations": {
            "englewood": {
                "name": "Englewood office",
                "address_1": "838 W 63rd St",
                "postal_code": "60621",
                "latitude": 41.7799,
                "longitude": -87.6459,
                "transportation": "CTA Green Line to Halsted; #63 bus.",
            },
            "woodlawn": {
                "name": "Woodlawn clinic",
                "address_1": "6300 S Cottage Grove Ave",
                "postal_code": "60637",
                "latitude": 41.7801,
                "longitude": -87.6058,
            },
        },
        "services": [
            {
                "title": "Free Legal Clinic",
                "description": "Advice on housing, benefits, family and consumer problems.",
                "categories": ["111-01"],
                "languages": ["en", "es"],
                "eligibility_description": (
                    "Households at or below 200% of the federal poverty level."
                ),
                "application_process": "Call for an appointment, or walk in on Wednesdays.",
                "phones": ["(773) 555-0150"],
                "hours": _hours(WEEKDAYS, "09:00", "17:00"),
                "locations": ["englewood", "woodlawn"],
            },
            {
                "title": "Eviction Defense",
                "description": "Representation in eviction court for tenants.",
                "categories": ["111-04", "103-04"],
                "languages": ["en", "es"],
                "eligibility_description": "Tenants in Cook County with an eviction case.",
                "required_documents": "Eviction notice or court summons",
                "phones": ["(773) 555-0151"],
                "hours": _hours([2, 4], "09:00", "13:00"),
                "locations": ["englewood"],
            },
        ],
    },
]

# (username, role description, organization title or None, membership role or None, groups)
USERS = [
    ("professional", "professional", "Greater Chicago Food Partners", "member", [PROFESSIONALS]),
    ("orgadmin", "organization admin", "Pilsen Neighbors Health Center", "admin", [PROFESSIONALS]),
    ("moderator", "moderator", None, None, [MODERATORS]),
    ("analyst", "analyst", None, None, [ANALYSTS]),
    ("operator", "operator (superuser)", None, None, []),
]


@dataclass
class DemoUser:
    username: str
    role: str
    password: str | None
    organization: str = ""


@dataclass
class DemoResult:
    created: bool
    users: list = field(default_factory=list)
    organizations: int = 0
    services: int = 0


def demo_already_loaded():
    return OrganizationPage.objects.filter(slug=MARKER_SLUG).exists()


def seed_demo(*, debug=None):
    """Load the demo once. Returns what was created; `created` is False on a re-run.

    Passwords are fixed ("steward-demo-<username>") only when `debug` (default
    settings.DEBUG); otherwise they are random and returned as None, never shown.
    """
    if debug is None:
        debug = settings.DEBUG
    if demo_already_loaded():
        _set_up_apps()
        return DemoResult(created=False)
    with transaction.atomic():
        result = _seed(debug=debug)
        _set_up_apps()
        return result


def _set_up_apps():
    """Other apps set up what they need beside the data (review: the pending
    changes workflow and professionals' editing rights), through the hook
    ``steward_seed_demo``: fn() -> None, idempotent."""
    for fn in hooks.get_hooks("steward_seed_demo"):
        fn()


def _seed(*, debug):
    from directory.home import home_page_model

    home = home_page_model().objects.get()
    languages = {
        code: Language.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in LANGUAGES.items()
    }
    result = DemoResult(created=True)
    organizations = {}
    for spec in ORGANIZATIONS:
        org = _organization(home, spec, languages)
        organizations[org.title] = org
        result.organizations += 1
        result.services += len(spec["services"])

    groups = _groups(home)
    users = {}
    for username, role, org_title, membership_role, group_names in USERS:
        password = f"steward-demo-{username}" if debug else secrets.token_urlsafe(24)
        user = _user(username, password, superuser=(username == "operator"))
        for name in group_names:
            user.groups.add(groups[name])
        if username != "operator":
            Professional.objects.create(user=user, email_confirmed_at=timezone.now())
        if org_title:
            # Through the membership action, as an approval would: the editors
            # group, the admin's permissions and the audit log follow.
            actions.start_membership(
                user=user, organization=organizations[org_title], role=membership_role
            )
        users[username] = user
        result.users.append(
            DemoUser(username, role, password if debug else None, organization=org_title or "")
        )
    org_title, domain = DEMO_DOMAIN
    OrganizationDomain.objects.create(organization=organizations[org_title], domain=domain)
    username, org_title = DEMO_REQUEST
    actions.request_membership(
        user=users[username],
        organization=organizations[org_title],
        note="I run the Tuesday clinic referrals with Pilsen.",
    )
    return result


def _organization(home, spec, languages):
    org = home.add_child(
        instance=OrganizationPage(
            title=spec["title"],
            description=f"{spec['description']} {DEMO_NOTE}",
            website=spec["website"],
            email=spec["email"],
        )
    )
    org.save_revision().publish()

    locations = {}
    for key, fields in spec["locations"].items():
        location = Location(
            organization=org,
            city="Chicago",
            state_province="IL",
            timezone="America/Chicago",
            **fields,
        )
        location.save()
        location.save_revision()
        locations[key] = location

    for service_spec in spec["services"]:
        service_spec = dict(service_spec)
        codes = service_spec.pop("categories")
        language_codes = service_spec.pop("languages")
        numbers = service_spec.pop("phones")
        hours = service_spec.pop("hours")
        at = [locations[key] for key in service_spec.pop("locations")]
        first = at[0] if at else None
        service = ServicePage(
            **service_spec,
            website=spec["website"],
            categories=list(TaxonomyTerm.objects.filter(code__in=codes)),
            languages=[languages[code] for code in language_codes],
            service_at_locations=[ServiceAtLocation(location=location) for location in at],
            phones=[ServicePhone(number=number) for number in numbers],
            hours=[
                ServiceSchedule(
                    weekday=weekday,
                    opens_at=opens,
                    closes_at=closes,
                    description=description,
                    location=first,
                )
                for weekday, opens, closes, description in hours
            ],
        )
        org.add_child(instance=service)
        service.save_revision().publish()
    return org


def _groups(home):
    """The role groups. Every role signs in to the admin; moderators may edit and
    publish every listing (the review rules narrow that in the review app)."""
    groups = ensure_role_groups()
    grant_page_permissions(groups[MODERATORS], home)
    return groups


def organization_editors(organization):
    """The organization's "<title> editors" group (directory.accounts.groups owns
    it now; kept here for code written before it moved)."""
    return editors_group(organization)


def _user(username, password, *, superuser=False):
    User = get_user_model()
    user = User(
        username=username,
        email=f"{username}@example.org",
        first_name=username.capitalize(),
        last_name="Demo",
        is_staff=superuser,
        is_superuser=superuser,
    )
    user.set_password(password)
    user.save()
    return user
