from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from wenming.core import registry


def navigation(request: HttpRequest) -> dict[str, Any]:
    """`nav` (what the registered providers say of the user) and `nav_section`, the first
    breadcrumb: the section the current app registered, linked unless it is this page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    match = getattr(request, "resolver_match", None)
    section = None
    found = registry.section(match.app_name) if match is not None else None
    if found is not None:
        label, name = found
        url = reverse(name)
        section = (label, None if request.path == url else url)
    return {"nav": registry.nav_for(user), "nav_section": section}
