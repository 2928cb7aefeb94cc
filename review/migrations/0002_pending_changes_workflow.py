"""Data: the "Pending changes" workflow on the home page and locations, and the
editing rights of professionals (review.moderation.workflow.ensure_all, idempotent)."""

from django.db import migrations


def set_up(apps, schema_editor):
    from review.moderation.workflow import ensure_all

    ensure_all(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0001_initial"),
        ("steward", "0002_home_page"),
        ("directory", "0007_location_drafts_and_history"),
    ]

    operations = [migrations.RunPython(set_up, migrations.RunPython.noop)]
