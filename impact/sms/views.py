"""`POST /sms/inbound/`: the webhook an SMS provider (Twilio) calls for each message."""

import logging

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from directory.links import public_url
from impact.sms.conversation import handle

# Never the number or the message text: only what happened.
logger = logging.getLogger(__name__)


def _twiml(text):
    response = MessagingResponse()
    if text:
        response.message(text)
    return HttpResponse(str(response), content_type="text/xml; charset=utf-8")


def signature_ok(request, token):
    """The provider signed this request with our token, for the public URL it called."""
    url = public_url(request.get_full_path(), request)
    signature = request.META.get("HTTP_X_TWILIO_SIGNATURE", "")
    return bool(signature) and RequestValidator(token).validate(url, request.POST.dict(), signature)


@csrf_exempt
@require_POST
def inbound(request):
    token = settings.STEWARD_SMS["AUTH_TOKEN"]
    if token:
        if not signature_ok(request, token):
            logger.warning("SMS webhook: request refused, missing or bad X-Twilio-Signature")
            return HttpResponseForbidden("Bad signature.", content_type="text/plain")
    elif not settings.DEBUG:
        logger.error(
            "SMS webhook refused: set TWILIO_AUTH_TOKEN so requests can be verified "
            "(README, Help by text message)"
        )
        return HttpResponse(
            "Text messages are not configured.", status=403, content_type="text/plain"
        )
    number = request.POST.get("From", "")
    if not number.strip():
        return HttpResponseBadRequest("The From field is missing.", content_type="text/plain")
    try:
        reply = handle(number, request.POST.get("Body", ""), now=timezone.now())
    except Exception as exc:  # noqa: BLE001 - the person still gets an answer, no 500
        # No traceback: an exception's message may quote the text or the number.
        logger.error("SMS webhook: the conversation failed (%s)", type(exc).__name__)
        reply = "Sorry, something went wrong. Please try again, or call 211."
    return _twiml(reply)
