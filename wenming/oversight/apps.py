from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "wenming.oversight"
    verbose_name = "督查整改"

    def ready(self) -> None:
        from wenming.oversight.tracing import register_with_trace

        register_with_trace()
