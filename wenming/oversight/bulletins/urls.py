"""The bulletins' screens, in the `oversight` namespace (included from
`wenming.oversight.urls`)."""

from django.urls import path

from wenming.oversight.bulletins import views

urlpatterns = [
    path("campaign/<int:campaign_pk>/bulletins/", views.bulletin_list, name="bulletins"),
    path("campaign/<int:campaign_pk>/bulletins/new/", views.bulletin_new, name="bulletin_new"),
    path("bulletin/<int:pk>/", views.bulletin_detail, name="bulletin"),
    path("bulletin/<int:pk>/edit/", views.bulletin_edit, name="bulletin_edit"),
    path("bulletin/<int:pk>/issue/", views.bulletin_issue, name="bulletin_issue"),
    path("bulletin/<int:pk>/remove/", views.bulletin_remove, name="bulletin_remove"),
    path("bulletin/<int:pk>/docx/", views.bulletin_download, name="bulletin_docx"),
]
