from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "wenming.applications"
    label = "applications"
    verbose_name = "文明单位申报"

    def ready(self) -> None:
        from wenming.applications import cards, nav
        from wenming.applications.demo import load_demo_applications
        from wenming.applications.tracing import register_with_trace
        from wenming.core import registry

        register_with_trace()
        registry.extend("demo.load", load_demo_applications)
        registry.register_nav(nav.nav)
        registry.register_card("application_window", cards.open_window_card)
