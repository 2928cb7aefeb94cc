from django import forms
from django.utils.translation import gettext, gettext_lazy

from review.trust.fields import LABELS


class VerifyForm(forms.Form):
    """ "Still accurate": everything, or only the details ticked."""

    scope = forms.ChoiceField(
        choices=[
            ("all", gettext_lazy("Everything on this listing")),
            ("some", gettext_lazy("Only these details")),
        ],
        initial="all",
        widget=forms.RadioSelect,
    )
    fields = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, present=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fields"].choices = [(name, LABELS[name]) for name in present]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scope") == "some" and not cleaned.get("fields"):
            self.add_error(
                "fields", gettext("Tick the details you checked, or confirm everything.")
            )
        return cleaned

    def chosen_fields(self):
        """None for everything, else the ticked trust fields."""
        if self.cleaned_data["scope"] == "all":
            return None
        return self.cleaned_data["fields"]
