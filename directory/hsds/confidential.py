"""Places whose address may have to stay private, whatever format they came in.

A location whose source gives no private flag, but whose name, description or
categories say it is a shelter for survivors of domestic or sexual violence, is
imported with its address not public and flagged for a moderator
(Location.possible_confidential); the review queue opens a
"possible confidential address" item for it. Nothing is published until a
moderator decides.
"""

import re

# A shelter for survivors: a word of violence and a word of shelter, or a name that
# says both; or the AIRS/211 code of domestic violence shelters (BH-1800.1500-100).
_VIOLENCE_RE = re.compile(
    r"domestic[\s-]+(?:violence|abuse)|intimate[\s-]+partner|family[\s-]+violence|"
    r"battered|sexual[\s-]+assault|trafficking|fleeing\s+(?:abuse|violence)|"
    r"spousal\s+abuse|abused\s+(?:women|partners?|spouses?)|"
    r"safety\s+from\s+(?:family\s+|domestic\s+)?violence",
    re.I,
)
_SHELTER_RE = re.compile(
    r"shelter|safe[\s-]+house|transition(?:al)?\s+(?:house|housing|home)|"
    r"refuge|emergency\s+(?:housing|accommodation)",
    re.I,
)
_BOTH_RE = re.compile(r"\bsafe[\s-]+house\b|\btransition\s+house\b|\bwomen'?s\s+shelter\b", re.I)
DV_SHELTER_CODES = ("BH-1800.1500-100",)


def looks_confidential(*texts, codes=()):
    """True when the words (or a category code) suggest a confidential shelter."""
    if any(str(code).upper().startswith(DV_SHELTER_CODES) for code in codes):
        return True
    joined = "\n".join(t for t in texts if t)
    return bool(_BOTH_RE.search(joined)) or bool(
        _VIOLENCE_RE.search(joined) and _SHELTER_RE.search(joined)
    )


def flag_possible_confidential(plan):
    """Hide the address of every public location that looks like a shelter for
    survivors, and flag it for a moderator. Reads the plan's locations, the
    services given there and their organization; changes only location fields."""
    codes = {}
    for row in plan.package.rows("service_taxonomy"):
        sid = str(row.get("service_id") or "")
        codes.setdefault(sid, []).append(str(row.get("taxonomy_term_id") or row.get("code") or ""))
    services_at = {}
    for key, service in plan.services.items():
        for link in service["links"]:
            services_at.setdefault(link["location"], []).append((key, service))
    flagged = 0
    for key, location in plan.locations.items():
        fields = location["fields"]
        if not fields.get("address_is_public", True):
            continue
        texts = [fields.get("name"), fields.get("description")]
        found_codes = []
        for service_key, service in services_at.get(key, []):
            texts += [service["fields"].get("title"), service["fields"].get("description")]
            found_codes += codes.get(str(service_key), [])
        org = plan.orgs.get(location["org_ref"])
        if org and not services_at.get(key):
            texts += [org["fields"].get("title"), org["fields"].get("description")]
        if looks_confidential(*texts, codes=found_codes):
            fields["address_is_public"] = False
            fields["possible_confidential"] = True
            fields["latitude"] = fields["longitude"] = None
            fields["coordinates_approximate"] = False
            plan.report.warn(
                "location",
                location["row"],
                "possible confidential address (a shelter for survivors?): imported "
                "with its address hidden, for a moderator to decide",
            )
            flagged += 1
    if flagged:
        plan.report.notes.append(
            f"{flagged} locations look like confidential shelters: their addresses are "
            "hidden and each is in the review queue as “possible confidential address”."
        )
