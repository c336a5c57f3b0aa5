"""Back office (/backoffice/) pages for the organization models.

Nothing here deletes: records are switched off with their 启用/有效 flag, as on the
screens. An organization's kind and place (parent) are fixed once created, because moving
one would leave the materialized paths of its descendants stale.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from wenming.orgs.models import (
    ApiToken,
    LeadingGroupMember,
    Membership,
    Organization,
    WorkingGroup,
)


class NoDeleteAdmin(admin.ModelAdmin):
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Organization)
class OrganizationAdmin(NoDeleteAdmin):
    list_display = ("name", "kind", "parent", "code", "level", "sort_order", "is_active")
    list_filter = ("kind", "level", "is_active")
    search_fields = ("name", "short_name", "code")
    list_select_related = ("parent",)
    raw_id_fields = ("parent", "campaign_office_host")
    readonly_fields = ("path", "created_at", "updated_at")
    ordering = ("path",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        fields = tuple(super().get_readonly_fields(request, obj))
        return (*fields, "kind", "parent") if obj is not None else fields


@admin.register(Membership)
class MembershipAdmin(NoDeleteAdmin):
    list_display = ("user", "organization", "role", "title", "phone", "is_active", "ended_at")
    list_filter = ("role", "is_active")
    search_fields = ("user__username", "user__first_name", "organization__name", "title", "phone")
    list_select_related = ("user", "organization")
    raw_id_fields = ("user", "organization")
    readonly_fields = ("created_at",)


@admin.register(LeadingGroupMember)
class LeadingGroupMemberAdmin(NoDeleteAdmin):
    list_display = ("user", "unit", "position", "duty", "sort_order", "is_active")
    list_filter = ("position", "is_active")
    search_fields = ("user__username", "user__first_name", "unit__name", "duty")
    list_select_related = ("user", "unit")
    raw_id_fields = ("user", "unit")


@admin.register(WorkingGroup)
class WorkingGroupAdmin(NoDeleteAdmin):
    list_display = ("name", "unit", "leader", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "unit__name", "duties")
    list_select_related = ("unit", "leader")
    raw_id_fields = ("unit", "leader")
    filter_horizontal = ("members",)


@admin.register(ApiToken)
class ApiTokenAdmin(NoDeleteAdmin):
    """Tokens are issued by the API; here they can only be looked at and revoked."""

    list_display = ("prefix", "user", "name", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("prefix", "user__username", "name")
    list_select_related = ("user",)
    readonly_fields = ("user", "name", "prefix", "key_hash", "created_at", "last_used_at")
    fields = ("user", "name", "prefix", "key_hash", "created_at", "last_used_at", "revoked_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
