from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "wenming.oversight"
    verbose_name = "督查整改"

    def ready(self) -> None:
        from wenming.core import registry
        from wenming.core.demo import campaign_step
        from wenming.oversight import cards
        from wenming.oversight.demo import load_demo_problems
        from wenming.oversight.tracing import register_with_trace

        register_with_trace()
        registry.register_section("oversight", "督查整改", "oversight:index")
        registry.register_card("problems", cards.workbench_card)
        registry.extend("reports.rollup.overdue_problems", cards.overdue_problem_count)
        registry.extend("scoring.gaps.problems_by_standard", cards.problems_by_standard)
        registry.extend("demo.load", campaign_step(load_demo_problems))
