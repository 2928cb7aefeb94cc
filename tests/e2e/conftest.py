import os
import shutil
import threading
import time

from django.core.cache import cache

from wagtail.models import Site

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `apt-get install chromium` (CI's .ci/run does).")
    # Playwright's sync API runs an event loop in this thread; the tests' ORM calls
    # (factories) are plain synchronous code, so Django's async guard is lifted here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _requests_in_flight():
    return [t for t in threading.enumerate() if "process_request_thread" in t.name and t.is_alive()]


@pytest.fixture(autouse=True)
def _live_server_drained(request):
    """Let the live server finish every request before the database is flushed.

    Closing a browser page that had Wagtail's editor open sends a beacon
    (editing-sessions/release) as the page unloads. If the live server is still
    handling it when the test's database is flushed, SQLite's shared in-memory
    database is locked, the flush fails and the next test finds the last one's
    pages. This fixture is set up after the database fixture, so its teardown runs
    before the flush: it waits (at most 10 s) until no request thread is alive."""
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    drain_live_server()


def drain_live_server():
    """Wait (at most 10 s) until the live server handles no request: a beacon sent
    as a page closed is still on its way for a moment."""
    time.sleep(0.2)
    deadline = time.monotonic() + 10
    while _requests_in_flight() and time.monotonic() < deadline:
        time.sleep(0.05)


def close_context(context):
    """Close a browser context, then let the live server finish the requests its
    pages sent as they closed (Wagtail's editor releases its editing session), so
    that the test's next database write does not meet SQLite's table lock."""
    context.close()
    drain_live_server()


@pytest.fixture
def phone(browser):
    """A page at phone size (390×844, as an iPhone 12–15)."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def small_phone(browser):
    """A page at the width of a cheap phone (360×780)."""
    context = browser.new_context(
        viewport={"width": 360, "height": 780}, device_scale_factor=2, is_mobile=True
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def site(live_server):
    """The default site, answering on the live server's port."""
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "localhost", live_server.thread.port
    site.save()
    # Wagtail caches the site's root paths; the rollback between tests recreated the site.
    cache.clear()
    return site


WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def assert_accessible(axe):
    """Fail with axe-core's own report when a page breaks a WCAG 2.x A/AA rule."""

    def check(page, name):
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
        violations = results.response["violations"]
        report = "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(n["target"][0] for n in v["nodes"][:3])
            for v in violations
        )
        assert not violations, f"{name} breaks WCAG 2 A/AA rules:\n{report}"

    return check
