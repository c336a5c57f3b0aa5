"""Screens of activities, under /activities/."""

from __future__ import annotations

from django.urls import URLPattern, path

from wenming.activities import (
    nominations_urls,
    people_urls,
    service_urls,
    study_urls,
    views,
)

app_name = "activities"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/remove/", views.remove, name="remove"),
    path("person/<int:user_pk>/", views.person, name="person"),
]
# Volunteers and the standards' measures (another part of R9), in the same namespace.
urlpatterns += people_urls.urlpatterns
# 先进典型, study records, imported hours with 双报到 and 帮扶共建: their own modules.
urlpatterns += nominations_urls.urlpatterns
urlpatterns += study_urls.urlpatterns
urlpatterns += service_urls.urlpatterns
