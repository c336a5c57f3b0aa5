from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "wenming.registry"
    label = "registry"
    verbose_name = "文明单位名录"

    def ready(self) -> None:
        from wenming.core import registry
        from wenming.registry import nav
        from wenming.registry.demo import load_demo_registry
        from wenming.registry.tracing import register_with_trace

        register_with_trace()
        registry.register_section("registry", "文明单位名录", "registry:index")
        registry.register_nav(nav.nav)
        registry.extend("demo.load", load_demo_registry)
