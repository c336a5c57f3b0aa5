"""The department assessment's screens, in the `oversight` namespace (included from
`wenming.oversight.urls`)."""

from django.urls import path

from wenming.oversight.assessment import views

urlpatterns = [
    path("campaign/<int:campaign_pk>/assessment/", views.ranking, name="assessment"),
    path(
        "campaign/<int:campaign_pk>/assessment/export/",
        views.ranking_export,
        name="assessment_export",
    ),
    path("campaign/<int:campaign_pk>/assessment/rules/", views.rules, name="assessment_rules"),
    path(
        "campaign/<int:campaign_pk>/assessment/person/<int:user_pk>/",
        views.person,
        name="assessment_person",
    ),
    path(
        "campaign/<int:campaign_pk>/accountability/",
        views.accountability_list,
        name="accountability",
    ),
    path(
        "campaign/<int:campaign_pk>/accountability/new/",
        views.accountability_new,
        name="accountability_new",
    ),
    path(
        "accountability/<int:pk>/remove/",
        views.accountability_remove,
        name="accountability_remove",
    ),
    path(
        "campaign/<int:campaign_pk>/commendations/",
        views.commendation_list,
        name="commendations",
    ),
    path(
        "campaign/<int:campaign_pk>/commendations/new/",
        views.commendation_new,
        name="commendation_new",
    ),
    path(
        "commendations/<int:pk>/remove/",
        views.commendation_remove,
        name="commendation_remove",
    ),
]
