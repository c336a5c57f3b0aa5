from django.urls import path

from wenming.scoring import views

app_name = "scoring"
urlpatterns = [
    path("", views.index, name="index"),
    path("campaign/<int:campaign_pk>/", views.round_list, name="rounds"),
    path("campaign/<int:campaign_pk>/compare/", views.compare_view, name="compare"),
    path("round/<int:pk>/", views.sheet, name="sheet"),
    path("round/<int:pk>/score/<int:standard_pk>/", views.score, name="score"),
    path("round/<int:pk>/finish/", views.finish, name="finish"),
    path("round/<int:pk>/reopen/", views.reopen, name="reopen"),
    path("round/<int:pk>/suggest/", views.suggest, name="suggest"),
    path("round/<int:pk>/gaps/", views.gaps, name="gaps"),
]
