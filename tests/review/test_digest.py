"""Issue 11: reviewers and moderators (not only the superuser) get a digest of
what waits, from the periodic jobs, once per item, with public links."""

import pytest

from review.models import ReviewItem
from review.queue import actions
from tests.factories import OrganizationFactory, make_service

pytestmark = pytest.mark.django_db

PUBLIC = "https://help.example.org"


@pytest.fixture(autouse=True)
def public_url(settings):
    settings.STEWARD = {**settings.STEWARD, "PUBLIC_URL": PUBLIC}


def run_digest_job():
    from steward.periodic import all_jobs, run_due_jobs

    job = next(j for j in all_jobs() if j.name == "review.queue_digest")
    return dict(run_due_jobs(jobs=[job], force=True))


def test_reviewers_and_moderators_get_one_digest_per_new_item(
    reviewer, moderator, plain_professional, mailoutbox
):
    for user, email in (
        (reviewer, "rev@example.org"),
        (moderator, "mod@example.org"),
        (plain_professional, "pro@example.org"),
    ):
        user.email = email
        user.save()
    service = make_service(title="Harbor pantry")
    actions.report_problem(service=service, reason="closed", client_key="k" * 64)
    item = ReviewItem.objects.open().get(page=service, kind="disputed")

    assert run_digest_job() == {"review.queue_digest": "ok"}
    assert sorted(m.to[0] for m in mailoutbox) == ["mod@example.org", "rev@example.org"]
    body = mailoutbox[0].body
    assert "Harbor pantry" in body
    assert f"{PUBLIC}/admin/review-queue/{item.pk}/" in body
    assert "localhost" not in body and "127.0.0.1" not in body

    run_digest_job()  # nothing new: nothing sent twice
    assert len(mailoutbox) == 2

    other = make_service(title="Lakeside clinic")
    actions.report_problem(service=other, reason="wrong_phone", client_key="j" * 64)
    run_digest_job()
    assert len(mailoutbox) == 4
    assert "Lakeside clinic" in mailoutbox[-1].body
    assert "Harbor pantry" not in mailoutbox[-1].body


def test_a_reviewer_is_not_told_of_their_own_organizations_listing(reviewer, moderator, mailoutbox):
    from tests.factories import membership

    own = OrganizationFactory(title="Reviewer's own")
    membership(reviewer, own)
    reviewer.email, moderator.email = "rev@example.org", "mod@example.org"
    reviewer.save()
    moderator.save()
    service = make_service(title="Own pantry", organization=own)
    actions.report_problem(service=service, reason="closed", client_key="k" * 64)
    # The report itself tells the listing's organization at once (the reviewer is
    # one of its members); what is asserted here is the reviewers' digest.
    assert [m.to[0] for m in mailoutbox] == ["rev@example.org"]
    mailoutbox.clear()
    run_digest_job()
    assert [m.to[0] for m in mailoutbox] == ["mod@example.org"]
