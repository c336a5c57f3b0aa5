from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "wenming.supervision"
    label = "supervision"
    verbose_name = "文明办督查"

    def ready(self) -> None:
        from wenming.core import registry
        from wenming.supervision import cards, nav
        from wenming.supervision.demo import load_demo_supervision
        from wenming.supervision.tracing import register_with_trace

        register_with_trace()
        registry.register_section("supervision", "督查与报送", "supervision:index")
        registry.register_nav(nav.nav)
        registry.register_card("city_work", cards.home_card)
        registry.extend("demo.load", load_demo_supervision)
