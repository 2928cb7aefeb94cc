"""Help by text message: the webhook, the conversation, privacy and the follow-up."""

import datetime as dt
import logging
import uuid
import xml.etree.ElementTree as ET

from django.core import checks
from django.utils import timezone

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator

from directory.models.pages import ServiceStatus
from impact.dashboard import impact_report
from impact.models import Outcome, Reason, Result, SmsContact, SmsFollowUp, Source
from impact.sms import backends, privacy
from impact.sms.segments import fit, segment_count, to_gsm
from tests.factories import LocationFactory, OrganizationFactory, category, make_service

TOKEN = "test-auth-token"
URL = "http://testserver/sms/inbound/"
NUMBER = "+13125550199"
ALL_WEEK = tuple((day, dt.time(0), dt.time(23, 59)) for day in range(1, 8))
SMS = {
    "ACCOUNT_SID": "",
    "AUTH_TOKEN": TOKEN,
    "FROM": "+13125550100",
    "BACKEND": "impact.sms.backends.LocmemBackend",
    "KEY": "",
    "MAX_SEGMENTS": 3,
    "FOLLOW_UP_DAYS": 3,
    "SESSION_SECONDS": 3600,
}
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def sms_settings(settings):
    settings.STEWARD_SMS = dict(SMS)
    backends.outbox.clear()
    yield
    backends.outbox.clear()


@pytest.fixture
def chicago(db):
    organization = OrganizationFactory(title="Greater Chicago Food Partners")
    food = category("102")
    open_pantry = make_service(
        organization=organization,
        title="Weekly groceries",
        categories=[food],
        hours=ALL_WEEK,
        phones=("(312) 555-0101",),
    )
    closed = make_service(
        organization=organization,
        title="Loop pantry",
        categories=[food],
        hours=ALL_WEEK,
        phones=("(312) 555-0102",),
        status=ServiceStatus.TEMPORARILY_CLOSED,
    )
    hidden = OrganizationFactory(title="Safe Haven")
    shelter_place = LocationFactory(
        organization=hidden,
        name="Safe Haven house",
        address_1="742 Hidden Lane",
        address_is_public=False,
        latitude=41.8850,
        longitude=-87.6300,
    )
    confidential = make_service(
        organization=hidden,
        title="Safe Haven meals",
        categories=[food],
        location=shelter_place,
        hours=ALL_WEEK,
        phones=("(312) 555-0103",),
    )
    return {"open": open_pantry, "closed": closed, "confidential": confidential}


def signed_post(client, params, *, token=TOKEN, url=URL):
    signature = RequestValidator(token).compute_signature(url, params)
    return client.post("/sms/inbound/", params, HTTP_X_TWILIO_SIGNATURE=signature)


def params_for(body, number=NUMBER):
    return {"From": number, "To": SMS["FROM"], "Body": body, "MessageSid": f"SM{uuid.uuid4().hex}"}


def reply_of(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own response
    assert root.tag == "Response"
    messages = root.findall("Message")
    assert len(messages) <= 1
    return messages[0].text or "" if messages else ""


def text(client, body, number=NUMBER):
    return reply_of(signed_post(client, params_for(body, number)))


# --- the webhook ------------------------------------------------------------------


def test_a_correctly_signed_request_is_answered_in_twiml(client, chicago):
    reply = text(client, "HELP")
    assert "ZIP code" in reply


def test_a_badly_signed_request_is_refused_and_changes_nothing(client, chicago):
    response = signed_post(client, params_for("food 60601"), token="someone-elses-token")
    assert response.status_code == 403
    assert not SmsContact.objects.exists()


def test_a_request_signed_for_other_fields_is_refused(client, chicago):
    params = params_for("food 60601")
    signature = RequestValidator(TOKEN).compute_signature(URL, params)
    params["Body"] = "STOP"
    response = client.post("/sms/inbound/", params, HTTP_X_TWILIO_SIGNATURE=signature)
    assert response.status_code == 403


def test_an_unsigned_request_is_refused(client, chicago):
    response = client.post("/sms/inbound/", params_for("food 60601"))
    assert response.status_code == 403
    assert not SmsContact.objects.exists()


def test_the_signature_is_checked_against_the_public_url(client, chicago, settings):
    settings.STEWARD = {**settings.STEWARD, "PUBLIC_URL": "https://help.example.org"}
    public = "https://help.example.org/sms/inbound/"
    assert signed_post(client, params_for("HELP")).status_code == 403
    assert reply_of(signed_post(client, params_for("HELP"), url=public))


def test_without_a_token_production_refuses_with_a_log_line(client, chicago, settings, caplog):
    settings.STEWARD_SMS = {**SMS, "AUTH_TOKEN": ""}
    settings.DEBUG = False
    with caplog.at_level(logging.ERROR, logger="impact.sms.views"):
        response = client.post("/sms/inbound/", params_for("food 60601"))
    assert response.status_code == 403
    assert "TWILIO_AUTH_TOKEN" in caplog.text
    assert not SmsContact.objects.exists()


def test_without_a_token_make_serve_accepts_requests(client, chicago, settings):
    settings.STEWARD_SMS = {**SMS, "AUTH_TOKEN": ""}
    settings.DEBUG = True
    assert "Weekly groceries" in reply_of(client.post("/sms/inbound/", params_for("food 60601")))


def test_a_request_without_a_sender_is_a_clear_400(client):
    params = params_for("food 60601")
    params["From"] = ""
    response = signed_post(client, params)
    assert response.status_code == 400
    assert b"From" in response.content


def test_get_is_not_allowed(client):
    assert client.get("/sms/inbound/").status_code == 405


def test_the_deploy_check_warns_when_sms_is_set_up_without_a_token(settings):
    from impact.sms.checks import sms_token_is_set

    settings.STEWARD_SMS = {**SMS, "AUTH_TOKEN": "", "ACCOUNT_SID": "AC123"}
    assert [m.id for m in sms_token_is_set(None)] == ["steward.W101"]
    assert all(m.level < checks.WARNING for m in sms_token_is_set(None)) is False
    settings.STEWARD_SMS = {**SMS, "AUTH_TOKEN": "", "FROM": ""}
    assert [m.level for m in sms_token_is_set(None)] == [checks.INFO]
    settings.STEWARD_SMS = SMS
    assert sms_token_is_set(None) == []


# --- segments -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("", ("GSM-7", 1)),
        ("a" * 160, ("GSM-7", 1)),
        ("a" * 161, ("GSM-7", 2)),
        ("a" * 306, ("GSM-7", 2)),
        ("a" * 307, ("GSM-7", 3)),
        ("€" * 80, ("GSM-7", 1)),  # extension characters count two septets
        ("€" * 81, ("GSM-7", 2)),
        ("a" * 152 + "€" + "a" * 8, ("GSM-7", 2)),  # an escape pair is not split
        ("ñ¿¡é" * 40, ("GSM-7", 1)),  # Spanish letters GSM-7 has
        ("á" * 70, ("UCS-2", 1)),
        ("á" * 71, ("UCS-2", 2)),
        ("á" * 134, ("UCS-2", 2)),
        ("á" * 135, ("UCS-2", 3)),
        ("😀" * 35, ("UCS-2", 1)),  # a surrogate pair is two code units
        ("😀" * 36, ("UCS-2", 2)),
        ("a" * 66 + "😀", ("UCS-2", 1)),
    ],
)
def test_segment_counts(message, expected):
    assert segment_count(message) == expected


def test_look_alikes_keep_spanish_in_gsm7():
    assert to_gsm("Abrirá mañana — “sí”") == 'Abrira mañana - "si"'
    assert segment_count(to_gsm("Dirección " * 16))[0] == "GSM-7"


@given(st.text(max_size=1500), st.integers(min_value=1, max_value=4))
def test_fit_always_fits(message, limit):
    assert segment_count(fit(message, limit))[1] <= limit


# --- the conversation ---------------------------------------------------------------


def test_food_near_a_zip_lists_open_services_first_and_never_a_confidential_address(
    client, chicago
):
    reply = text(client, "food 60601")
    lines = reply.splitlines()
    assert lines[0] == "Near 60601:"
    assert lines[1].startswith("1 ")
    assert "Open now" in lines[1] and "(312) 555-01" in lines[1]
    assert "Loop pantry - Temporarily closed" in lines[3]  # the status overrides its hours
    haven = next(line for line in lines if "Safe Haven meals" in line)
    assert "call for address" in haven
    assert "Hidden" not in reply and " mi" not in reply
    assert "100 W Randolph St, Chicago" in reply
    assert segment_count(reply)[1] <= SMS["MAX_SEGMENTS"]


def test_shelter_near_a_zip_understands_the_filler_words(client, chicago):
    reply = text(client, "shelter near 60612")
    assert reply.startswith("We found nothing for shelter near 60612")


def test_more_and_details(client, chicago):
    for n in range(4):
        make_service(title=f"Extra pantry {n}", categories=[category("102")], hours=ALL_WEEK)
    first = text(client, "food 60601")
    assert "MORE" in first
    more = text(client, "MORE")
    assert more.splitlines()[1].startswith("4 ")
    details = text(client, "1")
    assert details.splitlines()[1] == "Open now"
    assert "Call (312) 555-01" in details
    assert "Reply FOLLOW and we'll ask in 3 days whether you got help." in details
    assert segment_count(details)[1] <= SMS["MAX_SEGMENTS"]


def test_details_of_a_confidential_service_say_call_for_address(client, chicago):
    reply = text(client, "food 60601")
    number = next(line for line in reply.splitlines() if "Safe Haven" in line).split()[0]
    details = text(client, number)
    assert "Call for address" in details
    assert "Hidden" not in details and "41.88" not in details


def test_a_message_with_no_place_asks_for_a_zip_code(client, chicago):
    assert text(client, "food").startswith("What ZIP code are you in?")
    assert "Weekly groceries" in text(client, "60601")


def test_an_unknown_zip_code_says_so(client, chicago):
    assert "We don't know the ZIP code 00000" in text(client, "food 00000")


def test_help_explains(client):
    assert "Text what you need and your ZIP code" in text(client, "HELP")


def test_a_spanish_message_answers_in_spanish(client, chicago):
    reply = text(client, "comida 60601")
    assert reply.startswith("Cerca de 60601:")
    assert "Abierto ahora" in reply
    assert "Cerrado por un tiempo" in reply
    assert "llame para la direccion" in reply  # sent as GSM-7 look-alikes
    assert "Responda 1-3 para detalles" in reply
    assert segment_count(reply)[0] == "GSM-7"  # look-alikes kept it in 160-character parts
    assert "Responda SEGUIR" in text(client, "1")


def test_es_switches_to_spanish_and_en_back(client, chicago):
    assert "codigo postal" in text(client, "ES")
    assert text(client, "food 60601").startswith("Cerca de")
    assert "ZIP code" in text(client, "EN")
    assert text(client, "food 60601").startswith("Near")


@pytest.mark.parametrize(
    "word", ["STOP", "stop", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"]
)
def test_stop_is_honoured_until_start(client, chicago, word):
    assert "no more messages" in text(client, word)
    assert SmsContact.objects.get().stopped
    assert text(client, "food 60601") == ""
    assert text(client, "HELP") == ""
    assert "Welcome back" in text(client, "START")
    assert "Weekly groceries" in text(client, "food 60601")


def test_messages_are_rate_limited_per_number(client, chicago, settings):
    settings.STEWARD = {**settings.STEWARD, "RATE_LIMITS": {"sms_inbound": (3, 3600)}}
    for _ in range(3):
        assert text(client, "HELP")
    assert "try again in an hour" in text(client, "HELP")
    assert text(client, "HELP") == ""
    assert text(client, "HELP", number="+13125550198")  # another number is not limited
    assert "no more messages" in text(client, "STOP")  # STOP is honoured over the limit


MESSAGES = st.sampled_from(
    [
        "food 60601",
        "comida 60601",
        "shelter near 60612",
        "food",
        "60601",
        "MORE",
        "mas",
        "1",
        "2",
        "3",
        "9",
        "0",
        "HELP",
        "STOP",
        "START",
        "ES",
        "EN",
        "FOLLOW",
        "YES",
        "NO closed",
        "",
        "€€€ [] {}",
        "😀",
    ]
)


@hypothesis_settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    messages=st.lists(st.one_of(MESSAGES, st.text(max_size=40)), min_size=1, max_size=8),
    who=st.integers(min_value=1000, max_value=9999),
)
def test_random_conversations_never_fail_and_stop_always_silences(client, chicago, messages, who):
    number = f"+1312555{who}"
    stopped = SmsContact.objects.filter(
        number_hash=privacy.number_hash(number), stopped=True
    ).exists()
    for body in messages:
        reply = text(client, body, number=number)
        word = body.strip().upper()
        if word in {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"}:
            stopped = True
            continue
        if stopped and word in {"START", "YES"}:
            stopped = False
            assert reply
        elif stopped:
            assert reply == ""
        assert segment_count(reply)[1] <= SMS["MAX_SEGMENTS"]


# --- follow-up and privacy ------------------------------------------------------------


def ask_follow_ups(days=3):
    from steward.periodic import run_due_jobs

    outcomes = dict(run_due_jobs(now=timezone.now() + dt.timedelta(days=days, minutes=1)))
    return outcomes["impact.sms_follow_ups"]


def test_a_whole_conversation_from_comida_60601_to_the_follow_up_answer(client, chicago):
    listing = text(client, "comida 60601")
    assert listing.startswith("Cerca de 60601:")
    details = text(client, "1")
    assert details.startswith("Weekly groceries")
    assert "Responda SEGUIR" in details
    assert "Gracias. En 3 dias" in text(client, "SEGUIR")

    follow_up = SmsFollowUp.objects.get()
    assert follow_up.service == chicago["open"]
    assert NUMBER not in follow_up.number_encrypted
    assert privacy.decrypt_number(follow_up.number_encrypted) == NUMBER

    assert ask_follow_ups(days=1) == "ok" and backends.outbox == []  # not due yet
    assert ask_follow_ups(days=3) == "ok"
    assert backends.outbox == [
        {
            "to": NUMBER,
            "body": "¿Recibio ayuda en Weekly groceries? Responda SI o NO (como NO CERRADO).",
        }
    ]
    follow_up.refresh_from_db()
    assert follow_up.number_encrypted == ""  # erased once the question is sent
    ask_follow_ups(days=4)
    assert len(backends.outbox) == 1  # asked once

    assert "¡Gracias!" in text(client, "Sí")
    outcome = Outcome.objects.get()
    assert (outcome.service, outcome.result, outcome.source) == (
        chicago["open"],
        Result.GOT_HELP,
        Source.SMS,
    )
    assert outcome.sms_follow_up == follow_up
    report = impact_report(by="month")
    assert report.overall.utilized == 1


def test_a_no_with_reason_closed_becomes_a_report_in_the_review_queue(client, chicago):
    from review.models import Report

    text(client, "food 60601")
    text(client, "1")
    assert "Thanks. In 3 days" in text(client, "FOLLOW")
    ask_follow_ups()
    assert backends.outbox[0]["body"].startswith("Did you get help at Weekly groceries?")
    assert "check it" in text(client, "NO closed")
    outcome = Outcome.objects.get()
    assert (outcome.result, outcome.reason) == (Result.COULD_NOT, Reason.CLOSED)
    assert outcome.forwarded_at is not None
    report = Report.objects.get(page=chicago["open"])
    assert (report.reason, report.source) == ("closed", "outcome")
    assert impact_report(by="month").overall.could_not == 1


def test_yes_without_a_question_is_not_an_outcome(client, chicago):
    text(client, "food 60601")
    text(client, "YES")
    assert not Outcome.objects.exists()


def test_follow_without_details_asks_for_a_number_first(client, chicago):
    text(client, "food 60601")
    assert "first" in text(client, "FOLLOW")
    assert not SmsFollowUp.objects.exists()


def test_stop_cancels_a_pending_follow_up_and_erases_the_number(client, chicago):
    text(client, "food 60601")
    text(client, "1")
    text(client, "FOLLOW")
    text(client, "STOP")
    follow_up = SmsFollowUp.objects.get()
    assert follow_up.closed_at is not None and follow_up.number_encrypted == ""
    ask_follow_ups()
    assert backends.outbox == []


def test_the_number_is_stored_only_as_a_keyed_hash(client, chicago):
    text(client, "food 60601")
    contact = SmsContact.objects.get()
    assert contact.number_hash == privacy.number_hash(NUMBER)
    assert "5550199" not in contact.number_hash
    values = [str(v) for row in SmsContact.objects.values() for v in row.values()]
    assert not any("5550199" in v for v in values)


def test_no_number_or_message_text_reaches_the_logs(client, chicago, caplog, settings):
    with caplog.at_level(logging.DEBUG):
        for body in ["comida 60601", "1", "SEGUIR", "HELP", "STOP", "START"]:
            text(client, body)
        ask_follow_ups()
        text(client, "NO cerrado")
        client.post("/sms/inbound/", params_for("unsigned secret words"))
    logged = caplog.text + " ".join(str(r.args) for r in caplog.records)
    for secret in ("5550199", "comida", "SEGUIR", "cerrado", "secret words"):
        assert secret not in logged
