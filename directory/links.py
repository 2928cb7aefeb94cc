"""Absolute links to Steward, built in one place.

The public base URL is configuration: `settings.STEWARD["PUBLIC_URL"]`, read once
from the STEWARD_PUBLIC_URL environment variable (production requires it and
refuses a local one). When it is not set (`make serve`, tests), a link made while
answering a request uses that request's host, and a link made without one (a
periodic email) falls back to WAGTAILADMIN_BASE_URL. Share links, the print
footer, the referral slip and every email go through `public_url`.
"""

from urllib.parse import urlsplit

from django.conf import settings

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0", "testserver"})  # noqa: S104


def configured_base():
    """The configured public base URL without its trailing slash, or ""."""
    return (getattr(settings, "STEWARD", {}).get("PUBLIC_URL") or "").rstrip("/")


def is_local_url(url):
    """True for a missing URL, one without a scheme or host, or one on this machine."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return True
    host = parts.hostname.lower()
    return host in LOCAL_HOSTS or host.endswith(".localhost") or host.startswith("127.")


def public_url(path, request=None):
    """The absolute URL of `path` ("/services/x/" or an absolute URL made elsewhere).

    The configured base wins over the request's host, so a forged Host header
    never ends up in a link."""
    path = path or "/"
    if "://" in path:
        path = urlsplit(path)._replace(scheme="", netloc="").geturl() or "/"
    if not path.startswith("/"):
        path = "/" + path
    base = configured_base()
    if base:
        return base + path
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def site_host_and_port(base=None):
    """(hostname, port) the Wagtail Site takes from the public base URL, or None."""
    base = configured_base() if base is None else base
    if not base:
        return None
    parts = urlsplit(base)
    if not parts.hostname:
        return None
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.hostname, port
