"""Back office (/backoffice/) pages for campaign plans.

Nothing here deletes: a campaign is replaced by making another one active, a milestone is
switched off with its flag, as on the screens.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from wenming.campaigns.models import Campaign, Milestone, Phase


class NoDeleteAdmin(admin.ModelAdmin):
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0
    fields = ("position", "kind", "name", "start", "end", "description")
    can_delete = False


@admin.register(Campaign)
class CampaignAdmin(NoDeleteAdmin):
    list_display = (
        "title",
        "unit",
        "target_level",
        "cycle_start",
        "cycle_end",
        "status",
        "is_active",
    )
    list_filter = ("status", "is_active", "target_level")
    search_fields = ("title", "unit__name")
    list_select_related = ("unit",)
    raw_id_fields = ("unit", "framework", "created_by")
    readonly_fields = ("created_at", "updated_at", "organized_at")
    inlines = [PhaseInline]


@admin.register(Milestone)
class MilestoneAdmin(NoDeleteAdmin):
    list_display = ("title", "campaign", "due", "owner_department", "done_at", "is_active")
    list_filter = ("is_active",)
    search_fields = ("title", "campaign__title")
    list_select_related = ("campaign", "owner_department")
    raw_id_fields = ("campaign", "phase", "owner_department", "owner")
