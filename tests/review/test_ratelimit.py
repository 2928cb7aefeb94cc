"""New accounts submit at most N edits an hour; the count lives in the shared cache."""

import datetime as dt

from django.conf import settings
from django.utils import timezone

import pytest

from directory import throttle
from directory.models import ServicePage
from review.moderation import ratelimit
from review.trust.standing import Standing
from tests.factories import make_service
from tests.review.guards_support import loaded_from, service_form
from tests.roles import member as member_of
from tests.roles import moderator


def hit(key, limit, window, *, now):
    return throttle.hit("report", key, limit=limit, window=window, now=now)


def test_hit_allows_up_to_the_limit_per_window_and_keys_are_separate():
    now = 1_000_000.0
    results = [hit("1.2.3.4", 3, 60, now=now).allowed for _ in range(4)]
    assert results == [True, True, True, False]
    assert hit("5.6.7.8", 3, 60, now=now).allowed
    # The next window starts afresh.
    assert hit("1.2.3.4", 3, 60, now=now + 60).allowed


def test_the_counter_is_in_the_cache_configured_for_the_site():
    throttle.hit("signup", "x", limit=5, window=3600, now=7200.0)
    assert throttle.peek("signup", "x", 3600, now=7200.0) == 1
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")


@pytest.mark.django_db
def test_who_counts_as_a_new_account(monkeypatch):
    from tests.factories import UserFactory

    old_hand = UserFactory(date_joined=timezone.now() - dt.timedelta(days=30))
    newcomer = UserFactory(date_joined=timezone.now() - dt.timedelta(days=2))
    monkeypatch.setattr(ratelimit, "standing_for", lambda user: Standing(points=60, good=0, bad=0))
    assert not ratelimit.is_new_account(old_hand)
    assert ratelimit.is_new_account(newcomer)
    monkeypatch.setattr(ratelimit, "standing_for", lambda user: Standing(points=10, good=0, bad=0))
    assert ratelimit.is_new_account(old_hand)  # low reputation
    assert not ratelimit.is_new_account(moderator("mod"))


@pytest.mark.django_db
def test_an_edit_over_the_limit_is_refused_and_nothing_is_saved(client, settings):
    settings.STEWARD = {**settings.STEWARD, "RATE_LIMITS": {"new_account_edit": (2, 3600)}}
    service = make_service()
    client.force_login(member_of(service.get_parent().specific, "member"))

    for n in range(2):
        service = ServicePage.objects.get(pk=service.pk)
        data = {**service_form(service, description=f"Edit {n}"), **loaded_from(service)}
        assert client.post(f"/admin/pages/{service.pk}/edit/", data).status_code == 302
    service = ServicePage.objects.get(pk=service.pk)
    count = service.revisions.count()
    data = {**service_form(service, description="One too many"), **loaded_from(service)}

    response = client.post(f"/admin/pages/{service.pk}/edit/", data)

    assert response.status_code == 429
    assert "at most 2 edits an hour" in response.content.decode()
    assert "Nothing was saved" in response.content.decode()
    assert service.revisions.count() == count


@pytest.mark.django_db
def test_autosave_rewriting_ones_own_draft_is_not_counted(client, settings):
    settings.STEWARD = {**settings.STEWARD, "RATE_LIMITS": {"new_account_edit": (1, 3600)}}
    service = make_service()
    client.force_login(member_of(service.get_parent().specific, "member"))
    first = client.post(
        f"/admin/pages/{service.pk}/edit/",
        {**service_form(service, description="draft"), **loaded_from(service)},
        headers={"accept": "application/json"},
    )
    own = first.json()["revision_id"]
    for n in range(3):
        again = client.post(
            f"/admin/pages/{service.pk}/edit/",
            {**service_form(service, description=f"draft {n}"), "overwrite_revision_id": own},
            headers={"accept": "application/json"},
        )
        assert again.json()["success"] is True


@pytest.mark.django_db
def test_moderators_are_not_rate_limited(client, settings):
    settings.STEWARD = {**settings.STEWARD, "RATE_LIMITS": {"new_account_edit": (1, 3600)}}
    service = make_service()
    client.force_login(moderator("mod"))
    for n in range(2):
        service = ServicePage.objects.get(pk=service.pk)
        data = {**service_form(service, description=f"Edit {n}"), **loaded_from(service)}
        assert client.post(f"/admin/pages/{service.pk}/edit/", data).status_code == 302
