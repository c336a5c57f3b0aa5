from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "wenming.campaigns"
    verbose_name = "创建规划"
