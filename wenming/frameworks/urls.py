from django.urls import path

from wenming.frameworks import views

app_name = "frameworks"
urlpatterns: list = []
