from django.urls import path

from wenming.orgs import views

app_name = "orgs"
urlpatterns: list = []
