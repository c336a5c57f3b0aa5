from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from wenming.orgs import access as org_access

# The section each app belongs to, shown as the first breadcrumb when a page names no trail.
SECTIONS: dict[str, tuple[str, str]] = {
    "dashboards": ("驾驶舱", "dashboards:index"),
    "orgs": ("组织机构", "orgs:tree"),
    "frameworks": ("测评体系", "frameworks:list"),
    "campaigns": ("创建工作", "campaigns:list"),
    "tasks": ("创建工作", "campaigns:list"),
    "reports": ("工作推进", "reports:my_week"),
    "ledger": ("创建台账", "ledger:mine"),
    "binder": ("创建台账", "ledger:mine"),
    "scoring": ("测评打分", "scoring:index"),
    "oversight": ("督查整改", "oversight:index"),
    "notifications": ("消息", "notifications:inbox"),
    "trace": ("操作记录", "trace:log"),
}


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    match = getattr(request, "resolver_match", None)
    section = None
    if match is not None and match.app_name in SECTIONS:
        label, name = SECTIONS[match.app_name]
        url = reverse(name)
        section = (label, None if request.path == url else url)
    return {"nav": org_access.describe(user), "nav_section": section}
