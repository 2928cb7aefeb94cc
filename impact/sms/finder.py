"""Finding services for a text message: keywords and a ZIP code to ranked cards.

Reads go through directory's own search and selectors (search_services,
service_cards), so the rules of the web search hold here too: only listed
services, confidential places measured from their coarse point, and the service's
status overriding its hours (a temporarily closed service is never "open").
"""

import re

from django.conf import settings

from directory.geo import PlaceNotFound, parse_near
from directory.models import ServicePage, TaxonomyTerm
from directory.models.pages import ServiceStatus
from directory.search import search_services
from directory.selectors import service_cards

# Words people text, in English and Spanish, to Open Eligibility codes
# (directory/data/open-eligibility.json). A word not here is searched as text.
KEYWORDS = {
    "food": ("102",),
    "comida": ("102",),
    "alimentos": ("102",),
    "pantry": ("102-04",),
    "despensa": ("102-04",),
    "meals": ("102-05",),
    "shelter": ("101-04", "103-01"),
    "refugio": ("101-04", "103-01"),
    "albergue": ("101-04", "103-01"),
    "housing": ("103",),
    "vivienda": ("103",),
    "health": ("106",),
    "salud": ("106",),
    "clinic": ("106",),
    "clinica": ("106",),
    "legal": ("111",),
    "lawyer": ("111",),
    "abogado": ("111",),
    "crisis": ("101",),
    "emergency": ("101",),
    "emergencia": ("101",),
    "work": ("110",),
    "job": ("110",),
    "trabajo": ("110",),
    "empleo": ("110",),
    "money": ("107",),
    "dinero": ("107",),
    "care": ("108",),
    "cuidado": ("108",),
    "clothes": ("104",),
    "clothing": ("104",),
    "ropa": ("104",),
    "transit": ("105",),
    "transporte": ("105",),
    "school": ("109",),
    "escuela": ("109",),
    "education": ("109",),
    "educacion": ("109",),
}
# Words that carry no need: "shelter near 60612", "comida en 33125".
FILLER = frozenset(
    [
        "near",
        "in",
        "at",
        "by",
        "around",
        "zip",
        "code",
        "the",
        "a",
        "me",
        "i",
        "need",
        "find",
        "help",
        "for",
        "cerca",
        "de",
        "en",
        "el",
        "la",
        "por",
        "codigo",
        "postal",
        "necesito",
        "busco",
        "para",
        "un",
        "una",
    ]
)
SPANISH_WORDS = frozenset(
    [
        "comida",
        "alimentos",
        "despensa",
        "refugio",
        "albergue",
        "vivienda",
        "salud",
        "clinica",
        "abogado",
        "emergencia",
        "trabajo",
        "empleo",
        "dinero",
        "cuidado",
        "ropa",
        "transporte",
        "escuela",
        "educacion",
        "cerca",
        "necesito",
        "busco",
        "ayuda",
        "hola",
        "mas",
        "gracias",
    ]
)
ZIP_RE = re.compile(r"\b(\d{5})(?:-\d{4})?\b")
CANDIDATES = 15


def plain(word):
    """Lower case, accents dropped: "Clínica" -> "clinica"."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def parse_request(text):
    """(need words, ZIP code or "") from a message such as "shelter near 60612"."""
    match = ZIP_RE.search(text)
    zip_code = match.group(1) if match else ""
    rest = ZIP_RE.sub(" ", text)
    words = [plain(w) for w in re.findall(r"\w+", rest)]
    return [w for w in words if w not in FILLER and not w.isdigit()], zip_code


def looks_spanish(words):
    return any(w in SPANISH_WORDS for w in words)


def find_place(zip_code):
    """A Point for the ZIP code, or None when it is unknown."""
    try:
        return parse_near(zip_code)
    except PlaceNotFound:
        return None


def _ranking(card, service):
    """Open now first, then soonest to open, then unknown hours; the status
    (temporarily closed, not running) last. Nearest first within each."""
    if service.status != ServiceStatus.ACTIVE:
        return (3, 0)
    if card.open_state is True:
        return (0, 0)
    if card.opens_at is not None:
        return (1, card.opens_at.timestamp())
    return (2, 0)


def find_services(words, point, *, now):
    """[(card, service)] near `point`, ranked for a text answer (at most CANDIDATES)."""
    codes = [code for w in words for code in KEYWORDS.get(w, ())]
    text = " ".join(w for w in words if w not in KEYWORDS)
    radius = settings.STEWARD["NEAR_RADIUS_KM"]
    if codes or not text:
        services = ServicePage.objects.listed()
        if codes:
            terms = TaxonomyTerm.objects.filter(code__in=codes)
            through = ServicePage.categories.through
            paths = [t.tree_path for t in terms]
            if not paths:
                return []
            from functools import reduce
            from operator import or_

            from django.db.models import Q

            links = through.objects.filter(
                reduce(or_, (Q(taxonomyterm__tree_path__startswith=p) for p in paths))
            )
            services = services.filter(pk__in=links.values("servicepage_id"))
        services = services.near(point, radius).by_distance()
        if text:
            services = services.search(text, order_by_relevance=False)
    else:
        services = search_services(text, near=point, now=now, radius_km=radius)
    found = list(services[:CANDIDATES])
    cards = service_cards(found, now=now, near=point)
    pairs = list(zip(cards, found, strict=True))
    order = {id(card): index for index, (card, _) in enumerate(pairs)}
    pairs.sort(key=lambda pair: (*_ranking(*pair), order[id(pair[0])]))
    return pairs
