from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "wenming.tasks"
    verbose_name = "任务分解与推进"

    def ready(self) -> None:
        from wenming.tasks.tracing import register_with_trace

        register_with_trace()
