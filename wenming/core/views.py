from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from wenming.campaigns import access as campaign_access
from wenming.frameworks import access as framework_access
from wenming.http import AuthenticatedHttpRequest
from wenming.orgs import access as org_access
from wenming.orgs.models import Organization


class LoginForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    password = forms.CharField(label="密码", widget=forms.PasswordInput)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return "/"


def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if user is not None:
            login(request, user)
            return redirect(_safe_next(request))
        form.add_error(None, "用户名或密码不正确。连续输错5次将暂时锁定登录。")
    return render(request, "core/login.html", {"form": form, "next": _safe_next(request)})


def lockout(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    form = LoginForm(request.POST or None)
    form.is_valid()
    form.add_error(
        None, "密码错误次数过多，该账号已在本机暂时锁定，请15分钟后再试或联系管理员解锁。"
    )
    return render(request, "core/login.html", {"form": form, "locked": True}, status=429)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("login")


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope = org_access.scope_for(request.user)
    places = []
    home_orgs = scope.home_orgs
    ancestor_ids = {a for org in home_orgs for a in org.ancestor_ids}
    ancestors = {o.pk: o for o in Organization.objects.filter(pk__in=ancestor_ids)}
    for m in scope.memberships:
        chain = [ancestors[a] for a in m.organization.ancestor_ids if a in ancestors]
        places.append({"membership": m, "chain": chain})
    frameworks = framework_access.visible_frameworks(request.user).order_by("-created_at")[:5]
    campaigns = (
        campaign_access.visible_campaigns(request.user)
        .filter(is_active=True)
        .order_by("unit__path")[:5]
    )
    from wenming.ledger.views import workbench_card
    from wenming.oversight.views import workbench_card as problems_card

    return render(
        request,
        "core/home.html",
        {
            "places": places,
            "frameworks": frameworks,
            "campaigns": campaigns,
            "ledger": workbench_card(request.user),
            "problems": problems_card(request.user),
        },
    )
