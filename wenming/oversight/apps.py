from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "wenming.oversight"
    verbose_name = "督查整改"
