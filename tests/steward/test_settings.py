"""Production settings come from the environment, and say clearly what is missing."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "steward.settings.production",
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "help.example.org,www.help.example.org",
    "DATABASE_URL": "postgres://steward@db.internal:5432/steward",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "STEWARD_PUBLIC_URL": "https://help.example.org",
}
PRINT_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s;"
    "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['HOST'],"
    " s.CACHES['default']['BACKEND'], s.ALLOWED_HOSTS, s.DEBUG,"
    " s.MAILERS['default']['BACKEND'])"
)


def run(env, code):
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION}
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_reads_database_cache_and_hosts_from_the_environment():
    result = run(PRODUCTION, PRINT_SETTINGS)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "db.internal",
        # Django's Redis backend, keeping one redis-py client per connection pool.
        "steward.cache.RedisCache",
        "['help.example.org',",
        "'www.help.example.org']",
        "False",
        "django.core.mail.backends.smtp.EmailBackend",
    ]


def test_production_without_a_secret_key_stops_with_a_clear_message():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}

    result = run(env, PRINT_SETTINGS)

    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable for production." in result.stderr
