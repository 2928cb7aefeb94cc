"""Model fields of the listings."""

from django.db import models


def plain_newlines(value):
    """Text with every line ending as "\\n": browsers post a textarea's lines with
    "\\r\\n", imports and scripts use "\\n"; the same text must compare equal, or
    every save shows a phantom change in the history."""
    if isinstance(value, str) and "\r" in value:
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


class TextField(models.TextField):
    """A TextField that stores plain "\\n" line endings, whatever the save path:
    a model form (the admin's editor, through full_clean), `save()` (imports,
    scripts) and a revision's content read back (to_python)."""

    def to_python(self, value):
        return plain_newlines(super().to_python(value))

    def pre_save(self, model_instance, add):
        value = plain_newlines(super().pre_save(model_instance, add))
        setattr(model_instance, self.attname, value)
        return value
