"""`manage.py check --deploy`: links must never point at this machine."""

from django.conf import settings
from django.core import checks

from directory.links import configured_base, is_local_url


@checks.register(checks.Tags.security, deploy=True)
def public_url_is_set(app_configs, **kwargs):
    base = configured_base()
    problems = []
    if is_local_url(base):
        problems.append(
            checks.Warning(
                f"The public base URL is {base or 'not set'!r}: share links, the print "
                "footer and emails would point at this machine.",
                hint="Set STEWARD_PUBLIC_URL to the address people use, e.g. "
                "https://help.example.org.",
                id="steward.W001",
            )
        )
    if is_local_url(settings.WAGTAILADMIN_BASE_URL):
        problems.append(
            checks.Warning(
                f"WAGTAILADMIN_BASE_URL is {settings.WAGTAILADMIN_BASE_URL!r}.",
                hint="It follows STEWARD_PUBLIC_URL; set that.",
                id="steward.W002",
            )
        )
    return problems
