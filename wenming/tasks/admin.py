from django.contrib import admin
from django.http import HttpRequest

from wenming.tasks.models import OwnerChange, StandardExclusion, Task, TaskClaim


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["title", "campaign", "lead_department", "deadline", "status", "progress"]
    list_filter = ["status", "is_draft", "source"]
    search_fields = ["title"]
    raw_id_fields = [
        "campaign",
        "phase",
        "lead_department",
        "responsible",
        "created_by",
        "standards",
        "co_departments",
    ]

    def has_delete_permission(self, request: HttpRequest, obj: Task | None = None) -> bool:
        # Tasks are deleted softly, on the product's screens, so they stay restorable.
        return False


@admin.register(TaskClaim)
class TaskClaimAdmin(admin.ModelAdmin):
    list_display = ["task", "department", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["task", "department", "claimed_by", "decided_by"]


@admin.register(OwnerChange)
class OwnerChangeAdmin(admin.ModelAdmin):
    list_display = ["task", "from_department", "to_department", "comment", "at"]
    raw_id_fields = ["task", "from_department", "to_department", "actor"]


@admin.register(StandardExclusion)
class StandardExclusionAdmin(admin.ModelAdmin):
    list_display = ["campaign", "standard", "reason", "created_at"]
    raw_id_fields = ["campaign", "standard", "created_by"]
