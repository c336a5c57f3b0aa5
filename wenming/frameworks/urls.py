from django.urls import path

from wenming.frameworks import import_views, views

app_name = "frameworks"
urlpatterns = [
    path("", views.framework_list, name="list"),
    path("import/", import_views.framework_import, name="import"),
    path("import/<int:pk>/", import_views.import_preview, name="import_preview"),
    path("import/<int:pk>/correct/", import_views.import_correct, name="import_correct"),
    path("import/<int:pk>/save/", import_views.import_save, name="import_save"),
    path("import/<int:pk>/discard/", import_views.import_discard, name="import_discard"),
    path("compare/", views.framework_diff, name="diff"),
    path("<int:pk>/", views.framework_detail, name="detail"),
    path("<int:pk>/edit/", views.framework_edit, name="edit"),
    path("<int:pk>/export.<str:fmt>", views.framework_export, name="export"),
    path("<int:pk>/publish/", views.framework_publish, name="publish"),
    path("<int:pk>/retire/", views.framework_retire, name="retire"),
    path("<int:pk>/new-version/", views.framework_new_version, name="new_version"),
    path("<int:pk>/nodes/<int:node_pk>/edit/", views.node_edit, name="node_edit"),
]
