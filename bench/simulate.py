"""`make simulate`: two simulated years of Steward's trust loop against a real database.

Runs the project's own verbs on a fresh database (a temporary SQLite file, or
PostgreSQL from SIM_DATABASE_URL, whose name must contain "sim"), under a
simulated clock, and compares the result with a world kept only by a yearly bulk
re-import. Writes bench/results/simulate-latest.json and docs/simulate-wrong-values.svg.

The clock. Every verb that takes `now=` gets the simulated time; everything else
(Wagtail's revisions and publishing, `auto_now` fields, memberships) reads
`django.utils.timezone.now`, which is patched with `unittest.mock` for the whole
run (the clock boundary: nothing else is patched).

The actions (all real, none mocked):
- verify: review.trust.actions.verify_service, when an organization answers a due reminder;
- edit by a member: a page revision saved and published by a member of the
  listing's organization (the publish policy, directory.policy.may_publish, says
  they may);
- suggest: a non-member's revision submitted to the "Pending changes" workflow
  (Workflow.start); vandals suggest too;
- approve / reject: review.moderation.actions.approve / reject, by a moderator;
- report: review.queue.actions.report_problem (the public), resolve_report (moderator);
- outcome: impact.referrals.create_referral then impact.outcomes.record_outcome;
- rollback: history.actions.rollback_run, when an upheld report finds the live
  value came from a careless member's run and the version before it is right;
- closing: directory.actions.retire_service;
- periodic jobs: steward.periodic.run_due_jobs(now=...) once a simulated day
  (freshness recompute daily, the review scan, weekly due reminders, digests);
  the organizations read the DueReminder rows the reminder job writes;
- the review queue: a moderator takes the top stale and disputed items each day,
  calls the service, fixes or retires it, verify_service and resolve_item.

Search indexing is switched off during the run (AUTO_UPDATE False), as the brief allows,
and Wagtail's reference-index task is not run (dummy task backend).
"""

import argparse
import bisect
import contextlib
import datetime as dt
import hashlib
import heapq
import json
import math
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
sys.path.insert(0, str(BENCH))

# ---------------------------------------------------------------------------
# Parameters (every one is written into the JSON). Rates are yearly
# probabilities that a true value changes; assumptions, not measurements:
# 211 practice (AIRS standards) re-verifies every record yearly because a
# sizeable share changes each year; phones and hours change most, addresses
# less (moves), names least; a few percent of services close each year.
PARAMETERS = {
    "change_rate_per_year": {
        "hours": 0.30,
        "phone": 0.20,
        "email": 0.12,
        "website": 0.10,
        "address": 0.06,
        "name": 0.03,
    },
    "closure_rate_per_year": 0.04,
    # Organizations: share, chance they notice their own change (and fix it), the
    # median delay in days (log-normal, sigma 0.8), the chance they answer a due
    # reminder, and its median delay in days.
    "diligence": {
        "diligent": {
            "share": 0.5,
            "notice": 0.9,
            "notice_days": 3,
            "answer": 0.97,
            "answer_days": 5,
        },
        "typical": {
            "share": 0.35,
            "notice": 0.7,
            "notice_days": 10,
            "answer": 0.9,
            "answer_days": 14,
        },
        "lax": {"share": 0.15, "notice": 0.4, "notice_days": 30, "answer": 0.7, "answer_days": 30},
    },
    "delay_sigma": 0.8,
    "careless_org_share": 0.10,  # their members mistype a value in this share of edits:
    "careless_typo_rate": 0.25,
    "vandals_per_1000_listings": 2,
    "vandal_edits_per_month": 3,
    # Per wrong live value per day: a professional of another organization suggests
    # the right value; the public reports it.
    "suggest_per_wrong_value_per_day": 0.004,
    "report_per_wrong_value_per_day": 0.004,
    "referrals_per_listing_per_year": 2.0,
    "moderator_median_days": 1.5,
    "moderator_report_median_days": 3.0,
    # Moderators work the review queue (stale and disputed listings, highest
    # priority first): they call the service, fix what is wrong and verify it.
    # Capacity per day per 1,000 listings (4 calls a day at 2,000: part-time work).
    "moderator_queue_calls_per_1000_listings_per_day": 2.0,
    # The re-import world: imports on day 0 and every 365 days from a source whose
    # snapshot is this many days behind (uniform), itself re-verified yearly.
    "reimport_every_days": 365,
    # `run_periodic` runs on one simulated night a week (see README: the nightly
    # freshness recompute of every listing costs minutes at 2,000 listings here;
    # a verification recomputes its own listing at once, and reminders are weekly).
    "periodic_every_days": 7,
    "reimport_source_lag_days": [60, 240],
}

FULL_READ_EVERY = 28  # days between full reads of the public values (Sim.observed_values)
FIELDS = ("name", "phone", "hours", "website", "email", "address")
REPORT_REASON = {"phone": "wrong_phone", "hours": "wrong_hours", "address": "wrong_address"}
_REAL_NOW = None
CLOSING_TIMES = ["16:00", "16:30", "17:00", "17:30", "18:00", "19:00", "20:00", "21:00"]


def log(message):
    print(f"[simulate] {message}", file=sys.stderr, flush=True)


def lognormal_days(rng, median):
    return max(0.05, rng.lognormvariate(math.log(median), PARAMETERS["delay_sigma"]))


class Clock:
    def __init__(self, start):
        self.now = start

    def __call__(self):
        return self.now


def setup_django(database_url):
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "steward.settings.test"
    import django
    from django.conf import settings

    # Set before django.setup(): the task and search back-ends are read once, when
    # first used (set afterwards, the reference index still ran on every save).
    backends = {
        name: {**config, "AUTO_UPDATE": False}
        for name, config in settings.WAGTAILSEARCH_BACKENDS.items()
    }
    settings.WAGTAILSEARCH_BACKENDS = backends
    # Wagtail's only task here is the reference index ("where is this used" in the
    # admin), nothing the trust loop reads: enqueued, not run, like search indexing.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    django.setup()


def digits(value):
    return "".join(ch for ch in str(value or "") if ch.isdigit())


def hhmm(value):
    return value.strftime("%H:%M") if value else ""


class Sim:
    def __init__(self, *, services, days, seed, clock):
        self.n = services
        self.days = days
        self.t = 0.0
        self.seed = seed
        self.rng = random.Random(seed)
        self.clock = clock
        self.start = clock.now
        self.agenda = []  # (day_float, seq, kind, payload)
        self.seq = 0
        self.counts = {}
        self.vandal_values = set()  # (page_id, field, value)
        self.vandal_live = set()
        self.careless_values = {}  # (page_id, field) -> (value, editor_id)
        # Wrong spells, timed at the hour of the events that start and end them
        # (a true value changing, a service closing, a write going live):
        self.wrong_since = {}  # (page_id, field) -> simulated day (a float)
        self.wrong_durations = []
        # ... and, for comparison, as the nightly reading alone sees them (whole
        # nights; a spell that starts and ends between two readings is not seen).
        self.nightly_since = {}
        self.nightly_durations = []
        self.series = []
        self.today = 0
        # What the public sees, read from the database: in full every
        # FULL_READ_EVERY days (and compared with the cache: counts
        # "shown_cache_mismatches", 0 when every write went through a marked action),
        # otherwise only for the listings an action touched that day.
        self.shown = None
        self.dirty = set()
        self.wrong_days = {}  # cause -> value-days wrong live
        self.wrong_by_field = {}  # field -> value-days wrong live

    # -- bookkeeping ---------------------------------------------------------
    def count(self, name, by=1):
        self.counts[name] = self.counts.get(name, 0) + by

    def at(self, day, kind, payload):
        self.seq += 1
        heapq.heappush(self.agenda, (day, self.seq, kind, payload))

    def set_time(self, day):
        self.t = day  # the simulated time in days since the start (a float)
        self.clock.now = self.start + dt.timedelta(days=day)
        return self.clock.now

    # -- the world -------------------------------------------------------------
    def build(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group, Permission

        from directory.generate import generate_listings
        from directory.models import Membership, OrganizationPage, ServicePage
        from review.moderation.workflow import MODERATORS_GROUP, PROFESSIONALS_GROUP, ensure_all

        User = get_user_model()
        ensure_all()
        generate_listings(services=self.n, seed=self.seed, now=self.clock.now)
        access = Permission.objects.get(codename="access_admin")
        pros, _ = Group.objects.get_or_create(name=PROFESSIONALS_GROUP)
        pros.permissions.add(access)
        mods, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
        mods.permissions.add(access)
        self.moderator = User.objects.create_user(
            "moderator-211", "mod@example.org", is_superuser=True, is_staff=True
        )
        self.moderator.groups.add(mods, pros)

        rng = self.rng
        self.orgs = list(OrganizationPage.objects.order_by("pk"))
        tiers = PARAMETERS["diligence"]
        self.org_info = {}
        for i, org in enumerate(self.orgs):
            roll, tier = rng.random(), "lax"
            acc = 0.0
            for name, t in tiers.items():
                acc += t["share"]
                if roll < acc:
                    tier = name
                    break
            user = User.objects.create_user(f"member-{i}", f"member{i}@example.org")
            user.groups.add(pros)
            Membership.objects.create(user=user, organization=org)
            self.org_info[org.pk] = {
                "tier": tier,
                "careless": rng.random() < PARAMETERS["careless_org_share"],
                "member": user,
            }
        vandals = max(1, round(self.n * PARAMETERS["vandals_per_1000_listings"] / 1000))
        self.vandals = []
        for i in range(vandals):
            user = User.objects.create_user(f"vandal-{i}", f"vandal{i}@example.org")
            user.groups.add(pros)
            home = self.orgs[rng.randrange(len(self.orgs))]
            Membership.objects.create(user=user, organization=home)
            self.vandals.append((user, home.pk))

        self.pages = list(ServicePage.objects.order_by("pk").values_list("pk", flat=True))
        self.org_of = {s.pk: s.get_parent().pk for s in ServicePage.objects.order_by("pk")}
        # Services sharing a location: an address edit on one shows on all of them.
        from directory.models import ServiceAtLocation

        at = {}
        for service_id, location_id in ServiceAtLocation.objects.values_list(
            "service_id", "location_id"
        ):
            at.setdefault(location_id, set()).add(service_id)
        self.siblings = {}
        for services in at.values():
            for pk in services:
                self.siblings.setdefault(pk, set()).update(services)
        shown = self.read_shown()
        # truth[(page, field)] = ([day, ...], [value, ...]); closed[page] = day
        self.truth = {}
        for pk in self.pages:
            for field in FIELDS:
                value = shown[pk].get(field)
                if value:
                    self.truth[(pk, field)] = ([0.0], [value])
        # One true address per location: services sharing a location move together
        # (its first service rolls the change; the others share its history).
        first = {}
        for service_id, location_id in ServiceAtLocation.objects.order_by(
            "service_id", "sort_order", "pk"
        ).values_list("service_id", "location_id"):
            first.setdefault(service_id, location_id)
        owners, self.address_owner = {}, {}
        for pk in self.pages:
            location_id = first.get(pk)
            if location_id is None or (pk, "address") not in self.truth:
                continue
            owner = owners.setdefault(location_id, pk)
            self.truth[(pk, "address")] = self.truth[(owner, "address")]
            self.address_owner[pk] = owner
        self.closed = {}
        # The year before the run (not simulated): every listing was fully verified by
        # its organization once in the past 330 days, spread evenly, as with yearly
        # re-verification. Written as the rows verify_service writes (all fields, by a
        # member, for the organization), in bulk, then one recompute of the store.
        from review.models import Verification
        from review.trust.fields import all_fields
        from review.trust.store import recompute

        fields = all_fields()
        Verification.objects.bulk_create(
            Verification(
                page_id=pk,
                user=self.org_info[self.org_of[pk]]["member"],
                organization_id=self.org_of[pk],
                kind=Verification.Kind.VERIFICATION,
                fields=fields,
                verified_at=self.start - dt.timedelta(days=rng.uniform(0, 330)),
            )
            for pk in self.pages
        )
        recompute(now=self.start)

    def read_shown(self, pks=None):
        """The public values of every listing (or of these), as the database holds
        them now."""
        from directory.models import ServicePage, ServicePhone, ServiceSchedule

        pages = ServicePage.objects.all()
        children = {}
        if pks is not None:
            pages = pages.filter(pk__in=pks)
            children = {"service_id__in": pks}
        shown = {}
        for pk, title, website, email, live, status in pages.values_list(
            "pk", "title", "website", "email", "live", "status"
        ):
            shown[pk] = {
                "name": title,
                "website": website,
                "email": email,
                "_live": live and status != "defunct",
            }
        for page_id, number in (
            ServicePhone.objects.filter(**children)
            .order_by("service_id", "sort_order", "pk")
            .values_list("service_id", "number")
        ):
            shown[page_id].setdefault("phone", digits(number))
        for page_id, closes in (
            ServiceSchedule.objects.filter(**children)
            .order_by("service_id", "sort_order", "pk")
            .values_list("service_id", "closes_at")
        ):
            shown[page_id].setdefault("hours", hhmm(closes))
        from directory.models import ServiceAtLocation

        for page_id, address in (
            ServiceAtLocation.objects.filter(**children)
            .order_by("service_id", "sort_order", "pk")
            .values_list("service_id", "location__address_1")
        ):
            shown[page_id].setdefault("address", address or "")
        return shown

    def true_value(self, pk, field, day):
        days, values = self.truth[(pk, field)]
        return values[bisect.bisect_right(days, day) - 1]

    def is_open(self, pk, day):
        closed = self.closed.get(pk)
        return closed is None or day < closed

    # -- value makers ------------------------------------------------------------
    def new_value(self, field, current):
        rng = self.rng
        from directory.generate import phone_number

        while True:
            if field == "phone":
                value = digits(phone_number(rng))
            elif field == "hours":
                value = rng.choice(CLOSING_TIMES)
            elif field == "website":
                value = f"https://www.example.org/s{rng.randrange(10**6)}"
            elif field == "email":
                value = f"info{rng.randrange(10**6)}@example.org"
            elif field == "address":
                value = f"{rng.randint(100, 9999)} W {rng.choice(['Lake', 'Adams', 'Ohio'])} St"
            else:
                value = f"{current.split(' — ')[0]} — {rng.choice(['Center', 'Program', 'Hub'])}"
            if value != current:
                return value

    def typo(self, field, value):
        if field == "phone" and len(value) >= 2:
            return (
                value[:-2] + value[-1] + value[-2] if value[-1] != value[-2] else value[:-1] + "0"
            )
        if field == "hours":
            return self.new_value("hours", value)
        return value + "x"

    # -- writing values the way people do -----------------------------------------
    def _apply(self, page, field, value):
        """Set one public value on a page object (children in memory, for the revision)."""
        if field == "name":
            page.title = value
        elif field in ("website", "email"):
            setattr(page, field, value)
        elif field == "phone":
            phones = list(page.phones.all())
            phones[0].number = value
            page.phones = phones
        elif field == "hours":
            hours = list(page.hours.all())
            closes = dt.time(*map(int, value.split(":")))
            for row in hours:
                row.closes_at = closes
            page.hours = hours

    def member_edit(self, pk, values, user):
        """A member of the listing's organization edits and publishes (a real revision)."""
        from directory.models import Location, ServicePage
        from directory.policy import may_publish

        page = ServicePage.objects.get(pk=pk)
        if not may_publish(user, page):
            self.count("member_edit_refused")
            return None
        page_values = {f: v for f, v in values.items() if f != "address"}
        revision = None
        if page_values:
            for field, value in page_values.items():
                self._apply(page, field, value)
            revision = page.save_revision(user=user, log_action=True)
            revision.publish(user=user)
            self.count("member_edits")
        if "address" in values:
            link = page.service_at_locations.order_by("sort_order", "pk").first()
            location = Location.objects.get(pk=link.location_id)
            location.address_1 = values["address"]
            revision = location.save_revision(user=user, log_action=True)
            if user.has_perm("directory.publish_location"):
                revision.publish(user=user)
            else:
                # Members may not publish locations (moderators do): it waits.
                delay = lognormal_days(self.rng, PARAMETERS["moderator_median_days"])
                self.at(self.today + delay, "location_review", (location.pk, revision.pk, pk))
            self.count("location_edits")
        return revision

    def suggest(self, pk, values, user):
        """A non-member's edit: saved as a revision and submitted to Pending changes."""
        from directory.models import ServicePage
        from directory.policy import may_publish
        from review.moderation.actions import has_pending_changes

        page = ServicePage.objects.get(pk=pk)
        if may_publish(user, page):
            self.count("suggest_would_publish")
            return
        if has_pending_changes(page):
            page = page.get_latest_revision_as_object()
        for field, value in values.items():
            self._apply(page, field, value)
        page.save_revision(user=user, log_action=True)
        base = page.specific if hasattr(page, "specific") else page
        from wagtail.models import Page

        live = Page.objects.get(pk=pk).specific
        if not has_pending_changes(live):
            # As Wagtail's editor does: a rejected ("needs changes") state resumes.
            state = live.current_workflow_state
            if state is not None and state.status == state.STATUS_NEEDS_CHANGES:
                state.resume(user)
            else:
                live.get_workflow().start(live, user)
        self.count("suggestions")
        del base

    # -- one simulated day -----------------------------------------------------------
    def step(self, day):
        rng = self.rng
        p = PARAMETERS
        now = self.set_time(day + 9 / 24)
        self.today = day
        # 1. The world changes.
        for pk in self.pages:
            if not self.is_open(pk, day):
                continue
            org = self.org_info[self.org_of[pk]]
            tier = p["diligence"][org["tier"]]
            if rng.random() < p["closure_rate_per_year"] / 365:
                self.closed[pk] = day
                self.evaluate(pk, float(day))
                if rng.random() < tier["notice"]:
                    self.at(day + lognormal_days(rng, tier["notice_days"]), "retire", pk)
                continue
            for field in FIELDS:
                key = (pk, field)
                if key not in self.truth:
                    continue
                if field == "address" and self.address_owner.get(pk) != pk:
                    continue  # the location's first service rolls its moves
                if rng.random() < p["change_rate_per_year"][field] / 365:
                    days, values = self.truth[key]
                    days.append(float(day))
                    values.append(self.new_value(field, values[-1]))
                    for other in self.sharing(pk, field):
                        self.evaluate(other, float(day), fields=(field,))
                    if rng.random() < tier["notice"]:
                        self.at(day + lognormal_days(rng, tier["notice_days"]), "notice", pk)
        # 2. Vandals suggest nonsense on other organizations' listings.
        for user, home in self.vandals:
            if rng.random() < p["vandal_edits_per_month"] / 30:
                pk = self.pages[rng.randrange(len(self.pages))]
                if self.org_of[pk] == home or not self.is_open(pk, day):
                    continue
                field = rng.choice([f for f in FIELDS if (pk, f) in self.truth and f != "address"])
                value = "3125550000" if field == "phone" else self.new_value(field, "")
                if field == "phone":
                    value = digits(f"(312) {rng.randint(200, 999)}-{rng.randint(0, 9999):04d}")
                if value == self.true_value(pk, field, day):
                    continue  # by chance the truth: no vandalism
                self.vandal_values.add((pk, field, value))
                self.dirty.add(pk)
                self.suggest(pk, {field: value}, user)
                self.count("vandal_suggestions")
                self.at(day + lognormal_days(rng, p["moderator_median_days"]), "moderate", pk)
        # 3. Agenda items due today, in order.
        while self.agenda and self.agenda[0][0] < day + 1:
            when, _, kind, payload = heapq.heappop(self.agenda)
            self.set_time(max(when, self.t))
            touched = self.page_of(kind, payload)
            getattr(self, f"do_{kind}")(payload, day)
            self.settle(touched)
            if kind in ("report", "outcome"):
                # A report that a value is wrong reaches the organization at once
                # (review.queue.reports): it reads that notice like a due reminder.
                self.read_reminders(day)
        # 4. Moderators work the top of the review queue (in the afternoon).
        self.set_time(max(day + 14 / 24, self.t))
        self.work_queue(day)
        # 5. Periodic jobs, then organizations read their due reminders.
        if day % PARAMETERS["periodic_every_days"] == 0:
            self.set_time(max(day + 23 / 24, self.t))
            self.periodic(day)
        # 6. What the public sees tonight.
        self.observe(day)
        del now

    def work_queue(self, day):
        """A moderator takes the highest-priority stale and disputed listings of the
        review queue, calls each service, fixes what is wrong (or retires it when
        closed) and verifies it; a disputed item is resolved with the call's result."""
        from review.models import ReviewItem

        calls = self.n * PARAMETERS["moderator_queue_calls_per_1000_listings_per_day"] / 1000
        calls = int(calls) + (self.rng.random() < calls - int(calls))
        items = list(
            ReviewItem.objects.open()
            .filter(kind__in=[ReviewItem.Kind.STALE, ReviewItem.Kind.DISPUTED])
            .by_priority()[:calls]
        )
        for item in items:
            pk = item.page_id
            if pk not in self.org_of:
                continue
            self.count("queue_calls")
            self.queue_call(item, pk, day)
            self.settle(pk)

    def queue_call(self, item, pk, day):
        from django.core.exceptions import PermissionDenied, ValidationError

        from directory.models import ServicePage
        from review.models import ReviewItem
        from review.queue.actions import resolve_item
        from review.trust.actions import verify_service

        shown = self.read_shown_one(pk)
        if not shown["_live"]:
            return
        if not self.is_open(pk, day):
            self.do_retire(pk, day)
        else:
            fields = self.wrong_fields(pk, shown, day)
            if fields:
                values = {f: self.true_value(pk, f, day) for f in fields}
                self.member_edit(pk, values, self.moderator)
                self.count("queue_fixes")
            verify_service(
                service=ServicePage.objects.get(pk=pk),
                user=self.moderator,
                now=self.clock.now,
            )
            self.count("queue_verifications")
        if item.kind == ReviewItem.Kind.DISPUTED:
            try:
                resolve_item(
                    item=item,
                    reviewer=self.moderator,
                    resolution="Called the service and corrected the listing.",
                    now=self.clock.now,
                )
            except (PermissionDenied, ValidationError):
                self.count("queue_resolve_refused")

    def page_of(self, kind, payload):
        """The listing an agenda action may change (its public values are re-read)."""
        if kind == "resolve":
            from review.models import Report

            return Report.objects.filter(pk=payload).values_list("page_id", flat=True).first()
        if kind == "location_review":
            return payload[2]
        return payload[0] if isinstance(payload, tuple) else payload

    def wrong_fields(self, pk, shown, day):
        return [
            f
            for f in FIELDS
            if (pk, f) in self.truth and shown.get(f) != self.true_value(pk, f, day)
        ]

    def do_notice(self, pk, day):
        """The organization noticed its own change and fixes its listing."""
        shown = self.read_shown_one(pk)
        if not shown["_live"]:
            return
        self.fix(pk, shown, day, self.wrong_fields(pk, shown, day))

    def fix(self, pk, shown, day, fields):
        if not fields:
            return None
        org = self.org_info[self.org_of[pk]]
        values = {}
        for f in fields:
            value = self.true_value(pk, f, day)
            if org["careless"] and self.rng.random() < PARAMETERS["careless_typo_rate"]:
                value = self.typo(f, value)
                self.careless_values[(pk, f)] = (value, org["member"].pk)
                self.count("careless_typos")
            values[f] = value
        return self.member_edit(pk, values, org["member"])

    def do_location_review(self, payload, day):
        """A moderator publishes a member's location edit when it is right."""
        from wagtail.models import Revision

        location_pk, revision_pk, pk = payload
        revision = Revision.objects.get(pk=revision_pk)
        if revision.as_object().address_1 == self.true_value(pk, "address", day):
            revision.publish(user=self.moderator)
            self.count("location_published")
        else:
            self.count("location_not_published")

    def do_retire(self, pk, day):
        from directory.actions import retire_service
        from directory.models import ServicePage

        page = ServicePage.objects.get(pk=pk)
        if page.live:
            retire_service(service=page, user=self.moderator)
            self.count("retired")

    def do_moderate(self, pk, day):
        """A moderator decides the pending changes: approve when every pending value
        is true, reject otherwise."""
        from django.core.exceptions import PermissionDenied, ValidationError

        from directory.models import ServicePage
        from review.moderation.actions import approve, has_pending_changes, reject

        page = ServicePage.objects.get(pk=pk)
        if not has_pending_changes(page):
            return
        draft = page.get_latest_revision_as_object()
        pending = self.values_of(draft)
        live = self.read_shown_one(pk)
        changed = [f for f in FIELDS if (pk, f) in self.truth and pending.get(f) != live.get(f)]
        right = all(pending.get(f) == self.true_value(pk, f, day) for f in changed)
        try:
            if right:
                approve(page=page, user=self.moderator)
                self.count("approved")
            else:
                reject(page=page, user=self.moderator, reason="Not what the service says.")
                self.count("rejected")
        except (PermissionDenied, ValidationError) as exc:
            self.count("decision_refused")
            log(f"decision refused on {pk}: {exc}")

    def values_of(self, page):
        values = {"name": page.title, "website": page.website, "email": page.email}
        phones = list(page.phones.all())
        if phones:
            values["phone"] = digits(phones[0].number)
        hours = list(page.hours.all())
        if hours:
            values["hours"] = hhmm(hours[0].closes_at)
        return values

    def read_shown_one(self, pk):
        """What the public sees of one listing now: the cache, which every action
        re-reads for the listings it touched (settle), checked against a full read
        every FULL_READ_EVERY nights (shown_cache_mismatches)."""
        if self.shown is not None and pk in self.shown:
            return self.shown[pk]
        return self.read_shown_db(pk)

    def read_shown_db(self, pk):
        from directory.models import ServicePage

        page = ServicePage.objects.get(pk=pk)
        values = self.values_of(page)
        link = page.service_at_locations.order_by("sort_order", "pk").first()
        if link is not None:
            values["address"] = link.location.address_1 or ""
        values["_live"] = page.live and page.status != "defunct"
        return values

    def do_suggest(self, payload, day):
        pk, field, user = payload
        shown = self.read_shown_one(pk)
        truth = self.true_value(pk, field, day)
        if shown["_live"] and shown.get(field) != truth and field != "address":
            self.suggest(pk, {field: truth}, user)
            self.at(
                day + lognormal_days(self.rng, PARAMETERS["moderator_median_days"]), "moderate", pk
            )

    def do_report(self, payload, day):
        from review.queue.actions import report_problem

        pk, reason = payload
        from directory.models import ServicePage

        report = report_problem(
            service=ServicePage.objects.get(pk=pk),
            reason=reason,
            client_key=f"sim-{self.rng.randrange(10**9)}",
            now=self.clock.now,
        )
        self.count("reports")
        self.at(
            day + lognormal_days(self.rng, PARAMETERS["moderator_report_median_days"]),
            "resolve",
            report.pk,
        )

    def do_resolve(self, report_pk, day):
        """The moderator calls the service, decides the report and fixes what is wrong:
        a careless member's run is rolled back when the version before it is right."""
        from django.contrib.auth import get_user_model

        from directory.models import ServicePage
        from history.actions import HistoryError, editor_run, rollback_run
        from review.models import Report
        from review.queue.actions import resolve_report

        report = Report.objects.get(pk=report_pk)
        if not report.is_open:
            return
        pk = report.page_id
        shown = self.read_shown_one(pk)
        if report.reason in ("closed", "no_answer"):
            wrong = not self.is_open(pk, day) or (
                report.reason == "no_answer" and "phone" in self.wrong_fields(pk, shown, day)
            )
        else:
            field = {v: k for k, v in REPORT_REASON.items()}[report.reason]
            wrong = field in self.wrong_fields(pk, shown, day)
        resolve_report(report=report, reviewer=self.moderator, upheld=wrong, now=self.clock.now)
        self.count("reports_upheld" if wrong else "reports_declined")
        if not wrong or not shown["_live"]:
            return
        if not self.is_open(pk, day):
            self.do_retire(pk, day)
            return
        fields = self.wrong_fields(pk, shown, day)
        careless = [self.careless_values.get((pk, f)) for f in fields]
        page = ServicePage.objects.get(pk=pk)
        pairs = zip(careless, fields, strict=True)
        if careless and all(c and c[0] == shown.get(f) for c, f in pairs):
            editor = get_user_model().objects.get(pk=careless[0][1])
            run, before = editor_run(page, editor)
            if before is not None:
                restored = self.values_of(before.as_object())
                if all(restored.get(f) == self.true_value(pk, f, day) for f in fields):
                    try:
                        rollback_run(page=page, editor=editor, user=self.moderator, wrong=True)
                        self.count("rollbacks")
                        return
                    except HistoryError:
                        pass
        values = {f: self.true_value(pk, f, day) for f in fields}
        self.member_edit(pk, values, self.moderator)
        self.count("moderator_fixes")

    def do_outcome(self, payload, day):
        from directory.models import ServicePage
        from impact.outcomes import record_outcome
        from impact.referrals import create_referral

        pk, pro = payload
        page = ServicePage.objects.get(pk=pk)
        referral, _ = create_referral(
            professional=pro, service=page, follow_up_on=self.clock.now.date()
        )
        shown = self.read_shown_one(pk)
        if not self.is_open(pk, day):
            result, reason = "could_not", "closed"
        elif "phone" in self.wrong_fields(pk, shown, day) and self.rng.random() < 0.5:
            result, reason = "could_not", "no_answer"
        else:
            result, reason = "got_help", ""
        record_outcome(
            service=page,
            result=result,
            reason=reason,
            source="referral",
            referral=referral,
            now=self.clock.now,
        )
        self.count(f"outcomes_{result}")
        if reason:
            from review.models import Report

            report = Report.objects.filter(page_id=pk, status="open").order_by("-pk").first()
            if report is not None:
                self.at(
                    day + lognormal_days(self.rng, PARAMETERS["moderator_report_median_days"]),
                    "resolve",
                    report.pk,
                )

    def do_reminded(self, pk, day):
        """An organization answers a due reminder: fixes what it knows is wrong, then
        verifies the whole listing."""
        from directory.models import ServicePage
        from review.trust.actions import verify_service

        shown = self.read_shown_one(pk)
        if not shown["_live"]:
            return
        if not self.is_open(pk, day):
            self.do_retire(pk, day)
            return
        self.fix(pk, shown, day, self.wrong_fields(pk, shown, day))
        org = self.org_info[self.org_of[pk]]
        verify_service(
            service=ServicePage.objects.get(pk=pk), user=org["member"], now=self.clock.now
        )
        self.count("verifications")

    def periodic(self, day):
        from steward.periodic import run_due_jobs

        for name, outcome in run_due_jobs(now=self.clock.now):
            if outcome != "ok":
                self.count("periodic_failed")
                log(f"{name}: {outcome}")
        self.count("periodic_runs")
        self.read_reminders(day)

    def read_reminders(self, day):
        """Organizations read the reminders written since the last reading (the
        weekly due reminders, and a report's notice, review.queue.reports) and
        answer some, after a delay of their kind."""
        from review.models import DueReminder
        from review.queue.reports import PERIOD_PREFIX

        last = getattr(self, "_last_reminder", 0)
        for pk, organization_id, page_id, period in (
            DueReminder.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "organization_id", "page_id", "period")
        ):
            last = pk
            org = self.org_info.get(organization_id)
            if org is None:
                continue
            tier = PARAMETERS["diligence"][org["tier"]]
            self.count("report_notices" if period.startswith(PERIOD_PREFIX) else "reminders")
            if self.rng.random() < tier["answer"]:
                self.at(self.t + lognormal_days(self.rng, tier["answer_days"]), "reminded", page_id)
        self._last_reminder = last

    def observe(self, day):
        p = PARAMETERS
        shown = self.observed_values(day)
        total = wrong = 0
        for pk in self.pages:
            values = shown[pk]
            open_ = self.is_open(pk, day)
            for field in FIELDS:
                key = (pk, field)
                if key not in self.truth:
                    continue
                if not values["_live"]:
                    is_wrong = False  # not shown: nothing wrong is public
                else:
                    total += 1
                    value = values.get(field)
                    is_wrong = (not open_) or value != self.true_value(pk, field, day)
                    wrong += is_wrong
                    if is_wrong:
                        cause = self.cause(pk, field, value, open_)
                        self.wrong_days[cause] = self.wrong_days.get(cause, 0) + 1
                        self.wrong_by_field[field] = self.wrong_by_field.get(field, 0) + 1
                    if is_wrong and (pk, field, value) in self.vandal_values:
                        # A vandal's value on show (never merely a value a vandal once
                        # typed that has since become true).
                        self.vandal_live.add((pk, field, value))
                # The spells are timed at their events (settle, evaluate); this
                # reading only catches what no event timed (counted: 0 expected
                # after the first night).
                timed = key in self.wrong_since
                self.track(key, is_wrong, self.t)
                if day and timed != (key in self.wrong_since):
                    self.count("spells_timed_at_night")
                self.track(
                    key, is_wrong, day, since=self.nightly_since, durations=self.nightly_durations
                )
                suggests = is_wrong and open_ and field != "address"
                if suggests and self.rng.random() < p["suggest_per_wrong_value_per_day"]:
                    other = self.orgs[self.rng.randrange(len(self.orgs))]
                    if other.pk != self.org_of[pk]:
                        user = self.org_info[other.pk]["member"]
                        self.at(day + 1 + self.rng.random(), "suggest", (pk, field, user))
                if (
                    is_wrong
                    and field in REPORT_REASON
                    or (is_wrong and not open_ and field == "name")
                ) and self.rng.random() < p["report_per_wrong_value_per_day"]:
                    reason = REPORT_REASON.get(field, "closed") if open_ else "closed"
                    self.at(day + 1 + self.rng.random(), "report", (pk, reason))
            if values["_live"] and self.rng.random() < p["referrals_per_listing_per_year"] / 365:
                other = self.orgs[self.rng.randrange(len(self.orgs))]
                self.at(
                    day + 1 + self.rng.random(), "outcome", (pk, self.org_info[other.pk]["member"])
                )
        self.series.append((day, wrong / total if total else 0.0))

    def observed_values(self, day):
        touched = set(self.dirty)
        for pk in self.dirty:
            touched |= self.siblings.get(pk, set())
        self.dirty.clear()
        if self.shown is None or day % FULL_READ_EVERY == 0:
            full = self.read_shown()
            if self.shown is not None:
                stale = [
                    pk for pk in self.pages if pk not in touched and full[pk] != self.shown[pk]
                ]
                self.count("shown_cache_mismatches", len(stale))
                for pk in stale[:3]:
                    log(f"cache missed a change on {pk}: {self.shown[pk]} -> {full[pk]}")
            self.shown = full
        elif touched:
            self.shown.update(self.read_shown(sorted(touched)))
        return self.shown

    def cause(self, pk, field, value, open_):
        """Why a public value is wrong: the service closed, a vandal's or a careless
        member's value, or the truth moved on and the listing has not followed."""
        if not open_:
            return "closed"
        if (pk, field, value) in self.vandal_values:
            return "vandal"
        careless = self.careless_values.get((pk, field))
        if careless and careless[0] == value:
            return "careless"
        return "changed"

    def track(self, key, is_wrong, t, *, since=None, durations=None):
        """Start or end the wrong spell of one public value at time t (days)."""
        since = self.wrong_since if since is None else since
        durations = self.wrong_durations if durations is None else durations
        start = since.get(key)
        if is_wrong and start is None:
            since[key] = t
        elif not is_wrong and start is not None:
            durations.append(t - start)
            del since[key]

    def is_wrong(self, pk, field, t):
        values = self.shown[pk]
        if not values["_live"]:
            return False  # not shown: nothing wrong is public
        return not self.is_open(pk, t) or values.get(field) != self.true_value(pk, field, t)

    def evaluate(self, pk, t, fields=FIELDS):
        """Time the wrong spells of this listing's public values at t."""
        if self.shown is None:
            return
        for field in fields:
            if (pk, field) in self.truth:
                self.track((pk, field), self.is_wrong(pk, field, t), t)

    def sharing(self, pk, field):
        """The listings whose true `field` is this listing's (a shared location)."""
        if field != "address":
            return (pk,)
        return sorted(o for o in self.siblings.get(pk, {pk}) if self.address_owner.get(o) == pk)

    def settle(self, pk):
        """After an action on a listing: re-read the public values it (and the
        listings sharing its location) may have changed, and time their spells."""
        if pk is None or self.shown is None:
            return
        touched = sorted(self.siblings.get(pk, set()) | {pk})
        self.shown.update(self.read_shown(touched))
        for other in touched:
            self.evaluate(other, self.t)

    def finish(self):
        for since in self.wrong_since.values():  # still wrong at the end: censored
            self.wrong_durations.append(self.days - since)
        for since in self.nightly_since.values():
            self.nightly_durations.append(self.days - since)
        from review.models import ListingFreshness

        end = self.start + dt.timedelta(days=self.days)
        shown = self.read_shown()
        active = [pk for pk in self.pages if shown[pk]["_live"] and self.is_open(pk, self.days)]
        rows = dict(
            ListingFreshness.objects.filter(page_id__in=active).values_list(
                "page_id", "last_full_verification_at"
            )
        )
        verified = sum(
            1 for pk in active if rows.get(pk) and end - rows[pk] <= dt.timedelta(days=365)
        )
        return {
            "verified_within_365d": round(verified / len(active), 4) if active else 0.0,
            "wrong_value_share": round(statistics.fmean(v for _, v in self.series), 4),
            "wrong_value_share_at_end": round(self.series[-1][1], 4),
            "median_hours_wrong_live": round(statistics.median(self.wrong_durations) * 24, 1)
            if self.wrong_durations
            else 0.0,
            # The same spells as the nightly reading alone saw them (whole nights).
            "median_hours_wrong_live_nightly": round(
                statistics.median(self.nightly_durations) * 24, 1
            )
            if self.nightly_durations
            else 0.0,
            "wrong_spells": len(self.wrong_durations),
            "wrong_spells_under_7_days": round(
                sum(d < 7 for d in self.wrong_durations) / len(self.wrong_durations), 4
            )
            if self.wrong_durations
            else 0.0,
            "vandal_edits_live": len(self.vandal_live),
            "vandal_edits_attempted": len(self.vandal_values),
            "wrong_value_days_by_cause": dict(sorted(self.wrong_days.items())),
            "wrong_value_days_by_field": dict(sorted(self.wrong_by_field.items())),
            "active_listings": len(active),
            "counts": dict(sorted(self.counts.items())),
        }

    # -- the re-import world ------------------------------------------------------------
    def reimport_world(self):
        """The same true world, shown only through yearly bulk re-imports of a source
        snapshot that is months behind (modelled from the truth histories, see README)."""
        rng = random.Random(self.seed + 1)
        lo, hi = PARAMETERS["reimport_source_lag_days"]
        every = PARAMETERS["reimport_every_days"]
        imports = list(range(0, self.days + 1, every))
        lag = {pk: rng.uniform(lo, hi) for pk in self.pages}
        age = {pk: rng.uniform(0, 365) for pk in self.pages}
        series, durations, since = [], [], {}
        for day in range(self.days):
            last = max(d for d in imports if d <= day)
            total = wrong = 0
            for pk in self.pages:
                snap = max(0.0, last - lag[pk]) if last else 0.0
                closed = self.closed.get(pk)
                if closed is not None and closed <= snap:
                    continue  # the import removed it
                open_ = closed is None or day < closed
                for field in FIELDS:
                    key = (pk, field)
                    if key not in self.truth:
                        continue
                    total += 1
                    is_wrong = (not open_) or self.true_value(pk, field, snap) != self.true_value(
                        pk, field, day
                    )
                    wrong += is_wrong
                    if is_wrong and key not in since:
                        since[key] = day
                    elif not is_wrong and key in since:
                        durations.append(day - since.pop(key))
            series.append((day, wrong / total if total else 0.0))
        durations.extend(self.days - s for s in since.values())
        last = max(d for d in imports if d <= self.days)
        active = [pk for pk in self.pages if self.is_open(pk, self.days)]
        verified = 0
        for pk in active:
            snap = max(0.0, last - lag[pk]) if last else 0.0
            verified_day = snap - age[pk]
            verified += self.days - verified_day <= 365
        return {
            "verified_within_365d": round(verified / len(active), 4) if active else 0.0,
            "wrong_value_share": round(statistics.fmean(v for _, v in series), 4),
            "wrong_value_share_at_end": round(series[-1][1], 4),
            "median_hours_wrong_live": round(statistics.median(durations) * 24, 1)
            if durations
            else 0.0,
            "vandal_edits_live": 0,
            "active_listings": len(active),
        }, series


def run(args):
    started = time.monotonic()
    url = os.environ.get("SIM_DATABASE_URL")
    tmp = None
    if url:
        from run import fresh_database

        name = url.rsplit("/", 1)[-1]
        if "sim" not in name or "bench" not in name:
            sys.exit(
                f'SIM_DATABASE_URL names "{name}"; it is dropped and recreated, so its '
                'name must contain "sim" and "bench" (e.g. steward_sim_bench).'
            )
        fresh_database(url)
    else:
        tmp = tempfile.mkdtemp(prefix="steward-sim-")
        url = f"sqlite:///{tmp}/simulate.sqlite3"
    template = None if tmp is None else _migrated_template()
    if template is not None and template.exists():
        shutil.copyfile(template, f"{tmp}/simulate.sqlite3")
    setup_django(url)
    global _REAL_NOW
    from django.utils import timezone

    _REAL_NOW = timezone.now
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    if template is not None and not template.exists():
        from django.db import connection

        connection.close()
        template.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f"{tmp}/simulate.sqlite3", template)
    clock = Clock(dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC))
    with mock.patch("django.utils.timezone.now", new=clock), _field_defaults(clock):
        sim = Sim(services=args.services, days=args.days, seed=args.seed, clock=clock)
        sim.build()
        built = time.monotonic() - started
        log(f"world built: {len(sim.pages)} listings, {len(sim.orgs)} organizations, {built:.0f} s")
        for day in range(args.days):
            sim.step(day)
            if day % 30 == 29:
                log(
                    f"day {day + 1}: wrong {sim.series[-1][1]:.3f}, "
                    f"{time.monotonic() - started:.0f} s"
                )
        steward = sim.finish()
    reimport, reimport_series = sim.reimport_world()
    weekly = [
        {"day": day, "steward": round(s, 4), "reimport_only": round(r, 4)}
        for (day, s), (_, r) in zip(sim.series, reimport_series, strict=False)
        if day % 7 == 0 or day == args.days - 1
    ]
    result = {
        "seed": args.seed,
        "services": args.services,
        "days": args.days,
        "database": "postgresql" if url.startswith("postgres") else "sqlite",
        "clock": "unittest.mock.patch('django.utils.timezone.now'); verbs get now=",
        "parameters": PARAMETERS,
        "steward": steward,
        "reimport_only": reimport,
        "series": weekly,
    }
    goals = {
        "verified_within_365d >= 0.95": steward["verified_within_365d"] >= 0.95,
        "wrong_value_share < 0.05": steward["wrong_value_share"] < 0.05,
        "wrong_value_share <= reimport/5": steward["wrong_value_share"]
        <= reimport["wrong_value_share"] / 5,
        "median_hours_wrong_live < 168": steward["median_hours_wrong_live"] < 168,
        "vandal_edits_live == 0": steward["vandal_edits_live"] == 0,
    }
    result["goals"] = goals
    seconds = round(time.monotonic() - started, 1)
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n")
    timing = out.with_name(out.stem + "-timing.json")
    timing.write_text(json.dumps({"seconds": seconds}) + "\n")
    if args.chart:
        from impact.charts import simulation_svg

        Path(args.chart).write_text(str(simulation_svg(result)) + "\n")
    log(f"wrote {out} in {seconds} s")
    print(json.dumps({"steward": steward, "reimport_only": reimport, "goals": goals}, indent=2))
    if tmp:
        shutil.rmtree(tmp, ignore_errors=True)


@contextlib.contextmanager
def _field_defaults(clock):
    """Model fields declared `default=timezone.now` hold the function itself, which
    the module patch cannot reach: point them at the clock too, for the run."""
    from django.apps import apps

    original = _REAL_NOW
    changed = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.default is original:
                field.default = clock
                changed.append(field)
    try:
        yield
    finally:
        for field in changed:
            field.default = original


def _migrated_template():
    """A migrated empty SQLite file, reused while no migration changes (migrating
    takes a minute here; the simulation then starts from a copy)."""
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return BENCH / ".work" / f"simulate-migrated-{digest.hexdigest()[:16]}.sqlite3"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=2000)
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--output", default=str(RESULTS / "simulate-latest.json"))
    parser.add_argument("--chart", default=str(ROOT / "docs" / "simulate-wrong-values.svg"))
    run(parser.parse_args(argv))


if __name__ == "__main__":
    main()
