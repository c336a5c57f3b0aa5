from django.urls import path

from wenming.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.index, name="index"),
    path("campaign/<int:pk>/", views.campaign, name="campaign"),
    path("campaign/<int:pk>/department/<int:dept>/", views.department, name="department"),
    path("office/<int:pk>/", views.office, name="office"),
    path(
        "office/<int:pk>/overdue/<str:kind>/",
        views.office_overdue_list,
        name="office_overdue",
    ),
]
