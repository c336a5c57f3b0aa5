from django.urls import path

from wenming.ledger.binder import views

app_name = "binder"

urlpatterns = [
    path("campaign/<int:campaign_pk>/", views.binder_new, name="new"),
    path("<int:export_pk>/", views.binder_detail, name="detail"),
    path("<int:export_pk>/progress/", views.binder_progress, name="progress"),
    path("<int:export_pk>/download/", views.binder_download, name="download"),
]
