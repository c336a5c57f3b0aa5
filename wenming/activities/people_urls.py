"""Screens of volunteers and of the standards' measures, included in `activities.urls`
(`urlpatterns += people_urls.urlpatterns`), so their names are in the "activities"
namespace."""

from __future__ import annotations

from django.urls import URLPattern, path

from wenming.activities import people_views

urlpatterns: list[URLPattern] = [
    path("volunteers/", people_views.volunteers, name="volunteers"),
    path("volunteers/new/", people_views.volunteer_new, name="volunteer_new"),
    path("volunteers/<int:pk>/remove/", people_views.volunteer_remove, name="volunteer_remove"),
    path("measures/", people_views.measures_view, name="measures"),
    path("measures/set/", people_views.measure_set, name="measure_set"),
    path("departments/", people_views.departments_view, name="departments"),
]
