from django.urls import path

from wenming.applications import field_views, office_views, views

app_name = "applications"
urlpatterns = [
    path("", views.index, name="index"),
    path("batch/new/", views.batch_new, name="batch_new"),
    path("batch/<int:pk>/", views.batch_detail, name="batch"),
    path("batch/<int:pk>/edit/", views.batch_edit, name="batch_edit"),
    path("batch/<int:pk>/remove/", views.batch_remove, name="batch_remove"),
    path("batch/<int:pk>/apply/", views.apply, name="apply"),
    path("batch/<int:pk>/publicity/", office_views.publicity, name="publicity"),
    path("batch/<int:pk>/publicity-end/", office_views.publicity_end, name="publicity_end"),
    path("batch/<int:pk>/name/", office_views.name, name="name"),
    path("batch/<int:pk>/decision.docx", views.decision_docx, name="decision_docx"),
    path("batch/<int:pk>/publicity.docx", views.publicity_docx, name="publicity_docx"),
    path("batch/<int:pk>/list.xlsx", views.list_xlsx, name="list_xlsx"),
    path("batch/<int:pk>/decision-file/", views.decision_file, name="decision_file"),
    path("<int:pk>/", views.application_detail, name="application"),
    path("<int:pk>/resubmit/", views.resubmit, name="resubmit"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/accept/", office_views.accept, name="accept"),
    path("<int:pk>/return/", office_views.send_back, name="return"),
    path("<int:pk>/reject/", office_views.reject, name="reject"),
    path("<int:pk>/field-round/", office_views.field_round, name="field_round"),
    path("field-round/<int:pk>/", field_views.field_sheet, name="field_sheet"),
    path(
        "field-round/<int:pk>/score/<int:standard_pk>/",
        field_views.field_score,
        name="field_score",
    ),
    path("field-round/<int:pk>/finish/", field_views.field_finish, name="field_finish"),
    path("field-round/<int:pk>/reopen/", field_views.field_reopen, name="field_reopen"),
    path("<int:pk>/assessment/", office_views.assessment, name="assessment"),
    path("<int:pk>/opinions/new/", office_views.opinion, name="opinion"),
    path("<int:pk>/consulted/", office_views.consulted, name="consulted"),
    path("<int:pk>/objections/new/", office_views.objection_new, name="objection"),
    path("objection/<int:pk>/answer/", office_views.objection_answer, name="objection_answer"),
    path("<int:pk>/form.docx", views.form_docx, name="form_docx"),
    path("<int:pk>/summary.docx", views.summary_docx, name="summary_docx"),
    path("file/<int:pk>/", views.snapshot_file, name="file"),
]
