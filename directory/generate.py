"""Synthetic listings for benchmarks: `manage.py generate_listings --services N --seed S`.

Organizations, their locations (1–3 each, spread over the Chicago metro area)
and their services, with categories from the Open Eligibility tree, weekly
hours, phones and languages. The same seed gives the same titles, phones,
coordinates and hours; identifiers (UUIDs, primary keys) are fresh each run so
that a second run adds a second copy instead of colliding with the first.

Creating pages one at a time (`add_child`, `save_revision().publish()`) costs
tens of queries per page, far too slow for 100,000 of them. Pages are written
in bulk instead, as Wagtail itself would leave them after a publish:

- the base `wagtailcore_page` rows through `Page.objects.bulk_create`, with the
  treebeard path (base-36, four characters per level), depth, numchild and
  url_path computed here, then the `OrganizationPage` / `ServicePage` table rows
  with the same primary keys (Django's `bulk_create` refuses multi-table
  inheritance, so those rows go through the queryset's insert, as `save()` does);
- the child objects (service-at-location, phones, hours) and the categories and
  languages through tables with `bulk_create`;
- one revision per page (its content the page's own `serializable_data()`,
  exactly what `save_revision()` stores), set as the latest and live revision,
  and one "wagtail.publish" log entry, so the editor and the history work;
- the search index through the backend's `add_bulk`.

Each batch runs in its own transaction and leaves the tree consistent
(`manage.py fixtree` finds nothing to fix), so an interrupted run keeps what
it committed. The reference index (Wagtail's "usage" counts) is not written;
`manage.py rebuild_references_index` fills it when wanted.

The phone numbers look real (valid 312, 773 and 872 numbers) and so may belong
to someone: generated data is for benchmarks, never for publication.
"""

import datetime as dt
import functools
import random
import time
import uuid
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from modelcluster.models import get_all_child_m2m_relations, get_all_child_relations
from wagtail.models import Page, PageLogEntry, Revision
from wagtail.search.backends import get_search_backend

from directory.maintenance import refresh_planner_statistics
from directory.models import (
    Language,
    Location,
    OrganizationPage,
    ServiceAtLocation,
    ServicePage,
    ServicePhone,
    ServiceSchedule,
    TaxonomyTerm,
)

# --- Word lists ---------------------------------------------------------------

# fmt: off
NEIGHBORHOODS = [
    "Albany Park", "Andersonville", "Austin", "Avondale", "Back of the Yards", "Belmont Cragin",
    "Beverly", "Bridgeport", "Bronzeville", "Brighton Park", "Chatham", "Chinatown",
    "Douglas", "East Garfield Park", "Edgewater", "Englewood", "Gage Park", "Garfield Ridge",
    "Grand Crossing", "Humboldt Park", "Hyde Park", "Irving Park", "Jefferson Park", "Kenwood",
    "Lakeview", "Lawndale", "Lincoln Square", "Little Village", "Logan Square", "Marquette Park",
    "McKinley Park", "Morgan Park", "Near West Side", "North Center", "North Lawndale",
    "Portage Park", "Pilsen", "Pullman", "Ravenswood", "Riverdale", "Rogers Park", "Roseland",
    "South Chicago", "South Shore", "Uptown", "West Englewood", "West Garfield Park",
    "West Ridge", "West Town", "Woodlawn", "Evanston", "Oak Park", "Cicero", "Berwyn",
    "Skokie", "Maywood", "Harvey", "Waukegan", "Aurora", "Joliet", "Elgin", "Blue Island",
]

# Chicago's address grid: numbers run 800 to the mile from State Street (east-west)
# and Madison Street (north-south). Streets with their longitude or latitude, so
# an address agrees with its map point.
STATE_STREET_LNG, MADISON_STREET_LAT = -87.6278, 41.8819
MILE_LAT, MILE_LNG = 0.014493, 0.01942
NORTH_SOUTH_STREETS = [
    ("Stony Island Ave", -87.5860), ("Cottage Grove Ave", -87.6060), ("Michigan Ave", -87.6240),
    ("State St", -87.6278), ("Halsted St", -87.6470), ("Racine Ave", -87.6570),
    ("Ashland Ave", -87.6668), ("Damen Ave", -87.6765), ("Western Ave", -87.6866),
    ("California Ave", -87.6960), ("Kedzie Ave", -87.7058), ("Pulaski Rd", -87.7253),
    ("Cicero Ave", -87.7450), ("Central Ave", -87.7650), ("Narragansett Ave", -87.7850),
    ("Harlem Ave", -87.8060),
]
EAST_WEST_STREETS = [
    ("111th St", 41.6925), ("103rd St", 41.7071), ("95th St", 41.7217), ("87th St", 41.7363),
    ("79th St", 41.7509), ("71st St", 41.7654), ("63rd St", 41.7800), ("Garfield Blvd", 41.7946),
    ("47th St", 41.8091), ("Pershing Rd", 41.8237), ("31st St", 41.8383), ("Cermak Rd", 41.8529),
    ("Roosevelt Rd", 41.8674), ("Madison St", 41.8819), ("Chicago Ave", 41.8966),
    ("Division St", 41.9036), ("North Ave", 41.9105), ("Armitage Ave", 41.9176),
    ("Fullerton Ave", 41.9253), ("Diversey Pkwy", 41.9322), ("Belmont Ave", 41.9396),
    ("Addison St", 41.9469), ("Irving Park Rd", 41.9541), ("Montrose Ave", 41.9614),
    ("Lawrence Ave", 41.9686), ("Foster Ave", 41.9759), ("Bryn Mawr Ave", 41.9832),
    ("Devon Ave", 41.9977), ("Touhy Ave", 42.0120),
]
SUBURB_STREETS = [
    "Main St", "Lake St", "Washington St", "Oak Park Ave", "Ogden Ave", "Dempster St",
    "Central Rd", "Maple Ave", "Roosevelt Rd", "Park Ave", "Elm St", "Chicago Ave",
]

# fmt: on

ORG_FORMS = [
    "{hood} Community Services",
    "{hood} Neighborhood Center",
    "{hood} Family Resource Center",
    "{hood} Mutual Aid Network",
    "{hood} Community Development Corporation",
    "{saint} Parish Outreach",
    "{saint} Community Ministries",
    "{name} Center for {mission}",
    "{name} {mission} Alliance",
    "Chicago {mission} Coalition",
    "Greater {hood} {mission} Partners",
    "{name} House",
]
SAINTS = [
    "St. Adalbert",
    "St. Agatha",
    "St. Columbanus",
    "St. Hyacinth",
    "St. Pius V",
    "St. Sabina",
    "St. Vincent de Paul",
    "Holy Cross",
    "Our Lady of Guadalupe",
    "Good Shepherd",
    "Lincoln Park Presbyterian",
    "Trinity United",
    "Bethel AME",
    "Ebenezer Lutheran",
]
FOUNDERS = [
    "Addams",
    "Du Sable",
    "Wells",
    "Pilgrim",
    "Kovac",
    "Nowak",
    "Morales",
    "Okafor",
    "Tran",
    "Haddad",
    "Kowalski",
    "Alvarez",
    "Washington",
    "Brooks",
    "Nguyen",
    "Patel",
    "Rivera",
    "Lindqvist",
    "Horner",
    "Chavez",
]

# (family weight, mission word, [(service title forms, category codes, hours pattern)])
FAMILIES = {
    "food": (
        25,
        "Food Security",
        [
            (["Food Pantry", "Weekly Food Pantry", "Client-Choice Pantry"], ["102-04"], "pantry"),
            (["Community Meal", "Hot Lunch Program", "Free Dinner"], ["102-05"], "meals"),
            (["Mobile Food Pantry", "Grocery Delivery for Seniors"], ["102-03"], "weekday"),
            (["SNAP Application Help", "Food Benefits Enrollment"], ["102-06-02"], "office"),
            (["Nutrition Classes", "Healthy Cooking Workshop"], ["102-07"], "evening"),
            (["Community Garden", "Urban Farm Stand"], ["102-01"], "saturday"),
        ],
    ),
    "housing": (
        15,
        "Housing",
        [
            (["Emergency Shelter", "Overnight Shelter", "Warming Center"], ["103-01"], "overnight"),
            (["Rental Assistance", "Eviction Prevention Fund"], ["103-03"], "office"),
            (["Housing Search Help", "Housing Navigation"], ["103-02"], "office"),
            (["Utility Bill Assistance", "LIHEAP Enrollment"], ["103-03-02"], "office"),
            (["Tenant Rights Counseling", "Foreclosure Counseling"], ["103-04"], "weekday"),
        ],
    ),
    "health": (
        15,
        "Health",
        [
            (["Community Health Clinic", "Walk-In Clinic"], ["106-06-09"], "clinic"),
            (["Dental Clinic", "Low-Cost Dental Care"], ["106-02"], "clinic"),
            (["Outpatient Recovery Program", "Substance Use Treatment"], ["106-01-04"], "clinic"),
            (["Counseling Services", "Mental Health Counseling"], ["106-06-07-01"], "weekday"),
            (["Health Insurance Enrollment", "Medicaid Application Help"], ["106-05-04"], "office"),
            (["Prescription Assistance"], ["106-05-06"], "office"),
        ],
    ),
    "legal": (
        8,
        "Justice",
        [
            (["Free Legal Clinic", "Legal Aid Intake"], ["111-01"], "office"),
            (
                ["Immigration Legal Services", "Citizenship Clinic"],
                ["111-04", "109-05-01"],
                "office",
            ),
            (["Expungement Help", "Record Sealing Clinic"], ["111-01"], "evening"),
        ],
    ),
    "work": (
        8,
        "Workforce",
        [
            (["Job Placement", "Career Center"], ["110-01-01"], "weekday"),
            (["Resume Workshop", "Interview Coaching"], ["109-06-05", "109-06-04"], "evening"),
            (["Workers' Rights Help Desk"], ["110-05"], "office"),
        ],
    ),
    "education": (
        8,
        "Learning",
        [
            (["ESL Classes", "English Conversation Circle"], ["109-03-03"], "evening"),
            (["GED Preparation", "High School Equivalency Classes"], ["109-03-06"], "evening"),
            (["Homework Help", "After-School Tutoring"], ["109-03-10"], "afterschool"),
            (["Computer Basics Class", "Digital Skills Lab"], ["109-06-02"], "weekday"),
        ],
    ),
    "care": (
        12,
        "Family",
        [
            (["Child Care", "Early Learning Center"], ["108-03-03"], "childcare"),
            (["After-School Program", "Youth Drop-In Center"], ["108-03-02"], "afterschool"),
            (["Support Group", "Caregiver Support Group"], ["108-07-09"], "evening"),
            (["Senior Day Program", "Adult Day Services"], ["108-03-01"], "weekday"),
            (["Crisis Line", "Warm Line"], ["108-07-02"], "always"),
        ],
    ),
    "goods": (
        5,
        "Basic Needs",
        [
            (["Clothing Closet", "Free Store"], ["104-02"], "saturday"),
            (["Diaper Bank", "Baby Supplies"], ["104-01-02"], "pantry"),
            (["Furniture Bank"], ["104-03-03"], "weekday"),
        ],
    ),
    "money": (
        3,
        "Financial Opportunity",
        [
            (["Free Tax Preparation", "VITA Tax Help"], ["107-07"], "evening"),
            (["Financial Coaching", "Credit Counseling"], ["107-05-01"], "office"),
            (["Benefits Screening"], ["107-03"], "office"),
        ],
    ),
    "emergency": (
        1,
        "Safety",
        [
            (["Domestic Violence Hotline", "Safety Planning"], ["101-06-01"], "always"),
            (["Emergency Financial Assistance"], ["101-02"], "office"),
        ],
    ),
}

DESCRIPTIONS = {
    "food": [
        "Free groceries, including fresh produce, dairy and bread.",
        "Bring a bag. Households may visit once a week.",
        "Halal and vegetarian options are available on request.",
        "Volunteers help with carrying groceries to the car or bus stop.",
    ],
    "housing": [
        "Helps people who are homeless or about to lose their home.",
        "Case managers work with each household on a plan for stable housing.",
        "Beds are first come, first served; arrive early in winter.",
        "Bring any eviction notice or shut-off notice you have received.",
    ],
    "health": [
        "Care on a sliding fee scale; no one is turned away for inability to pay.",
        "Medicaid, Medicare and most private insurance accepted.",
        "Walk-ins are welcome; appointments are seen first.",
        "Interpreters are available at no cost.",
    ],
    "legal": [
        "Free advice and representation from staff attorneys and volunteers.",
        "Bring any court papers or letters you have received.",
        "Consultations are confidential.",
    ],
    "work": [
        "One-on-one help finding a job, with workshops every week.",
        "Computers and printers are available for job searches.",
        "Connects job seekers with employers who are hiring now.",
    ],
    "education": [
        "Classes for adults at every level, taught by experienced teachers.",
        "Free of charge; books and materials are provided.",
        "Childcare is available during classes.",
    ],
    "care": [
        "A safe, welcoming place with trained staff.",
        "Programs for children, families and older adults.",
        "Licensed by the State of Illinois.",
    ],
    "goods": [
        "Free clothing, shoes and household items for families in need.",
        "Donations are sorted by volunteers; stock changes every week.",
    ],
    "money": [
        "Free, confidential help from certified volunteers.",
        "Bring a photo ID and any tax forms or bills you have.",
    ],
    "emergency": [
        "Confidential help, any time of day or night.",
        "Trained advocates help with safety planning and shelter.",
    ],
}

ELIGIBILITY = [
    "Anyone in need.",
    "Residents of Chicago.",
    "Residents of Cook County.",
    "Households at or below 200% of the federal poverty level.",
    "Adults 18 and older.",
    "Families with children under 18.",
    "Seniors 60 and older.",
    "Veterans and their families.",
    "Youth ages 14 to 24.",
]
MINIMUM_AGES = {"Adults 18 and older.": 18, "Seniors 60 and older.": 60, "Youth ages 14 to 24.": 14}
FEES = ["Free.", "Free.", "Free.", "Sliding scale based on income.", "Free; donations welcome."]
APPLY = [
    "Walk in during open hours.",
    "Call to make an appointment.",
    "Call first; staff will do a short screening over the phone.",
    "Apply online or in person.",
]
DOCUMENTS = ["Photo ID", "Proof of address", "Proof of income", "Social Security card"]

# (ISO 639-1 code, English name, weight among non-English languages in Chicago)
LANGUAGES = [
    ("en", "English", 0),
    ("es", "Spanish", 40),
    ("pl", "Polish", 10),
    ("zh", "Chinese", 6),
    ("tl", "Tagalog", 4),
    ("ar", "Arabic", 4),
    ("ko", "Korean", 3),
    ("ru", "Russian", 3),
    ("uk", "Ukrainian", 3),
    ("ur", "Urdu", 3),
    ("gu", "Gujarati", 2),
    ("vi", "Vietnamese", 2),
    ("hi", "Hindi", 2),
    ("fr", "French", 1),
    ("sw", "Swahili", 1),
]

AREA_CODES = ["312", "773", "872"]


def _t(text):
    return dt.time.fromisoformat(text)


# Hours patterns: a list of (weekday, opens, closes). Closing before opening runs
# past midnight (the overnight shelter); "always" is the 24/7 line.
HOURS = {
    "office": [(d, "09:00", "17:00") for d in range(1, 6)],
    "weekday": [(d, "08:30", "16:30") for d in range(1, 6)],
    "clinic": [(d, "08:00", "18:00") for d in range(1, 6)] + [(6, "09:00", "13:00")],
    "pantry": [(2, "10:00", "14:00"), (4, "15:00", "19:00"), (6, "09:00", "12:00")],
    "meals": [(d, "11:30", "13:30") for d in range(1, 8)],
    "evening": [(1, "18:00", "20:30"), (3, "18:00", "20:30")],
    "saturday": [(6, "09:00", "13:00")],
    "afterschool": [(d, "15:00", "18:30") for d in range(1, 6)],
    "childcare": [(d, "06:30", "18:00") for d in range(1, 6)],
    "overnight": [(d, "19:00", "07:00") for d in range(1, 8)],
    "always": [(d, "00:00", "00:00") for d in range(1, 8)],
}


# --- Places -------------------------------------------------------------------


@functools.cache
def metro_zip_codes():
    """Standard ZIP codes of Chicago and its nearer suburbs, sorted, with centroids.

    From the `zipcodes` package's own data (offline). Returns (chicago, suburbs),
    each a list of (zip, city, lat, lng)."""
    import zipcodes

    chicago, suburbs = [], []
    for row in zipcodes.filter_by(state="IL"):
        if row["zip_code_type"] != "STANDARD" or not row["active"] or not row["lat"]:
            continue
        lat, lng = float(row["lat"]), float(row["long"])
        if not (41.45 < lat < 42.2 and -88.3 < lng < -87.5):
            continue
        entry = (row["zip_code"], row["city"], lat, lng)
        (chicago if row["city"] == "Chicago" else suburbs).append(entry)
    return sorted(chicago), sorted(suburbs)


# --- The plan: pure data, from the seed alone -----------------------------------


@dataclass
class ServicePlan:
    title: str
    family: str
    categories: list
    description: str
    eligibility: str
    fees: str
    application_process: str
    required_documents: str
    hours: list
    phones: list
    languages: list
    location_indexes: list
    status: str = "active"
    alert: str = ""
    minimum_age: int | None = None


@dataclass
class LocationPlan:
    name: str
    address_1: str
    city: str
    postal_code: str
    latitude: float
    longitude: float
    phone: str


@dataclass
class OrganizationPlan:
    title: str
    description: str
    website: str
    email: str
    year_incorporated: int
    locations: list = field(default_factory=list)
    services: list = field(default_factory=list)


def phone_number(rng):
    """A valid Chicago number: NXX exchange, never N11 or 555."""
    while True:
        exchange = rng.randint(200, 999)
        if exchange % 100 != 11 and exchange != 555:
            break
    return f"({rng.choice(AREA_CODES)}) {exchange}-{rng.randint(0, 9999):04d}"


def street_address(rng, city, lat, lng):
    """(street name, street address) near the point: on Chicago's grid in Chicago."""
    if city != "Chicago":
        street = rng.choice(SUBURB_STREETS)
        return street, f"{rng.randint(1, 199) * 10 + rng.randint(0, 9)} {street}"
    if rng.random() < 0.5:
        street = min(NORTH_SOUTH_STREETS, key=lambda item: abs(item[1] - lng))[0]
        number = abs(lat - MADISON_STREET_LAT) / MILE_LAT * 800
        prefix = "N" if lat >= MADISON_STREET_LAT else "S"
    else:
        street = min(EAST_WEST_STREETS, key=lambda item: abs(item[1] - lat))[0]
        number = abs(lng - STATE_STREET_LNG) / MILE_LNG * 800
        prefix = "W" if lng <= STATE_STREET_LNG else "E"
    number = max(1, int(number) // 2 * 2 + rng.randint(0, 1))
    return street, f"{number} {prefix} {street}"


def organization_sizes(rng, services, organizations):
    """How many services each organization has: at least one each, a few large ones."""
    if services <= 0:
        return []
    if organizations is None:
        organizations = max(1, round(services / 5))
    organizations = max(1, min(organizations, services))
    sizes = [1] * organizations
    weights = [min(rng.paretovariate(1.6), 40.0) for _ in range(organizations)]
    for index in rng.choices(range(organizations), weights=weights, k=services - organizations):
        sizes[index] += 1
    return sizes


_FAMILY_NAMES = list(FAMILIES)
_FAMILY_WEIGHTS = [FAMILIES[name][0] for name in _FAMILY_NAMES]
_OTHER_LANGUAGES = [(code, weight) for code, _name, weight in LANGUAGES if weight]


def plan_organization(seed, index, size, places):
    """Everything about organization number `index` of the run seeded `seed`.

    Its own random stream (seeded from the run's seed and its index) makes it
    independent of batch sizes and of what else is in the database."""
    rng = random.Random(f"steward-generate:{seed}:{index}")  # noqa: S311 - repeatable, not secret
    chicago, suburbs = places
    family = rng.choices(_FAMILY_NAMES, weights=_FAMILY_WEIGHTS)[0]
    mission = FAMILIES[family][1]
    hood = rng.choice(NEIGHBORHOODS)
    title = rng.choice(ORG_FORMS).format(
        hood=hood, saint=rng.choice(SAINTS), name=rng.choice(FOUNDERS), mission=mission
    )
    domain = slugify(title).replace("-", "")[:40] or "org"
    org = OrganizationPlan(
        title=title,
        description=f"{title} serves {hood} and neighboring communities. "
        + " ".join(rng.sample(DESCRIPTIONS[family], k=min(2, len(DESCRIPTIONS[family])))),
        website=f"https://www.{domain}.example.org/",
        email=f"info@{domain}.example.org",
        year_incorporated=rng.randint(1890, 2022),
    )

    for number in range(rng.choices([1, 2, 3], weights=[60, 30, 10])[0]):
        zip_code, city, lat, lng = rng.choice(chicago if rng.random() < 0.75 else suburbs)
        lat = round(lat + rng.uniform(-0.008, 0.008), 6)
        lng = round(lng + rng.uniform(-0.01, 0.01), 6)
        street, address = street_address(rng, city, lat, lng)
        org.locations.append(
            LocationPlan(
                name="Main office" if number == 0 else f"{street} site",
                address_1=address,
                city=city,
                postal_code=zip_code,
                latitude=lat,
                longitude=lng,
                phone=phone_number(rng),
            )
        )

    for _ in range(size):
        kind_family = family if rng.random() < 0.7 else rng.choice(_FAMILY_NAMES)
        forms, codes, hours = rng.choice(FAMILIES[kind_family][2])
        sentences = DESCRIPTIONS[kind_family]
        status, alert = "active", ""
        if rng.random() < 0.02:
            status = "temporarily closed"
            alert = "Temporarily closed for renovation. Call for updates."
        languages = ["en"]
        for _ in range(rng.choices([0, 1, 2], weights=[45, 40, 15])[0]):
            code = rng.choices(
                [c for c, _w in _OTHER_LANGUAGES], weights=[w for _c, w in _OTHER_LANGUAGES]
            )[0]
            if code not in languages:
                languages.append(code)
        eligibility = rng.choice(ELIGIBILITY)
        count = 1 if len(org.locations) == 1 or rng.random() < 0.8 else 2
        org.services.append(
            ServicePlan(
                title=rng.choice(forms),
                family=kind_family,
                categories=list(codes),
                description=" ".join(rng.sample(sentences, k=min(2, len(sentences)))),
                eligibility=eligibility,
                fees=rng.choice(FEES),
                application_process=rng.choice(APPLY),
                required_documents="\n".join(rng.sample(DOCUMENTS, k=rng.randint(0, 2))),
                hours=HOURS[hours],
                phones=[phone_number(rng) for _ in range(rng.choices([1, 2], weights=[75, 25])[0])],
                languages=languages,
                location_indexes=sorted(rng.sample(range(len(org.locations)), k=count)),
                status=status,
                alert=alert,
                minimum_age=MINIMUM_AGES.get(eligibility),
            )
        )
    return org


def plan(services, seed, organizations=None):
    """Yield the organization plans of a run, in order (a generator: memory stays flat)."""
    rng = random.Random(f"steward-generate:{seed}")  # noqa: S311 - repeatable, not secret
    sizes = organization_sizes(rng, services, organizations)
    places = metro_zip_codes()
    for index, size in enumerate(sizes):
        yield plan_organization(seed, index, size, places)


# --- Writing pages in bulk ------------------------------------------------------


def _unique_slug(base, taken):
    slug = base or "listing"
    number = 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    taken.add(slug)
    return slug


@functools.cache
def _child_relation_names(model):
    return [r.get_accessor_name() for r in get_all_child_relations(model)] + [
        m2m.name for m2m in get_all_child_m2m_relations(model)
    ]


def _empty_child_relations(obj):
    """Give every child relation an in-memory value, so `serializable_data()` and
    the search indexer read memory instead of querying once per page."""
    present = getattr(obj, "_cluster_related_objects", {})
    for name in _child_relation_names(type(obj)):
        if name not in present:
            setattr(obj, name, [])


# Objects per search-index call. PostgreSQL's backend sends one INSERT with a
# handful of parameters per object, well under its 65,535-parameter limit.
SEARCH_CHUNK = 2500


def _reserve_ids(model, count):
    """`count` fresh primary keys for `model`, so that whole object graphs (a page,
    its child objects and the revision that serialises them) can be built in memory
    and written with plain INSERTs. Call inside the batch's transaction: on SQLite
    that holds the write lock (Steward opens transactions IMMEDIATE); on PostgreSQL
    the sequence hands out the numbers."""
    if not count:
        return []
    connection = connections[DEFAULT_DB_ALIAS]
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor == "sqlite":
            quoted = connection.ops.quote_name
            cursor.execute(f"SELECT MAX({quoted(column)}) FROM {quoted(table)}")  # noqa: S608
            highest = cursor.fetchone()[0] or 0
            # AUTOINCREMENT never reuses a deleted row's id; neither do we.
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            start = max(highest, row[0] if row else 0) + 1
            return list(range(start, start + count))
    raise NotImplementedError(
        f"generate_listings supports SQLite and PostgreSQL, not {connection.vendor}."
    )


def _set_foreign_keys(obj):
    """Copy the pks of related objects assigned before they had one (as bulk_create does)."""
    for fk in obj._meta.concrete_fields:
        if fk.is_relation and getattr(obj, fk.attname) is None and fk.is_cached(obj):
            related = fk.get_cached_value(obj)
            if related is not None:
                setattr(obj, fk.attname, related.pk)


def _insert(model, objs, fields=None):
    """INSERT the rows of `objs` (all of `model`) with executemany.

    `fields` defaults to the model's own table columns, pk included when the
    objects have one. Values go through `get_db_prep_save`, as in `save()`.
    """
    if not objs:
        return
    meta = model._meta
    if fields is None:
        fields = [
            f for f in meta.local_concrete_fields if not (f.primary_key and objs[0].pk is None)
        ]
    connection = connections[DEFAULT_DB_ALIAS]  # the wrapper itself, not the proxy: faster
    _insert_rows(
        model,
        fields,
        ([getattr(obj, f.attname) for f in fields] for obj in objs),
        connection=connection,
    )
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


def _insert_values(model, rows):
    """INSERT plain dicts of {attname: value} (all with the same keys), without
    building model instances: for rows nothing else needs in memory. Columns
    left out take their field's default; the pk is left to the database unless
    given."""
    if not rows:
        return
    given = rows[0]
    fields = [
        f for f in model._meta.local_concrete_fields if f.attname in given or not f.primary_key
    ]
    # Columns not given take the field's default, as a new instance would.
    defaults = {f.attname: f.get_default() for f in fields if f.attname not in given}
    _insert_rows(
        model,
        fields,
        ([row.get(f.attname, defaults.get(f.attname)) for f in fields] for row in rows),
        connection=connections[DEFAULT_DB_ALIAS],
    )


def _insert_rows(model, fields, values, *, connection):
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from model metadata
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    prepared = [
        [f.get_db_prep_save(value, connection) for f, value in zip(fields, row, strict=True)]
        for row in values
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(prepared), 5000):
            cursor.executemany(sql, prepared[start : start + 5000])


def _publish_revisions(objs, *, now, base_content_type_id, pages):
    """One revision per object, serialised as `save_revision()` would (before the
    object points at it), then made its latest (and for pages, live) revision.
    Returns the revision ids, in the order of `objs`."""
    ids = _reserve_ids(Revision, len(objs))
    rows = []
    for obj, revision_id in zip(objs, ids, strict=True):
        rows.append(
            {
                "id": revision_id,
                "content_type_id": obj.content_type_id if pages else base_content_type_id,
                "base_content_type_id": base_content_type_id,
                "object_id": str(obj.pk),
                "created_at": now,
                "object_str": str(obj),
                "content": obj.serializable_data(),
                "approved_go_live_at": None,
                "user_id": None,
            }
        )
        obj.latest_revision_id = revision_id
        if pages:
            obj.live_revision_id = revision_id
    _insert_values(Revision, rows)
    return ids


def _log_publishes(pages, revision_ids, now):
    _insert_values(
        PageLogEntry,
        [
            {
                "page_id": page.pk,
                "content_type_id": page.content_type_id,
                "label": page.title,
                "action": "wagtail.publish",
                "data": {},
                "timestamp": now,
                "uuid": None,
                "user_id": None,
                "revision_id": revision_id,
                "content_changed": True,
                "deleted": False,
            }
            for page, revision_id in zip(pages, revision_ids, strict=True)
        ],
    )


@dataclass
class Result:
    organizations: int = 0
    services: int = 0
    locations: int = 0
    seconds: float = 0.0


class _Writer:
    """Turns organization plans into database rows, a batch at a time."""

    def __init__(self, *, now):
        from directory.home import home_page_model

        self.now = now
        self.home = home_page_model().objects.get()
        self.org_type = ContentType.objects.get_for_model(OrganizationPage)
        self.service_type = ContentType.objects.get_for_model(ServicePage)
        self.terms = {
            t.code: t for t in TaxonomyTerm.objects.exclude(code="").only("id", "code", "name")
        }
        self.languages = {}
        for code, name, _weight in LANGUAGES:
            self.languages[code] = Language.objects.get_or_create(
                code=code, defaults={"name": name}
            )[0]
        siblings = Page.objects.filter(
            path__startswith=self.home.path, depth=self.home.depth + 1
        ).values_list("path", "slug")
        self.org_slugs = {slug for _path, slug in siblings}
        last = max((path for path, _slug in siblings), default=None)
        self.next_position = Page._str2int(last[-Page.steplen :]) + 1 if last else 1
        self.search = get_search_backend()

    def _page_defaults(self, *, title, slug, path, depth, url_path, numchild, content_type):
        return {
            "title": title,
            "draft_title": title,
            "slug": slug,
            "path": path,
            "depth": depth,
            "numchild": numchild,
            "url_path": url_path,
            "content_type": content_type,
            "locale_id": self.home.locale_id,
            "translation_key": uuid.uuid4(),
            "live": True,
            "has_unpublished_changes": False,
            "first_published_at": self.now,
            "last_published_at": self.now,
            "latest_revision_created_at": self.now,
        }

    def write(self, plans):
        orgs, services, locations, links, phones, hours = [], [], [], [], [], []
        for org_plan in plans:
            path = Page._get_path(self.home.path, self.home.depth + 1, self.next_position)
            self.next_position += 1
            slug = _unique_slug(slugify(org_plan.title)[:200], self.org_slugs)
            org = OrganizationPage(
                **self._page_defaults(
                    title=org_plan.title,
                    slug=slug,
                    path=path,
                    depth=self.home.depth + 1,
                    url_path=f"{self.home.url_path}{slug}/",
                    numchild=len(org_plan.services),
                    content_type=self.org_type,
                ),
                uuid=uuid.uuid4(),
                description=org_plan.description,
                website=org_plan.website,
                email=org_plan.email,
                year_incorporated=org_plan.year_incorporated,
            )
            org._cached_parent_obj = self.home
            _empty_child_relations(org)
            orgs.append(org)

            org_locations = [
                Location(
                    uuid=uuid.uuid4(),
                    organization=org,
                    name=loc.name,
                    address_1=loc.address_1,
                    city=loc.city,
                    state_province="IL",
                    postal_code=loc.postal_code,
                    latitude=loc.latitude,
                    longitude=loc.longitude,
                    timezone="America/Chicago",
                    phones=[],
                    hours=[],
                )
                for loc in org_plan.locations
            ]
            locations.extend(org_locations)

            service_slugs = set()
            for position, service_plan in enumerate(org_plan.services, start=1):
                slug = _unique_slug(slugify(service_plan.title)[:200], service_slugs)
                service_locations = [org_locations[i] for i in service_plan.location_indexes]
                service = ServicePage(
                    **self._page_defaults(
                        title=service_plan.title,
                        slug=slug,
                        path=Page._get_path(path, self.home.depth + 2, position),
                        depth=self.home.depth + 2,
                        url_path=f"{org.url_path}{slug}/",
                        numchild=0,
                        content_type=self.service_type,
                    ),
                    uuid=uuid.uuid4(),
                    description=service_plan.description,
                    status=service_plan.status,
                    alert=service_plan.alert,
                    eligibility_description=service_plan.eligibility,
                    minimum_age=service_plan.minimum_age,
                    fees_description=service_plan.fees,
                    application_process=service_plan.application_process,
                    required_documents=service_plan.required_documents,
                    website=org_plan.website,
                    categories=[self.terms[c] for c in service_plan.categories if c in self.terms],
                    languages=[self.languages[c] for c in service_plan.languages],
                    service_at_locations=[
                        ServiceAtLocation(location=loc, sort_order=i)
                        for i, loc in enumerate(service_locations)
                    ],
                    phones=[
                        ServicePhone(number=number, sort_order=i)
                        for i, number in enumerate(service_plan.phones)
                    ],
                    hours=[
                        ServiceSchedule(
                            weekday=weekday,
                            opens_at=_t(opens),
                            closes_at=_t(closes),
                            description="Open 24 hours" if opens == closes else "",
                            location=service_locations[0],
                            sort_order=i,
                        )
                        for i, (weekday, opens, closes) in enumerate(service_plan.hours)
                    ],
                )
                service._cached_parent_obj = org
                _empty_child_relations(service)
                services.append(service)
                links.extend(service.service_at_locations.all())
                phones.extend(service.phones.all())
                hours.extend(service.hours.all())

        with transaction.atomic():
            self._save(orgs, services, locations, links, phones, hours)
        return len(orgs), len(services), len(locations)

    def _save(self, orgs, services, locations, links, phones, hours):
        now = self.now
        pages = orgs + services
        for page, page_id in zip(pages, _reserve_ids(Page, len(pages)), strict=True):
            page.id = page.page_ptr_id = page_id
        for model, objs in (
            (Location, locations),
            (ServiceAtLocation, links),
            (ServicePhone, phones),
            (ServiceSchedule, hours),
        ):
            for obj, pk in zip(objs, _reserve_ids(model, len(objs)), strict=True):
                obj.pk = pk
        for obj in [*locations, *links, *phones, *hours]:
            _set_foreign_keys(obj)

        page_type_id = ContentType.objects.get_for_model(Page).pk
        location_type_id = ContentType.objects.get_for_model(Location).pk
        page_revisions = _publish_revisions(
            pages, now=now, base_content_type_id=page_type_id, pages=True
        )
        _publish_revisions(locations, now=now, base_content_type_id=location_type_id, pages=False)

        _insert(Page, pages, fields=Page._meta.local_concrete_fields)
        _insert(OrganizationPage, orgs)
        _insert(ServicePage, services)
        _insert(Location, locations)
        _insert(ServiceAtLocation, links)
        _insert(ServicePhone, phones)
        _insert(ServiceSchedule, hours)
        for name in ("categories", "languages"):
            relation = getattr(ServicePage, name)
            through = relation.through
            source = relation.field.m2m_field_name()
            target = relation.field.m2m_reverse_field_name()
            _insert_values(
                through,
                [
                    {f"{source}_id": service.pk, f"{target}_id": obj.pk}
                    for service in services
                    for obj in getattr(service, name).all()
                ],
            )
        _log_publishes(pages, page_revisions, now)
        Page.objects.filter(pk=self.home.pk).update(numchild=F("numchild") + len(orgs))

        indexed = ((OrganizationPage, orgs), (ServicePage, services), (Location, locations))
        for model, objs in indexed:
            # Few large calls: the SQLite index rescans its table after each one.
            for start in range(0, len(objs), SEARCH_CHUNK):
                self.search.add_bulk(model, objs[start : start + SEARCH_CHUNK])


def generate_listings(*, services, seed, organizations=None, batch_size=2000, now=None, log=None):
    """Create `services` synthetic services (and their organizations and locations).

    `log`, when given, is called with a line of progress after each batch.
    """
    started = time.monotonic()
    now = now or timezone.now()
    writer = _Writer(now=now)
    result = Result()
    batch, batch_services = [], 0

    def flush():
        nonlocal batch, batch_services
        if not batch:
            return
        o, s, n = writer.write(batch)
        result.organizations += o
        result.services += s
        result.locations += n
        batch, batch_services = [], 0
        if log:
            elapsed = time.monotonic() - started
            log(
                f"{result.services:>9,} / {services:,} services, "
                f"{result.organizations:,} organizations, {elapsed:.1f} s"
            )

    for org_plan in plan(services, seed, organizations):
        batch.append(org_plan)
        batch_services += len(org_plan.services)
        if batch_services >= batch_size:
            flush()
    flush()
    # Fresh statistics, or SQLite's planner mis-joins the search index (see maintenance).
    refresh_planner_statistics()
    result.seconds = time.monotonic() - started
    return result
