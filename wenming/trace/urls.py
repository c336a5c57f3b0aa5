from django.urls import path

from wenming.trace import views

app_name = "trace"
urlpatterns = [
    path("", views.log, name="log"),
    path("<str:kind>/<int:pk>/", views.history, name="history"),
]
