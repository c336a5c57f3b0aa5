"""Screens of Volunteer hours imported, 双报到 and 帮扶共建 (R9), included in `activities.urls`, so their names are in the
"activities" namespace."""

from __future__ import annotations

from django.urls import URLPattern, path

from wenming.activities import service_views as views

urlpatterns: list[URLPattern] = [
    path("volunteers/hours/", views.hours_imports, name="hours_imports"),
    path("volunteers/hours/new/", views.hours_import_new, name="hours_import_new"),
    path("volunteers/hours/<int:pk>/", views.hours_import_detail, name="hours_import_detail"),
    path("community/", views.community_view, name="community"),
    path("community/new/", views.community_new, name="community_new"),
    path("community/<int:pk>/feedback/", views.community_feedback, name="community_feedback"),
    path("community/<int:pk>/remove/", views.community_remove, name="community_remove"),
    path("pairings/", views.pairings, name="pairings"),
    path("pairings/new/", views.pairing_new, name="pairing_new"),
    path("pairings/<int:pk>/", views.pairing_detail, name="pairing_detail"),
    path("pairings/<int:pk>/remove/", views.pairing_remove, name="pairing_remove"),
]
