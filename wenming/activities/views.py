"""Screens of activities (R9)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from wenming.http import AuthenticatedHttpRequest


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "activities/index.html", {"crumbs": [("活动", None)]})
