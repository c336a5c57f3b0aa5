from django.urls import include, path

from wenming.supervision import bulletin_urls, directive_urls, problem_urls, views

app_name = "supervision"
urlpatterns = [
    path("", views.index, name="index"),
    path("", include(problem_urls)),
    path("", include(bulletin_urls)),
    path("", include(directive_urls)),
]
