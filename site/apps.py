from django.apps import AppConfig


class StewardConfig(AppConfig):
    name = "steward"
    verbose_name = "Steward site"
