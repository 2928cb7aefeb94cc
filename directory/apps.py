from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = "Directory"

    def ready(self):
        from wagtail.signals import page_published

        from directory.publishing import after_publish

        page_published.connect(after_publish, dispatch_uid="steward-after-publish")
