from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "wenming.ledger"
    verbose_name = "创建台账"
