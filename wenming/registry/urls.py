from django.urls import path

from wenming.registry import io_views, views

app_name = "registry"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.entry_new, name="entry_new"),
    path("export/", io_views.registry_export, name="export"),
    path("import/", io_views.registry_import, name="import"),
    path("entry/<int:pk>/", views.entry_detail, name="entry"),
    path("entry/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("entry/<int:pk>/honours/new/", views.honour_new, name="honour_new"),
    path("entry/<int:pk>/negative-events/new/", views.negative_new, name="negative_new"),
    path("honour/<int:pk>/status/", views.honour_status, name="honour_status"),
    path("honour/<int:pk>/revoke/", views.honour_revoke, name="honour_revoke"),
    path("negative-event/<int:pk>/withdraw/", views.negative_withdraw, name="negative_withdraw"),
    path("document/<int:pk>/", views.document, name="document"),
]
