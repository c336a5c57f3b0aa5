from django.contrib import admin
from django.urls import include, path

from wenming.api import api
from wenming.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("login/", core_views.login_view, name="login"),
    path("logout/", core_views.logout_view, name="logout"),
    path("orgs/", include("wenming.orgs.urls")),
    path("frameworks/", include("wenming.frameworks.urls")),
    path("campaigns/", include("wenming.campaigns.urls")),
    path("tasks/", include("wenming.tasks.urls")),
    path("reports/", include("wenming.tasks.reports.urls")),
    path("ledger/", include("wenming.ledger.urls")),
    path("binder/", include("wenming.ledger.binder.urls")),
    path("scoring/", include("wenming.scoring.urls")),
    path("oversight/", include("wenming.oversight.urls")),
    path("activities/", include("wenming.activities.urls")),
    path("registry/", include("wenming.registry.urls")),
    path("applications/", include("wenming.applications.urls")),
    path("rechecks/", include("wenming.rechecks.urls")),
    path("supervision/", include("wenming.supervision.urls")),
    path("dashboards/", include("wenming.dashboards.urls")),
    path("inbox/", include("wenming.notifications.urls")),
    path("trace/", include("wenming.trace.urls")),
    path("api/v1/", api.urls),
    path("backoffice/", admin.site.urls),
]

admin.site.site_header = "文明创建管理平台 · 后台"
admin.site.site_title = "文明创建管理平台"
admin.site.index_title = "后台管理"
