from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "wenming.frameworks"
    verbose_name = "测评体系"

    def ready(self) -> None:
        from wenming.frameworks.tracing import register_with_trace

        register_with_trace()
