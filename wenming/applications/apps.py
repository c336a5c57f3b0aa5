from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "wenming.applications"
    label = "applications"
    verbose_name = "文明单位申报"
