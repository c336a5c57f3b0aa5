from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "wenming.ledger"
    verbose_name = "创建台账"

    def ready(self) -> None:
        from wenming.core import registry
        from wenming.core.demo import campaign_step
        from wenming.ledger import cards, proof
        from wenming.ledger.demo import load_demo_evidence
        from wenming.ledger.tracing import register_with_trace

        register_with_trace()
        registry.register_section("ledger", "创建台账", "ledger:mine")
        registry.register_section("binder", "创建台账", "ledger:mine")
        registry.register_card("ledger", cards.workbench_card)
        registry.extend("demo.load", campaign_step(load_demo_evidence))
        # A task at 100 % is 已完成 only when the ledger proves it (docs/tasks.md).
        registry.extend("tasks.proof", proof.proven_task_ids)
        registry.extend("tasks.proof_gaps", proof.unproven_standards)
