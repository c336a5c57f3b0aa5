from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "wenming.campaigns"
    verbose_name = "创建规划"

    def ready(self) -> None:
        from wenming.campaigns import cards
        from wenming.campaigns.demo import load_campaign_step
        from wenming.campaigns.tracing import register_with_trace
        from wenming.core import registry

        register_with_trace()
        registry.register_section("campaigns", "创建工作", "campaigns:list")
        registry.register_card("campaigns", cards.active_campaigns)
        registry.extend("demo.load", load_campaign_step)
