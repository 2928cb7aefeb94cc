"""Issue 14, scale-out: two app processes share one PostgreSQL and one Redis, and
the page cache stays coherent. An edit published through one server shows at
once on the page the other server had cached.

Needs PostgreSQL (DATABASE_URL) and Redis (STEWARD_TEST_REDIS_URL, default
redis://127.0.0.1:6379/3; the test empties that database with FLUSHDB).
"""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from django.db import connection

import pytest

from tests.factories import OrganizationFactory, make_service
from tests.review.editing import latest, service_form
from tests.roles import professional

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("STEWARD_TEST_REDIS_URL", "redis://127.0.0.1:6379/3")
PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's


def _postgres():
    return connection.vendor == "postgresql"


pytestmark = [
    pytest.mark.skipif(
        not _postgres(),
        reason="scale-out needs PostgreSQL shared by two server processes "
        "(DATABASE_URL=postgres://…); SQLite's test database is not shared",
    ),
    # The servers read committed rows; the migrations' rows come back afterwards.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _flush_redis():
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # only this test's database number


class AppServer:
    """A gunicorn process with the test database and the shared Redis."""

    def __init__(self, name, tmp_path):
        settings = connection.settings_dict
        user = settings["USER"] or "postgres"
        auth = f"{user}:{settings['PASSWORD']}@" if settings["PASSWORD"] else f"{user}@"
        database_url = (
            f"postgres://{auth}{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/"
            f"{settings['NAME']}"
        )
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "steward.settings.test",
            "DATABASE_URL": database_url,
            "REDIS_URL": REDIS_URL,
            "STEWARD_PAGE_CACHE": "1",
            "PYTHONUNBUFFERED": "1",
        }
        self.port = _free_port()
        self.log = (tmp_path / f"{name}.log").open("w")
        self.process = subprocess.Popen(  # noqa: S603 - a loopback test server
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "steward.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"{name} exited; see {self.log.name}"
            try:
                urllib.request.urlopen(f"{self.base}/healthz", timeout=5).read()  # noqa: S310
                return
            except OSError:
                time.sleep(0.5)
        raise AssertionError(f"{name} did not start; see {self.log.name}")

    def get(self, path, opener=None):
        # Behind a load balancer every server sees the public host name.
        request = urllib.request.Request(  # noqa: S310
            self.base + path, headers={"User-Agent": "Mozilla/5.0", "Host": "localhost"}
        )  # noqa: S310
        try:
            with (opener or urllib.request.build_opener()).open(request, timeout=60) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture
def servers(tmp_path):
    _flush_redis()
    started = []
    try:
        started = [AppServer("a", tmp_path), AppServer("b", tmp_path)]
        yield started
    finally:
        for server in started:
            server.stop()
        _flush_redis()


def _csrf(jar):
    return next(cookie.value for cookie in jar if cookie.name == "csrftoken")


def _sign_in(server, username):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    server.get("/admin/login/", opener)
    data = urllib.parse.urlencode(
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": _csrf(jar)}
    ).encode()
    login = urllib.request.Request(  # noqa: S310
        f"{server.base}/admin/login/", data=data, headers={"Host": "localhost"}
    )
    opener.open(login, timeout=60)  # noqa: S310
    return opener, jar


def test_an_edit_through_one_server_shows_on_the_page_the_other_had_cached(servers):
    a, b = servers
    organization = OrganizationFactory(title="Greater Chicago Food Partners")
    service = make_service(organization=organization, title="Weekly groceries")
    member = professional(organization, username="member")

    status, headers, html = b.get(service.url)
    assert status == 200 and "Weekly groceries" in html
    assert headers["X-Steward-Cache"] == "miss"
    assert b.get(service.url)[1]["X-Steward-Cache"] == "hit"
    assert a.get(service.url)[1]["X-Steward-Cache"] == "hit"  # one shared cache

    opener, jar = _sign_in(a, member.username)
    data = service_form(latest(service), title="Weekly groceries and hot meals")
    data["action-publish"] = "1"
    data["csrfmiddlewaretoken"] = _csrf(jar)
    body = urllib.parse.urlencode(data, doseq=True).encode()
    edit = urllib.request.Request(  # noqa: S310
        f"{a.base}/admin/pages/{service.pk}/edit/", data=body, headers={"Host": "localhost"}
    )  # noqa: S310
    with opener.open(edit, timeout=120) as response:
        assert response.status == 200  # followed the redirect after publishing
    assert re.search(r"hot meals", latest(service).title)

    status, headers, html = b.get(service.url)
    assert status == 200
    assert headers.get("X-Steward-Cache") != "hit"
    assert "Weekly groceries and hot meals" in html
    organization_page = b.get(organization.url)[2]
    assert "Weekly groceries and hot meals" in organization_page
