from django.apps import AppConfig


class TraceConfig(AppConfig):
    name = "wenming.trace"
    label = "trace"
    verbose_name = "操作记录"

    def ready(self) -> None:
        from wenming.core import registry
        from wenming.trace.registrations import register_organizations

        register_organizations()
        registry.register_section("trace", "操作记录", "trace:log")
