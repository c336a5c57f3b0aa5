from django.apps import AppConfig


class RechecksConfig(AppConfig):
    name = "wenming.rechecks"
    label = "rechecks"
    verbose_name = "文明单位复查"
