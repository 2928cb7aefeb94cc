from django.db import migrations


def load(apps, schema_editor):
    from directory.taxonomy import load_open_eligibility

    load_open_eligibility(apps.get_model("directory", "Taxonomy"), apps.get_model("directory", "TaxonomyTerm"))


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
