from django.urls import path

from wenming.tasks import part_views, proof_views, subtask_views, views

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
    path("<int:pk>/waiver/", proof_views.task_waive, name="waive"),
    path("<int:pk>/waiver/undo/", proof_views.task_unwaive, name="unwaive"),
    path("<int:pk>/parts/<int:dept_pk>/", part_views.part_report, name="part_report"),
    path("<int:pk>/claim/", views.task_claim, name="claim"),
    path("<int:pk>/reassign/", views.task_reassign, name="reassign"),
    # Sub-tasks (子任务)
    path("<int:pk>/subtasks/new/", subtask_views.subtask_create, name="subtask_create"),
    path("subtasks/<int:pk>/", subtask_views.subtask_detail, name="subtask"),
    path("subtasks/<int:pk>/edit/", subtask_views.subtask_edit, name="subtask_edit"),
    path("subtasks/<int:pk>/report/", subtask_views.subtask_report, name="subtask_report"),
    path("subtasks/<int:pk>/complete/", subtask_views.subtask_complete, name="subtask_complete"),
    path("subtasks/<int:pk>/delete/", subtask_views.subtask_delete, name="subtask_delete"),
    path("subtasks/<int:pk>/restore/", subtask_views.subtask_restore, name="subtask_restore"),
]
