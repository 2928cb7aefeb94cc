"""The review queue in the admin: who may open it, what it shows, its actions,
the daily cap and the query budget."""

import datetime as dt

from django.utils import timezone

from wagtail.log_actions import log
from wagtail.models import PageLogEntry

import pytest

from review.models import Report, ReviewItem
from review.queue import actions
from tests.factories import (
    LocationFactory,
    OrganizationFactory,
    UserFactory,
    category,
    make_service,
)

pytestmark = pytest.mark.django_db

INDEX = "/admin/review-queue/"


def item_url(item):
    return f"/admin/review-queue/{item.pk}/"


def act_url(item):
    return f"/admin/review-queue/{item.pk}/act/"


def make_item(service, kind="disputed", **fields):
    item = ReviewItem(
        page=service, kind=kind, reason=fields.pop("reason", f"{kind} because"), **fields
    )
    item.save()
    return item


@pytest.fixture
def listing():
    return make_service(title="Harbor food pantry")


@pytest.fixture
def disputed(listing):
    report = actions.report_problem(
        service=listing, reason="closed", source="outcome", note="Door locked"
    )
    # The report opened the listing's item itself (review.queue.scan.refresh_listings).
    item = ReviewItem.objects.open().get(page=listing, kind="disputed")
    assert item.report_ids == [report.pk]
    return item


@pytest.fixture
def people(plain_professional, reviewer, moderator, make_member, listing, points):
    member = make_member(listing.get_parent().specific, username="member")
    return {
        "professional": plain_professional,
        "member": member,
        "reviewer": reviewer,
        "moderator": moderator,
    }


class TestWhoMayOpenTheQueue:
    def test_anonymous_visitors_are_sent_to_sign_in_and_change_nothing(self, client, disputed):
        assert client.get(INDEX)["Location"].startswith("/admin/login/")
        response = client.post(act_url(disputed), {"action": "resolve", "resolution": "x"})
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
        disputed.refresh_from_db()
        assert disputed.is_open

    @pytest.mark.parametrize(
        ("role", "index", "item"),
        [
            ("professional", 403, 403),
            ("member", 403, 403),
            ("reviewer", 200, 200),
            ("moderator", 200, 200),
        ],
    )
    def test_each_role_on_get(self, client, people, disputed, role, index, item):
        client.force_login(people[role])
        assert client.get(INDEX).status_code == index
        assert client.get(item_url(disputed)).status_code == item

    @pytest.mark.parametrize(
        ("role", "allowed"),
        [("professional", False), ("member", False), ("reviewer", True), ("moderator", True)],
    )
    def test_each_role_on_a_crafted_post(self, client, people, disputed, role, allowed):
        client.force_login(people[role])
        response = client.post(
            act_url(disputed), {"action": "resolve", "resolution": "Called: open as usual."}
        )
        disputed.refresh_from_db()
        report = Report.objects.get()
        uphold = client.post(act_url(disputed), {"action": "uphold", "report": report.pk})
        report.refresh_from_db()
        if allowed:
            assert response.status_code == 302 and not disputed.is_open
            assert disputed.resolved_by == people[role]
            assert report.status == "upheld"
        else:
            assert response.status_code == 403 and uphold.status_code == 403
            assert disputed.is_open and report.is_open
            assert (
                not PageLogEntry.objects.filter(action__startswith="steward.")
                .exclude(action="steward.report")
                .exists()
            )

    def test_the_menu_shows_the_queue_to_reviewers_only(self, client, people):
        client.force_login(people["professional"])
        assert "Review queue" not in client.get("/admin/").content.decode()
        client.force_login(people["reviewer"])
        assert "Review queue" in client.get("/admin/").content.decode()

    def test_a_reviewer_does_not_see_their_own_organizations_listings(
        self, client, reviewer, listing, disputed
    ):
        from tests.factories import membership

        membership(reviewer, listing.get_parent().specific)
        other = make_item(make_service(title="Elsewhere clinic"), "stale")
        client.force_login(reviewer)
        html = client.get(INDEX).content.decode()
        assert "Elsewhere clinic" in html and "Harbor food pantry" not in html
        assert client.get(item_url(disputed)).status_code == 403
        assert client.get(item_url(other)).status_code == 200


class TestTheList:
    def test_items_come_in_priority_order_with_their_reason(self, client, moderator):
        low = make_item(make_service(title="Low"), "stale", priority=1.0, reason="Hours due")
        high = make_item(
            make_service(title="High"), "disputed", priority=7.5, reason="Two reporters"
        )
        client.force_login(moderator)
        html = client.get(INDEX).content.decode()
        assert html.index("High") < html.index("Low")
        assert "Two reporters" in html and "Hours due" in html
        assert f'href="{item_url(high)}"' in html and f'href="{item_url(low)}"' in html
        assert "no daily limit" in html

    def test_filters_by_kind_category_organization_and_area(self, client, moderator):
        legal_org = OrganizationFactory(title="Legal Aid North")
        evanston = LocationFactory(organization=legal_org, city="Evanston", postal_code="60201")
        legal = make_service(
            title="Tenant clinic",
            organization=legal_org,
            location=evanston,
            categories=[category("111")],
        )
        food = make_service(title="Soup kitchen", categories=[category("102")])
        make_item(legal, "stale")
        make_item(food, "disputed")
        client.force_login(moderator)

        def titles(query):
            html = client.get(INDEX + query).content.decode()
            return {t for t in ("Tenant clinic", "Soup kitchen") if t in html}

        assert titles("") == {"Tenant clinic", "Soup kitchen"}
        assert titles("?kind=stale") == {"Tenant clinic"}
        assert titles("?category=102") == {"Soup kitchen"}
        assert titles(f"?organization={legal_org.pk}") == {"Tenant clinic"}
        assert titles("?area=evanston") == {"Tenant clinic"}
        assert titles("?area=602") == {"Tenant clinic"}
        assert titles("?area=60601") == {"Soup kitchen"}

    def test_a_bad_filter_is_explained_and_ignored(self, client, moderator, listing):
        make_item(listing, "stale")
        client.force_login(moderator)
        response = client.get(INDEX + "?kind=nonsense&organization=abc&category=999")
        html = response.content.decode()
        assert response.status_code == 200
        assert "this filter was ignored" in html
        assert "Harbor food pantry" in html

    def test_paginates_and_keeps_the_filters(self, client, moderator, settings):
        settings.STEWARD = {**settings.STEWARD, "REVIEW": {"QUEUE_PAGE_SIZE": 2}}
        for n in range(3):
            make_item(make_service(title=f"Pantry {n}"), "stale", priority=10 - n)
        client.force_login(moderator)
        first = client.get(INDEX + "?kind=stale").content.decode()
        assert "Pantry 0" in first and "Pantry 2" not in first
        assert "?kind=stale&amp;p=2" in first
        second = client.get(INDEX + "?kind=stale&p=2").content.decode()
        assert "Pantry 2" in second and "Pantry 0" not in second
        assert client.get(INDEX + "?p=abc").status_code == 200

    def test_fifty_items_cost_a_bounded_number_of_queries(
        self, client, moderator, settings, django_assert_max_num_queries
    ):
        settings.STEWARD = {**settings.STEWARD, "REVIEW": {"QUEUE_PAGE_SIZE": 50}}
        kinds = [k for k, _ in ReviewItem.Kind.choices]
        services = [make_service(title=f"Listing {n}") for n in range(13)]
        for n in range(50):
            make_item(services[n // 4], kinds[n % 4], priority=n)
        client.force_login(moderator)
        client.get(INDEX)  # warm the session and the admin's caches
        with django_assert_max_num_queries(20):
            response = client.get(INDEX)
        html = response.content.decode()
        # One row per listing (13), each with its reasons (50 in all).
        assert html.count('class="rq-item ') == 13
        assert html.count('class="rq-reason"') == 50


class TestOneRowPerListing:
    def test_a_listing_with_two_reasons_is_one_row_in_words_first(self, client, moderator):
        service = make_service(title="Harbor pantry")
        make_item(service, "stale", reason="Never fully verified.", priority=0.4)
        make_item(service, "disputed", reason="Someone reported a problem.", priority=4.2)
        client.force_login(moderator)
        html = client.get(INDEX).content.decode()
        assert html.count('class="rq-item ') == 1
        assert html.count("Harbor pantry") == 1
        assert "Never fully verified." in html and "Someone reported a problem." in html
        assert "Needs checking" in html and "Reported problem" in html
        # Words before the number: "High priority" comes first, the score after it.
        assert html.index("High priority") < html.index("priority 4.2")
        assert "P 4.2" not in html

    def test_a_low_priority_listing_says_needs_checking(self, client, moderator):
        make_item(make_service(title="Quiet clinic"), "stale", priority=0.3)
        client.force_login(moderator)
        html = client.get(INDEX).content.decode()
        assert '<span class="rq-urgency">Needs checking</span>' in html
        assert "High priority" not in html


class TestAnItem:
    def test_shows_why_the_listing_and_the_report(
        self, client, reviewer, disputed, listing, django_assert_max_num_queries
    ):
        client.force_login(reviewer)
        with django_assert_max_num_queries(25):
            html = client.get(item_url(disputed)).content.decode()
        assert "Someone could not get help here (an outcome report)." in html
        assert f'href="{listing.url}"' in html
        assert f'href="/admin/pages/{listing.pk}/edit/"' in html
        assert "Door locked" in html and "Uphold" in html and "Resolve" in html

    def test_a_pending_edit_links_to_the_diff_between_live_and_latest(
        self, client, moderator, listing
    ):
        item = make_item(listing, "pending_edit")
        client.force_login(moderator)
        html = client.get(item_url(item)).content.decode()
        assert f"/admin/pages/{listing.pk}/revisions/compare/live...latest/" in html
        assert "Resolve" not in html

    def test_resolving_needs_a_reason(self, client, reviewer, disputed):
        client.force_login(reviewer)
        response = client.post(
            act_url(disputed), {"action": "resolve", "resolution": "   "}, follow=True
        )
        assert "Say how this was resolved." in response.content.decode()
        disputed.refresh_from_db()
        assert disputed.is_open

    def test_a_stale_item_is_not_resolved_by_hand(self, client, reviewer, listing):
        item = make_item(listing, "stale")
        client.force_login(reviewer)
        response = client.post(
            act_url(item), {"action": "resolve", "resolution": "fine"}, follow=True
        )
        assert "verifying or editing the listing" in response.content.decode()
        item.refresh_from_db()
        assert item.is_open

    def test_unknown_actions_and_foreign_reports_change_nothing(self, client, reviewer, disputed):
        elsewhere = actions.report_problem(
            service=make_service(), reason="closed", source="outcome"
        )
        client.force_login(reviewer)
        html = client.post(act_url(disputed), {"action": "delete"}, follow=True).content.decode()
        assert "Choose one of the actions" in html
        html = client.post(
            act_url(disputed), {"action": "uphold", "report": elsewhere.pk}, follow=True
        ).content.decode()
        assert "not about this listing" in html
        html = client.post(
            act_url(disputed), {"action": "uphold", "report": "x"}, follow=True
        ).content.decode()
        assert "Choose a report." in html
        assert Report.objects.filter(status="open").count() == 2
        assert client.get(act_url(disputed)).status_code == 405


class TestTheDailyCap:
    def test_a_reviewer_is_stopped_after_20_decisions_with_a_clear_message(
        self, client, reviewer, disputed, listing
    ):
        for _ in range(20):
            log(listing, "steward.report.decline", user=reviewer)
        client.force_login(reviewer)
        assert "0 review decisions left today" in client.get(item_url(disputed)).content.decode()
        response = client.post(
            act_url(disputed), {"action": "resolve", "resolution": "ok"}, follow=True
        )
        assert "daily limit for reviewers" in response.content.decode()
        disputed.refresh_from_db()
        assert disputed.is_open

    def test_yesterdays_decisions_do_not_count(self, reviewer, listing):
        from review.moderation.decisions import decisions_left

        yesterday = timezone.now() - dt.timedelta(days=1, hours=1)
        for _ in range(20):
            log(listing, "steward.report.decline", user=reviewer, timestamp=yesterday)
        assert decisions_left(reviewer, now=timezone.now()) == 20

    def test_the_cap_is_40_when_the_backlog_is_over_200(self, reviewer, settings, listing):
        from review.moderation.decisions import decisions_left

        settings.STEWARD = {**settings.STEWARD, "REVIEW": {"BUSY_BACKLOG": 1}}
        make_item(listing, "stale")
        make_item(listing, "disputed")
        assert decisions_left(reviewer, now=timezone.now()) == 40

    def test_moderators_have_no_cap(self, client, moderator, disputed, listing):
        for _ in range(50):
            log(listing, "steward.report.decline", user=moderator)
        client.force_login(moderator)
        client.post(act_url(disputed), {"action": "resolve", "resolution": "Checked"})
        disputed.refresh_from_db()
        assert not disputed.is_open


def test_a_professional_without_points_is_not_a_reviewer(plain_professional):
    from review.policy import is_reviewer

    assert not is_reviewer(plain_professional)
    assert not is_reviewer(UserFactory())


class TestDecidingFromTheQueue:
    """Approve, reject and verify go through review.moderation.actions and review.trust.actions."""

    @pytest.fixture
    def pending(self, client, world):
        from review.queue.scan import scan
        from tests.review.editing import latest, service_form

        client.force_login(world.users.outsider)
        data = service_form(latest(world.service_a), alert="Moved upstairs")
        data["action-submit"] = "1"
        assert client.post(f"/admin/pages/{world.service_a.pk}/edit/", data).status_code == 302
        scan()
        return ReviewItem.objects.open().get(kind="pending_edit", page=world.service_a)

    def test_a_moderator_approves_and_the_item_leaves_the_queue(self, client, world, pending):
        from directory.models import ServicePage

        client.force_login(world.users.moderator)
        page = client.get(item_url(pending)).content.decode()
        assert f"/admin/review/pending/{world.service_a.pk}/" in page
        assert 'value="approve"' in page
        response = client.post(act_url(pending), {"action": "approve"})
        assert response.status_code == 302
        assert ServicePage.objects.get(pk=world.service_a.pk).alert == "Moved upstairs"
        pending.refresh_from_db()
        assert pending.status == "resolved" and pending.resolved_by == world.users.moderator
        assert PageLogEntry.objects.filter(action="steward.review.approve").count() == 1

    def test_rejecting_needs_a_reason(self, client, world, pending):
        from directory.models import ServicePage

        client.force_login(world.users.moderator)
        response = client.post(act_url(pending), {"action": "reject", "comment": " "}, follow=True)
        assert "Say why the changes are rejected" in response.content.decode()
        assert pending.__class__.objects.get(pk=pending.pk).is_open
        client.post(act_url(pending), {"action": "reject", "comment": "Wrong floor"})
        pending.refresh_from_db()
        assert not pending.is_open
        assert ServicePage.objects.get(pk=world.service_a.pk).alert == ""

    def test_a_reviewers_approval_waits_for_a_second_organization_and_counts_toward_the_cap(
        self, client, world, pending, points
    ):
        from review.moderation.decisions import decisions_left

        reviewer = points(world.users.reviewer_c, 500)
        client.force_login(reviewer)
        response = client.post(act_url(pending), {"action": "approve"}, follow=True)
        assert "A reviewer from another organization" in response.content.decode()
        pending.refresh_from_db()
        assert pending.is_open
        assert decisions_left(reviewer, now=timezone.now()) == 19

    def test_the_editor_cannot_decide_from_the_queue(self, client, world, pending):
        editor = world.users.outsider
        from django.contrib.auth.models import Group

        editor.groups.add(Group.objects.get_or_create(name="Moderators")[0])
        client.force_login(editor)
        response = client.post(act_url(pending), {"action": "approve"}, follow=True)
        assert "You edited these changes" in response.content.decode()
        pending.refresh_from_db()
        assert pending.is_open

    def test_verifying_a_stale_listing_closes_its_item(self, client, reviewer, listing):
        from review.models import Verification

        item = make_item(listing, "stale")
        client.force_login(reviewer)
        response = client.post(act_url(item), {"action": "verify"})
        assert response.status_code == 302 and response["Location"] == INDEX
        assert Verification.objects.get().user == reviewer
        item.refresh_from_db()
        assert item.status == "resolved" and item.resolution == "Verified still accurate."
