from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "wenming.activities"
    label = "activities"
    verbose_name = "活动与志愿服务"

    def ready(self) -> None:
        from wenming.core import registry

        registry.register_section("activities", "活动", "activities:index")
