"""The impact dashboard: funnel numbers on a known data set, suppression, CSV, access."""

import csv
import datetime as dt
import io

from django.utils import timezone

import pytest

from impact.counts import increment
from impact.dashboard import Figures, impact_report, suppress
from impact.models import Result
from tests.factories import LocationFactory, OrganizationFactory, category, make_service
from tests.impact.conftest import add_outcomes
from tests.once import built_once

pytestmark = pytest.mark.django_db

START, END = dt.date(2026, 1, 1), dt.date(2026, 3, 31)


def at(day):
    return dt.datetime.combine(day, dt.time(12), tzinfo=timezone.get_current_timezone())


@built_once(scope="class")
def known():
    """Three organizations, four services, counts and outcomes in Jan–Mar 2026.

    | svc | org   | category | city     | views | contacts          | outcomes (month)     |
    | a1  | Alpha | Food     | Chicago  | 100   | call 20, dir. 10  | 6 got, 2 not (Jan)   |
    | a2  | Alpha | Health   | Evanston | 50    | website 5         | 3 got, 1 didn't (Feb)|
    | b1  | Beta  | Food     | Chicago  | 30    | share 3, save 2   | 2 got, 1 not (Feb)   |
    | c1  | Gamma | Legal    | Chicago  | 20    | call 4            | 3 got, 2 not (Mar)   |
    Plus, outside the period, 999 views of a1 and one outcome of b1.
    """
    alpha, beta, gamma = (OrganizationFactory(title=t) for t in ("Alpha", "Beta", "Gamma"))
    chicago = {"city": "Chicago", "state_province": "IL", "postal_code": "60601"}
    evanston = {"city": "Evanston", "state_province": "IL", "postal_code": "60201"}

    def service(org, title, code, place):
        return make_service(
            organization=org,
            title=title,
            categories=[category(code)],
            location=LocationFactory(organization=org, **place),
        )

    a1 = service(alpha, "a1", "102", chicago)
    a2 = service(alpha, "a2", "106", evanston)
    b1 = service(beta, "b1", "102", chicago)
    c1 = service(gamma, "c1", "111", {**chicago, "postal_code": "60607"})
    jan, feb, mar = dt.date(2026, 1, 10), dt.date(2026, 2, 10), dt.date(2026, 3, 10)
    for page, day, counts in [
        (a1, jan, {"view": 100, "call": 20, "directions": 10}),
        (a2, feb, {"view": 50, "website": 5}),
        (b1, feb, {"view": 30, "share": 3, "save": 2}),
        (c1, mar, {"view": 20, "call": 4}),
        (a1, dt.date(2025, 12, 31), {"view": 999}),
    ]:
        for kind, n in counts.items():
            increment(page.pk, kind, on=day, by=n)
    add_outcomes(a1, Result.GOT_HELP, 6, at=at(jan))
    add_outcomes(a1, Result.COULD_NOT, 2, at=at(jan), reason="cost")
    add_outcomes(a2, Result.GOT_HELP, 3, at=at(feb))
    add_outcomes(a2, Result.DID_NOT_TRY, 1, at=at(feb))
    add_outcomes(b1, Result.GOT_HELP, 2, at=at(feb))
    add_outcomes(b1, Result.COULD_NOT, 1, at=at(feb), reason="waitlist")
    add_outcomes(c1, Result.GOT_HELP, 3, at=at(mar))
    add_outcomes(c1, Result.COULD_NOT, 2, at=at(mar), reason="closed")
    add_outcomes(b1, Result.GOT_HELP, 1, at=at(dt.date(2026, 4, 2)))
    return {"a1": a1, "a2": a2, "b1": b1, "c1": c1}


class TestTheKnownDataSet:
    """The figures, the page and the CSV on `known`, built once for the class."""

    def test_the_overall_funnel_on_the_known_data_set(self, known):
        overall = impact_report(by="organization", start=START, end=END).overall
        assert (overall.found, overall.contacted, overall.utilized) == (200, 44, 14)
        assert (overall.got_help, overall.could_not, overall.did_not_try) == (14, 5, 1)
        assert overall.reports == 20
        assert overall.success_rate == pytest.approx(14 / 19)
        low, high = overall.interval
        assert (round(low, 4), round(high, 4)) == (0.5121, 0.8819)
        assert overall.contacts == {
            "call": 24,
            "directions": 10,
            "website": 5,
            "share": 3,
            "save": 2,
        }
        assert not overall.suppressed

    def test_by_month_every_month_has_enough_reports(self, known):
        report = impact_report(by="month", start=START, end=END)
        rows = [(g.label, g.found, g.contacted, g.utilized, g.reports) for g in report.groups]
        assert rows == [
            ("Jan 2026", 100, 30, 6, 8),
            ("Feb 2026", 80, 10, 5, 7),
            ("Mar 2026", 20, 4, 3, 5),
        ]
        assert report.hidden == 0

    def test_a_group_under_five_reports_is_hidden_and_so_is_the_next_smallest(self, known):
        """Beta has 3 reports: hidden. Showing Gamma (5) would let overall − Alpha − Gamma
        reveal Beta's 3, so Gamma is hidden too; the hidden total (8) reveals no small group."""
        report = impact_report(by="organization", start=START, end=END)
        assert [(g.label, g.found, g.contacted, g.utilized, g.reports) for g in report.groups] == [
            ("Alpha", 150, 35, 9, 12)
        ]
        assert report.hidden == 2

    def test_by_category_and_area(self, known):
        by_category = impact_report(by="category", start=START, end=END)
        # Food (a1 + b1) 11 reports; Health 4 hidden; Legal 5 hidden to protect Health.
        assert [(g.label, g.reports, g.utilized) for g in by_category.groups] == [("Food", 11, 8)]
        by_zip = impact_report(by="zip", start=START, end=END)
        # 60601: a1 + b1 (11); 60607: c1 (5); 60201: a2 (4) → hidden, and 60607 with it.
        assert [(g.label, g.reports) for g in by_zip.groups] == [("60601", 11)]
        by_city = impact_report(by="city", start=START, end=END)
        # Chicago 16; Evanston 4 hidden; hiding Chicago too leaves nothing to show.
        assert by_city.groups == [] and by_city.hidden == 2

    def test_the_dashboard_shows_the_funnel_charts_and_the_quality_panel(
        self, client, known, analyst
    ):
        client.force_login(analyst)
        response = client.get(
            "/admin/impact/", {"start": "2026-01-01", "end": "2026-03-31", "by": "month"}
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert '<span class="impact-figure" data-figure="found">200</span>' in html
        assert '<span class="impact-figure" data-figure="utilized">14</span>' in html
        assert '<span class="impact-figure" data-figure="rate">74%</span>' in html
        assert "95% interval 51–88%" in html
        assert html.count("<svg") >= 2
        assert "Data quality" in html and "Verified within 365 days" in html
        assert "Jan 2026" in html

    def test_bad_dashboard_input_gets_a_message_not_an_error(self, client, known, analyst):
        client.force_login(analyst)
        for query in (
            {"start": "yesterday"},
            {"start": "2026-05-01", "end": "2026-01-01"},
            {"by": "<script>"},
            {"start": "1900-01-01", "end": "2026-01-01"},
            {"start": "2026-13-45"},
        ):
            assert client.get("/admin/impact/", query).status_code == 200
            assert client.get("/admin/impact/export.csv", query).status_code == 200

    def test_the_csv_has_the_shown_groups_only(self, client, known, analyst):
        client.force_login(analyst)
        response = client.get(
            "/admin/impact/export.csv", {"start": "2026-01-01", "end": "2026-03-31"}
        )
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert rows[0][:5] == ["organization", "found", "contacted", "utilized", "outcome reports"]
        assert [row[0] for row in rows[1:]] == ["All listings", "Alpha"]
        assert rows[1][1:8] == ["200", "44", "14", "20", "14", "5", "1"]
        assert rows[1][8:] == ["73.7", "51.2", "88.2"]


def test_suppression_rule_on_its_own():
    def group(key, reports):
        return Figures(key=key, label=key, got_help=reports)

    groups = suppress([group("a", 9), group("b", 5), group("c", 0)])
    assert [g.suppressed for g in groups] == [False, False, True]  # hidden total 0 reveals nobody
    groups = suppress([group("a", 9), group("b", 6), group("c", 2)])
    assert [g.suppressed for g in groups] == [False, True, True]
    groups = suppress([group("a", 4), group("b", 3)])
    assert all(g.suppressed for g in groups)
    groups = suppress([group("a", 7), group("b", 6), group("c", 5), group("d", 1)])
    assert [g.suppressed for g in groups] == [False, False, True, True]


def test_with_fewer_than_five_reports_overall_nothing_is_shown(client, service, analyst):
    add_outcomes(service, Result.GOT_HELP, 4, at=timezone.now())
    report = impact_report(by="organization")
    assert report.overall.suppressed and report.groups == []
    client.force_login(analyst)
    html = client.get("/admin/impact/").content.decode()
    assert "Fewer than 5 outcome reports in this period" in html
    assert 'data-figure="utilized"' not in html
    rows = list(csv.reader(io.StringIO(client.get("/admin/impact/export.csv").content.decode())))
    assert len(rows) == 1  # the header only


def test_the_csv_is_safe_from_formula_injection(client, analyst):
    evil = OrganizationFactory(title='=HYPERLINK("http://x","y")')
    service = make_service(organization=evil)
    add_outcomes(service, Result.GOT_HELP, 5, at=timezone.now())
    client.force_login(analyst)
    rows = list(csv.reader(io.StringIO(client.get("/admin/impact/export.csv").content.decode())))
    assert rows[2][0] == '\'=HYPERLINK("http://x","y")'


def test_neither_the_csv_nor_the_dashboard_carries_comments_or_plans(client, service, analyst):
    from impact.models import Outcome

    add_outcomes(service, Result.GOT_HELP, 5, at=timezone.now())
    for outcome in Outcome.objects.all():
        outcome.comment = "Ask for Maria at the desk"
        outcome.save()
    client.force_login(analyst)
    assert "Maria" not in client.get("/admin/impact/").content.decode()
    assert "Maria" not in client.get("/admin/impact/export.csv").content.decode()


ROLES = ["anonymous", "professional", "analyst", "moderator"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", ["/admin/impact/", "/admin/impact/export.csv"])
def test_only_analysts_and_moderators_see_the_dashboard_and_csv(client, request, role, url):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = client.get(url)
    post = client.post(url)
    if role in ("analyst", "moderator"):
        assert response.status_code == 200
        assert post.status_code == 405
    else:
        assert response.status_code == 302
        expected = "/admin/login/" if role == "anonymous" else "/admin/"
        assert response["Location"].startswith(expected)
        assert post.status_code in (302, 405)
        assert b"Found" not in response.content


def test_the_menu_shows_impact_to_analysts_and_referrals_to_professionals(
    client, analyst, professional
):
    client.force_login(analyst)
    html = client.get("/admin/").content.decode()
    assert "/admin/impact/" in html and "/admin/referrals/" not in html
    client.force_login(professional)
    html = client.get("/admin/").content.decode()
    assert "/admin/referrals/" in html and "/admin/impact/" not in html


@pytest.mark.parametrize("by", ["organization", "category", "city", "zip", "month"])
def test_the_dashboard_costs_a_bounded_number_of_queries(
    client, known, analyst, by, django_assert_max_num_queries
):
    client.force_login(analyst)
    query = {"start": "2026-01-01", "end": "2026-03-31", "by": by}
    client.get("/admin/impact/", query)
    with django_assert_max_num_queries(30):
        client.get("/admin/impact/", query)
    with django_assert_max_num_queries(15):
        client.get("/admin/impact/export.csv", query)
