from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db.models import Q

from directory.models import Membership, OrganizationPage, Professional


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.title


def organizations():
    return OrganizationPage.objects.live().order_by("title").only("pk", "title")


def matching_organizations(query):
    """Organizations whose name contains every word of `query` (all when empty)."""
    queryset = organizations()
    for word in (query or "").split()[:8]:
        queryset = queryset.filter(title__icontains=word[:100])
    return queryset


class SignUpForm(forms.Form):
    first_name = forms.CharField(max_length=150, label="First name")
    last_name = forms.CharField(max_length=150, label="Last name")
    email = forms.EmailField(
        max_length=150,
        label="Work email",
        help_text="Your address at the organization you work for. It is also your sign-in name.",
    )
    organization = OrganizationChoiceField(
        queryset=organizations(),
        empty_label="Choose your organization",
        help_text="Not listed? Use “Register your organization” above: a moderator checks it "
        "before it is listed.",
    )
    new_organization_name = forms.CharField(
        max_length=255, required=False, label="Your organization's name"
    )
    new_organization_website = forms.URLField(
        max_length=500,
        required=False,
        label="Its website",
        assume_scheme="https",
        help_text="A moderator checks the organization before it is listed.",
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, org_query="", new_organization=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.new_organization = new_organization
        if new_organization:
            # Registering an organization not listed: its name and website instead.
            del self.fields["organization"]
            self.fields["new_organization_name"].required = True
            self.fields["new_organization_website"].required = True
        else:
            del self.fields["new_organization_name"]
            del self.fields["new_organization_website"]
            self.fields["organization"].queryset = matching_organizations(org_query)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        User = get_user_model()
        existing = list(User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email))[:2])
        # An account that never confirmed its address may sign up again (its link
        # expired or got lost): the same account gets the new details and a new link.
        self.unconfirmed_account = None
        if len(existing) == 1 and is_unconfirmed(existing[0]):
            self.unconfirmed_account = existing[0]
        elif existing:
            raise ValidationError(
                "An account with this email already exists. Sign in, or reset the password "
                "from the sign-in page."
            )
        return email

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords differ. Type the same one twice.")
        elif first:
            probe = get_user_model()(
                username=cleaned.get("email", ""),
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(first, probe)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


def is_unconfirmed(user):
    if user.is_active:
        return False
    profile = Professional.objects.filter(user=user).first()
    return profile is not None and profile.email_confirmed_at is None


class ConfirmForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="The one you chose when you signed up: it shows the link reached you.",
    )

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.account.check_password(password):
            raise ValidationError(
                "This is not the password chosen when signing up with this address."
            )
        return password


class JoinForm(forms.Form):
    organization = OrganizationChoiceField(
        queryset=organizations(), empty_label="Choose an organization", label="Organization"
    )
    note = forms.CharField(
        required=False,
        max_length=2000,
        label="Note for the organization's admins (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations()


class ActingOrganizationForm(forms.Form):
    organization = OrganizationChoiceField(
        queryset=OrganizationPage.objects.none(), empty_label=None, label="I act for"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        current = Membership.objects.current().filter(user=user).values("organization_id")
        self.fields["organization"].queryset = OrganizationPage.objects.filter(
            pk__in=current
        ).order_by("title")


class DomainForm(forms.Form):
    domain = forms.CharField(
        max_length=253,
        label="Email domain",
        help_text="e.g. example.org. Confirmed addresses there join without approval.",
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Membership.Role.choices)


class OrganizationPickForm(forms.Form):
    organization = OrganizationChoiceField(
        queryset=organizations(), empty_label="Choose an organization", label="Organization"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations()


class ClaimForm(forms.Form):
    note = forms.CharField(
        required=False,
        max_length=2000,
        label="Why you should be this organization's admin (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
