"""A crawl of the admin per role: every URL a user can reach by following links from
/admin/ (plus a fixed list of sensitive URLs with real ids) answers as the role
allows, nothing answers with an error, and crafted POSTs are refused."""

import html
import re
from collections import deque

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

import pytest

from directory.models import Location, ServicePage
from review.models import ListingLock, MergeRecord
from review.moderation import locks
from tests.factories import LocationFactory, OrganizationFactory, make_service
from tests.once import built_once
from tests.roles import member as member_of
from tests.roles import moderator, professional, superuser

pytestmark = pytest.mark.django_db

CRAWL_LIMIT = 160
HREF = re.compile(r'href="([^"#]+)')
SKIP = ("/admin/logout/", "/admin/failwhale/", "/admin/test404/")
# Wagtail's own administration: superusers only.
SUPERUSER_ONLY = (
    "/admin/users/",
    "/admin/groups/",
    "/admin/sites/",
    "/admin/settings/",
    "/admin/workflows/",
    "/admin/redirects/",
)
# The guards' screens: moderators only.
MODERATOR_ONLY = ("/admin/steward/",)


@built_once
def world():
    """Two organizations, a duplicate and a lock, built once for the module (the
    crawls only read; refused POSTs are rolled back with each test)."""
    org_a = OrganizationFactory(title="Org A")
    org_b = OrganizationFactory(title="Org B")
    a = make_service(organization=org_a, title="A pantry")
    a_dup = make_service(organization=org_a, title="A pantry (duplicate)")
    b = make_service(organization=org_b, title="B shelter")
    locks.lock(page=b, user=superuser("lock-setter"), reason="shelter")
    return {
        "org_a": org_a,
        "a": a,
        "a_dup": a_dup,
        "b": b,
        "location": Location.objects.filter(organization=org_a).first(),
        "unused_location": LocationFactory(organization=org_a, name="Unused"),
    }


ROLES = {
    "professional": lambda w: professional(username="pro"),
    "member_a": lambda w: member_of(w["org_a"], "member-a"),
    "moderator": lambda w: moderator("mod"),
    "superuser": lambda w: superuser("root"),
}


def sensitive_urls(w, victim):
    a, b, loc = w["a"], w["b"], w["location"]
    first, last = a.revisions.order_by("pk").first(), a.revisions.order_by("pk").last()
    group = (
        Group.objects.get(name="Moderators")
        if Group.objects.filter(name="Moderators").exists()
        else None
    )
    urls = [
        "/admin/",
        f"/admin/pages/{w['org_a'].pk}/",
        f"/admin/pages/{b.get_parent().pk}/",
        "/admin/users/",
        "/admin/users/new/",
        f"/admin/users/edit/{victim.pk}/",
        f"/admin/users/delete/{victim.pk}/",
        "/admin/groups/",
        "/admin/groups/new/",
        "/admin/sites/",
        "/admin/workflows/list/",
        "/admin/redirects/",
        "/admin/reports/site-history/",
        "/admin/reports/locked/",
        "/admin/steward/locks/",
    ]
    if group is not None:
        urls += [f"/admin/groups/edit/{group.pk}/", f"/admin/groups/delete/{group.pk}/"]
    for page in (a, b):
        urls += [
            f"/admin/pages/{page.pk}/edit/",
            f"/admin/pages/{page.pk}/history/",
            f"/admin/pages/{page.pk}/revisions/",
            f"/admin/pages/{page.pk}/revisions/compare/{first.pk}...{last.pk}/"
            if page == a
            else f"/admin/pages/{page.pk}/revisions/compare/earliest...latest/",
            f"/admin/pages/{page.pk}/edit/preview/",
            f"/admin/pages/{page.pk}/lock/",
            f"/admin/pages/{page.pk}/unlock/",
            f"/admin/pages/{page.pk}/delete/",
            f"/admin/pages/{page.pk}/move/",
            f"/admin/pages/{page.pk}/copy/",
            f"/admin/pages/{page.pk}/unpublish/",
            f"/admin/steward/pages/{page.pk}/lock/",
            f"/admin/steward/pages/{page.pk}/unlock/",
            f"/admin/steward/pages/{page.pk}/merge/",
        ]
    urls += [
        "/admin/snippets/directory/location/",
        f"/admin/snippets/directory/location/edit/{loc.pk}/",
        f"/admin/snippets/directory/location/history/{loc.pk}/",
        f"/admin/snippets/directory/location/delete/{w['unused_location'].pk}/",
    ]
    return urls


def crawl(client, seeds):
    seen, statuses = set(), {}
    queue = deque(seeds)
    while queue and len(statuses) < CRAWL_LIMIT:
        url = queue.popleft()
        path = url.split("?")[0]
        if path in seen or path.startswith(SKIP):
            continue
        seen.add(path)
        response = client.get(path)
        statuses[path] = response.status_code
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            for href in HREF.findall(response.content.decode()):
                href = html.unescape(href)
                if href.startswith("/admin/") and href.split("?")[0] not in seen:
                    queue.append(href)
    return statuses


@pytest.mark.parametrize("role", list(ROLES))
def test_every_admin_url_answers_as_the_role_allows(client, world, role):
    user = ROLES[role](world)
    victim = get_user_model().objects.create_user("victim", password="x")  # noqa: S106
    client.force_login(user)
    # Every response is checked: the test client raises on any server error (500).
    statuses = crawl(client, sensitive_urls(world, victim))

    assert len(statuses) >= 40, "the crawl should reach well past the seeds"
    assert all(status < 500 for status in statuses.values())
    reached = {path for path, status in statuses.items() if status == 200}

    if role != "superuser":
        assert not [p for p in reached if p.startswith(SUPERUSER_ONLY)], role
    else:
        assert {"/admin/users/", "/admin/groups/", f"/admin/users/edit/{victim.pk}/"} <= reached

    mine = {p for p in statuses if p.startswith(MODERATOR_ONLY)}
    if role in ("moderator", "superuser"):
        assert f"/admin/steward/pages/{world['a'].pk}/merge/" in reached
        assert f"/admin/steward/pages/{world['b'].pk}/unlock/" in reached
        assert "/admin/steward/locks/" in reached
    else:
        assert mine and not (mine & reached), role
        # Wagtail's own lock screens of a listing are the moderators' too.
        assert statuses[f"/admin/pages/{world['a'].pk}/lock/"] == 403

    if role == "member_a":
        assert f"/admin/pages/{world['a'].pk}/edit/" in reached


@pytest.mark.parametrize("role", ["professional", "member_a"])
def test_crafted_posts_without_the_right_are_refused(client, world, role):
    user = ROLES[role](world)
    victim = get_user_model().objects.create_user("victim", password="x")  # noqa: S106
    client.force_login(user)
    a, b = world["a"], world["b"]
    users_before = get_user_model().objects.count()

    for url, data in [
        (f"/admin/steward/pages/{a.pk}/lock/", {"reason": "vandalism"}),
        (f"/admin/pages/{a.pk}/lock/", {"reason": "vandalism"}),
        (f"/admin/steward/pages/{b.pk}/unlock/", {}),
        (f"/admin/pages/{b.pk}/unlock/", {}),
        (f"/admin/steward/pages/{world['a_dup'].pk}/merge/", {"survivor": a.pk}),
    ]:
        assert client.post(url, data).status_code == 403, url

    client.post(f"/admin/pages/{a.pk}/delete/")
    client.post(f"/admin/bulk/wagtailcore/page/delete/?id={a.pk}")
    client.post(f"/admin/snippets/directory/location/delete/{world['unused_location'].pk}/")
    client.post(
        "/admin/users/new/",
        {"username": "intruder", "password1": "pw-Long-enough-1", "password2": "pw-Long-enough-1"},
    )
    client.post(f"/admin/users/edit/{user.pk}/", {"username": user.username, "is_superuser": "on"})
    client.post(f"/admin/users/delete/{victim.pk}/")
    client.post("/admin/groups/new/", {"name": "Intruders"})

    assert not ListingLock.objects.filter(page=a).exists()
    assert ListingLock.objects.filter(page=b).exists()
    assert not MergeRecord.objects.exists()
    # Never deleted; a member of A may "Remove" (unpublish + defunct) A's own listing.
    assert ServicePage.objects.filter(pk=a.pk).exists()
    if role == "professional":
        assert ServicePage.objects.filter(pk=a.pk, live=True, status="active").exists()
    assert Location.objects.filter(pk=world["unused_location"].pk).exists()
    assert get_user_model().objects.count() == users_before
    assert get_user_model().objects.filter(pk=victim.pk).exists()
    user.refresh_from_db()
    assert not user.is_superuser
    assert not Group.objects.filter(name="Intruders").exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    for url in sensitive_urls(world, world["a"].owner or professional(username="someone")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/login/" in response["Location"], url
