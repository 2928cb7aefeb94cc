import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from impact.models import Outcome, Reason, Referral, Result


class OutcomeForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Did you get help?"),
        choices=Result.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether you got help.")},
    )
    reason = forms.ChoiceField(
        label=_("If not, why?"),
        choices=[("", _("Choose a reason"))] + list(Reason.choices),
        required=False,
    )
    comment = forms.CharField(
        label=_("Anything else? (optional, no names or phone numbers please)"),
        required=False,
        max_length=Outcome.COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": Outcome.COMMENT_MAX}),
    )

    def __init__(self, *args, prefix_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        if prefix_id is not None:
            # Several forms on one page: unique ids for labels.
            self.auto_id = f"id_{prefix_id}_%s"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("result") == Result.COULD_NOT and not cleaned.get("reason"):
            self.add_error("reason", _("Tell us why you couldn’t get help."))
        if cleaned.get("result") != Result.COULD_NOT:
            cleaned["reason"] = ""
        return cleaned


EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+")
# Seven or more digits, allowing the usual separators: a phone number.
PHONE_RE = re.compile(r"(?:\d[\s().+-]*){7,}")
# Two or more words of letters, each starting with a capital: "Maria Lopez".
NAME_RE = re.compile(r"^\s*[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]*\.?)+\s*$")


def check_client_reference(value):
    """An opaque reference only: refuse what looks like an email, phone number or name.

    A heuristic, not a guarantee: it stops the common mistakes; the help text and
    the documentation ask for a case number.
    """
    if EMAIL_RE.search(value):
        raise ValidationError("This looks like an email address. Use your case number instead.")
    if PHONE_RE.search(value):
        raise ValidationError("This looks like a phone number. Use your case number instead.")
    if NAME_RE.match(value):
        raise ValidationError(
            "This looks like a person’s name. Use an opaque reference such as a case number."
        )


class ReferralForm(forms.ModelForm):
    class Meta:
        model = Referral
        fields = ["service", "client_reference", "note", "follow_up_on"]
        labels = {"follow_up_on": "Follow up on"}
        help_texts = {
            "note": "For you only. No names, addresses or contact details.",
        }
        widgets = {
            "follow_up_on": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
        }

    def __init__(self, data=None, *args, **kwargs):
        from wagtail.admin.widgets import AdminPageChooser

        from directory.models import ServicePage

        if data is not None and not str(data.get("service", "")).isdigit():
            # Wagtail's page chooser fails to render a non-numeric value: treat it as
            # no choice, which the form reports as a missing service.
            data = data.copy()
            data["service"] = ""
        super().__init__(data, *args, **kwargs)
        self.fields["service"].queryset = ServicePage.objects.listed()
        self.fields["service"].widget = AdminPageChooser(target_models=[ServicePage])
        self.fields["service"].error_messages["invalid_choice"] = (
            "Choose a service that is listed in the directory."
        )
        if not self.is_bound and not self.initial.get("follow_up_on"):
            self.initial["follow_up_on"] = timezone.localdate() + dt.timedelta(days=14)

    def clean_client_reference(self):
        value = self.cleaned_data["client_reference"].strip()
        if value:
            check_client_reference(value)
        return value

    def clean_note(self):
        value = self.cleaned_data["note"].strip()
        if EMAIL_RE.search(value) or PHONE_RE.search(value):
            raise ValidationError("Leave contact details out of the note.")
        return value

    def clean_follow_up_on(self):
        value = self.cleaned_data["follow_up_on"]
        today = timezone.localdate()
        if value < today:
            raise ValidationError("Choose today or a later date.")
        if value > today + dt.timedelta(days=366):
            raise ValidationError("Choose a date within a year.")
        return value


class SendPlanForm(forms.Form):
    email = forms.EmailField(label=_("Your email address"), max_length=254)
