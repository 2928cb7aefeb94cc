import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-insecure-key"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
DATABASES = database_from_env(BASE_DIR / "test.sqlite3")
MEDIA_ROOT = BASE_DIR / ".test-media"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STEWARD_SMS = {**STEWARD_SMS, "BACKEND": "impact.sms.backends.LocmemBackend", "AUTH_TOKEN": ""}
# Most tests change data and read pages back in one test without the signals a
# real edit sends; the page cache is switched on by the tests of caching
# (tests/directory/test_page_cache.py), which also give it a fresh namespace.
# Server processes started by a test (tests/directory/test_page_cache_scale_out.py)
# share Redis and switch the cache on through the environment.
STEWARD = {
    **STEWARD,
    "PAGE_CACHE": {
        **STEWARD["PAGE_CACHE"],
        "ENABLED": os.environ.get("STEWARD_PAGE_CACHE") == "1",
    },
}
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "steward.cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "steward",
        }
    }
