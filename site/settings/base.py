"""Settings shared by every environment. Environment-specific files import this."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS: list[str] = []

INSTALLED_APPS = [
    "steward",
    "directory",
    "review",
    "history",
    "impact",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "simple_history",
    "guardian",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Lookups and checks that Wagtail's PostgreSQL search backend relies on.
    "django.contrib.postgres",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous public pages from the shared cache, before the session, language,
    # CSRF and authentication work: a request with no cookie but the language and
    # CSRF ones is anonymous, and a hit is one cache round trip. On a miss it sees
    # the final answer (cookies, user, session) before storing it
    # (directory/pagecache.py).
    "directory.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The reader's language: the `django_language` cookie set by the switcher
    # (django.views.i18n.set_language), else Accept-Language. No URL prefix: page
    # URLs are the same in every language; responses vary on Accept-Language and
    # Cookie (LocaleMiddleware adds both to Vary).
    "django.middleware.locale.LocaleMiddleware",
    "steward.i18n.VaryOnLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "steward.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "django.template.context_processors.i18n",
                "steward.i18n.languages",
            ],
        },
    },
]

WSGI_APPLICATION = "steward.wsgi.application"


def database_from_env(default_sqlite_path):
    """DATABASE_URL when set (PostgreSQL in production), else an embedded SQLite file.

    SQLite runs in WAL mode so the periodic-job loop and the web server can write
    at the same time without "database is locked" errors.
    """
    url = os.environ.get("DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    else:
        config = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(default_sqlite_path)}
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config.setdefault("OPTIONS", {})
        config["OPTIONS"].setdefault(
            "init_command",
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        )
        config["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    return {"default": config}


DATABASES = database_from_env(BASE_DIR / "db.sqlite3")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"

# Languages: the ONE list. Adding a language (Haitian Creole "ht", Chinese "zh-hans",
# Vietnamese "vi"...) is a line here plus its catalogue locale/<code>/LC_MESSAGES/
# django.po (README, "Languages"). The switcher, Wagtail's admin choice and the
# catalogue check all read this list.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates, times and numbers per language (site/formats/<code>/formats.py; a language
# without one there uses Django's own formats).
FORMAT_MODULE_PATH = ["steward.formats"]
# Professionals choose Wagtail's own admin language in their account preferences.
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Listings carry their own IANA time zone (on their locations); this one is only the
# fallback for services with no location, and the zone of the admin.
TIME_ZONE = os.environ.get("STEWARD_TIME_ZONE", "America/Chicago")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "steward",
        # Public pages and pending view counts live here too (one process only;
        # production uses Redis, shared by every server).
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}

# Django 6.1 mail configuration (EMAIL_BACKEND is deprecated there).
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Steward <noreply@localhost>")

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

WAGTAIL_SITE_NAME = "Steward"
# Every absolute link (admin emails included) follows the public base URL
# (STEWARD["PUBLIC_URL"] below; directory.links.public_url builds the links).
WAGTAILADMIN_BASE_URL = (
    os.environ.get("STEWARD_PUBLIC_URL", "").rstrip("/") or "http://127.0.0.1:8000"
)
# Wagtail's database backend (SQLite FTS5 / PostgreSQL full-text search); on SQLite
# with relevance ranking done in one pass (see steward/search_backend.py).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "steward.search_backend"}}
WAGTAIL_I18N_ENABLED = False
# Wagtail deletes a page's revisions with it; listings are "removed" by unpublishing
# and marking them defunct instead (directory.wagtail_hooks enforces it).
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]

GUARDIAN_RAISE_403 = True
SIMPLE_HISTORY_REVERT_DISABLED = True

# Steward's own knobs, one place for operators.
STEWARD = {
    # `make simulate` writes its figures here; the impact dashboard's data-quality
    # panel shows them (and its chart) when the file exists.
    "SIMULATION_RESULTS": BASE_DIR / "bench" / "results" / "simulate-latest.json",
    # The public base URL ("https://help.example.org"), read once here. Production
    # requires it; when empty (make serve, tests) links use the request's host.
    "PUBLIC_URL": os.environ.get("STEWARD_PUBLIC_URL", "").rstrip("/"),
    # Search radius for "near" (kilometres); results outside it are not shown.
    "NEAR_RADIUS_KM": float(os.environ.get("STEWARD_NEAR_RADIUS_KM", "80")),
    "SEARCH_PAGE_SIZE": 20,
    # The ZIP code the search form suggests ("e.g. 33101"): the deployment's own
    # area. Blank: the most common ZIP code of the directory's public places
    # (directory.geo.example_zip).
    "DEFAULT_ZIP": os.environ.get("STEWARD_DEFAULT_ZIP", ""),
    # impact: notification backends per channel (impact/notify.py). SMS has only a
    # console backend; a provider is one class with send(*, to, subject, body).
    "NOTIFICATIONS": {
        "email": "impact.notify.DjangoMailBackend",
        "sms": "impact.notify.ConsoleSMSBackend",
    },
    # impact: behind a load balancer, how many proxies append to X-Forwarded-For
    # (rate limits need the client's address; 0 trusts only REMOTE_ADDR).
    "TRUSTED_PROXY_COUNT": int(os.environ.get("STEWARD_TRUSTED_PROXY_COUNT", "0")),
    # Anonymous public pages from the cache (directory/pagecache.py): at most
    # MAX_SECONDS, less when an opening or closing time or midnight comes first.
    # View counts wait in the cache until run_periodic flushes them
    # (impact/counts.py) every VIEW_FLUSH_SECONDS; each process adds its views up in
    # memory and moves them to the cache every VIEW_BUFFER_SECONDS (0: at once).
    "PAGE_CACHE": {
        "ENABLED": os.environ.get("STEWARD_PAGE_CACHE", "1") != "0",
        "CACHE": "default",
        "MAX_SECONDS": 600,
        "OPEN_NOW_SEARCH_SECONDS": 60,
        "VIEW_FLUSH_SECONDS": 60,
        "VIEW_BUFFER_SECONDS": 5,
    },
}

# Help by text message (impact.sms; README "Help by text message"). With an auth
# token, every webhook request's X-Twilio-Signature is checked; without one the
# webhook answers only when DEBUG is on (make serve) and is refused in production.
STEWARD_SMS = {
    "ACCOUNT_SID": os.environ.get("TWILIO_ACCOUNT_SID", ""),
    "AUTH_TOKEN": os.environ.get("TWILIO_AUTH_TOKEN", ""),
    # The number people text, E.164 ("+13125550100"); follow-up questions come from it.
    "FROM": os.environ.get("STEWARD_SMS_FROM", ""),
    "BACKEND": os.environ.get("STEWARD_SMS_BACKEND", "impact.sms.backends.ConsoleBackend"),
    # Optional: the key numbers are hashed and encrypted with (default: from SECRET_KEY).
    "KEY": os.environ.get("STEWARD_SMS_KEY", ""),
    "MAX_SEGMENTS": 3,  # no reply is longer than this many SMS segments
    "FOLLOW_UP_DAYS": 3,
    # Messages Steward starts (the follow-up question) wait for the morning: never
    # from the first time to the second, in the service's local time (impact/sms/quiet.py).
    # Replies to a message are always immediate. None sends at any hour.
    "QUIET_HOURS": ("21:00", "08:00"),
    "SESSION_SECONDS": 24 * 3600,  # how long "MORE" and "2" remember the last search
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
