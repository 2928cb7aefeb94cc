import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import DraftStateMixin, Orderable, RevisionMixin, WorkflowMixin
from wagtail.search import index

from directory.fields import TextField
from directory.validators import validate_latitude, validate_longitude, validate_timezone

from .hours import OpeningHours
from .phones import PhoneNumber


class LocationQuerySet(models.QuerySet):
    def with_coordinates(self):
        return self.filter(latitude__isnull=False, longitude__isnull=False)


class Location(WorkflowMixin, DraftStateMixin, RevisionMixin, index.Indexed, ClusterableModel):
    """A place where services are given, shared by the services of one organization.

    A snippet with revisions of its own: editing an address once updates every
    service there, and the change is versioned. Hours and phones given for the
    place apply to every service at it. Never deleted while a service uses it
    (the service-at-location link protects it).

    Drafts and the "Pending changes" workflow: an edit by someone who may not
    publish locations is a draft until it is approved (review.moderation.actions); the
    row always holds the live version.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "directory.OrganizationPage",
        on_delete=models.PROTECT,
        related_name="locations",
        verbose_name=_("organization"),
    )
    name = models.CharField(max_length=255, verbose_name=_("name"))
    alternate_name = models.CharField(max_length=255, blank=True, verbose_name=_("alternate name"))
    description = TextField(blank=True, verbose_name=_("description"))
    transportation = TextField(
        blank=True, help_text=_("Bus lines, parking, directions."), verbose_name=_("transportation")
    )
    address_1 = models.CharField(_("street address"), max_length=255, blank=True)
    address_2 = models.CharField(_("address line 2"), max_length=255, blank=True)
    city = models.CharField(max_length=128, blank=True, verbose_name=_("city"))
    state_province = models.CharField(_("state"), max_length=64, blank=True)
    postal_code = models.CharField(_("ZIP code"), max_length=16, blank=True)
    country = models.CharField(
        max_length=2, default="US", help_text=_("ISO 3166-1 alpha-2"), verbose_name=_("country")
    )
    latitude = models.FloatField(
        null=True, blank=True, validators=[validate_latitude], verbose_name=_("latitude")
    )
    longitude = models.FloatField(
        null=True, blank=True, validators=[validate_longitude], verbose_name=_("longitude")
    )
    coordinates_approximate = models.BooleanField(
        default=False,
        help_text=_("Coordinates are the ZIP code's centre, not the building."),
        verbose_name=_("coordinates approximate"),
    )
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default=settings.TIME_ZONE,
        validators=[validate_timezone],
        help_text=_("IANA name, e.g. America/Chicago."),
    )
    accessibility = TextField(
        blank=True,
        help_text=_("Ramps, elevators, accessible toilets…"),
        verbose_name=_("accessibility"),
    )
    address_is_public = models.BooleanField(
        _("show the address publicly"),
        default=True,
        help_text=(
            _(
                "Untick for confidential places (domestic-violence shelters): the address "
                "is never shown on pages, in search or in exports; only the phone is."
            )
        ),
    )
    possible_confidential = models.BooleanField(
        _("possible confidential address"),
        default=False,
        help_text=(
            _(
                "Set by an import when the place looks like a shelter for survivors but the "
                "source did not mark its address private: the address is hidden until a "
                "moderator decides (review queue)."
            )
        ),
    )

    objects = LocationQuerySet.as_manager()

    panels = [
        FieldPanel("organization"),
        FieldPanel("name"),
        FieldPanel("alternate_name"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("address_1"),
                FieldPanel("address_2"),
                FieldRowPanel(
                    [FieldPanel("city"), FieldPanel("state_province"), FieldPanel("postal_code")]
                ),
                FieldPanel("country"),
                FieldPanel("address_is_public"),
                FieldPanel("possible_confidential", read_only=True),
            ],
            heading=_("Address"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                FieldPanel("coordinates_approximate"),
                FieldPanel("timezone"),
            ],
            heading=_("Map and time zone"),
        ),
        FieldPanel("transportation"),
        FieldPanel("accessibility"),
        InlinePanel("phones", heading=_("Phones at this place"), label=_("Phone")),
        InlinePanel("hours", heading=_("Hours at this place"), label=_("Hours")),
    ]

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("city"),
        index.FilterField("organization"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        if not self.is_confidential and self.city:
            return f"{self.name} ({self.city})"
        return self.name

    @property
    def is_confidential(self):
        """Whether the address is hidden: marked confidential, or flagged by an
        import as a possible confidential place until a moderator decides. The
        one rule every page, history record and export reads."""
        return not self.address_is_public or self.possible_confidential

    @property
    def has_coordinates(self):
        return self.latitude is not None and self.longitude is not None

    @property
    def search_coordinates(self):
        """Where search measures this place from: its coarse point when it is
        confidential (directory.geo.search_coordinates); None without coordinates."""
        from directory.geo import search_coordinates

        return search_coordinates(self.latitude, self.longitude, confidential=self.is_confidential)

    @property
    def is_approximate(self):
        """Whether the coordinates are not to be shown as the building's: marked so
        by hand or by an import, or judged so against the ZIP code's area
        (directory.geo.coordinates_look_approximate)."""
        from directory.geo import coordinates_look_approximate

        return self.coordinates_approximate or coordinates_look_approximate(
            self.latitude, self.longitude, self.postal_code
        )

    @property
    def is_po_box(self):
        from directory.geo import is_po_box

        return is_po_box(self.address_1)

    def address_lines(self):
        """The address as display lines; none for a confidential place."""
        if self.is_confidential:
            return []
        lines = [line for line in (self.address_1, self.address_2) if line]
        region = " ".join(p for p in (self.state_province, self.postal_code) if p)
        last = ", ".join(p for p in (self.city, region) if p)
        if last:
            lines.append(last)
        return lines

    def directions_url(self):
        """A maps link that any phone opens in its own maps app."""
        if self.is_confidential or self.is_po_box:
            return ""
        from urllib.parse import quote_plus

        if self.address_1:
            query = ", ".join(self.address_lines())
        elif self.has_coordinates and not self.is_approximate:
            query = f"{self.latitude},{self.longitude}"
        else:
            return ""
        return f"https://www.google.com/maps/dir/?api=1&destination={quote_plus(query)}"


class LocationPhone(Orderable, PhoneNumber):
    location = ParentalKey(
        Location, on_delete=models.CASCADE, related_name="phones", verbose_name=_("location")
    )

    panels = [
        FieldRowPanel([FieldPanel("number"), FieldPanel("extension"), FieldPanel("type")]),
        FieldPanel("description"),
        FieldPanel("language"),
    ]


class LocationSchedule(Orderable, OpeningHours):
    location = ParentalKey(
        Location, on_delete=models.CASCADE, related_name="hours", verbose_name=_("location")
    )

    panels = [
        FieldRowPanel([FieldPanel("weekday"), FieldPanel("opens_at"), FieldPanel("closes_at")]),
        FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_to"), FieldPanel("closed")]),
        FieldPanel("description"),
    ]
