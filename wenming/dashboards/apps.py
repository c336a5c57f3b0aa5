from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "wenming.dashboards"
    label = "dashboards"
    verbose_name = "领导驾驶舱"

    def ready(self) -> None:
        from wenming.core import registry
        from wenming.dashboards import focus, office_home

        registry.register_section("dashboards", "驾驶舱", "dashboards:index")
        registry.register_card("focus", focus.focus_card)
        registry.register_card("office_queues", office_home.office_queues_card)
