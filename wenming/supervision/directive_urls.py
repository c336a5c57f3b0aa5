"""Screens of the office's supervision (directives), under /supervision/: quarterly priorities
and monthly information."""

from __future__ import annotations

from django.urls import URLPattern, path

from wenming.supervision import directive_views as views

urlpatterns: list[URLPattern] = [
    path("priorities/", views.priorities, name="priorities"),
    path("priorities/new/", views.priority_new, name="priority_new"),
    path("priorities/<int:pk>/", views.priority_detail, name="priority"),
    path("priorities/<int:pk>/edit/", views.priority_edit, name="priority_edit"),
    path("priorities/<int:pk>/remove/", views.priority_remove, name="priority_remove"),
    path("priorities/<int:pk>/publish/", views.priority_publish, name="priority_publish"),
    path("priorities/<int:pk>/acknowledge/", views.priority_ack, name="priority_ack"),
    path("info/", views.info_rounds, name="info_rounds"),
    path("info/new/", views.info_round_new, name="info_round_new"),
    path("info/<int:pk>/", views.info_round_detail, name="info_round"),
    path("info/<int:pk>/submit/", views.info_submit, name="info_submit"),
    path("info/<int:pk>/remind/", views.info_remind, name="info_remind"),
    path("info/<int:pk>/table.xlsx", views.info_xlsx, name="info_xlsx"),
    path("info/submission/<int:pk>/", views.submission_detail, name="submission"),
    path("info/file/<int:pk>/", views.info_file, name="info_file"),
]
