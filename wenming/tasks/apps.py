from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "wenming.tasks"
    verbose_name = "任务分解与推进"

    def ready(self) -> None:
        from wenming.core import registry
        from wenming.tasks import campaign_parts
        from wenming.tasks.demo import load_tasks_step
        from wenming.tasks.tracing import register_with_trace

        register_with_trace()
        registry.register_section("tasks", "创建工作", "campaigns:list")
        registry.register_section("reports", "工作推进", "reports:my_week")
        registry.extend("campaigns.coverage", campaign_parts.campaign_coverage)
        registry.extend("campaigns.organize_checks", campaign_parts.check_every_standard_covered)
        registry.extend("campaigns.plan_tasks", campaign_parts.plan_tasks)
        registry.extend("demo.load", load_tasks_step)
