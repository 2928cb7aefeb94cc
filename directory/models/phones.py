import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.validators import format_phone, phone_uri, validate_phone


class PhoneType(models.TextChoices):
    VOICE = "voice", _("Voice")
    TEXT = "text", _("Text (SMS)")
    FAX = "fax", _("Fax")
    CELL = "cell", _("Cell")
    VIDEO = "video", _("Video")
    PAGER = "pager", _("Pager")
    TEXTPHONE = "textphone", _("Textphone (TTY)")


class PhoneNumber(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, editable=False)
    number = models.CharField(max_length=64, validators=[validate_phone], verbose_name=_("number"))
    extension = models.CharField(max_length=16, blank=True, verbose_name=_("extension"))
    type = models.CharField(
        max_length=16, choices=PhoneType.choices, default=PhoneType.VOICE, verbose_name=_("type")
    )
    language = models.CharField(
        max_length=64, blank=True, help_text=_("e.g. Spanish line"), verbose_name=_("language")
    )
    description = models.CharField(max_length=255, blank=True, verbose_name=_("description"))
    source_id = models.CharField(max_length=255, blank=True, editable=False)

    class Meta:
        abstract = True

    def __str__(self):
        text = self.display
        if self.extension:
            text += f" ext. {self.extension}"
        return text

    @property
    def display(self):
        return format_phone(self.number)

    @property
    def uri(self):
        uri = phone_uri(self.number)
        if uri and self.extension:
            uri += f";ext={self.extension}"
        return uri

    @property
    def can_call(self):
        return self.type in (PhoneType.VOICE, PhoneType.CELL, PhoneType.TEXTPHONE)
