from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "wenming.ledger"
    verbose_name = "创建台账"

    def ready(self) -> None:
        from wenming.ledger.tracing import register_with_trace

        register_with_trace()
