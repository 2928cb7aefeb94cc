from django.db import migrations, models


class Migration(migrations.Migration):
    """ServicePage.url shadowed Wagtail's Page.url (the page's own address)."""

    dependencies = [("directory", "0002_open_eligibility")]

    operations = [
        migrations.RenameField(model_name="servicepage", old_name="url", new_name="website"),
        migrations.AlterField(
            model_name="servicepage",
            name="website",
            field=models.URLField(blank=True, max_length=500),
        ),
    ]
