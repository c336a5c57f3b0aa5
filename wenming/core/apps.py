from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "wenming.core"
    verbose_name = "平台"
