from django.urls import path

from wenming.rechecks import report_views, views

app_name = "rechecks"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.recheck_new, name="new"),
    path("<int:pk>/", views.recheck_detail, name="detail"),
    path("<int:pk>/edit/", views.recheck_edit, name="edit"),
    path("<int:pk>/close/", views.recheck_close, name="close"),
    path("<int:pk>/result.docx", views.result_docx, name="result_docx"),
    path("<int:pk>/list.xlsx", views.list_xlsx, name="list_xlsx"),
    path("<int:pk>/result-file/", views.result_file, name="result_file"),
    path("report/<int:pk>/", report_views.report_detail, name="report"),
    path("report/<int:pk>/submit/", report_views.report_submit, name="report_submit"),
    path("report/<int:pk>/return/", report_views.report_return, name="report_return"),
    path("report/<int:pk>/score/", report_views.report_score, name="report_score"),
    path("report/<int:pk>/round/", report_views.report_round, name="report_round"),
    path("report/<int:pk>/decide/", report_views.report_decide, name="report_decide"),
    path("report/<int:pk>/follow-up/", report_views.report_follow_up, name="report_follow_up"),
    path(
        "report/<int:pk>/confirm-missed/",
        report_views.report_confirm_missed,
        name="report_confirm_missed",
    ),
    path("file/<int:pk>/", report_views.report_file, name="file"),
]
