"""Accounts around memberships: a professional's profile, membership requests,
the email domains an organization registers, and which organization each
revision was made for.

Memberships themselves live in memberships.py. Every model here that people
change keeps its history (django-simple-history): who was let in, by whom and
when must survive the row being changed.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simple_history.models import HistoricalRecords

from directory.accounts.domains import normalize_email_domain


class Professional(models.Model):
    """What a professional's account needs beyond Django's user: when the work
    email was confirmed, and the organization they chose to act for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="professional",
        verbose_name=_("user"),
    )
    email_confirmed_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("email confirmed at")
    )
    acting_organization = models.ForeignKey(
        "directory.OrganizationPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("acting organization"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    # The site's language when they signed up: their emails' language until they
    # choose one in Wagtail (directory/accounts/mail.py).
    language = models.CharField(max_length=8, blank=True, default="", verbose_name=_("language"))

    history = HistoricalRecords()

    def __str__(self):
        return f"Profile of {self.user}"


class MembershipRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=MembershipRequest.Status.PENDING)


class MembershipRequest(models.Model):
    """A professional asks to join an organization, or to claim one that has no
    admin (kind "claim"; a moderator decides, and the claimant becomes its admin).
    At most one open request per user and organization."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Kind(models.TextChoices):
        JOIN = "join", _("Join")
        CLAIM = "claim", _("Claim")
        # Registering an organization not yet listed: its draft page waits with the
        # request; a moderator's approval publishes it and makes the person its admin.
        NEW = "new", _("New organization")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="membership_requests",
        verbose_name=_("user"),
    )
    organization = models.ForeignKey(
        "directory.OrganizationPage",
        on_delete=models.CASCADE,
        related_name="membership_requests",
        verbose_name=_("organization"),
    )
    kind = models.CharField(
        max_length=8, choices=Kind.choices, default=Kind.JOIN, verbose_name=_("kind")
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, verbose_name=_("status")
    )
    note = models.TextField(blank=True, max_length=2000, verbose_name=_("note"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    objects = MembershipRequestQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"],
                condition=models.Q(status="pending"),
                name="one_open_membership_request",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} request #{self.pk} for {self.organization}"

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING


class OrganizationDomain(models.Model):
    """An email domain an organization has registered: a professional who confirms
    an address at it joins the organization without waiting for approval.
    One organization per domain; public mail domains are refused."""

    organization = models.ForeignKey(
        "directory.OrganizationPage",
        on_delete=models.CASCADE,
        related_name="email_domains",
        verbose_name=_("organization"),
    )
    domain = models.CharField(max_length=253, unique=True, verbose_name=_("domain"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["domain"]
        verbose_name = _("email domain")

    def __str__(self):
        return self.domain

    def clean(self):
        try:
            self.domain = normalize_email_domain(self.domain)
        except ValidationError as error:
            raise ValidationError({"domain": error.messages}) from error


class RevisionOrganization(models.Model):
    """The organization a revision was made for (DESIGN.md §4, "Acting for an
    organization"): one row per page or Location revision made in the admin.
    Write-once; the organization is nulled, never rewritten, if it is deleted."""

    revision = models.OneToOneField(
        "wagtailcore.Revision",
        on_delete=models.CASCADE,
        related_name="steward_organization",
        verbose_name=_("revision"),
    )
    organization = models.ForeignKey(
        "directory.OrganizationPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("organization"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    def __str__(self):
        return f"Revision {self.revision_id} for {self.organization or 'no organization'}"


class OrganizationEditors(models.Model):
    """Links an organization to its "<title> editors" group, which holds the
    Wagtail page permissions on its subtree. Found by this link, never by the
    group's name: two organizations may share a title, and titles change."""

    organization = models.OneToOneField(
        "directory.OrganizationPage",
        on_delete=models.CASCADE,
        related_name="editors",
        verbose_name=_("organization"),
    )
    group = models.OneToOneField(
        "auth.Group", on_delete=models.CASCADE, related_name="+", verbose_name=_("group")
    )

    class Meta:
        verbose_name_plural = _("organization editors")

    def __str__(self):
        return self.group.name
