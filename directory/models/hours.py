"""Opening hours, shared by services and locations.

One row is either a weekly opening (a weekday with open and close times; a close
time earlier than the open time runs past midnight into the next day) or an
exception for a date range (closed, or special hours), as HSDS 3.0 schedules are.
"""

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class Weekday(models.IntegerChoices):
    MONDAY = 1, pgettext_lazy("weekday heading", "Monday")
    TUESDAY = 2, pgettext_lazy("weekday heading", "Tuesday")
    WEDNESDAY = 3, pgettext_lazy("weekday heading", "Wednesday")
    THURSDAY = 4, pgettext_lazy("weekday heading", "Thursday")
    FRIDAY = 5, pgettext_lazy("weekday heading", "Friday")
    SATURDAY = 6, pgettext_lazy("weekday heading", "Saturday")
    SUNDAY = 7, pgettext_lazy("weekday heading", "Sunday")


class OpeningHours(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, editable=False)
    weekday = models.PositiveSmallIntegerField(
        choices=Weekday.choices,
        null=True,
        blank=True,
        help_text=_("For weekly hours. Leave empty for an exception (a holiday, a closure)."),
        verbose_name=_("weekday"),
    )
    opens_at = models.TimeField(null=True, blank=True, verbose_name=_("opens at"))
    closes_at = models.TimeField(
        null=True,
        blank=True,
        help_text=(
            _(
                "Earlier than the opening time means past midnight; the same as the "
                "opening time means 24 hours (0:00–0:00 is open all day)."
            )
        ),
        verbose_name=_("closes at"),
    )
    valid_from = models.DateField(
        null=True,
        blank=True,
        help_text=_("For an exception: its first day."),
        verbose_name=_("valid from"),
    )
    valid_to = models.DateField(
        null=True,
        blank=True,
        help_text=_("For an exception: its last day."),
        verbose_name=_("valid to"),
    )
    closed = models.BooleanField(
        default=False, help_text=_("Closed on these dates."), verbose_name=_("closed")
    )
    description = models.CharField(max_length=255, blank=True, verbose_name=_("description"))
    rule = models.CharField(
        max_length=255,
        blank=True,
        help_text=(
            _(
                "A repeating pattern other than weekly, as an iCalendar RRULE "
                "(FREQ=MONTHLY;BYDAY=2TU,4TU is the 2nd and 4th Tuesday)."
            )
        ),
        verbose_name=_("rule"),
    )
    source_id = models.CharField(max_length=255, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def is_exception(self):
        return self.weekday is None

    @property
    def is_note(self):
        """Hours said in words (as the source wrote them, or a monthly rule), with
        no weekday and no date: shown as written, never used to say "open now"."""
        return self.weekday is None and not self.valid_from

    @property
    def is_overnight(self):
        """Runs past midnight. Equal times are a full 24 hours (0:00–0:00 is all day),
        which the same rule covers: open from the opening time until that time
        the next day."""
        return bool(
            self.opens_at is not None
            and self.closes_at is not None
            and self.closes_at <= self.opens_at
        )

    def clean(self):
        errors = {}
        if self.is_note and (self.rule or self.description):
            return
        if self.weekday is None and not self.valid_from:
            errors["valid_from"] = _(
                "Give a weekday for weekly hours, or a first day for an exception."
            )
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = _("The last day must not be before the first day.")
        if self.closed:
            if self.weekday is not None:
                errors["closed"] = _(
                    "A weekday with no hours is simply left out; use “closed” for dated exceptions."
                )
        else:
            if (self.opens_at is None) != (self.closes_at is None):
                field = "closes_at" if self.closes_at is None else "opens_at"
                errors[field] = _("Give both the opening and the closing time.")
            elif self.opens_at is None:
                errors["opens_at"] = _("Give the opening and closing times, or tick “closed”.")
        if errors:
            raise ValidationError(errors)

    def applies_on(self, day):
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_to and day > self.valid_to)

    def covers(self, local):
        """Whether this weekly row has the place open at naive local datetime `local`."""
        if self.is_exception or self.opens_at is None or self.closes_at is None:
            return False
        day, time = local.date(), local.time()
        iso = local.isoweekday()
        if not self.is_overnight:
            return (
                iso == self.weekday
                and self.opens_at <= time < self.closes_at
                and (self.applies_on(day))
            )
        # Overnight: open from opens_at on its weekday until closes_at the next morning.
        if iso == self.weekday and time >= self.opens_at and self.applies_on(day):
            return True
        yesterday = day - dt.timedelta(days=1)
        return (
            yesterday.isoweekday() == self.weekday
            and time < self.closes_at
            and self.applies_on(yesterday)
        )

    def __str__(self):
        if self.is_exception:
            span = str(self.valid_from)
            if self.valid_to and self.valid_to != self.valid_from:
                span += f"–{self.valid_to}"
            if self.closed:
                return f"{span}: closed"
            return f"{span}: {format_time(self.opens_at)}–{format_time(self.closes_at)}"
        return (
            f"{self.get_weekday_display()}: "
            f"{format_time(self.opens_at)}–{format_time(self.closes_at)}"
        )


def format_time(value):
    """ "9am", "5:30pm", "noon"; in Spanish "9 a. m.", "5:30 p. m.", "mediodía"
    (the active language)."""
    if value is None:
        return ""
    if value.minute == 0 and value.hour == 12:
        return gettext("noon")
    if value.minute == 0 and value.hour == 0:
        return gettext("midnight")
    hour = value.hour % 12 or 12
    clock = f"{hour}:{value.minute:02d}" if value.minute else str(hour)
    if value.hour < 12:
        return gettext("%(time)sam") % {"time": clock}
    return gettext("%(time)spm") % {"time": clock}
