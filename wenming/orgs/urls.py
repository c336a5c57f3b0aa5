from django.urls import path

from wenming.orgs import calendar_views, views

app_name = "orgs"
urlpatterns = [
    path("", views.org_tree, name="tree"),
    path("<int:pk>/", views.org_detail, name="detail"),
    path("<int:pk>/new/", views.org_create_child, name="create_child"),
    path("<int:pk>/edit/", views.org_edit, name="edit"),
    path("<int:pk>/deactivate/", views.org_deactivate, name="deactivate"),
    path("<int:pk>/reactivate/", views.org_reactivate, name="reactivate"),
    path("<int:pk>/office-host/", views.org_set_office_host, name="set_office_host"),
    path("<int:pk>/people/new/", views.person_add, name="add_person"),
    path("memberships/<int:pk>/edit/", views.membership_edit, name="membership_edit"),
    path("memberships/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("<int:pk>/leading-group/new/", views.leading_group_add, name="leading_group_add"),
    path("leading-group/<int:pk>/edit/", views.leading_group_edit, name="leading_group_edit"),
    path(
        "leading-group/<int:pk>/remove/",
        views.leading_group_remove,
        name="leading_group_remove",
    ),
    path("<int:pk>/working-groups/new/", views.working_group_create, name="working_group_create"),
    path("working-groups/<int:pk>/edit/", views.working_group_edit, name="working_group_edit"),
    path(
        "working-groups/<int:pk>/deactivate/",
        views.working_group_deactivate,
        name="working_group_deactivate",
    ),
    path("calendar/", calendar_views.calendar_page, name="calendar"),
    path("calendar/add/", calendar_views.calendar_add, name="calendar_add"),
    path("calendar/<int:pk>/remove/", calendar_views.calendar_remove, name="calendar_remove"),
    path("calendar/load/", calendar_views.calendar_load, name="calendar_load"),
]
