from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "wenming.notifications"
    label = "notifications"
    verbose_name = "消息提醒"

    def ready(self) -> None:
        from wenming.core import registry
        from wenming.notifications.city_rules import remind_info
        from wenming.notifications.rules import notify

        registry.register_section("notifications", "消息", "notifications:inbox")
        # The demo inboxes start with what the scheduler would have found today.
        registry.extend("demo.loaded", notify)
        # The office's 一键提醒 of units that have not submitted the month's information.
        registry.extend("supervision.remind_info", remind_info)
