"""Screens of activities, under /activities/."""

from __future__ import annotations

from django.urls import URLPattern, path

from wenming.activities import views

app_name = "activities"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
]
