from django.urls import path

from wenming.frameworks import views

app_name = "frameworks"
urlpatterns = [
    path("", views.framework_list, name="list"),
    path("import/", views.framework_import, name="import"),
    path("compare/", views.framework_diff, name="diff"),
    path("<int:pk>/", views.framework_detail, name="detail"),
    path("<int:pk>/edit/", views.framework_edit, name="edit"),
    path("<int:pk>/export.<str:fmt>", views.framework_export, name="export"),
    path("<int:pk>/publish/", views.framework_publish, name="publish"),
    path("<int:pk>/retire/", views.framework_retire, name="retire"),
    path("<int:pk>/new-version/", views.framework_new_version, name="new_version"),
    path("<int:pk>/nodes/<int:node_pk>/edit/", views.node_edit, name="node_edit"),
]
