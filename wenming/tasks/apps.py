from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "wenming.tasks"
    verbose_name = "任务分解与推进"
