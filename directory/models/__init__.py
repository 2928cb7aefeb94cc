"""The listings: organizations and services (Wagtail pages), locations (snippets),
their phones and hours, the category tree and languages.

Names follow Open Referral HSDS 3.0 wherever it has one, so import and export
are a mapping rather than a translation.
"""

from .accounts import (
    MembershipRequest,
    OrganizationDomain,
    OrganizationEditors,
    Professional,
    RevisionOrganization,
)
from .locations import Location, LocationPhone, LocationSchedule
from .memberships import Membership
from .pages import OrganizationPage, ServicePage
from .search import OpenInterval, SearchDocument, SearchWord
from .services import ServiceAtLocation, ServicePhone, ServiceSchedule, ServiceURL
from .sources import SourceRecord, SourceRowsDigest
from .taxonomy import Language, Taxonomy, TaxonomyTerm

# The two kinds of listing page.
LISTING_TYPES = (OrganizationPage, ServicePage)

__all__ = [
    "LISTING_TYPES",
    "Language",
    "Location",
    "LocationPhone",
    "LocationSchedule",
    "Membership",
    "MembershipRequest",
    "OrganizationDomain",
    "OrganizationEditors",
    "OpenInterval",
    "OrganizationPage",
    "Professional",
    "RevisionOrganization",
    "SearchDocument",
    "SearchWord",
    "ServiceAtLocation",
    "ServicePage",
    "ServicePhone",
    "ServiceSchedule",
    "ServiceURL",
    "SourceRecord",
    "SourceRowsDigest",
    "Taxonomy",
    "TaxonomyTerm",
]
