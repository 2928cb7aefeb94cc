"""The reviewers' digest and the due-for-verification reminder are in each
reader's language, dates included, through the periodic jobs that send them."""

from django.core import mail

from wagtail.users.models import UserProfile

import pytest

from review.queue import actions
from review.trust import store
from review.trust.due import send_reminders
from tests.factories import OrganizationFactory, make_service
from tests.review.test_digest import run_digest_job
from tests.review.test_due import NOW, verified
from tests.roles import professional

pytestmark = pytest.mark.django_db


def prefers(user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


def to(address):
    (message,) = [m for m in mail.outbox if m.to == [address]]
    return message


def test_the_digest_is_in_each_reviewers_language(reviewer, moderator):
    reviewer.email, moderator.email = "rev@example.org", "mod@example.org"
    reviewer.save()
    moderator.save()
    prefers(moderator, "es")
    service = make_service(title="Harbor pantry")
    actions.report_problem(service=service, reason="closed", client_key="k" * 64)

    assert run_digest_job() == {"review.queue_digest": "ok"}
    spanish, english = to("mod@example.org"), to("rev@example.org")
    assert spanish.subject == "1 sugerencia o reporte espera revisión"
    assert spanish.body.startswith("1 elemento nuevo espera en la cola de revisión:")
    assert "La cola completa:" in spanish.body
    assert english.subject == "1 suggestion or report waits for review"
    assert english.body.startswith("1 new item waits in the review queue:")
    assert "Harbor pantry" in spanish.body and "Harbor pantry" in english.body


def test_the_due_reminder_is_in_each_members_language_with_its_dates():
    organization = OrganizationFactory(title="Lakeview Pantry")
    checker = professional(OrganizationFactory(title="Checkers"))
    spanish = professional(organization, username="es_member", email="es@example.org")
    professional(organization, username="en_member", email="en@example.org")
    prefers(spanish, "es")
    verified(make_service(organization=organization, title="Evening meals"), checker, days_ago=335)
    make_service(organization=organization, title="Morning meals")  # never verified
    store.recompute(now=NOW)

    assert send_reminders(now=NOW) == 2
    es, en = to("es@example.org"), to("en@example.org")
    assert es.subject == "2 servicios de Lakeview Pantry deben verificarse"
    assert "Estos servicios de Lakeview Pantry deben verificarse:" in es.body
    assert "Evening meals (verificado por completo por última vez hace 11 meses)" in es.body
    assert "Morning meals (nunca verificado por completo)" in es.body
    assert en.subject == "2 listings of Lakeview Pantry due for verification"
    assert "Evening meals (last fully verified 11 months ago)" in en.body
    assert "Morning meals (never fully verified)" in en.body
