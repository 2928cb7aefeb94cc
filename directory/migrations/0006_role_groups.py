"""The role groups (Professionals, Moderators, Analysts) with their model-wide
permissions. Idempotent: directory.accounts.groups.ensure_role_groups."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations


def ensure_role_groups(apps, schema_editor):
    # The permissions declared on OrganizationPage are normally made after
    # migrate; the groups need them now.
    create_permissions(global_apps.get_app_config("directory"), verbosity=0)
    from directory.accounts.groups import ensure_role_groups as ensure

    ensure()


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0005_accounts"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(ensure_role_groups, migrations.RunPython.noop)]
