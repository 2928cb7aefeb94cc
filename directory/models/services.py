"""A service's own child objects, saved inside the service's revisions."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from .hours import OpeningHours
from .phones import PhoneNumber


class ServiceAtLocation(Orderable):
    """The service is given at this location (HSDS service_at_location)."""

    uuid = models.UUIDField(default=uuid.uuid4, editable=False)
    service = ParentalKey(
        "directory.ServicePage",
        on_delete=models.CASCADE,
        related_name="service_at_locations",
        verbose_name=_("service"),
    )
    location = models.ForeignKey(
        "directory.Location",
        on_delete=models.PROTECT,
        related_name="service_links",
        verbose_name=_("location"),
    )
    description = models.CharField(max_length=255, blank=True, verbose_name=_("description"))
    source_id = models.CharField(max_length=255, blank=True, editable=False)

    panels = [FieldPanel("location"), FieldPanel("description")]

    def __str__(self):
        return str(self.location)


class AtLocationMixin(models.Model):
    """A phone or hours row that belongs to the service, optionally at one of its
    locations (HSDS attaches these to a service_at_location)."""

    location = models.ForeignKey(
        "directory.Location",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Only at this location. Leave empty for the service as a whole."),
        verbose_name=_("location"),
    )

    class Meta:
        abstract = True


class ServicePhone(Orderable, AtLocationMixin, PhoneNumber):
    service = ParentalKey(
        "directory.ServicePage",
        on_delete=models.CASCADE,
        related_name="phones",
        verbose_name=_("service"),
    )

    panels = [
        FieldRowPanel([FieldPanel("number"), FieldPanel("extension"), FieldPanel("type")]),
        FieldRowPanel([FieldPanel("description"), FieldPanel("language")]),
        FieldPanel("location"),
    ]


class ServiceSchedule(Orderable, AtLocationMixin, OpeningHours):
    service = ParentalKey(
        "directory.ServicePage",
        on_delete=models.CASCADE,
        related_name="hours",
        verbose_name=_("service"),
    )

    panels = [
        FieldRowPanel([FieldPanel("weekday"), FieldPanel("opens_at"), FieldPanel("closes_at")]),
        FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_to"), FieldPanel("closed")]),
        FieldRowPanel([FieldPanel("description"), FieldPanel("location")]),
    ]


class ServiceURL(Orderable):
    """Another web address of the service (HSDS 3.1 `url`, `service.additional_urls`),
    e.g. its application form or its page in Spanish. Saved inside the service's
    revisions like its phones, so every change is in its history."""

    uuid = models.UUIDField(default=uuid.uuid4, editable=False)
    service = ParentalKey(
        "directory.ServicePage",
        on_delete=models.CASCADE,
        related_name="additional_urls",
        verbose_name=_("service"),
    )
    label = models.CharField(
        max_length=255,
        blank=True,
        help_text=_("What the page is, e.g. “Apply online”."),
        verbose_name=_("label"),
    )
    url = models.URLField(_("web address"), max_length=500)
    source_id = models.CharField(max_length=255, blank=True, editable=False)

    panels = [FieldRowPanel([FieldPanel("label"), FieldPanel("url")])]

    class Meta(Orderable.Meta):
        verbose_name = _("additional web address")

    def __str__(self):
        return self.label or self.url
