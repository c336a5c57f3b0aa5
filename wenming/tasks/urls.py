from django.urls import path

from wenming.tasks import views

app_name = "tasks"
urlpatterns = [
    path("occurrences/<int:pk>/record/", views.occurrence_record, name="occurrence_record"),
    path("mine/", views.tasks_mine, name="mine"),
    path("offered/", views.tasks_offered, name="offered"),
    path("claims/", views.claims_inbox, name="claims"),
    path("claims/<int:pk>/approve/", views.claim_approve, name="claim_approve"),
    path("claims/<int:pk>/reject/", views.claim_reject, name="claim_reject"),
    path("department/<int:dept_pk>/", views.department_board, name="board"),
    path("campaign/<int:campaign_pk>/", views.task_table, name="table"),
    path("campaign/<int:campaign_pk>/generate/", views.tasks_generate, name="generate"),
    path("campaign/<int:campaign_pk>/new/", views.task_create, name="create"),
    path("campaign/<int:campaign_pk>/recycle/", views.task_recycle, name="recycle"),
    path("campaign/<int:campaign_pk>/coverage/", views.coverage, name="coverage"),
    path("campaign/<int:campaign_pk>/exclude/", views.standard_exclude, name="exclude"),
    path(
        "campaign/<int:campaign_pk>/include/<int:standard_pk>/",
        views.standard_include,
        name="include",
    ),
    path("campaign/<int:campaign_pk>/timeline/", views.timeline, name="timeline"),
    path("<int:pk>/", views.task_detail, name="detail"),
    path("<int:pk>/edit/", views.task_edit, name="edit"),
    path("<int:pk>/delete/", views.task_delete, name="delete"),
    path("<int:pk>/restore/", views.task_restore, name="restore"),
    path("<int:pk>/progress/", views.task_progress, name="progress"),
    path("<int:pk>/claim/", views.task_claim, name="claim"),
    path("<int:pk>/reassign/", views.task_reassign, name="reassign"),
]
