from django.apps import AppConfig


class RechecksConfig(AppConfig):
    name = "wenming.rechecks"
    label = "rechecks"
    verbose_name = "文明单位复查"

    def ready(self) -> None:
        from wenming.core import registry
        from wenming.rechecks import nav
        from wenming.rechecks.demo import load_demo_rechecks
        from wenming.rechecks.tracing import register_with_trace

        register_with_trace()
        registry.register_section("rechecks", "复查", "rechecks:index")
        registry.register_nav(nav.nav)
        registry.extend("demo.load", load_demo_rechecks)
