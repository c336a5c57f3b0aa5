from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "wenming.orgs"
    verbose_name = "组织与人员"
