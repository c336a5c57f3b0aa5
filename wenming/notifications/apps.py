from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "wenming.notifications"
    label = "notifications"
    verbose_name = "消息提醒"
