"""Screens of the office's inspections and dispatched problems, under /supervision/."""

from __future__ import annotations

from django.urls import URLPattern, path

from wenming.supervision import problem_views as views

urlpatterns: list[URLPattern] = [
    path("inspections/", views.inspection_list, name="inspections"),
    path("inspections/new/", views.inspection_new, name="inspection_new"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection"),
    path("inspections/<int:pk>/dispatch/", views.inspection_dispatch, name="inspection_dispatch"),
    path("inspections/<int:pk>/remove/", views.inspection_remove, name="inspection_remove"),
    path("problems/", views.problem_list, name="problems"),
    path("problems/<int:pk>/", views.problem_detail, name="problem"),
    path("problems/<int:pk>/assign/", views.problem_assign, name="problem_assign"),
    path("problems/<int:pk>/submit/", views.problem_submit, name="problem_submit"),
    path("problems/<int:pk>/verify/", views.problem_verify, name="problem_verify"),
    path("problems/<int:pk>/return/", views.problem_return, name="problem_return"),
    path("problems/<int:pk>/remove/", views.problem_remove, name="problem_remove"),
    path("problem-files/<int:pk>/", views.problem_file, name="problem_file"),
]
