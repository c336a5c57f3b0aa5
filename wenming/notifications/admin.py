from django.contrib import admin

from wenming.notifications.models import DigestRun, Notification, Preference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind"]
    search_fields = ["title", "key", "recipient__username"]
    raw_id_fields = ["recipient"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email_digest", "updated_at"]
    raw_id_fields = ["user"]


@admin.register(DigestRun)
class DigestRunAdmin(admin.ModelAdmin):
    list_display = ["user", "day", "count", "sent_at"]
    raw_id_fields = ["user"]
