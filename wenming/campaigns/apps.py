from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "wenming.campaigns"
    verbose_name = "创建规划"

    def ready(self) -> None:
        from wenming.campaigns.tracing import register_with_trace

        register_with_trace()
