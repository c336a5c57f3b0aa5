from django.urls import include, path

from wenming.oversight import views

app_name = "oversight"
urlpatterns = [
    path("", views.index, name="index"),
    path("campaign/<int:campaign_pk>/problems/", views.problem_ledger, name="problems"),
    path("campaign/<int:campaign_pk>/problems/export/", views.problem_export, name="export"),
    path("campaign/<int:campaign_pk>/problems/new/", views.problem_new, name="new"),
    path("campaign/<int:campaign_pk>/inspections/", views.inspection_list, name="inspections"),
    path(
        "campaign/<int:campaign_pk>/inspections/new/",
        views.inspection_new,
        name="inspection_new",
    ),
    path("inspection/<int:pk>/", views.inspection_detail, name="inspection"),
    path("inspection/<int:pk>/record/", views.problem_record, name="record"),
    path("problem/<int:pk>/", views.problem_detail, name="problem"),
    path("problem/<int:pk>/start/", views.problem_start, name="start"),
    path("problem/<int:pk>/submit/", views.problem_submit, name="submit"),
    path("problem/<int:pk>/verify/", views.problem_verify, name="verify"),
    path("problem/<int:pk>/return/", views.problem_return, name="return"),
    path("problem/<int:pk>/reassign/", views.problem_reassign, name="reassign"),
    path("problem/<int:pk>/remove/", views.problem_remove, name="remove"),
    path("file/<int:pk>/", views.file_download, name="file"),
    # Department assessment (部门考核, R8) and bulletins (通报, R7), in this namespace.
    path("", include("wenming.oversight.assessment.urls")),
    path("", include("wenming.oversight.bulletins.urls")),
]
