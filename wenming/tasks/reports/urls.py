from django.urls import path

from wenming.tasks.reports import views

app_name = "reports"
urlpatterns = [
    path("mine/", views.my_week, name="my_week"),
    path(
        "campaign/<int:pk>/department/<int:dept_pk>/week/<str:day>/",
        views.week,
        name="week",
    ),
    path("report/<int:report_pk>/reopen/", views.reopen, name="reopen"),
    path("campaign/<int:pk>/rollup/", views.rollup, name="rollup"),
    path("campaign/<int:pk>/rollup.xlsx", views.rollup_xlsx, name="rollup_xlsx"),
    path("campaign/<int:pk>/monthly/", views.monthly, name="monthly"),
    path("campaign/<int:pk>/monthly.xlsx", views.monthly_xlsx, name="monthly_xlsx"),
    path("campaign/<int:pk>/tasks.xlsx", views.tasks_xlsx, name="tasks_xlsx"),
    path("campaign/<int:pk>/tasks/import/", views.tasks_import_view, name="tasks_import"),
]
