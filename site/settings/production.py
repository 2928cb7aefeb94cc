"""Production: everything that differs between deployments comes from the environment."""

from django.core.exceptions import ImproperlyConfigured

from directory.links import is_local_url

from .base import *  # noqa: F403


def _required(name):
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(f"Set the {name} environment variable for production.")
    return value


DEBUG = False
SECRET_KEY = _required("SECRET_KEY")
ALLOWED_HOSTS = [h.strip() for h in _required("ALLOWED_HOSTS").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [f"https://{h.lstrip('.')}" for h in ALLOWED_HOSTS]
DATABASES = database_from_env(BASE_DIR / "db.sqlite3")

REDIS_URL = os.environ.get("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "steward.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "steward",
        }
    }

# Mail goes out by SMTP: a local MTA by default (localhost:25), or a relay given
# by SMTP_HOST / SMTP_PORT / SMTP_USER / SMTP_PASSWORD / SMTP_USE_TLS.
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": os.environ.get("SMTP_HOST", "localhost"),
            "port": int(os.environ.get("SMTP_PORT", "25")),
            "username": os.environ.get("SMTP_USER", ""),
            "password": os.environ.get("SMTP_PASSWORD", ""),
            "use_tls": os.environ.get("SMTP_USE_TLS", "0") == "1",
            "timeout": 10,
        },
    }
}

# Behind a TLS-terminating load balancer.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The public base URL: every share link, print footer, slip and email uses it, the
# Wagtail Site follows it (steward.apps, after migrate), and so does the admin.
STEWARD["PUBLIC_URL"] = _required("STEWARD_PUBLIC_URL").rstrip("/")
if is_local_url(STEWARD["PUBLIC_URL"]):
    raise ImproperlyConfigured(
        "STEWARD_PUBLIC_URL must be the public address people use, such as "
        f"https://help.example.org, not {STEWARD['PUBLIC_URL']!r}."
    )
WAGTAILADMIN_BASE_URL = STEWARD["PUBLIC_URL"]
if STEWARD_SMS["ACCOUNT_SID"] and "STEWARD_SMS_BACKEND" not in os.environ:
    STEWARD_SMS["BACKEND"] = "impact.sms.backends.TwilioBackend"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
