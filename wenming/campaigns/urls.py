from django.urls import path

from wenming.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/edit/", views.campaign_edit, name="edit"),
    path("<int:pk>/phases/", views.campaign_phases, name="phases"),
    path("<int:pk>/milestones/new/", views.milestone_create, name="milestone_create"),
    path("milestones/<int:pk>/edit/", views.milestone_edit, name="milestone_edit"),
    path(
        "milestones/<int:pk>/deactivate/",
        views.milestone_deactivate,
        name="milestone_deactivate",
    ),
    path("<int:pk>/organize/", views.campaign_organize, name="organize"),
    path("<int:pk>/set-active/", views.campaign_set_active, name="set_active"),
    path("<int:pk>/plan.docx", views.campaign_plan_docx, name="plan_docx"),
]
