from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "impact"

    def ready(self):
        from impact.sms import checks  # noqa: F401 - registers the deploy check
