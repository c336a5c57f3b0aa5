from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "wenming.frameworks"
    verbose_name = "测评体系"

    def ready(self) -> None:
        from wenming.core import registry
        from wenming.frameworks import cards
        from wenming.frameworks.demo import load_sample_framework
        from wenming.frameworks.tracing import register_with_trace

        register_with_trace()
        registry.register_section("frameworks", "测评体系", "frameworks:list")
        registry.register_card("frameworks", cards.recent_frameworks)
        registry.extend("demo.load", load_sample_framework)
