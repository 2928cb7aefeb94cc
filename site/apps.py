from django.apps import AppConfig
from django.db.models.signals import post_migrate


def sync_site_with_public_url(**kwargs):
    """The default Wagtail Site takes its hostname and port from the public base
    URL after every migrate, so a deployment that changes STEWARD_PUBLIC_URL and
    migrates (as every deploy does) never keeps a stale "localhost"."""
    from wagtail.models import Site

    from directory.links import site_host_and_port

    target = site_host_and_port()
    if target is None:
        return
    hostname, port = target
    Site.objects.filter(is_default_site=True).exclude(hostname=hostname, port=port).update(
        hostname=hostname, port=port
    )


class StewardConfig(AppConfig):
    name = "steward"
    verbose_name = "Steward site"

    def ready(self):
        from steward import checks  # noqa: F401 (registers the deploy check)

        post_migrate.connect(sync_site_with_public_url, sender=self)
