from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simple_history.models import HistoricalRecords


class MembershipQuerySet(models.QuerySet):
    def current(self, *, now=None):
        now = now or timezone.now()
        return self.filter(since__lte=now).filter(
            models.Q(until__isnull=True) | models.Q(until__gt=now)
        )


class Membership(models.Model):
    """A professional belongs to an organization, with a role, for a period.

    Its own model, never a page field, so that reverting an organization page
    can never restore access that was revoked. Ending a membership sets `until`;
    the row stays as the record of who belonged when.
    """

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        ADMIN = "admin", _("Organization admin")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    organization = models.ForeignKey(
        "directory.OrganizationPage",
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organization"),
    )
    role = models.CharField(
        max_length=16, choices=Role.choices, default=Role.MEMBER, verbose_name=_("role")
    )
    since = models.DateTimeField(default=timezone.now, verbose_name=_("since"))
    until = models.DateTimeField(null=True, blank=True, verbose_name=_("until"))

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["organization", "user"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(until__isnull=True) | models.Q(until__gt=models.F("since")),
                name="membership_ends_after_it_starts",
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.organization} ({self.get_role_display()})"

    @property
    def is_current(self):
        now = timezone.now()
        return self.since <= now and (self.until is None or self.until > now)
