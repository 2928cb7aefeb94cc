from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from review.conf import review_setting
from review.models import Report


class ReportForm(forms.Form):
    """ "Report a problem": a reason, an optional note, and a honeypot.

    The honeypot (`website`) is hidden from people by CSS and from screen
    readers by aria-hidden; a bot that fills every field fills it too.
    """

    reason = forms.ChoiceField(
        label=_("What is wrong?"),
        choices=[(r.value, r.label) for r in Report.FORM_REASONS],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what is wrong with this listing."),
            "invalid_choice": _("Choose one of the problems listed."),
        },
    )
    note = forms.CharField(
        label=_("Tell us more (optional)"),
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For example the right phone number or hours. Please don’t include "
            "personal details: reviewers read this."
        ),
    )
    website = forms.CharField(required=False, label=_("Leave this empty"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        max_length = review_setting("REPORT_NOTE_MAX_LENGTH")
        self.fields["note"].max_length = max_length
        self.fields["note"].widget.attrs["maxlength"] = str(max_length)
        self.fields["note"].validators.append(MaxLengthValidator(max_length))
        self.fields["note"].error_messages["max_length"] = _(
            "Please keep the note under %(count)d characters."
        ) % {"count": max_length}

    @property
    def is_bot(self):
        return bool(self.data.get("website"))
