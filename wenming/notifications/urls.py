from django.urls import path

from wenming.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("badge/", views.badge, name="badge"),
    path("preferences/", views.preferences, name="preferences"),
    path("read-all/", views.read_all, name="read_all"),
    path("<int:pk>/open/", views.open_notification, name="open"),
    path("<int:pk>/read/", views.mark_read, name="read"),
]
