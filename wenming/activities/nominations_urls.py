"""Screens of 先进典型 (R10): nominations, 公示 and awards, and the yearly ratings, included in
`activities.urls`, so their names are in the "activities" namespace. Each step of a
nomination's way posts to `nomination_action` with its name (`nominations.Action`)."""

from __future__ import annotations

from django.urls import URLPattern, path

from wenming.activities import nominations_views as views

urlpatterns: list[URLPattern] = [
    path("nominations/", views.board, name="nominations"),
    path("nominations/new/", views.nomination_new, name="nomination_new"),
    path("nominations/<int:pk>/", views.nomination_detail, name="nomination_detail"),
    path("nominations/<int:pk>/edit/", views.nomination_edit, name="nomination_edit"),
    path(
        "nominations/<int:pk>/<slug:action>/",
        views.nomination_action,
        name="nomination_action",
    ),
    path("nominations/ratings/", views.ratings, name="ratings"),
    path("nominations/ratings/new/", views.rating_new, name="rating_new"),
]
