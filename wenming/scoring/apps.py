from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "wenming.scoring"
    verbose_name = "测评打分"

    def ready(self) -> None:
        from wenming.core import registry
        from wenming.core.demo import campaign_step
        from wenming.scoring.demo import load_demo_rounds
        from wenming.scoring.tracing import register_with_trace

        register_with_trace()
        registry.register_section("scoring", "测评打分", "scoring:index")
        registry.extend("demo.load", campaign_step(load_demo_rounds))
