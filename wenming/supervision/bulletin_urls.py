"""Screens of the office's supervision (bulletins), under /supervision/."""

from __future__ import annotations

from django.urls import URLPattern, path

from wenming.supervision import bulletin_views as views

urlpatterns: list[URLPattern] = [
    path("bulletins/", views.bulletin_list, name="bulletins"),
    path("bulletins/new/", views.bulletin_new, name="bulletin_new"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="bulletin"),
    path("bulletins/<int:pk>/edit/", views.bulletin_edit, name="bulletin_edit"),
    path("bulletins/<int:pk>/verdict/", views.bulletin_verdict, name="bulletin_verdict"),
    path("bulletins/<int:pk>/issue/", views.bulletin_issue, name="bulletin_issue"),
    path("bulletins/<int:pk>/remove/", views.bulletin_remove, name="bulletin_remove"),
    path("bulletins/<int:pk>/bulletin.docx", views.bulletin_docx_download, name="bulletin_docx"),
]
