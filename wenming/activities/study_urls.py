"""Screens of study records (学习, R19): targets, platform points, 考学, included in
`activities.urls`, so their names are in the "activities" namespace."""

from __future__ import annotations

from django.urls import URLPattern, path

from wenming.activities import study_views

urlpatterns: list[URLPattern] = [
    path("study/", study_views.study_index, name="study"),
    path("study/target/", study_views.study_target, name="study_target"),
    path("study/points/", study_views.study_points, name="study_points"),
    path("study/points/import/", study_views.study_points_import, name="study_points_import"),
    path("study/exams/", study_views.study_exams, name="study_exams"),
    path("study/exams/new/", study_views.study_exam_new, name="study_exam_new"),
    path("study/exams/<int:pk>/", study_views.study_exam_detail, name="study_exam_detail"),
    path("study/exams/<int:pk>/scores/", study_views.study_exam_scores, name="study_exam_scores"),
    path("study/exams/<int:pk>/remove/", study_views.study_exam_remove, name="study_exam_remove"),
]
