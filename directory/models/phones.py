import uuid

from django.db import models

from directory.validators import format_phone, phone_uri, validate_phone


class PhoneType(models.TextChoices):
    VOICE = "voice", "Voice"
    TEXT = "text", "Text (SMS)"
    FAX = "fax", "Fax"
    CELL = "cell", "Cell"
    VIDEO = "video", "Video"
    PAGER = "pager", "Pager"
    TEXTPHONE = "textphone", "Textphone (TTY)"


class PhoneNumber(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, editable=False)
    number = models.CharField(max_length=64, validators=[validate_phone])
    extension = models.CharField(max_length=16, blank=True)
    type = models.CharField(max_length=16, choices=PhoneType.choices, default=PhoneType.VOICE)
    language = models.CharField(max_length=64, blank=True, help_text="e.g. Spanish line")
    description = models.CharField(max_length=255, blank=True)
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
