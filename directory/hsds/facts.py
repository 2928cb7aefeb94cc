"""Steward's own facts in HSDS, as `attribute`s of one small taxonomy, so that an
export read back by Steward loses nothing HSDS 3.0 has no field for.

The convention (documented in the README, "Using Steward's data"):

- a taxonomy "Steward listing facts" (id ``TAXONOMY_ID``) whose terms have the
  codes below;
- an attribute with ``link_type`` "steward_fact", ``link_entity`` the table it is
  about and ``link_id`` that row's id, ``taxonomy_term_id`` the fact's term and
  ``value`` the fact:

  ======================== ============ ==============================================
  code                     link_entity  value
  ======================== ============ ==============================================
  ``caution``              service      the caution for referrers ("Active, but do
                                        not refer")
  ``alert_expires``        service      the alert's last day, YYYY-MM-DD
  ``confidential``         location     ``confidential`` (the address is never shown)
                                        or ``possibly confidential``
  ``exception``            schedule     ``closed`` or ``special hours``: the row is a
                                        dated exception (valid_from..valid_to), not a
                                        weekly rule
  ======================== ============ ==============================================

A confidential location still carries no address and no coordinates: the fact
says only that it is confidential. Other readers may ignore these attributes;
Steward's reader (readers.py) turns them back into its columns and does not
import the taxonomy as categories.
"""

import uuid

NAMESPACE = uuid.UUID("0b6c3f0e-5a7e-4d1e-9c55-6f3c1e8a2b17")
LINK_TYPE = "steward_fact"
TAXONOMY_ID = str(uuid.uuid5(NAMESPACE, "steward-listing-facts"))
TAXONOMY = {
    "id": TAXONOMY_ID,
    "name": "Steward listing facts",
    "description": (
        "Facts a Steward directory keeps that HSDS 3.0 has no field for, given as "
        "attributes with link_type steward_fact."
    ),
    "version": "1",
}
TERMS = {
    "caution": ("service", "Caution for referrers", "A caution for people referring."),
    "alert_expires": ("service", "Alert shown until", "The last day the alert is shown."),
    "confidential": (
        "location",
        "Confidential location",
        "The location's address and coordinates are never published.",
    ),
    "exception": (
        "schedule",
        "Dated exception",
        "The schedule is an exception for its dates (closed or special hours).",
    ),
}
CONFIDENTIAL = "confidential"
POSSIBLY_CONFIDENTIAL = "possibly confidential"
CLOSED = "closed"
SPECIAL_HOURS = "special hours"


def term_id(code):
    return str(uuid.uuid5(NAMESPACE, f"steward-fact:{code}"))


CODES_BY_TERM_ID = {term_id(code): code for code in TERMS}


def taxonomy_term(code):
    _entity, name, description = TERMS[code]
    return {
        "id": term_id(code),
        "code": code,
        "name": name,
        "description": description,
        "taxonomy": TAXONOMY["name"],
        "taxonomy_detail": dict(TAXONOMY),
        "taxonomy_id": TAXONOMY_ID,
    }


def attribute(code, link_id, value):
    """The HSDS attribute saying `code` = `value` of the row `link_id`."""
    entity = TERMS[code][0]
    return {
        "id": str(uuid.uuid5(NAMESPACE, f"steward-fact:{code}:{link_id}")),
        "link_id": str(link_id),
        "taxonomy_term_id": term_id(code),
        "link_type": LINK_TYPE,
        "link_entity": entity,
        "value": str(value),
        "taxonomy_term": taxonomy_term(code),
    }


def code_of(row):
    """The fact an attribute row states, or None for any other attribute."""
    if str(row.get("link_type") or "").strip() != LINK_TYPE:
        return None
    return CODES_BY_TERM_ID.get(str(row.get("taxonomy_term_id") or "").strip())
